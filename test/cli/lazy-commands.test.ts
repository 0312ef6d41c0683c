// Shows the CLI loads only the command that runs: help never imports a command's implementation or its heavy dependencies.
// The binary runs the bundle (dist/bundle/cli); a loaded bundle file counts as every module it holds.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const META = join(ROOT, "dist", "bundle", "meta.json");
const built = existsSync(META);

/** Modules `--help` must never load: each is a dependency of some command, not of the CLI's shell. */
const HEAVY = [
  "node_modules/zod/",
  "node_modules/yaml/",
  "node_modules/piscina/",
  "node_modules/cli-progress/",
  "node_modules/esbuild/",
  "dist/src/scenario/",
  "dist/src/explore/",
  "dist/src/report/",
  "dist/src/train/",
];

/** The command modules `index.ts` loads on dispatch, as built paths (each file is named after its command). */
const COMMAND_MODULES = COMMANDS.map((c) => `dist/src/cli/commands/${c.spec.name}.js`);

/** The source modules (package-relative paths) each bundle file holds, from esbuild's metafile. */
function bundleInputs(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(META, "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown> }>;
  };
  return new Map(Object.entries(meta.outputs).map(([file, o]) => [file, Object.keys(o.inputs)]));
}

/**
 * Runs the binary with a module hook (Node's `module.register`) that logs every URL an import
 * resolves to, and returns the exit code and the loaded paths relative to the package root.
 */
