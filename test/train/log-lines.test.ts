// Shows that a log line's whole text can be read at every terminal width: one too long for the
// terminal goes on indented lines under its time and source, wrapped between words, never cut.
import { describe, expect, it } from "vitest";
import { visible } from "../../src/train/format.js";
import { once } from "../cli/once.js";
import { BUNDLED, newSession, play } from "./helpers.js";
import { expectEveryPanicWordAt, replies, wholePanics, words } from "./log-widths.js";

describe("a log line at a known width", () => {
  it("shows every word of w3's panic (the goroutine `deliver` too) in logs, why and the chapter at 60, 80 and 160 columns", () => {
    // At 100 and 120 columns alike, in the long tier (log-lines.long.test.ts).
    expectEveryPanicWordAt([60, 80, 160]);
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
