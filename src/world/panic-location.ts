/**
 * Where in a scheduler module a panic came from: `./mine.mjs:80:20`, the module's path as the
 * trace names the module (`module:./mine.mjs`, its path from the scenario's folder), and the line
 * and column of the top frame of the thrown Error's stack that is in the module's file. A panic's
 * message alone (`TypeError: Cannot read properties of undefined (reading 'id')`) says what, not
 * where.
 *
 * The trace must not depend on the machine: the stack names the file by its absolute path, which
 * is only matched here, never kept. The module is told by the end of that path: its path from the
 * scenario's folder, its leading `./` and `../` dropped. The bundled schedulers have no module: their
 * panics have no location, and their traces stay as they were.
 *
 * A stack overflow the module recovered has no location: where the stack ran out depends on the
 * thread (a worker thread's is larger) and on V8's compiler, not on the simulated world (one it
 * did not recover stops the run: `STACK_OVERFLOW_WHY`).
 */
import { isStackOverflow } from "../kernel/index.js";

/** The prefix of a scheduler module's name (`module:./mine.mjs`). */
const MODULE_PREFIX = "module:";

/** A stack frame's place: `    at handle (file:///home/me/mods/mine.mjs:80:20)` or `    at /x/y.js:3:9`. */
const FRAME = /^\s+at (?:.*\()?(.+?):(\d+):(\d+)\)?\s*$/;

/**
 * `path:line:column` of the top frame of `thrown`'s stack in the file of the scheduler module the
 * trace names `scheduler`, or undefined: no module (a bundled scheduler), no Error, a stack that
 * cannot be read, or no frame of it in the module's file.
 */
export function panicLocation(scheduler: string, thrown: unknown): string | undefined {
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
  const ends = fileEnds(path);
  for (const line of stack.split("\n")) {
    const frame = FRAME.exec(line);
    if (frame === null) continue;
    const file = frame[1];
    if (ends.some((end) => file.endsWith(end))) return `${path}:${frame[2]}:${frame[3]}`;
  }
  return undefined;
}

/**
 * How a frame's file ends when it is the module at `path` (from the scenario's folder): `/mods/x.mjs`
 * as a path and as a `file:` URL writes it (`%20` for a space), with `\` for Windows' paths.
 */
function fileEnds(path: string): string[] {
  const tail = path.replace(/\\/g, "/").replace(/^(?:\.\.?\/)+/, "");
  const ends = new Set([`/${tail}`, `/${encodeURI(tail)}`, `\\${tail.replace(/\//g, "\\")}`]);
  return [...ends];
}
