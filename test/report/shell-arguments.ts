// Pastes command lines into bash, as a reader of a printed command would, and returns the arguments it passes.
import { execFileSync } from "node:child_process";

/** The arguments bash gives `aftershock` when each line is pasted, one list per line. */
export function shellArguments(lines: readonly string[]): string[][] {
  const script = [
    `aftershock() { for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\1'; }`,
    ...lines,
  ].join("\n");
  const out = execFileSync("bash", ["-c", script], { encoding: "utf8" });
  return out
    .split("\u0001")
    .slice(0, -1)
    .map((args) => args.split("\0").slice(0, -1));
}
