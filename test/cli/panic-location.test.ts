// Shows that where a scheduler module's panic came from is traced alike on the main thread and on worker threads, for an ES module, a CommonJS one, a TypeScript one (at the line of its .ts file) and one bundled with a source map, from another folder, at another absolute path, and whatever NODE_OPTIONS says of source maps.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { BUILT, cliBuilt } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLE = readFileSync(join(ROOT, "examples", "reintroduced-bug1.mjs"), "utf8");
const DEREF = "account: account.id,";

/**
 * The tiny May 8 world, its scheduler the module `first`, then each of `then` deployed in turn: the
 * poisoned schedule fires each minute, and each version panics on it in its tenure.
 */
function scenario(name: string, first: string, ...then: string[]): string {
  const deploys = then.map(
    (m, i) => `  - { at: "09:4${3 + i}:20", action: deploy, module: ../mods/${m}, stepDelay: 1s }\n`,
  );
  return `name: ${name}
description: The May 8 mechanics on three workers, one version of the module after another.
assumptions: ["3 workers, 12 partitions, 30 accounts"]
seed: 5
start: 2026-05-08T09:40:00Z
duration: ${4 + then.length}m
scheduler: { module: ../mods/${first} }
fleet: { workers: 3, partitions: 12, startupTime: 10s }
workload:
  accounts: 30
  cron: [{ expr: "* * * * *", weight: 1 }]
  named:
    - id: acct-deleted
      schedules: [{ id: sched-poison, cron: "* * * * *" }]
timeline:
  - { at: "09:42:30", action: delete-account, account: acct-deleted }
${deploys.join("")}expect:
  - { variant: buggy, property: no-panic-death, holds: false }
`;
}

/** 1-based line and column of `what` in `text`, at `within` characters into it. */
function place(text: string, what: string, within: number): string {
  const lines = text.split("\n");
  const line = lines.findIndex((l) => l.includes(what));
  return `${line + 1}:${lines[line].indexOf(what) + within + 1}`;
}

/**
 * A project in a folder with a space: the example as an ES module, as CommonJS, and as
 * TypeScript whose nil dereference is in a helper file it imports (`./lib/mods/bug.js`, the .ts
 * file, whose path ends as the module's: never taken for it, on any thread), that one bundled
 * with an inline source map too; a scenario for each.
 */
function project(): { dir: string; at: Record<string, string> } {
  const dir = mkdtempSync(join(tmpdir(), "aftershock panic-"));
  for (const sub of ["scen", "mods/lib/mods"]) mkdirSync(join(dir, sub), { recursive: true });
  const cjs = `${EXAMPLE.replace("export const scheduler =", "const scheduler =")}module.exports = { scheduler };\n`;
  // Types stripped by esbuild, which writes the code out anew: its lines are not the file's.
  const ts = `import { idOf } from "./lib/mods/bug.js";\n\ninterface Unused {\n  a: number;\n}\n${EXAMPLE.replace(DEREF, "account: idOf(account),").replace("function* deliver(rt, tx, message, attempt)", "function* deliver(rt: any, tx: any, message: any, attempt: number)")}`;
  writeFileSync(join(dir, "mods", "bug.mjs"), EXAMPLE);
  writeFileSync(join(dir, "mods", "bug.cjs"), cjs);
  writeFileSync(join(dir, "mods", "bug.ts"), ts);
  writeFileSync(
    join(dir, "mods", "lib", "mods", "bug.ts"),
    "type Account = { id: string };\n\nexport function idOf(account: Account | undefined): string {\n  return (account as Account).id;\n}\n",
  );
  buildSync({
    entryPoints: [join(dir, "mods", "bug.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    sourcemap: "inline",
    outfile: join(dir, "mods", "map.mjs"),
    logLevel: "silent",
  });
  writeFileSync(join(dir, "scen", "places.yaml"), scenario("places", "bug.mjs", "bug.cjs", "bug.ts"));
  // Alone: no TypeScript module in its run, whose loader would have had source maps read.
  writeFileSync(join(dir, "scen", "bundle.yaml"), scenario("bundle", "map.mjs"));
  const at = {
    "bug.mjs": `../mods/bug.mjs:${place(EXAMPLE, DEREF, "account: account.".length)}`,
    "bug.cjs": `../mods/bug.cjs:${place(cjs, DEREF, "account: account.".length)}`,
    // The helper threw: the place is the module's call into it, in the .ts file's own lines.
    "bug.ts": `../mods/bug.ts:${place(ts, "account: idOf(account),", "account: ".length)}`,
  };
  return { dir, at };
}

/** The worker.crashed events of a trace file. */
function crashes(trace: string): { reason: string; location?: string }[] {
  return readFileSync(trace, "utf8")
    .split("\n")
    .filter((l) => l.includes('"worker.crashed"'))
    .map((l) => JSON.parse(l) as { reason: string; location?: string });
}

describe.skipIf(!BUILT)("where a scheduler module's panic came from (needs dist/)", () => {
  it("is traced alike on every thread, from any folder and any absolute path, whatever NODE_OPTIONS says", () => {
    // Three processes, eight runs: far less than the time given, but a loaded machine starts each slowly.
    const { dir, at } = project();
    // On worker threads, with source maps asked of Node for every file: each run thrice, the third
    // on a thread that loaded its modules anew.
    const gate = cliBuilt(
      ["gate", "scen", "--jobs", "2", "--json"],
      { NODE_OPTIONS: "--enable-source-maps" },
      dir,
    );
    expect(gate.code, gate.err).toBe(0);
    const threaded = new Map<string, string | undefined>();
    for (const suite of JSON.parse(gate.out).suites as {
      file: string;
      cases: { kind: string; traceHash?: string }[];
    }[])
      threaded.set(suite.file, suite.cases.find((c) => c.kind === "determinism")?.traceHash);
    // On the main thread, without, from the scenarios' folder in a copy elsewhere.
    const copy = join(mkdtempSync(join(tmpdir(), "aftershock-elsewhere-")), "deeper");
    cpSync(dir, copy, { recursive: true });
    const traced = new Map<string, ReturnType<typeof crashes>>();
    for (const name of ["places", "bundle"]) {
      const run = cliBuilt(
        ["run", `${name}.yaml`, "--json", "--trace", `${name}.jsonl`],
        { NODE_OPTIONS: "" },
        join(copy, "scen"),
      );
      expect(run.code, run.err).toBe(0);
      expect((JSON.parse(run.out) as { traceHash: string }).traceHash, name).toBe(
        threaded.get(`scen/${name}.yaml`),
      );
      traced.set(name, crashes(join(copy, "scen", `${name}.jsonl`)));
    }
    const places = new Set(traced.get("places")!.map((c) => c.location));
    expect([...places]).toEqual(expect.arrayContaining(Object.values(at)));
    // The bundle's panics have no place: its map names the files it was built from, not the bundle.
    const bundled = traced.get("bundle")!.filter((c) => c.reason === "panic");
    expect(bundled.length).toBeGreaterThan(0);
    expect(bundled.filter((c) => c.location !== undefined)).toEqual([]);
  }, 180_000);
});
