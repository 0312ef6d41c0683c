// Shows the on-call views of a session counting and naming what they show: pages, not rows.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goLogText, goPanicText, OnCallObserver } from "../../src/train/observer.js";
import { sparkline } from "../../src/train/sparkline.js";
import { BUNDLED, newSession, play, SMALL } from "./helpers.js";

describe("training views", () => {
  it("alerts counts the pages (alerts fired), not their resolutions", () => {
    const session = newSession();
    const [alerts] = play(session, [...Array(8).fill("next"), "alerts"]).slice(-1);
    const fired = alerts.text.match(/\bFIRED\b/g)?.length ?? 0;
    const resolved = alerts.text.match(/\bRESOLVED\b/g)?.length ?? 0;
    expect(fired).toBeGreaterThan(0);
    expect(resolved).toBeGreaterThan(0);
    expect(alerts.text).toContain(`Alerts (${fired} page${fired === 1 ? "" : "s"}, ${resolved} resolved)`);
  });

  it("why w1#n numbers deaths as aftershock why does, and names the range when n is outside it", () => {
    const session = newSession();
    play(session, ["next", "next", "next", "run 2m"]);
    const range =
      /^why at 09:48:00: w1#(0|99): w1 has (\d+) panic deaths?, so #1 to #(\d+) \(workers that crashed: .*w1 \(\2 panic deaths?\)/;
    for (const view of ["on-call", "revealed"]) {
      if (view === "revealed") play(session, ["reveal"]);
      const [zero, beyond, first] = play(session, ["why w1#0", "why w1#99", "why w1#1"]);
      for (const step of [zero, beyond]) {
        expect(step.ok, `${view}: ${step.text}`).toBe(false);
        // #99: understood, not possible yet (w1 may die again later), so a rehearsal script does
        // not fail on it; #0 names a death no worker ever has.
        expect(step.refused, `${view}: ${step.text}`).toBe(step === beyond);
        expect(step.text, view).toMatch(range);
        const [, , count, last] = range.exec(step.text)!;
        expect(last).toBe(count);
      }
      expect(first.ok).toBe(true);
      expect(first.text).toMatch(view === "on-call" ? /death #1 of \d+ at / : /^Why w1 died at /);
    }
    // Once the run is over, a death w1 has not had is one it never will: not understood.
    const [end, after] = play(session, [...Array(6).fill("next"), "why w1#99"]).slice(-2);
    expect(end.text).toMatch(/^the run is over/);
    expect(after.text).toMatch(/^why at \d\d:\d\d:\d\d: w1#99: w1 has \d+ panic deaths?, so #1 to #\d+ /);
    expect(after.refused).toBe(false);
  });

  it("why names the workers there are when asked of one there is not", () => {
    const [reply] = play(newSession(), ["why w9"]);
    expect(reply.ok).toBe(false);
    expect(reply.text).toMatch(/^why: no worker "w9"(; did you mean w\d\?)? \(workers: w1 to w4\)$/);
  });

  it("workers names each worker's scheduler with its fixes, as the deploy logs do", () => {
    const session = newSession({ facilitator: true });
    const rows = (text: string) => text.split("\n").filter((l) => /^ {2}w\d/.test(l));
    const [before] = play(session, ["next", "next", "workers"]).slice(-1);
    for (const row of rows(before.text)) expect(row).toMatch(/ v2( |$)/);
    const [fork] = play(session, ["what-if deploy fixed step 0s", "run 1m", "workers"]).slice(-1);
    expect(rows(fork.text)).toHaveLength(4);
    for (const row of rows(fork.text)) expect(row).toMatch(/ v2 \(early-return, panic-recovery\)( |$)/);
  });

  it("lines the dashboards up the same way on every screen, however little history there is yet", () => {
    expect(sparkline([0, 1, 2], 2)).toBe("▁▅█");
    expect(sparkline([0, 1, 2], 2, 6)).toBe("▁▅█   ");
    // The small May 8 started at 09:41:50: the first chapter (09:44:40) has 17 samples, fewer
    // than the 36 bars a row shows; later ones have more.
    const path = join(mkdtempSync(join(tmpdir(), "aftershock-views-")), "late-start.yaml");
    writeFileSync(
      path,
      readFileSync(SMALL, "utf8").replace("start: 2026-05-08T09:30:00Z", "start: 2026-05-08T09:41:50Z"),
    );
    for (const columns of [undefined, 72]) {
      const session = newSession(columns === undefined ? {} : { columns: () => columns }, path);
      const screens = play(session, ["next", "status", "next", "next", "status", "next"]);
      const rows = screens.flatMap((s) =>
        s.text.split("\n").filter((l) => /^ {2}(workers up|lag p99) /.test(l)),
      );
      expect(rows.length).toBe(screens.length * 2);
      // Where the bars start, and where the value after them starts, on every row of every screen.
      const barsAt = new Set(rows.map((r) => r.search(/[▁▂▃▄▅▆▇█]/)));
      const valueAt = new Set(rows.map((r) => r.search(/\S+( of \d+| \(SLO \S+\))$/)));
      expect([...barsAt], String(columns)).toEqual(["  delivery errors  ".length]);
      expect(valueAt.size, String(columns)).toBe(1);
    }
  });

  it("the logs write a recovered panic's task with its due time as an ISO time", () => {
    const observer = new OnCallObserver();
    const due = Date.UTC(2026, 4, 8, 9, 45);
    observer.onEvent({
      t: due + 5,
      seq: 7,
      type: "panic.recovered",
      cause: 6,
      worker: "w5",
      schedule: "sched-deleted-c",
      task: `sched-deleted-c@${due}`,
      attempt: 1,
      error: "TypeError: x",
    });
    expect(observer.logs.map((l) => l.text)).toEqual([
      "recovered panic in task sched-deleted-c@2026-05-08T09:45:00Z (attempt 1): TypeError: x",
    ]);
  });
});

describe("the restart count after a deploy", () => {
  it("says since when it counts where the deploy set a crashed worker's back to 0", () => {
    const session = newSession();
    const steps = play(session, [...Array(7).fill("next"), "workers", "why w1"]);
    const workers = steps.at(-2)!.text;
    const crashed = workers.split("\n").filter((l) => l.includes("last exit"));
    expect(crashed.length).toBeGreaterThan(0);
    for (const row of crashed)
      expect(row).toMatch(/restarts \d+ since the deploy replaced it at 10:0\d:\d0 /);
    expect(steps.at(-1)!.text).toMatch(
      /^ {2}restarts \d+ since the deploy replaced it at 10:06:00; last exit at /m,
    );
  });

  it("counts from when the deploy replaced that worker: every last exit shown is before it", () => {
    // On May 8, w8 dies at 10:06:04, after the rollout began (10:06:00), and is replaced at 10:07:30.
    const session = newSession({}, BUNDLED);
    const workers = play(session, [...Array(6).fill("next"), "workers"]).at(-1)!.text;
    const rows = workers.split("\n").filter((l) => l.includes("since the deploy"));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [, since, exit] = row.match(/since the deploy replaced it at (\S+) .* last exit (\S+):/) ?? [];
      expect(exit < since, row).toBe(true);
    }
    expect(workers).toMatch(/w8 .* since the deploy replaced it at 10:07:30 .* last exit 10:06:04: panic/);
  });
});

describe("a panic's error as the Go process prints it", () => {
  const nil = "runtime error: invalid memory address or nil pointer dereference";
  it("is a nil pointer dereference for a read of a property of undefined or null", () => {
    expect(goPanicText("TypeError: Cannot read properties of undefined (reading 'id')")).toBe(nil);
    expect(goPanicText("TypeError: Cannot read properties of null (reading 'plan')")).toBe(nil);
  });
  it("is Go's in a scheduler's log line quoting one, the rest of the line as written", () => {
    expect(
      goLogText(
        "task t panicked (attempt 1 of 3): Cannot read properties of undefined (reading 'plan'); retrying in 1000 ms",
      ),
    ).toBe(`task t panicked (attempt 1 of 3): ${nil}; retrying in 1000 ms`);
    expect(goLogText("a: TypeError: Cannot read properties of null (reading 'id'), b")).toBe(`a: ${nil}, b`);
    for (const text of [
      "claim failed: store unavailable",
      "Cannot set properties of undefined (setting 'id')",
    ])
      expect(goLogText(text)).toBe(text);
  });
  it("is the error as thrown otherwise", () => {
    for (const error of [
      "TypeError: x is not a function",
      "TypeError: Cannot set properties of undefined (setting 'id')",
      "TypeError: Cannot read properties of undefinedx",
      "Error: Cannot read properties of undefined (reading 'id')",
      "RangeError: Maximum call stack size exceeded",
    ])
      expect(goPanicText(error)).toBe(error);
  });
});
