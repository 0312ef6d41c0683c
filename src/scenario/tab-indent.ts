/**
 * A tab used as indentation, and the errors that only follow from it. yaml reports the tab, then
 * reads the lines after it as nested in a compact mapping or as items out of line, and reports
 * those too; an author fixing the tab sees them vanish. As a compiler stops a cascade, the errors
 * kept are the tab's and those the same text still has once each tab-indented line is indented
 * with spaces as its neighbours are: the independent ones, still all reported at once.
 */

/** Where yaml reports an error, and its kind (`TAB_AS_INDENT`, `BAD_INDENT`, ...). */
export interface LinedError {
  readonly line: number;
  readonly code: string;
}

const TAB_CODE = "TAB_AS_INDENT";

/**
 * The `errors` less those that only follow from a tab used as indentation; `errorsOf` reads a
 * text as `errors` were read (the same parser and options), for the text with the tabs mended.
 */
export function withoutTabFollowOns<T extends LinedError>(
  errors: readonly T[],
  text: string,
  errorsOf: (text: string) => readonly LinedError[],
): readonly T[] {
  const tabLines = new Set(errors.filter((e) => e.code === TAB_CODE).map((e) => e.line));
  if (tabLines.size === 0) return errors;
  const mended = new Set(errorsOf(tabsMended(text, tabLines)).map((e) => `${e.line} ${e.code}`));
  return errors.filter((e) => tabLines.has(e.line) || mended.has(`${e.line} ${e.code}`));
}

/**
 * `text` with the indentation of each line in `tabLines` (1-based) made spaces: the indentation
 * of the line above, deeper by two when that line opens a block (ends with `:`). Only the
 * indentation changes, so every line keeps its number, and every other line its columns.
 */
function tabsMended(text: string, tabLines: ReadonlySet<number>): string {
  const lines = text.split("\n");
  let above = "";
  for (let i = 0; i < lines.length; i++) {
    const indent = /^[ \t]*/.exec(lines[i])?.[0] ?? "";
    if (tabLines.has(i + 1) && indent.includes("\t")) {
      const width = /^ */.exec(above)?.[0].length ?? 0;
      const deeper = /:\s*(?:#.*)?$/.test(above) ? 2 : 0;
      lines[i] = " ".repeat(width + deeper) + lines[i].slice(indent.length);
    }
    if (lines[i].trim() !== "") above = lines[i];
  }
  return lines.join("\n");
}
