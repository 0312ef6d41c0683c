// Shows the on-call views of a session counting and naming what they show: pages, not rows.
import { describe, expect, it } from "vitest";
import { newSession, play } from "./helpers.js";

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
        expect(step.text, view).toMatch(range);
        const [, , count, last] = range.exec(step.text)!;
        expect(last).toBe(count);
      }
      expect(first.ok).toBe(true);
      expect(first.text).toMatch(view === "on-call" ? /death #1 of \d+ at / : /^Why w1 died at /);
    }
  });

  it("workers names each worker's scheduler with its fixes, as the deploy logs do", () => {
    const session = newSession();
    const rows = (text: string) => text.split("\n").filter((l) => /^ {2}w\d/.test(l));
    const [before] = play(session, ["next", "next", "workers"]).slice(-1);
    for (const row of rows(before.text)) expect(row).toMatch(/ v2( |$)/);
    const [fork] = play(session, ["what-if deploy fixed step 0s", "run 1m", "workers"]).slice(-1);
    expect(rows(fork.text)).toHaveLength(4);
    for (const row of rows(fork.text)) expect(row).toMatch(/ v2 \(early-return, panic-recovery\)( |$)/);
  });
});
