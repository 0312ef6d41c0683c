// Shows how a training session shows a fault whose only effect is failed deliveries (a customer's endpoint down): the on-call dashboards count delivery errors per sample, where the lag shows nothing, and `reveal` names the faults under way with when they end, and those that just struck.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OnCallObserver } from "../../src/train/index.js";
import { newSession, play, SMALL } from "./helpers.js";

/** The small May 8 with acct-deleted's endpoint down from 09:35 for 2 minutes, and w2 killed at 09:36. */
function endpointDown(): string {
  const path = join(mkdtempSync(join(tmpdir(), "aftershock-faults-seen-")), "endpoint-down.yaml");
  const faults = [
    "faults:",
    '  - { at: "09:35", fault: http-errors, rate: 1, status: 404, duration: 2m, account: acct-deleted }',
    '  - { at: "09:36", fault: kill-worker, worker: w2 }',
    "",
  ].join("\n");
  writeFileSync(path, readFileSync(SMALL, "utf8").replace("timeline:", `${faults}timeline:`));
  return path;
}

describe("a fault seen only by failed deliveries, in a training session", () => {
  it("counts delivery errors on the dashboards, and reveal names the faults under way and just struck", () => {
    const session = newSession({}, endpointDown());
    const [, status, reveal] = play(session, ["until 09:36:30", "status", "reveal"]);
    const row = status.text.split("\n").find((l) => l.startsWith("  delivery errors "));
    expect(row, status.text).toBeDefined();
    // acct-deleted's schedules fire each minute: the last sample since 09:36:20 saw none fail,
    // but the row's bars show the failures of 09:35 and 09:36.
    expect(row).toMatch(/[▂▃▄▅▆▇█]/);
    const lag = status.text.split("\n").find((l) => l.startsWith("  lag p99 "));
    expect(lag).toContain("(SLO 1m)");
    expect(reveal.text).toContain("Faults the scenario injects (seen on call only by what they do)");
    expect(reveal.text).toContain(
      "under way since 09:35:00: 100% of deliveries of account acct-deleted answer 404 for 2m (until 09:37:00)",
    );
    expect(reveal.text).toContain("struck at 09:36:00: kill w2");
    // Once it is over, and the kill more than 5 minutes back, neither is under way or shown.
    const [later] = play(session, ["until 09:42", "reveal"]).slice(1);
    expect(later.text).toContain("none under way, none in the last 5m");
  });

  it("drops from the faults under way a clock set right or skewed anew, and a pause whose process died", () => {
    const path = join(mkdtempSync(join(tmpdir(), "aftershock-faults-seen-")), "skews.yaml");
    const faults = [
      "faults:",
      '  - { at: "09:33", fault: clock-skew, worker: w2, skew: -30s }',
      '  - { at: "09:34", fault: clock-skew, worker: w2, skew: 0s }',
      '  - { at: "09:33:30", fault: clock-skew, worker: w1, skew: 20s, duration: 10m }',
      '  - { at: "09:33:40", fault: clock-skew, worker: w1, skew: 40s, duration: 10m }',
      '  - { at: "09:35", fault: pause-worker, worker: w3, duration: 10m }',
      '  - { at: "09:35:30", fault: kill-worker, worker: w3 }',
      "",
    ].join("\n");
    writeFileSync(path, readFileSync(SMALL, "utf8").replace("timeline:", `${faults}timeline:`));
    const session = newSession({}, path);
    const [early] = play(session, ["until 09:33:50", "reveal"]).slice(1);
    expect(early.text).toContain(
      "under way since 09:33:00: w2 clock -30s to the end of the run (until 10:20:00)",
    );
    // w1's second skew replaced its first.
    expect(early.text).toContain("under way since 09:33:40: w1 clock +40s for 10m (until 09:43:40)");
    expect(early.text).not.toContain("w1 clock +20s");
    const [paused] = play(session, ["until 09:35:10", "reveal"]).slice(1);
    expect(paused.text).not.toContain("w2 clock");
    expect(paused.text).toContain("under way since 09:35:00: pause w3 for 10m (until 09:45:00)");
    const [killed] = play(session, ["until 09:36", "reveal"]).slice(1);
    expect(killed.text).not.toContain("pause w3");
    expect(killed.text).toContain("struck at 09:35:30: kill w3");
  });

  it("counts each failed delivery in the sample after it, and none twice", () => {
    const observer = new OnCallObserver();
    let seq = 0;
    const at = (t: number, type: string) =>
      observer.onEvent({
        t,
        seq: seq++,
        type,
        cause: null,
        worker: "w1",
        message: "m",
        attempt: 0,
        status: 404,
      });
    const sample = (t: number) =>
      observer.onEvent({
        t,
        seq: seq++,
        type: "metrics.sampled",
        cause: null,
        workersUp: 1,
        workersCrashLooping: 0,
        crashesLastMinute: 0,
        dueBacklog: 0,
        lagP50Ms: 0,
        lagP99Ms: 0,
      });
    at(1_000, "delivery.failed");
    at(2_000, "delivery.failed");
    at(3_000, "delivery.acked");
    at(4_000, "delivery.failure-dropped");
    sample(10_000);
    sample(20_000);
    at(25_000, "delivery.failed");
    sample(30_000);
    expect(observer.samples.map((s) => s.deliveryErrors)).toEqual([3, 0, 1]);
  });
});
