/**
 * Where in a scheduler module a panic came from: `./mine.mjs:80:20`, the module's path as the
 * trace names the module (`module:./mine.mjs`, its path from the scenario's folder), and the line
 * and column of the top frame of the thrown Error's stack that is in the module's file. A panic's
 * message alone (`TypeError: Cannot read properties of undefined (reading 'id')`) says what, not
 * where.
 *
 * The trace must not depend on the machine: the stack names the file by its absolute path, which
 * is only matched here, never kept. The module's file is the one the CLI loaded (`placeModule`,
 * its real path, as Node names it in frames), matched whole: a file whose path merely ends alike
 * (`./lib/mine.mjs` beside `./mine.mjs`, aftershock's own `src/world/worker.ts` for a module
 * `./worker.ts`) is not the module's. A module the library API's caller loaded and registered
 * itself has no known file: it is told by the end of the path the trace names it by (its path from
 * the scenario's folder, its leading `./` and `../` dropped), so that its run traces as the CLI's
 * does wherever that end is the module's file alone (README: a module's API run has the CLI's
 * trace hash). The bundled schedulers have no module: their panics have no location.
 *
 * A stack overflow the module recovered has no location: where the stack ran out depends on the
 * thread (a worker thread's is larger) and on V8's compiler, not on the simulated world (one it
 * did not recover stops the run: `STACK_OVERFLOW_WHY`).
 */
import { isStackOverflow } from "../kernel/index.js";
import type { SchedulerFactory } from "./runtime.js";

/** The prefix of a scheduler module's name (`module:./mine.mjs`). */
const MODULE_PREFIX = "module:";

/** A stack frame's place: `    at handle (file:///home/me/mods/mine.mjs:80:20)` or `    at /x/y.js:3:9`. */
const FRAME = /^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?\s*$/;

/** A module's file as a stack frame names it: its real path (CommonJS) or its `file:` URL (ES). */
export interface ModuleFile {
  readonly path: string;
  readonly url: string;
}

const moduleFiles = new WeakMap<SchedulerFactory, ModuleFile>();

/** Says which file the registered `factory` was loaded from (the CLI's main thread and its worker threads). */
export function placeModule(factory: SchedulerFactory, file: ModuleFile): void {
  moduleFiles.set(factory, file);
}

/** The file `factory` was loaded from, if `placeModule` was told it. */
export function moduleFileOf(factory: SchedulerFactory): ModuleFile | undefined {
  return moduleFiles.get(factory);
}

/**
 * `path:line:column` of the top frame of `thrown`'s stack in `file`, the file of the scheduler
 * module the trace names `scheduler` (told by the end of that name if unknown), or undefined: no
 * module (a bundled scheduler), no Error, a stack that cannot be read, or no frame of it in the
 * module's file.
 */
export function panicLocation(
  scheduler: string,
  file: ModuleFile | undefined,
  thrown: unknown,
): string | undefined {
  if (!scheduler.startsWith(MODULE_PREFIX) || isStackOverflow(thrown)) return undefined;
  let stack: unknown;
  try {
    // The code under test may throw anything: a getter of `stack` that throws, a Proxy.
    if (!(thrown instanceof Error)) return undefined;
    stack = thrown.stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== "string") return undefined;
  const path = scheduler.slice(MODULE_PREFIX.length);
  const isModule =
    file === undefined
      ? (frameFile: string) => fileEnds(path).some((end) => frameFile.endsWith(end))
      : (frameFile: string) => frameFile === file.path || frameFile === file.url;
  for (const line of stack.split("\n")) {
    const frame = FRAME.exec(line);
    if (frame === null) continue;
    if (isModule(frame[1])) return `${path}:${frame[2]}:${frame[3]}`;
  }
  return undefined;
}

/**
 * How a frame's file ends when it is the module at `path` (from the scenario's folder), its file
 * unknown: `/mods/x.mjs` as a path and as a `file:` URL writes it (`%20` for a space), with `\` for
 * Windows' paths.
 */
function fileEnds(path: string): string[] {
  const tail = path.replace(/\\/g, "/").replace(/^(?:\.\.?\/)+/, "");
  const ends = new Set([`/${tail}`, `/${encodeURI(tail)}`, `\\${tail.replace(/\//g, "\\")}`]);
  return [...ends];
}
