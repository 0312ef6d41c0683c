import { escapeControls } from "../kernel/time.js";
import { type PathKey, pathText, type UnplacedIssue } from "./issue.js";

/**
 * Control characters in a scenario's text are refused: a name, a description, an assumption or a
 * chapter title reaches the terminal of whoever runs the scenario, and an escape sequence in it
 * acts there (ESC[8m hides every later line, verdicts included; ESC[2J clears the screen). A
 * scenario is something people send each other, so every string of the document is checked here,
 * in one place, keys included: C0 but tab and line feed (so carriage return too), DEL, and C1.
 */

/**
 * A control character a scenario's text may not hold: a carriage return is one unless a line
 * feed follows it (a Windows line end in a quoted or JSON string, which moves to the next line on
 * any terminal as the line feed alone does).
 */
const CONTROL = /(?![\t\n])(?!\r\n)\p{Cc}/u;

/** The names of the control characters people meet, by code point, for the message. */
const NAMES: Readonly<Record<number, string>> = {
  0: "null",
  7: "bell",
  8: "backspace",
  11: "vertical tab",
  12: "form feed",
  13: "carriage return",
  27: "escape",
  127: "delete",
  155: "control sequence introducer",
};

/** What the character would do on a terminal, in a few words, for the message. */
function effectOf(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  if (code === 27 || code === 155)
    return "start an escape sequence, which can hide, move or clear what follows";
  if (code === 13) return "go back to the start of the line and write over it";
  if (code === 8) return "write over the character before it";
  if (code === 7) return "ring the bell";
  return "act as a control, or be dropped, unseen";
}

/** `U+001B`. */
function codePointText(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** `text` quoted with every control character escaped (`"\u001b[8mhidden"`), never as it is. */
function quotedSafely(text: string): string {
  return escapeControls(JSON.stringify(text));
}

/** One issue for each string of `data` (a value or a mapping key) that holds a control character. */
export function controlCharIssues(data: unknown): UnplacedIssue[] {
  const issues: UnplacedIssue[] = [];
  const visit = (value: unknown, path: PathKey[]): void => {
    if (typeof value === "string") {
      const issue = issueOf(value, path, false);
      if (issue !== null) issues.push(issue);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        visit(item, [...path, i]);
      });
    } else if (value !== null && typeof value === "object" && !(value instanceof Date)) {
      for (const [key, item] of Object.entries(value)) {
        const issue = issueOf(key, [...path, key], true);
        if (issue !== null) issues.push(issue);
        else visit(item, [...path, key]);
      }
    }
  };
  visit(data, []);
  return issues;
}

/**
 * The first control character of `text` that a scenario's text may not hold, in the words of the
 * message (`the control character U+001B (escape) at character 5, which would act on the terminal
 * that shows it (…)`), or null: for other text that reaches a terminal, a training command.
 */
export function controlCharText(text: string): string | null {
  const match = CONTROL.exec(text);
  if (match === null) return null;
  return `the control character ${characterText(match[0])} at character ${[...text.slice(0, match.index)].length + 1}, which would act on the terminal that shows it (${effectOf(match[0])})`;
}

/** `U+001B (escape)`. */
function characterText(c: string): string {
  const name = NAMES[c.codePointAt(0) ?? 0];
  return `${codePointText(c)}${name === undefined ? "" : ` (${name})`}`;
}

function issueOf(text: string, path: PathKey[], atKey: boolean): UnplacedIssue | null {
  const match = CONTROL.exec(text);
  const said = controlCharText(text);
  if (match === null || said === null) return null;
  // The path may hold the key itself: it is written out escaped, never as it is.
  const parent = atKey ? path.slice(0, -1) : path;
  const where = parent.length === 0 ? "" : `${pathText(parent)}: `;
  const what = atKey ? `the key ${quotedSafely(text)}` : "the text";
  return {
    path,
    atKey,
    code: "bad-format",
    message: `${where}${what} holds ${said}: write the text without it`,
    expected:
      "text without control characters (tab and line feed are allowed, and a carriage return before a line feed)",
    found: quotedSafely(around(text, match.index)),
  };
}

/** Up to 60 characters of `text` around `index`, with `...` where some are left out; never half an emoji. */
function around(text: string, index: number): string {
  if (text.length <= 60) return text;
  let from = Math.max(0, Math.min(index - 20, text.length - 57));
  let to = from + 57;
  // Not between the two halves of a character beyond the first 65,536 (a surrogate pair).
  if (isLowSurrogate(text.charCodeAt(from))) from++;
  if (isLowSurrogate(text.charCodeAt(to))) to--;
  return `${from > 0 ? "..." : ""}${text.slice(from, to)}${to < text.length ? "..." : ""}`;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
