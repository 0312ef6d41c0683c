// The May 8 session's chapter 3, `logs w3` and `why w3` at a terminal width, played once for each set of options, and the check that every word of w3's panic is in them.
import { stripVTControlCharacters } from "node:util";
import { expect } from "vitest";
import { visible } from "../../src/train/format.js";
import { once } from "../cli/once.js";
import { BUNDLED, colour, newSession, play } from "./helpers.js";

/** The user's path to chapter 3 of the May 8 session, then w3's logs and deaths. */
const COMMANDS = ["next", "next", "next", "logs w3", "why w3"];

interface Replies {
  readonly chapter: string;
  readonly logs: string;
  readonly why: string;
}

/**
 * The replies to `COMMANDS` (chapter 3, `logs w3`, `why w3`), plain, of a session at `columns`
 * (null: none known), painted in colour or not, for the facilitator or the trainees: played once
 * for each set of options the tests ask for.
 */
const played = once((columns: number | null, coloured: boolean, facilitator: boolean): Replies => {
  const session = newSession(
    {
      ...(columns === null ? {} : { columns: () => columns }),
      ...(coloured ? { paint: colour } : {}),
      ...(facilitator ? { facilitator } : {}),
    },
    BUNDLED,
  );
  const [chapter, logs, why] = play(session, COMMANDS)
    .slice(2)
    .map((s) => stripVTControlCharacters(s.text));
  return { chapter, logs, why };
});

/** The replies to `COMMANDS`, plain, of a session with these options (no width known, plain, the trainees' unless told). */
export function replies(options: { columns?: number; coloured?: boolean; facilitator?: boolean }): Replies {
  return played(options.columns ?? null, options.coloured ?? false, options.facilitator ?? false);
}

/** A reply's words in order, whatever lines they were wrapped on. */
export function words(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .join(" ")
    .replace(/\s+/g, " ");
}

/** w3's panic log lines' text as a session with no width known prints them: one line each. */
export function wholePanics(): string[] {
  const { logs } = replies({});
  const panics = logs.split("\n").filter((l) => / w3 +ERROR panic: /.test(l));
  expect(panics).toHaveLength(2);
  return panics.map((l) => /ERROR (.*)$/.exec(l)![1]);
}

/**
 * At each of `widths` columns, plain and in colour: no line of the chapter, `logs w3` or `why w3`
 * wider than the terminal, none cut with an ellipsis, and every word of w3's panics in each.
 */
export function expectEveryPanicWordAt(widths: readonly number[]): void {
  const whole = wholePanics();
  expect(whole[0]).toContain('[goroutine "deliver"]');
  for (const columns of widths) {
    for (const coloured of [false, true]) {
      const { chapter, logs, why } = replies({ columns, coloured });
      for (const [name, text] of Object.entries({ chapter, logs, why })) {
        const at = `${name} at ${columns} columns`;
        expect(
          text.split("\n").filter((l) => visible(l) > columns),
          at,
        ).toEqual([]);
        expect(text, at).not.toContain("…");
        for (const panic of name === "chapter" ? whole.slice(1) : whole)
          expect(words(text), at).toContain(panic);
      }
      expect(logs).toContain('[goroutine "deliver"]');
    }
  }
}
