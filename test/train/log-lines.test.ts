// Shows that a log line's whole text can be read at every terminal width: one too long for the
// terminal goes on indented lines under its time and source, wrapped between words, never cut.
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { visible } from "../../src/train/format.js";
import { once } from "../cli/once.js";
import { BUNDLED, colour, newSession, play } from "./helpers.js";

/** The user's path to chapter 3 of the May 8 session, then w3's logs and deaths. */
const COMMANDS = ["next", "next", "next", "logs w3", "why w3"];
const WIDTHS = [60, 80, 100, 120, 160];

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
function replies(options: { columns?: number; coloured?: boolean; facilitator?: boolean }): Replies {
  return played(options.columns ?? null, options.coloured ?? false, options.facilitator ?? false);
}

/** A reply's words in order, whatever lines they were wrapped on. */
function words(text: string): string {
  return text
    .split("\n")
    .map((line) => line.trim())
    .join(" ")
    .replace(/\s+/g, " ");
}

/** w3's panic log lines' text as a session with no width known prints them: one line each. */
function wholePanics(): string[] {
  const { logs } = replies({});
  const panics = logs.split("\n").filter((l) => / w3 +ERROR panic: /.test(l));
  expect(panics).toHaveLength(2);
  return panics.map((l) => /ERROR (.*)$/.exec(l)![1]);
}

describe("a log line at a known width", () => {
  it("shows every word of w3's panic (the goroutine `deliver` too) in logs, why and the chapter at 60 to 160 columns", () => {
    const whole = wholePanics();
    expect(whole[0]).toContain('[goroutine "deliver"]');
    for (const columns of WIDTHS) {
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
  });

  it("keeps a line that fits on one line, and puts the text of one that does not under its time and source", () => {
    const whole = wholePanics();
    for (const columns of [80, 120]) {
      const { logs } = replies({ columns });
      const lines = logs.split("\n");
      // A short line: time, source, level and text on one line, as before.
      expect(lines).toContain("  09:45:10.192  w3         INFO  process started: scheduler v2");
      // A long one: its time, source and level, then its text on indented lines, between words.
      const at = lines.indexOf("  09:45:00.192  w3         ERROR");
      expect(at, `at ${columns} columns`).toBeGreaterThan(0);
      const body: string[] = [];
      for (const line of lines.slice(at + 1)) {
        if (!/^ {6}\S/.test(line)) break;
        body.push(line.trim());
      }
      expect(body.length).toBeGreaterThan(0);
      expect(body.join(" ")).toBe(whole[0]);
    }
    // Wide enough for the whole line: one line, as with no width known.
    const { logs } = replies({ columns: 160 });
    expect(logs).toContain(`  09:45:00.192  w3         ERROR ${whole[0]}`);
  });

  it("shows the schedule behind a panic to the facilitator, whole, and never to the trainees", () => {
    const whole = wholePanics();
    for (const columns of [80, 120]) {
      const trainees = replies({ columns });
      expect(`${trainees.chapter}\n${trainees.logs}\n${trainees.why}`).not.toMatch(/schedule |sched-/);
      const facilitator = replies({ columns, facilitator: true });
      expect(facilitator.logs.split("\n").filter((l) => visible(l) > columns)).toEqual([]);
      expect(words(facilitator.logs)).toContain(`${whole[0]} [schedule sched-deleted-a]`);
      expect(words(facilitator.logs)).toContain(`${whole[1]} [schedule sched-deleted-c]`);
    }
  });
});

describe("a scheduler's own log line", () => {
  /** The last 300 log lines at 09:50 of a fork that deployed panic recovery at chapter 3, played once for the tests that read them. */
  const recoveredLogs = once(() => {
    const session = newSession({}, BUNDLED);
    const commands = [...Array(3).fill("next"), "what-if deploy panic-recovery", "until 09:50", "logs 300"];
    return play(session, commands).at(-1)!.text;
  });

  it("names a task by its schedule and due time, as every other line of the session does", () => {
    // The fix's panic recovery retries the poison task, then quarantines its schedule: both logged.
    const logs = recoveredLogs();
    expect(logs).toContain(
      "task sched-deleted-a@2026-05-08T09:45:00Z panicked 3 times; quarantining its schedule",
    );
    expect(logs).toMatch(/task sched-deleted-\w@2026-05-08T09:4\d:00Z panicked \(attempt 1 of 3\)/);
    expect(logs).not.toMatch(/@\d{13}/);
  });

  it("quotes a recovered panic as the Go process prints it, as the panic lines do", () => {
    const logs = recoveredLogs();
    const retries = logs.split("\n").filter((l) => l.includes("panicked (attempt"));
    expect(retries.length).toBeGreaterThan(0);
    for (const line of retries)
      expect(line).toMatch(
        /: runtime error: invalid memory address or nil pointer dereference; retrying in \d+ ms/,
      );
    expect(logs).not.toMatch(/Cannot read properties|TypeError/);
  });
});
