/**
 * Help laid out for the terminal's width. Commander wraps an option's description beside it only
 * when at least 40 columns are left for it (`minWidthToWrap`), and otherwise writes it on one
 * line for the terminal to break mid-word: on a 40-column terminal every option of `run --help`
 * came out so. Here a description goes under its option, indented and wrapped to the width,
 * when too little room is left beside it; the usage line and the closing notes wrap too. An
 * example too wide is broken only where a shell takes it back whole when pasted: between words,
 * with a trailing backslash, its comment on a line of its own above it.
 */
import { type Command, Help, type HelpConfiguration } from "commander";

/** Below this many columns beside the option, the description goes under it. */
const BESIDE_COLUMNS_MIN = 30;
/** Commander's own bound below which it does not wrap, lowered: 40 is a whole narrow terminal. */
const WRAP_COLUMNS_MIN = 20;
/** How far a description under its option is indented. */
const UNDER_INDENT = "      ";

/** The `configureHelp` settings: the layout above. */
export const HELP_LAYOUT: HelpConfiguration = {
  minWidthToWrap: WRAP_COLUMNS_MIN,
  formatItem(this: Help, term: string, termWidth: number, description: string, helper: Help): string {
    const width = this.helpWidth ?? 80;
    // Commander's item: the term padded to `termWidth`, two spaces, indented by two.
    if (!description) return Help.prototype.formatItem.call(this, term, termWidth, description, helper);
    const beside = width - termWidth - 4;
    // Beside its option too, a list of names too long for the room breaks after its commas:
    // Commander keeps the line breaks it is given.
    if (beside >= BESIDE_COLUMNS_MIN)
      return Help.prototype.formatItem.call(
        this,
        term,
        termWidth,
        wrapList(description, beside, helper),
        helper,
      );
    const room = width - UNDER_INDENT.length;
    return `  ${term}\n${wrapList(description, room, helper).replace(/^/gm, UNDER_INDENT)}`;
  },
  formatHelp(this: Help, cmd: Command, helper: Help): string {
    const text = Help.prototype.formatHelp.call(this, cmd, helper);
    const [usage, ...rest] = text.split("\n");
    return [wrapProse(usage, this.helpWidth, "  "), ...rest].join("\n");
  },
};

/** `description` wrapped at spaces to `width`, a line still wider broken after its commas. */
function wrapList(description: string, width: number, helper: Help): string {
  return helper
    .boxWrap(description, width)
    .split("\n")
    .map((line) => breakAtCommas(line, width))
    .join("\n");
}

/**
 * A line still wider than `width` once wrapped at spaces (a comma-separated list of names, as
 * `--properties` lists them) broken after its commas.
 */
function breakAtCommas(line: string, width: number): string {
  if (line.length <= width) return line;
  const lines = [""];
  for (const part of line.split(/(?<=,)/)) {
    const last = lines.length - 1;
    if (lines[last] !== "" && lines[last].length + part.length > width) lines.push(part);
    else lines[last] += part;
  }
  return lines.join("\n");
}

/**
 * `text` wrapped at spaces to `width` columns (each of its lines on its own), later lines of a
 * paragraph indented by `hang`; as it is when no width is known.
 */
export function wrapProse(text: string, width: number | undefined, hang = ""): string {
  if (width === undefined) return text;
  const helper = Object.assign(new Help(), { minWidthToWrap: WRAP_COLUMNS_MIN });
  return text
    .split("\n")
    .map((line) => {
      if (line.length <= width) return line;
      const [first, ...more] = helper.boxWrap(line, width - hang.length).split("\n");
      return [first, ...more.map((l) => hang + l)].join("\n");
    })
    .join("\n");
}

/**
 * The `Examples:` section: each example a `$ ` command line, and where it is wider than `width`,
 * its `# comment` on a line above it and the command continued over lines ending in ` \`.
 */
export function formatExamples(examples: readonly string[], width: number | undefined): string {
  const lines = examples.flatMap((example) => {
    const line = `  $ ${example}`;
    if (width === undefined || line.length <= width) return [line];
    const comment = /^(.*?)\s+(#\s.*)$/.exec(example);
    const command = comment === null ? example : comment[1];
    return [...(comment === null ? [] : [`  ${comment[2]}`]), ...continued(command, width)];
  });
  return `\nExamples:\n${lines.join("\n")}\n`;
}

/** `command` as `  $ ` lines of at most `width` columns, broken between words with ` \`. */
function continued(command: string, width: number): string[] {
  // Words as a shell splits them: a quoted string is one word, whatever it holds.
  const words = command.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [command];
  const lines = [`  $ ${words[0]}`];
  for (const word of words.slice(1)) {
    const last = lines.length - 1;
    // Room for ` word \` on this line, else the word starts the next one.
    if (`${lines[last]} ${word} \\`.length <= width) lines[last] += ` ${word}`;
    else lines.push(`      ${word}`);
  }
  return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line));
}
