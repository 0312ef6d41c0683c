import { Chalk } from "chalk";
import type { Paint } from "../report/paint.js";

/** Colour only on a TTY, never with NO_COLOR (or FORCE_COLOR=0), always plain when piped. */
export function colourWanted(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR === "0") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "") return true;
  return stream.isTTY === true;
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
