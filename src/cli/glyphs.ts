/**
 * Whether the terminal takes Unicode glyphs (lanes, ✓ and ✗, arrows, …) or gets their ASCII
 * stand-ins, and what those are: the one place that decides, asked by every command that writes
 * human text (run, compare, explore, why, gate, list, validate, train, and the progress lines).
 * ASCII when the effective locale (LC_ALL, else LC_CTYPE, else LANG: the first set and not empty,
 * as C's setlocale reads them) is set and does not name UTF-8, or on the Linux console
 * (TERM=linux), whose font lacks most of them; Unicode otherwise, an unset locale included (as
 * is-unicode-supported decides, since most terminals that leave it unset show UTF-8). Only on a
 * terminal: piped text is the same whatever the locale. Only the program's own glyphs: a command
 * to paste and a file's place keep the user's characters. Machine output (--json, traces,
 * reports) is never changed.
 */

/*
 * A glyph that fills a slot of one column (a lane's cell, a verdict's mark) has one ASCII
 * character, so that columns still line up; one in prose may take more (`…` is `...`, `→` is `->`).
 */

/** Each glyph and its ASCII stand-in. */
export const ASCII_STAND_INS: Readonly<Record<string, string>> = {
  // Worker lanes (█ is also the bar's and the sparklines' full cell).
  "█": "#",
  "▓": "=",
  "▒": "+",
  "░": ".",
  "×": "x",
  // Verdict marks.
  "✓": "+",
  "✗": "x",
  "○": "o",
  // A poison schedule's partition in train's lease table.
  "☠": "!",
  // Arrows and separators.
  "→": "->",
  "·": "-",
  "…": "...",
  "—": "--",
  "–": "-",
  "−": "-",
  "±": "+-",
  "≥": ">=",
  "≤": "<=",
  // Rules.
  "─": "-",
  // Sparklines, lowest to highest.
  "▁": "_",
  "▂": ".",
  "▃": "-",
  "▄": ":",
  "▅": "=",
  "▆": "+",
  "▇": "*",
};

const GLYPH = new RegExp(`[${Object.keys(ASCII_STAND_INS).join("")}]`, "g");

/** `text` with each glyph written as its ASCII stand-in. */
export function asciiGlyphs(text: string): string {
  return text.replace(GLYPH, (glyph) => ASCII_STAND_INS[glyph] ?? glyph);
}

/**
 * Whether human text on `stream` gets ASCII stand-ins: a terminal that does not show Unicode
 * (`unicodeWanted`). Never piped or written to a file: that text is the same wherever it is made,
 * whatever the locale (a CI log, a file diffed against another).
 */
export function asciiWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !unicodeWanted(env);
}

/** Whether `env` describes a terminal that shows Unicode glyphs. */
export function unicodeWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.TERM === "linux") return false;
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== "");
  return locale === undefined || /utf-?8/i.test(locale);
}

const ESC = String.fromCharCode(27);

/**
 * An aftershock command in a line (`replay:    aftershock run 'dir—x/a.yaml'`, `reproduce:
 * aftershock run …`, `run aftershock gate x.yaml --update-golden to pin it`), from `aftershock`
 * to the line's end; not a header (`aftershock explore · …`, `aftershock · …`).
 */
const COMMAND = new RegExp(`(?<=^|[^\\w-]|${ESC}\\[[\\d;]*m)aftershock\\s+[a-z][a-z-]*\\s+(?!·)`);

/**
 * Where a line starts with the place of an issue in a file (`dir—x/café·1.yaml:28:1:`), or with
 * what a message is about (`aftershock: dir—x/café.yaml: no such file`, `aftershock: --seed:`),
 * its length, colour codes before it included; else 0.
 */
const LOCATION = new RegExp(
  `^(?:${ESC}\\[[\\d;]*m)*(?:(?:aftershock: )?[^\\s${ESC}][^\\n]*?:\\d+:\\d+:|aftershock: [^\\s:]\\S*?:(?= ))`,
);

/**
 * `text` with the glyphs of its own words as their ASCII stand-ins, and what the user gave as it
 * is: a command to paste (a path in it is the file's name, a glyph in it included) and a file's
 * place before an issue (`dir—x/café·1.yaml:28:1:`).
 */
export function asciiText(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      const at = LOCATION.exec(line)?.[0].length ?? 0;
      const command = COMMAND.exec(line.slice(at));
      const end = command === null ? line.length : at + command.index;
      return line.slice(0, at) + asciiGlyphs(line.slice(at, end)) + line.slice(end);
    })
    .join("\n");
}

/**
 * Human `text` for stdout as the terminal takes it: with ASCII stand-ins where `ascii` says so
 * (a terminal that does not show UTF-8; never piped text), the user's own words as they are
 * (`asciiText`).
 */
export function terminalText(ctx: { readonly ascii?: boolean }, text: string): string {
  return ctx.ascii === true ? asciiText(text) : text;
}

/** Human `text` for stderr as the terminal takes it, as `terminalText` for stdout. */
export function errText(ctx: { readonly asciiErr?: boolean }, text: string): string {
  return ctx.asciiErr === true ? asciiText(text) : text;
}
