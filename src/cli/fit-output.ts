/**
 * A command's human text fitted to the terminal it goes to: each line wider than the terminal
 * wrapped at spaces under its own indent (a list item's lines after the first under its text),
 * the rest as it is. Laid-out parts (lanes, tables) are fitted by their renderers first; this
 * takes care of prose (assumptions, key events, failures). A command line to copy (`replay:
 * aftershock run ...`) stays whole: broken, a paste would run its first line alone. Piped, the
 * text is as it is.
 */
import { fitLine, HANG, visible, wrap } from "../train/format.js";
import { terminalText } from "./glyphs.js";

const CODES = `(?:${String.fromCharCode(27)}\\[[\\d;]*m)*`;

/** A list item's mark after its indent (and any colour codes before it). */
const LIST_ITEM = new RegExp(`^${CODES}( *)- `);

/**
 * A line that is an aftershock command (`aftershock run ...`), after its indent and an optional
 * label (`replay:`), colour codes before either or both; not a header (`aftershock explore ·
 * ...`, `aftershock · ...`).
 */
const COMMAND_LINE = new RegExp(
  `^${CODES}\\s*(?:[A-Za-z]+:\\s+)?${CODES}aftershock\\s+[a-z][a-z-]*\\s+(?!·)`,
);

/**
 * A line's first column and the blanks after it (`  09:42:30  `, `  deliveries      `, `  ✗
 * no-cascade      `, `  panic deaths / crashes  `): a time, a label or a verdict, of a word or a
 * few, whose text goes on after two spaces or more. Colour codes may come before the indent,
 * after it (a time painted dim, a mark painted red), and among the blanks (a painted note that
 * starts with a space).
 */
// A word: its first character not a blank nor the start of a colour code.
const WORD = `[^\\s${String.fromCharCode(27)}]\\S*`;
const LEAD = new RegExp(`^${CODES} *${CODES}(?:${WORD} ${CODES}){0,3}${WORD}(?: ${CODES}){2,}`);

/** `text` fitted to `columns` (undefined: as it is). */
export function fitOutput(
  text: string,
  columns: number | undefined,
  glyphs: (line: string) => string = (line) => line,
): string {
  return text
    .split("\n")
    .map((given) => {
      // Told apart on the renderer's own words: a header's `·` is `-` in ASCII.
      const command = COMMAND_LINE.test(given);
      const line = glyphs(given);
      if (command || columns === undefined || visible(line) <= columns) return line;
      const item = LIST_ITEM.exec(line);
      if (item !== null) return fitLine(line, columns, `${item[1]}  `);
      // A key event, a metric or a verdict: its time or label kept as it is, the text wrapped
      // under itself when the label leaves it room enough, else on lines of its own under the label.
      const lead = LEAD.exec(line)?.[0];
      if (lead === undefined) return fitLine(line, columns);
      const rest = line.slice(lead.length);
      if (visible(lead) <= columns / 2) return wrap(rest, columns, lead, " ".repeat(visible(lead)));
      // The label without the blanks after it (nor the colour codes among them, which go on
      // with the text): no line ends in a blank.
      const head = lead.replace(new RegExp(`(?: ${CODES})+$`), "");
      const codes = lead.slice(head.length).replace(/ /g, "");
      // Its indent, colour codes before it or not (a line painted dim from its start).
      const indent = " ".repeat(visible(lead) - visible(lead.replace(new RegExp(`^(${CODES}) *`), "$1")));
      return `${fitLine(head, columns)}\n${wrap(codes + rest, columns, `${indent}${HANG}`)}`;
    })
    .join("\n");
}

/**
 * A command's human `text` for the terminal: its glyphs as the terminal takes them
 * (`terminalText`), then fitted to `columns` (`fitOutput`).
 */
export function forTerminal(ctx: { readonly ascii?: boolean }, text: string, columns?: number): string {
  return fitOutput(text, columns, (line) => terminalText(ctx, line));
}
