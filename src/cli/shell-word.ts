// A word of a command line as a POSIX shell reads it back: apart from the report modules, so that
// the CLI's own error texts can quote with it without loading them (`--help` loads no report code).

/**
 * What a POSIX shell reads back as `word`: as it is when every character is one no shell
 * treats specially (`[A-Za-z0-9_./:=@%+,-]`), else in single quotes, inside which nothing is
 * special but the quote itself, written `'\''` (close, an escaped quote, reopen). A word with a
 * control character (a line break in a folder name) is written `$'…'` with escapes instead, as
 * bash, zsh and ksh read it, so that a command stays on one line: a reproducer carries its replay
 * command in a one-line YAML comment.
 */
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
