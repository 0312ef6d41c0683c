// Shows that a scheduler module path naming no module file is said for what it names (nothing, with the module file beside it it was likely meant to name; a folder; a file that is no JavaScript or TypeScript; a file that cannot be read), before Node is asked to load it, in one line with what to do: exit 2, no words of Node's, no file of aftershock's.
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { unreadableText } from "../../src/cli/module-file.js";
import { BUILT, cli, ownScenario, ROOT } from "../gate/helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "reintroduced-bug1.mjs");
const home = process.cwd();

afterEach(() => process.chdir(home));

/** A project folder with `tools/aftershock/sched.mjs`, an empty folder `tools/empty.mjs`, and the working folder there. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-module-file-"));
  mkdirSync(join(dir, "tools", "aftershock"), { recursive: true });
  mkdirSync(join(dir, "tools", "empty.mjs"));
  copyFileSync(EXAMPLE, join(dir, "tools", "aftershock", "sched.mjs"));
  writeFileSync(join(dir, "tools", "aftershock", "notes.txt"), "not a module\n");
  process.chdir(dir);
  return dir;
}

async function refusal(modulePath: string): Promise<string> {
  const r = await cli(["run", TINY, "--scheduler", modulePath]);
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe("");
  return r.err;
}

describe("a --scheduler path that names a folder", () => {
  it("is said to be a folder, with the module file in it, whether or not its name ends like a module's", async () => {
    project();
    const said = "a folder, not a scheduler module file — did you mean tools/aftershock/sched.mjs?";
    expect(await refusal("tools/aftershock")).toBe(`aftershock: tools/aftershock: ${said}\n`);
    expect(await refusal("tools/aftershock/")).toBe(`aftershock: tools/aftershock/: ${said}\n`);
  });

  it("with no module file in it says so, with no word of Node's import or of aftershock's files", async () => {
    project();
    const err = await refusal("tools/empty.mjs");
    expect(err).toBe(
      "aftershock: tools/empty.mjs: a folder, not a scheduler module file (it holds no .js, .mjs, .cjs, .ts, .mts file): name the module file itself\n",
    );
    expect(err).not.toMatch(/threw|Directory import|dist|chunk/);
  });

  it("lists a few of the module files of a folder that holds many", async () => {
    const dir = project();
    for (const name of ["a.mjs", "b.ts", "c.cjs"]) writeFileSync(join(dir, "tools", "aftershock", name), "");
    expect(await refusal("tools/aftershock")).toBe(
      "aftershock: tools/aftershock: a folder, not a scheduler module file: name the module file itself (it holds 4 module files: a.mjs, b.ts, c.cjs, …)\n",
    );
  });

  it("is said at its line when a scenario names it, by validate and run", async () => {
    const { dir, file } = ownScenario("mods", ["{ variant: buggy, property: no-cascade, holds: false }"]);
    mkdirSync(join(dir, "mods"));
    copyFileSync(EXAMPLE, join(dir, "mods", "bug.mjs"));
    for (const command of ["validate", "run"]) {
      const r = await cli([command, file]);
      expect(r.code, command).toBe(2);
      expect(r.err, command).toContain(
        'own.yaml:7:22: error: scheduler.module: a folder, not a scheduler module file (found "./mods") — did you mean ./mods/bug.mjs?',
      );
    }
  });
});

describe("a --scheduler path where nothing is", () => {
  const notFound = (path: string, dir: string) =>
    `aftershock: ${path}: scheduler module not found (looked at ${join(dir, path)})`;

  it("suggests the module file beside it that it is one slip from: misspelt, its extension left off or another one's", async () => {
    const dir = project();
    for (const [typed, meant] of [
      ["tools/aftershock/shced.mjs", "tools/aftershock/sched.mjs"],
      ["tools/aftershock/sched", "tools/aftershock/sched.mjs"],
      ["tools/aftershock/sched.js", "tools/aftershock/sched.mjs"],
      ["tools/aftershock/Sched.mjs", "tools/aftershock/sched.mjs"],
      ["./tools/aftershock/sched", "./tools/aftershock/sched.mjs"],
    ])
      expect(await refusal(typed), typed).toBe(`${notFound(typed, dir)} — did you mean ${meant}?\n`);
  });

  it("suggests only module files that are there: not another kind of file, not a folder, not a name far from it", async () => {
    const dir = project();
    for (const typed of [
      "tools/aftershock/notes",
      "tools/empty",
      "tools/aftershock/other.mjs",
      "tools/none/sched.mjs",
    ])
      expect(await refusal(typed), typed).toBe(`${notFound(typed, dir)}\n`);
  });

  it("suggests, when a scenario names it, the module file as the scenario would write it", async () => {
    const { dir, file } = ownScenario("mods/bgu.mjs", [
      "{ variant: buggy, property: no-cascade, holds: false }",
    ]);
    mkdirSync(join(dir, "mods"));
    copyFileSync(EXAMPLE, join(dir, "mods", "bug.mjs"));
    const r = await cli(["validate", file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `own.yaml:7:22: error: scheduler.module: no scheduler module at ${join(dir, "mods", "bgu.mjs")} (a relative path is from the scenario's folder) (found "./mods/bgu.mjs") — did you mean ./mods/bug.mjs?`,
    );
  });
});

describe("a scenario file that is a link to a file in another folder", () => {
  it("reads its module from the link's folder, and says where the file it links to finds it", async () => {
    const { dir, file } = ownScenario("reintroduced-bug1.mjs", [
      "{ variant: buggy, property: no-cascade, holds: false }",
    ]);
    mkdirSync(join(dir, "ci"));
    const link = join(dir, "ci", "own.yaml");
    symlinkSync(file, link);
    const r = await cli(["validate", link]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `own.yaml:7:22: error: scheduler.module: no scheduler module at ${join(dir, "ci", "reintroduced-bug1.mjs")} (a relative path is from the scenario's folder, the link's: ${link} is a link to ${realpathSync(file)}, whose folder holds ./reintroduced-bug1.mjs) (found "./reintroduced-bug1.mjs") — did you mean ../reintroduced-bug1.mjs?`,
    );
    // A link in the module's own folder is the scenario itself.
    const beside = join(dir, "same.yaml");
    symlinkSync(file, beside);
    expect((await cli(["validate", beside])).code).toBe(0);
  });
});

describe("a --scheduler path that names a file of another kind", () => {
  it("is refused as no JavaScript or TypeScript", async () => {
    project();
    expect(await refusal("tools/aftershock/notes.txt")).toBe(
      "aftershock: tools/aftershock/notes.txt: a scheduler module must be JavaScript or TypeScript (.js, .mjs, .cjs, .ts, .mts)\n",
    );
  });
});

describe("a --scheduler module file that cannot be read", () => {
  const denied =
    "the scheduler module cannot be read (permission denied): give the user running aftershock read access to it and search access to its folders";

  it("is said to be unreadable for want of permission, not to have thrown", () => {
    const error = (code: string) =>
      Object.assign(new Error(`${code}: permission denied, open '/p/x.mjs'`), { code });
    expect(unreadableText(error("EACCES"))).toBe(denied);
    expect(unreadableText(error("EPERM"))).toBe(denied);
    expect(unreadableText(Object.assign(new Error("EIO: i/o error, open '/p/x.mjs'"), { code: "EIO" }))).toBe(
      "the scheduler module cannot be read (EIO: i/o error, open '/p/x.mjs')",
    );
  });

  // Root reads any file: as root, the CLI is run as `nobody` (with runuser), given search access
  // to the test's folders; elsewhere, as the user running the tests.
  const root = process.getuid?.() === 0;
  const asNobody =
    root &&
    spawnSync("runuser", ["-u", "nobody", "--", "test", "-r", `${ROOT}bin/aftershock.js`]).status === 0;

  it.skipIf((root && !asNobody) || (root && !BUILT))(
    "is refused so by run, exit 2, at no place and with no words of Node's",
    async () => {
      const dir = project();
      const locked = join(dir, "tools", "aftershock", "locked.mjs");
      copyFileSync(EXAMPLE, locked);
      chmodSync(locked, 0o000);
      const expected = `aftershock: tools/aftershock/locked.mjs: ${denied}\n`;
      if (!asNobody) {
        expect(await refusal("tools/aftershock/locked.mjs")).toBe(expected);
        return;
      }
      for (const folder of [tmpdir(), dir, join(dir, "tools"), join(dir, "tools", "aftershock")])
        chmodSync(folder, 0o755);
      const r = spawnSync(
        "runuser",
        [
          "-u",
          "nobody",
          "--",
          process.execPath,
          `${ROOT}bin/aftershock.js`,
          "run",
          TINY,
          "--scheduler",
          "tools/aftershock/locked.mjs",
        ],
        { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" } },
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toBe(expected);
    },
  );
});
