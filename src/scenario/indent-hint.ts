/**
 * A hint for a YAML syntax error that an indentation slip caused. yaml reports such a slip in its
 * own terms ("Nested mappings are not allowed in compact mappings", "A block sequence may not be
 * used as an implicit map key"), often on the line before the slip; an author needs the line that
 * is indented wrong. This reads the lines as an outline: a line may go deeper only below a line
 * that opens a block (ends with `:`, or is a list item, whose content column it may take), and
 * otherwise must line up with a block still open above it. The first line that does neither is
 * the slip. Lines inside block scalars (`description: >`) and multi-line flow collections
 * (`fleet: { … }` over several lines) are not part of the outline and are skipped.
 */

import { plural } from "../kernel/time.js";

/** How far from the line yaml reports a slip is looked for: yaml often notices one line early. */
const LINES_BEFORE_ERROR = 2;
const LINES_AFTER_ERROR = 1;

interface OutlineLine {
  readonly indent: number;
  /** Ends with `:` (a comment aside): the next line may go deeper, to any column. */
  readonly opensBlock: boolean;
  /** For a list item that starts a mapping (`- key: v`), the column of its key, which the next line may take. */
  readonly itemContent: number | null;
}

/** An indentation slip: the line, its indent (its first character is at column `indent + 1`), and the hint. */
export interface IndentationSlip {
  readonly line: number;
  readonly indent: number;
  readonly hint: string;
}

/** The slip behind a syntax error at `errorLine` (the first near it), or null when none is near it. */
export function indentationHint(text: string, errorLine: number): IndentationSlip | null {
  return indentationSlips(text, [errorLine])[0];
}

/**
 * The slip behind each syntax error (by its line, in the order given), or null: a slip on an
 * error's own line is that error's; a slip with none on its line goes to the first error near it
 * (yaml often notices one a line early, or two later) that has no slip of its own. Each slip is
 * told once. The text is read once, however many errors.
 */
export function indentationSlips(text: string, errorLines: readonly number[]): (IndentationSlip | null)[] {
  const found: (IndentationSlip | null)[] = errorLines.map(() => null);
  const slips = slipsOf(text);
  const slipAt = new Map(slips.map((slip) => [slip.line, slip]));
  const told = new Set<Slip>();
  const firstOfItsLine = (i: number) => errorLines.indexOf(errorLines[i]) === i;
  // A slip on an error's own line is that error's.
  errorLines.forEach((line, i) => {
    const own = slipAt.get(line);
    if (own === undefined || !firstOfItsLine(i)) return;
    told.add(own);
    found[i] = hintOf(own);
  });
  // Else the nearest slip on a line with no error of its own: yaml most often notices a slip on
  // the line before it, then a line or two after it.
  errorLines.forEach((line, i) => {
    if (found[i] !== null || !firstOfItsLine(i)) return;
    for (const at of NEAR_ORDER.map((d) => line + d)) {
      const near = slipAt.get(at);
      if (near === undefined || told.has(near) || errorLines.includes(at)) continue;
      told.add(near);
      found[i] = hintOf(near);
      return;
    }
  });
  return found;
}

/** Where a slip may be from the error yaml reports for it, nearest first (see `LINES_BEFORE_ERROR`). */
const NEAR_ORDER = [1, -1, -2].filter((d) => d >= -LINES_BEFORE_ERROR && d <= LINES_AFTER_ERROR);

function hintOf(slip: Slip): IndentationSlip {
  const spaces = plural(slip.indent, "space");
  const fits = slip.fits.length === 1 ? slip.fits[0] : `${slip.fits[0]} or ${slip.fits[1]}`;
  const where = slip.listColumn
    ? "which is the column of the list's dashes above it, not of a block a key may go in"
    : "which lines up with no block above it";
  return {
    line: slip.line,
    indent: slip.indent,
    hint: `line ${slip.line} is indented ${spaces}, ${where} (${fits} would): check its indentation`,
  };
}

interface Slip {
  readonly line: number;
  readonly indent: number;
  readonly fits: number[];
  readonly listColumn: boolean;
}

/**
 * Every slip, in line order. After one, the outline goes on as if the line were right where it
 * is (as yaml reads on): a later slip is one of its own. Tabs end the reading (yaml names them).
 */
