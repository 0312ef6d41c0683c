// Scheduler modules that throw outside the simulation or call process.exit, and what every command says of them, for the stray-module tests.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { tmp } from "../explore/cli-helpers.js";

/** The tiny May 8 world the commands run. */
export const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** Each stray: the code the goroutine runs, and the message of the Error it throws. */
export const STRAYS = {
  rejected: [`Promise.reject(new Error("unhandled boom"))`, "unhandled boom"],
  timer: [`setTimeout(() => { throw new Error("timer boom") }, 0)`, "timer boom"],
  microtask: [`queueMicrotask(() => { throw new Error("micro boom") })`, "micro boom"],
} as const;

/** A fresh folder, and the modules written into it. */
export function strayModules(): {
  readonly dir: string;
  readonly module: (name: string, stray: string) => string;
  readonly moduleWith: (name: string, stray: string, threads: boolean) => string;
} {
  const dir = tmp();
  /** A module whose scheduler goroutine first runs `stray` (source text), then loops on the runtime. */
  const module = (name: string, stray: string): string => {
    const path = join(dir, `${name}.mjs`);
    writeFileSync(
      path,
      `export default { name: "x", fixes: [], create(f) { return { name: "x", fixes: f, main: function* (rt) {\n  ${stray};\n  for (;;) yield rt.sleep(1000);\n} } } }\n`,
    );
    return path;
  };
  /** `module`, with `isMainThread` in scope when `threads` says so. */
  const moduleWith = (name: string, stray: string, threads: boolean): string => {
    const path = module(name, stray);
    if (threads)
      writeFileSync(
        path,
        `import { isMainThread } from "node:worker_threads";\n${readFileSync(path, "utf8")}`,
      );
    return path;
  };
  return { dir, module, moduleWith };
}

/** What every command says: the module, what it did, once, and no stack trace. */
export function expectStraySaid(r: { code: number; err: string }, path: string, boom: string): void {
  expect(r.code).toBe(2);
  expect(r.err).toContain(`aftershock: ${path}: the scheduler module `);
  expect(r.err).toContain(`outside the simulation: Error: ${boom}`);
  expect(r.err).toContain("a scheduler does its work through the runtime it is given");
  expect(r.err).not.toMatch(/\n\s+at |Node\.js v/);
  expect(r.err.split("outside the simulation")).toHaveLength(2);
}
