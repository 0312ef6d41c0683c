/**
 * Scheduler modules for the tests of how explorations treat a user's module: each written to a
 * file whose scheduler goroutine runs a given body, and registered by its absolute path.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { moduleSchedulerName } from "../../src/scenario/compile.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";

export interface GoroutineModule {
  readonly file: string;
  /** As a plan's `schedulerModules` names it. */
  readonly ref: { readonly name: string; readonly url: string };
}

/** A module in `dir` whose scheduler goroutine runs `body` (source text), after top-level code `head`. */
export function goroutineModule(dir: string, name: string, body: string, head = ""): GoroutineModule {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(
    file,
    `${head}export const scheduler = { name: "${name}", description: "", fixes: [], create() {
  return { name: "${name}", fixes: [], main: function* (rt) { ${body} } };
} };
`,
  );
  return { file, ref: { name: moduleSchedulerName(file), url: pathToFileURL(file).href } };
}

/**
 * A body that panics in every world it runs in on its thread but the second, where its step never
 * returns: a search's run fails, and the first world its shrink tries is stuck. A world is told by
 * its `rt.options`, one object a run; `key` keeps each module's count apart on a thread.
 */
export function stuckInSecondWorld(key: string): string {
  return `const g = (globalThis[${JSON.stringify(key)}] ??= { seen: new WeakSet(), worlds: 0 });
  if (!g.seen.has(rt.options)) {
    g.seen.add(rt.options);
    g.worlds++;
  }
  if (g.worlds === 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  yield rt.sleep(1000);
  throw new Error("a panic");`;
}

/** The bundled schedulers with `m` registered under its name and `names`, as the CLI registers it for this thread. */
export async function registryWith(m: GoroutineModule, ...names: string[]) {
  const factory = ((await import(m.ref.url)) as { scheduler: SchedulerFactory }).scheduler;
  const schedulers = bundledSchedulers();
  for (const name of [m.ref.name, ...names]) schedulers.set(name, factory);
  return schedulers;
}
