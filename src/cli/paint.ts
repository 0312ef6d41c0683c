import { Chalk } from "chalk";
import type { Paint } from "../report/paint.js";
import { isDumbTerminal } from "./terminal.js";

/**
 * The FORCE_COLOR values that ask for colour: `1`, `2`, `3` (the colour depth), `true` and the
 * empty string (`FORCE_COLOR=`), as Node and chalk (supports-color) read them; `0` and `false`
 * turn it off, even on a TTY, as they do there. Any other value (`no`, `4`) turns it off too,
 * where chalk would colour: a value neither documents is not taken as asking for colour in a log.
 */
const FORCE_COLOR_ON = /^(?:[123]|true|)$/;

/**
 * Colour only on a TTY that is not a dumb terminal (`TERM=dumb`), never with NO_COLOR (or
 * FORCE_COLOR=0 or false), always plain when piped; FORCE_COLOR=1 (or set empty) asks for it
 * anyway, as with chalk.
 */
export function colourWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined) return FORCE_COLOR_ON.test(env.FORCE_COLOR);
  return stream.isTTY === true && !isDumbTerminal(env);
}

export function makePaint(enabled: boolean): Paint {
  const c = new Chalk({ level: enabled ? 1 : 0 });
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    red: (s) => c.red(s),
    green: (s) => c.green(s),
    yellow: (s) => c.yellow(s),
    blue: (s) => c.blue(s),
    magenta: (s) => c.magenta(s),
    cyan: (s) => c.cyan(s),
  };
}