function slipsOf(text: string): Slip[] {
  const slips: Slip[] = [];
  const lines = text.split(/\r?\n/);
  let outline = emptyOutline();
  /**
   * The outline as it was before the last slip, for the line after it: a line that fits it is
   * no slip of its own (the slipped line was an aside), and the reading goes on from there.
   */
  let beforeSlip: Outline | null = null;
  let blockScalarIndent: number | null = null;
  let flowDepth = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const content = withoutComment(raw).trimEnd();
    if (content.trim() === "") continue;
    const indent = raw.length - raw.trimStart().length;
    if (/^\s*\t/.test(raw)) return slips; // tabs are yaml's own error, named as such
    if (blockScalarIndent !== null) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = null;
    }
    if (flowDepth > 0) {
      flowDepth = Math.max(0, flowDepth + depthChange(content));
      continue;
    }
    const isItem = /^\s*-(\s|$)/.test(content);
    let slip = slipAt(outline, indent, isItem);
    if (slip !== null && beforeSlip !== null && slipAt(beforeSlip, indent, isItem) === null) {
      outline = beforeSlip;
      slip = null;
    }
    beforeSlip = null;
    if (slip !== null) {
      slips.push({ line: i + 1, indent, ...slip });
      beforeSlip = copyOutline(outline);
    }
    readLine(outline, content, indent, isItem);
    flowDepth = Math.max(0, depthChange(content));
    if (/:\s*[|>][-+0-9]*$/.test(content) || /^\s*-\s+[|>][-+0-9]*$/.test(content))
      blockScalarIndent = indent;
  }
  return slips;
}

/** The blocks open as the lines are read. */
interface Outline {
  readonly open: number[];
  /**
   * The open columns that hold only list items (`- `): a key there is in no block (yaml: "All
   * mapping items must start at the same column"), unless a key of the mapping around the list
   * is at that column too (a list written level with its key).
   */
  readonly listOnly: Set<number>;
  previous: OutlineLine | null;
}

function emptyOutline(): Outline {
  return { open: [], listOnly: new Set(), previous: null };
}

function copyOutline(o: Outline): Outline {
  return { open: [...o.open], listOnly: new Set(o.listOnly), previous: o.previous };
}

/** Why a line at `indent` is a slip in `o`, or null when it fits. */
function slipAt(o: Outline, indent: number, isItem: boolean): Omit<Slip, "line" | "indent"> | null {
  if (o.previous !== null && !fitsOutline(indent, o.previous, o.open)) {
    // A key put at a column that holds only a list's dashes is refused too: it is not offered.
    const keyColumns = isItem ? o.open : o.open.filter((c) => !o.listOnly.has(c));
    return { fits: nearest(keyColumns.length > 0 ? keyColumns : o.open, indent), listColumn: false };
  }
  if (!isItem && o.listOnly.has(indent) && o.open.includes(indent)) {
    const others = o.open.filter((c) => c !== indent);
    return { fits: nearest(others, indent), listColumn: true };
  }
  return null;
}

/** `o` with the line read into it: the blocks it closes and opens. */
function readLine(o: Outline, content: string, indent: number, isItem: boolean): void {
  const { open, listOnly } = o;
  while (open.length > 0 && open[open.length - 1] > indent) listOnly.delete(open.pop()!);
  if (open[open.length - 1] !== indent) {
    open.push(indent);
    if (isItem) listOnly.add(indent);
  } else if (!isItem) listOnly.delete(indent);
  // Only an item that starts a block mapping has content a later line may line up with: its key
  // plain or quoted (`- id: a`, `- "id": a`).
  const item = /^(\s*-\s+)(?:[^\s{["'#][^:]*|"[^"]*"|'[^']*'):(?:\s|$)/.exec(content);
  const itemContent = item === null ? null : item[1].length;
  if (itemContent !== null) {
    open.push(itemContent);
    listOnly.delete(itemContent);
  }
  // A dash alone opens its item's block below it, as a key does.
  o.previous = { indent, opensBlock: content.endsWith(":") || /^\s*-$/.test(content), itemContent };
}

function fitsOutline(indent: number, previous: OutlineLine, open: readonly number[]): boolean {
  if (indent > previous.indent) return previous.opensBlock || indent === previous.itemContent;
  return open.includes(indent);
}

/** The one or two open block columns nearest to `indent`, in increasing order. */
function nearest(open: readonly number[], indent: number): number[] {
  const byDistance = [...new Set(open)].sort((a, b) => Math.abs(a - indent) - Math.abs(b - indent) || a - b);
  return byDistance.slice(0, 2).sort((a, b) => a - b);
}

/** The line without a trailing `# comment` (a `#` inside quotes, or not after a space, is kept). */
function withoutComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i);
    }
  }
  return line;
}

/** How many flow brackets (`{`, `[`) the line leaves open, outside quotes (negative: closes). */
function depthChange(line: string): number {
  let depth = 0;
  let quote: string | null = null;
  for (const c of line) {
    if (quote !== null) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === "{" || c === "[") {
      depth++;
    } else if (c === "}" || c === "]") {
      depth--;
    }
  }
  return depth;
}