function loadedBy(args: string[]): { code: number | null; loaded: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-lazy-"));
  try {
    const log = join(dir, "loaded.txt");
    writeFileSync(log, "");
    writeFileSync(
      join(dir, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, resolved.url + "\\n");
  return resolved;
}
`,
    );
    writeFileSync(
      join(dir, "recorder.mjs"),
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(join(dir, "hooks.mjs")).href)});\n`,
    );
    const r = spawnSync(process.execPath, ["--import", join(dir, "recorder.mjs"), BIN, ...args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 60_000,
    });
    const prefix = `${pathToFileURL(ROOT).href}/`;
    const files = readFileSync(log, "utf8")
      .split("\n")
      .filter((url) => url.startsWith(prefix))
      .map((url) => url.slice(prefix.length));
    const inputs = bundleInputs();
    const loaded = files.flatMap((file) => [file, ...(inputs.get(file) ?? [])]);
    // A bundle file the metafile does not know would hide what it holds.
    for (const file of files)
      if (file.startsWith("dist/bundle/")) expect(inputs.has(file), `${file} in meta.json`).toBe(true);
    return { code: r.status, loaded: [...new Set(loaded)].sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The source modules a bundle entry loads as it starts: those of the bundle files it imports
 * statically, transitively (esbuild's metafile); a dynamic `import()` waits until it is called.
 * With `dynamic`, those it may load later too, through its dynamic imports.
 */
function startupInputs(entry: string, dynamic = false): string[] {
  const meta = JSON.parse(readFileSync(META, "utf8")) as {
    outputs: Record<string, { inputs: Record<string, unknown>; imports: { path: string; kind: string }[] }>;
  };
  const files = new Set([entry]);
  for (const file of files)
    for (const i of meta.outputs[file]?.imports ?? [])
      if (i.kind === "import-statement" || (dynamic && i.kind === "dynamic-import")) files.add(i.path);
  return [...files].flatMap((file) => Object.keys(meta.outputs[file]?.inputs ?? {}));
}

/** The bundle file that holds a command's module, which `index.ts` imports on dispatch (esbuild's metafile). */
function commandChunk(name: string): string {
  const meta = JSON.parse(readFileSync(META, "utf8")) as { outputs: Record<string, { entryPoint?: string }> };
  const found = Object.entries(meta.outputs).find(
    ([, o]) => o.entryPoint === `dist/src/cli/commands/${name}.js`,
  );
  if (found === undefined) throw new Error(`no bundle file holds the ${name} command`);
  return found[0];
}

const matching = (loaded: readonly string[], prefixes: readonly string[]) =>
  loaded.filter((path) => prefixes.some((p) => path.startsWith(p)));

/** `inputs` hold a module under each of `has` (so the check is not vacuous) and none under `lacks`. */
function expectStart(inputs: readonly string[], { has, lacks }: { has: string[]; lacks: string[] }): void {
  for (const prefix of has) expect(matching(inputs, [prefix]), prefix).not.toEqual([]);
  expect(matching(inputs, lacks)).toEqual([]);
}

describe("lazy command loading", () => {
  it("gives each command the module whose spec it was parsed with", async () => {
    for (const c of COMMANDS) expect((await c.load()).spec, c.spec.name).toBe(c.spec);
  });

  it.skipIf(!built)("--help loads the specs and no command module or heavy dependency", () => {
    const { code, loaded } = loadedBy(["--help"]);
    expect(code).toBe(0);
    // The recorder sees the CLI's own modules: an empty log would make the checks below vacuous.
    expect(loaded).toContain("dist/src/cli/commands/specs.js");
    expect(loaded).toContain("node_modules/commander/index.js");
    expect(matching(loaded, HEAVY)).toEqual([]);
    expect(matching(loaded, COMMAND_MODULES)).toEqual([]);
  });

  it.skipIf(!built)("list loads its own module and the scenario parser, and no other command", () => {
    const { code, loaded } = loadedBy(["list"]);
    expect(code).toBe(0);
    expect(matching(loaded, COMMAND_MODULES)).toEqual(["dist/src/cli/commands/list.js"]);
    expect(loaded).toContain("dist/src/scenario/parse.js");
    expect(
      matching(loaded, [
        "node_modules/piscina/",
        "node_modules/cli-progress/",
        "node_modules/esbuild/",
        "dist/src/explore/",
        "dist/src/report/",
        "dist/src/train/",
      ]),
    ).toEqual([]);
  });

  it.skipIf(!built)(
    "an exploration's worker thread starts without the YAML library, zod or fast-check: a scenario's seeds need none",
    () => {
      // What a thread needs is there: the run, its judging, the world and the cron tables it fires by.
      expectStart(startupInputs("dist/bundle/cli/pool-worker.js"), {
        has: [
          "dist/src/explore/judge-run.js",
          "dist/src/explore/run.js",
          "dist/src/world/world.js",
          "node_modules/croner/",
        ],
        lacks: [
          "node_modules/yaml/",
          "node_modules/zod/",
          "dist/src/scenario/schema.js",
          "node_modules/fast-check/",
          "dist/src/explore/generate/",
          "dist/src/explore/shrink.js",
        ],
      });
      // Generated worlds and shrinks load when a plan or a task needs them: the thread reaches
      // them by a dynamic import, whose bundle files hold fast-check and the scenario schema.
      const later = startupInputs("dist/bundle/cli/pool-worker.js", true);
      for (const needed of [
        "dist/src/explore/run-one.js",
        "dist/src/explore/shrink.js",
        "node_modules/fast-check/",
        "dist/src/scenario/schema.js",
      ])
        expect(matching(later, [needed]), needed).not.toEqual([]);
    },
  );

  it.skipIf(!built)(
    "a compare's worker thread starts without zod: it runs compiled worlds and validates none",
    () => {
      // What the thread needs is there: the run, the world and the cron tables the world fires by.
      expectStart(startupInputs("dist/bundle/cli/compare-worker.js"), {
        has: ["dist/src/explore/run.js", "dist/src/world/world.js", "node_modules/croner/"],
        lacks: ["node_modules/zod/", "dist/src/scenario/schema.js", "dist/src/scenario/zod-issues.js"],
      });
    },
  );

  it.skipIf(!built)(
    "run, compare and why start without fast-check, which only explore's generated worlds use",
    () => {
      for (const name of ["run", "compare", "why"]) {
        expectStart(startupInputs(commandChunk(name)), {
          has: [`dist/src/cli/commands/${name}.js`, "dist/src/cli/commands/stopped.js"],
          lacks: ["node_modules/fast-check/", "dist/src/explore/generate/"],
        });
      }
      // The exploration still has it: the check above would pass as well on a bundle without it.
      expect(
        matching(startupInputs(commandChunk("explore")), ["node_modules/fast-check/"]).length,
      ).toBeGreaterThan(0);
    },
  );

  it.skipIf(!built)(
    "validate loads the code frame and string-width only for a file with something to show",
    () => {
      expectStart(startupInputs(commandChunk("validate")), {
        has: ["dist/src/scenario/parse.js", "node_modules/zod/", "node_modules/yaml/"],
        lacks: [
          "dist/src/cli/code-frame.js",
          "node_modules/string-width/",
          "node_modules/get-east-asian-width/",
        ],
      });
      const ok = loadedBy(["validate", "test/cli/fixtures/tiny.yaml"]);
      expect(ok.code).toBe(0);
      expect(matching(ok.loaded, ["dist/src/cli/code-frame.js", "node_modules/string-width/"])).toEqual([]);
    },
  );
});
