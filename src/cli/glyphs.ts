/**
 * Whether the terminal takes Unicode glyphs (lanes, ✓ and ✗, arrows, …) or gets their ASCII
 * stand-ins, and what those are: the one place that decides, asked by every command that writes
 * human text (run, compare, explore, why, gate, list, validate, train, and the progress lines).
 * ASCII when the effective locale (LC_ALL, else LC_CTYPE, else LANG: the first set and not empty,
 * as C's setlocale reads them) is set and does not name UTF-8, or on the Linux console
 * (TERM=linux), whose font lacks most of them; Unicode otherwise, an unset locale included (as
 * is-unicode-supported decides, since most terminals that leave it unset show UTF-8). Machine
 * output (--json, traces, reports) is never changed.
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

/** Whether `env` describes a terminal that shows Unicode glyphs. */
export function unicodeWanted(env: NodeJS.ProcessEnv): boolean {
  if (env.TERM === "linux") return false;
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== "");
  return locale === undefined || /utf-?8/i.test(locale);
}

/** Human `text` as the terminal takes it: with ASCII stand-ins where `ascii` says so. */
export function terminalText(ctx: { readonly ascii?: boolean }, text: string): string {
  return ctx.ascii === true ? asciiGlyphs(text) : text;
}
