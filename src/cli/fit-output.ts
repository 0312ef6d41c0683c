/**
 * A command's human text fitted to the terminal it goes to: each line wider than the terminal
 * wrapped at spaces under its own indent (a list item's lines after the first under its text),
 * the rest as it is. Laid-out parts (lanes, tables) are fitted by their renderers first; this
 * takes care of prose (assumptions, key events, failures). A command line to copy (`replay:
 * aftershock run ...`) stays whole: broken, a paste would run its first line alone. Piped, the
 * text is as it is.
 */
import { fitLine } from "../train/format.js";
import { terminalText } from "./glyphs.js";

/** A list item's mark after its indent (and any colour codes before it). */
const LIST_ITEM = new RegExp(`^(?:${String.fromCharCode(27)}\\[[\\d;]*m)*( *)- `);

/** A line that is an aftershock command, after its indent and an optional label (`replay:`). */
const COMMAND_LINE = new RegExp(
  `^(?:${String.fromCharCode(27)}\\[[\\d;]*m)*\\s*(?:[A-Za-z]+:\\s+)?aftershock\\s`,
);

/** `text` fitted to `columns` (undefined: as it is). */
export function fitOutput(text: string, columns: number | undefined): string {
  if (columns === undefined) return text;
  return text
    .split("\n")
    .map((line) => {
      if (COMMAND_LINE.test(line)) return line;
      const item = LIST_ITEM.exec(line);
      return fitLine(line, columns, item === null ? undefined : `${item[1]}  `);
    })
    .join("\n");
}

/**
 * A command's human `text` for the terminal: its glyphs as the terminal takes them
 * (`terminalText`), then fitted to `columns` (`fitOutput`).
 */
export function forTerminal(ctx: { readonly ascii?: boolean }, text: string, columns?: number): string {
  return fitOutput(terminalText(ctx, text), columns);
}
