/**
 * Commands printed for the user to paste into a POSIX shell: the Reproduce line of run and
 * compare, a gate case's `reproduce:` line, the replay command of an explore reproducer. Every
 * one is built here, from its words, so that a path with a space or a quote in it still reads
 * back as one argument, and a plain one reads as it always has.
 */
import { escapeControls } from "../kernel/time.js";
import { markdownCode } from "./markdown-text.js";

/** A word the reader replaces before running the command (`<file of the scenario x>`): written as it is. */
export interface Placeholder {
  readonly placeholder: string;
}

export type CommandWord = string | number | Placeholder;

/**
 * The words as one command line: each plain word as it is, any other in single quotes, and a
 * placeholder as it is but for a control character (a line break in a scenario name read from
 * saved output), written `\u000a` as the terminal writes it, so that the command stays on one line.
 */
export function commandLine(words: readonly CommandWord[]): string {
  return words
    .map((w) =>
      typeof w === "object"
        ? escapeControls(w.placeholder)
        : shellWord(typeof w === "number" ? String(w) : w),
    )
    .join(" ");
}

/**
 * A line of text that names commands to run (`run \`aftershock gate x.yaml --update-golden\` to
 * pin it`): its words, and each command apart, so that a format with markup for code (Markdown)
 * can set the command as code and everything else as text.
 */
export type CommandText = readonly (string | { readonly command: string })[];

/** The line as one string: each command as inline code (`markdownCode`), so a backtick in it stays. */
export function commandTextString(parts: CommandText): string {
  return parts.map((p) => (typeof p === "string" ? p : markdownCode(p.command))).join("");
}

/**
 * What a POSIX shell reads back as `word`: as it is when every character is one no shell
 * treats specially (`[A-Za-z0-9_./:=@%+,-]`), else in single quotes, inside which nothing is
 * special but the quote itself, written `'\''` (close, an escaped quote, reopen). A word with a
 * control character (a line break in a folder name) is written `$'…'` with escapes instead, as
 * bash, zsh and ksh read it, so that a command stays on one line: a reproducer carries its replay
 * command in a one-line YAML comment.
 */
// Shell quoting, not display (`escapeControls`): `$'…'` with `\xHH` gives the shell the same bytes back.
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
  if (/[\u0000-\u001f\u007f]/.test(word)) return `$'${word.replace(/[\\'\u0000-\u001f\u007f]/g, escaped)}'`;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** One character as `$'…'` writes it: `\\`, `\'`, `\n`, `\t`, `\r`, else `\xHH`. */
function escaped(c: string): string {
  const named: Record<string, string> = { "\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r" };
  return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * `--until` as a Reproduce line writes it: the time of day (`09:50`, `09:50:30`, `09:50:30.250`)
 * when it falls on the start's day, as `--until` reads a time of day; else the ISO instant. One
 * form for one instant, so that the line `run` prints and the one `report` rebuilds from saved
 * output are the same, however the time was typed (`09:50`, `+20m`).
 */
export function untilWord(untilMs: number, startMs: number): string {
  const dayMs = 86_400_000;
  const iso = new Date(untilMs).toISOString();
  const sameDay = Math.floor(untilMs / dayMs) === Math.floor(startMs / dayMs);
  if (!sameDay) return iso.endsWith(".000Z") ? `${iso.slice(0, 19)}Z` : iso;
  if (untilMs % 1000 !== 0) return iso.slice(11, 23);
  return iso.slice(17, 19) === "00" ? iso.slice(11, 16) : iso.slice(11, 19);
}
