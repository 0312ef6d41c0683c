/**
 * Commands printed for the user to paste into a POSIX shell: the Reproduce line of run and
 * compare, a gate case's `reproduce:` line, the replay command of an explore reproducer. Every
 * one is built here, from its words, so that a path with a space or a quote in it still reads
 * back as one argument, and a plain one reads as it always has.
 */

/** A word the reader replaces before running the command (`<file of the scenario x>`): written as it is. */
export interface Placeholder {
  readonly placeholder: string;
}

export type CommandWord = string | number | Placeholder;

/** The words as one command line: each plain word as it is, any other in single quotes. */
export function commandLine(words: readonly CommandWord[]): string {
  return words
    .map((w) => (typeof w === "object" ? w.placeholder : shellWord(typeof w === "number" ? String(w) : w)))
    .join(" ");
}

/**
 * What a POSIX shell reads back as `word`: as it is when every character is one no shell
 * treats specially (`[A-Za-z0-9_./:=@%+,-]`), else in single quotes, inside which nothing is
 * special but the quote itself, written `'\''` (close, an escaped quote, reopen).
 */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}
