/**
 * The fork names of a session saved before the same action at the same moment was one fork,
 * however it was worded. Such a session made a fork of its own for `what-if deploy v1` after
 * `what-if rollback` at one moment, and numbered every later fork after it: replayed now, the
 * what-if lands on the earlier fork and the later ones are numbered one less, so its `switch
 * fork-3` would name no line, or another one. The saved `forks` list says which forks it made,
 * and from which line: each is mapped to the fork this aftershock makes of it.
 */
import { findCommand } from "./commands.js";
import { actionKey } from "./live.js";
import { parseWhatIf } from "./what-if.js";

/** A fork as a saved session lists it (`forks[i]`), enough to tell which line it is. */
export interface SavedForkRef {
  readonly name: string;
  readonly from: string | null;
  readonly at: string;
  readonly whatIf: string;
}

/** The commands that name lines, whose fork names are mapped. */
const NAMING_LINES: ReadonlySet<string> = new Set(["switch", "compare"]);

/**
 * Each saved fork's name mapped to the one this aftershock gives its line, for those that differ
 * (none for a session saved since, or one that never repeated an action): forks in the order
 * they were made, a repeat of an earlier fork's action at its moment on the same line taking that
 * fork's name, the others numbered anew. `stepMs` is the pace of a deploy without `step`, as the
 * session reads its what-ifs. A what-if that does not read is left a fork of its own.
 */
export function savedForkRenames(forks: readonly SavedForkRef[], stepMs: number): Map<string, string> {
  const nameOf = new Map<string, string>();
  const made = new Map<string, string>();
  let count = 0;
  for (const fork of forks) {
    const parsed = parseWhatIf(fork.whatIf, stepMs);
    const from = fork.from === null ? null : (nameOf.get(fork.from) ?? fork.from);
    const key = parsed.ok ? JSON.stringify([from, fork.at, actionKey(parsed.action)]) : null;
    const earlier = key === null ? undefined : made.get(key);
    const name = earlier ?? `fork-${++count}`;
    if (key !== null && earlier === undefined) made.set(key, name);
    nameOf.set(fork.name, name);
  }
  return new Map([...nameOf].filter(([saved, now]) => saved !== now));
}

/** `command` with the fork names it gives `switch` or `compare` mapped by `renames`. */
export function renameSavedForks(command: string, renames: ReadonlyMap<string, string>): string {
  const words = command.split(/(\s+)/);
  if (renames.size === 0 || !NAMING_LINES.has(findCommand(words[0] ?? "")?.name ?? "")) return command;
  return words.map((w, i) => (i > 0 ? (renames.get(w) ?? w) : w)).join("");
}
