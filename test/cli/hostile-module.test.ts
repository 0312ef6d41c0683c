// Shows that a scheduler module that fights back (an export that throws when read, a thrown value that cannot be turned into text, a fixes list that repeats a name or holds something other than names) ends the command with a clear message naming the module, exit 2, or as a panic of the code under test, never as an internal error of aftershock.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tmp } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const dir = tmp();

/** A module file holding `text`, for the test `name`: its path. */
function mod(name: string, text: string): string {
  const path = join(dir, `${name}.mjs`);
  writeFileSync(path, text);
  return path;
}

/** A module whose scheduler's `main` is `main` and whose factory lists `fixes` (source text). */
function scheduler(name: string, main: string, fixes = "[]"): string {
  return mod(
    name,
    `export default { name: "x", fixes: ${fixes}, create(f) { return { name: "x", fixes: f, main: ${main} } } }\n`,
  );
}

const LOOP = "function* (rt) { for (;;) yield rt.sleep(1000) }";

describe("a scheduler module's export that throws when read", () => {
  it("is bad input naming the module (a getter), exit 2, no stack", async () => {
    const path = mod(
      "getter",
      `export default { name: "x", fixes: [], get create() { throw new Error("getter boom") } }\n`,
    );
    const r = await cli("run", TINY, "--scheduler", path);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path}: the scheduler module threw as its export was read: Error: getter boom`);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  });

  it("is bad input naming the module (a Proxy whose get throws), exit 2, no stack", async () => {
    const path = mod("proxy", `export default new Proxy({}, { get() { throw new Error("proxy boom") } })\n`);
    const r = await cli("run", TINY, "--scheduler", path);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path}: the scheduler module threw as its export was read: Error: proxy boom`);
    expect(r.err).not.toMatch(/internal error|\n\s+at /);
  });

  it("is bad input when `create` throws a value that cannot be turned into text", async () => {
    const path = mod(
      "create-evil",
      `export default { name: "x", fixes: [], create() { throw { toString() { throw new Error("ts") } } } }\n`,
    );
    const r = await cli("run", TINY, "--scheduler", path);
    expect(r.code).toBe(2);
    // Shown as `util.inspect` writes it, which runs none of its code.
    expect(r.err).toContain(
      `${path}: not a scheduler: create([]) threw: { toString: [Function: toString] } (an object, not an Error`,
    );
    expect(r.err).not.toMatch(/internal error/);
  });
});

describe("a scheduler module whose create throws as it is checked", () => {
  it("is bad input at the line and column create threw from, as a module that throws while loading is", async () => {
    const path = mod(
      "create-throws",
      `export default {
  name: "x", fixes: ["a"],
  create(fixes) {
    if (fixes.includes("a")) throw new Error("cannot make with a");
    return { name: "x", fixes, main: ${LOOP} };
  },
};
`,
    );
    const r = await cli("run", TINY, "--scheduler", path);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path}:4:36: not a scheduler: create(["a"]) threw: cannot make with a\n`);
  });
});

describe("a thrown value that cannot be turned into text", () => {
  for (const [name, main] of [
    ["evil-tostring", `function* (rt) { throw { toString() { throw new Error("ts") } } }`],
    [
      "evil-message",
      `function* (rt) { const e = new Error("x"); Object.defineProperty(e, "message", { get() { throw new Error("msg getter") } }); throw e }`,
    ],
    [
      "evil-proxy",
      `function* (rt) { throw new Proxy({}, { get() { throw new Error("proxy") }, getPrototypeOf() { throw new Error("proto") } }) }`,
    ],
  ] as const) {
    it(`is a panic of the code under test, not a broken simulator (${name})`, async () => {
      const r = await cli("run", TINY, "--scheduler", scheduler(name, main), "--json");
      expect(r.err).not.toContain("invariant");
      expect(r.code).toBe(1);
      const report = JSON.parse(r.out) as { metrics: { panicDeaths: number } };
      expect(report.metrics.panicDeaths).toBeGreaterThan(0);
    });
  }
});

describe("a scheduler module's fixes list", () => {
  it("must hold names: a number in it is bad input at load, naming the module", async () => {
    const path = scheduler("numbers", LOOP, "[1, 2]");
    const r = await cli("run", TINY, "--scheduler", path);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path}: not a scheduler: \`fixes\` must be a list of names: 1 is not a string`);
  });

  it("must not name a fix twice: that is bad input at load, naming the fix", async () => {
    const path = scheduler("twice", LOOP, `["a", "a"]`);
    const r = await cli("run", TINY, "--scheduler", path, "--fix", "a");
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${path}: not a scheduler: \`fixes\` names "a" twice`);
  });
});
