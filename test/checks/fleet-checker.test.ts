// Shows workersMinUp and fullOutageMs computed exactly from ready/crash/pause events, not from samples.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { at, TraceBuilder } from "./trace-builder.js";

describe("fleet checker", () => {
  it("sums the stretches with no worker up across overlapping crashes", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 10 });
    b.ready("w1");
    b.ready("w2");
    b.at(at(1)).killed("w1");
    b.at(at(2)).panic("w2", "s1", "a", at(2)); // zero up from :02:00
    b.at(at(2, 30)).ready("w1", 2); // ... to :02:30
    b.at(at(3)).ready("w2", 2);
    b.at(at(4)).killed("w1", 2);
    b.panic("w2", "s1", "a", at(2), { incarnation: 2 }); // zero up from :04:00
    b.at(at(5)).ready("w1", 3); // ... to :05:00
    const { metrics } = computeReport(b.events);
    expect(metrics.workersMinUp).toBe(0);
    expect(metrics.fullOutageMs).toBe(90_000);
  });

  it("ignores zero-length dips: a restart and a crash at the same instant", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 10 });
    b.ready("w1");
    b.ready("w2");
    b.at(at(1)).killed("w1");
    b.at(at(2)).killed("w2"); // for an instant none, then w1 is back
    b.ready("w1", 2);
    b.at(at(3)).ready("w2", 2);
    const { metrics } = computeReport(b.events);
    expect(metrics.workersMinUp).toBe(1);
    expect(metrics.fullOutageMs).toBe(0);
  });

  it("counts an outage running to the horizon, and graceful stops and removals", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 10 });
    b.ready("w1");
    b.ready("w2");
    b.at(at(6)).emit("worker.stopped", { worker: "w1", incarnation: 1, why: "deploy" });
    b.at(at(7)).emit("worker.removed", { worker: "w2" });
    const { metrics } = computeReport(b.events);
    expect(metrics.workersMinUp).toBe(0);
    expect(metrics.fullOutageMs).toBe(3 * 60_000);
  });

  it("does not count a frozen worker as serving, from worker.paused to worker.resumed", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 10 });
    b.ready("w1");
    b.ready("w2");
    b.at(at(1)).emit("worker.paused", { worker: "w1", durationMs: 180_000 }); // one serving
    b.at(at(2)).killed("w2"); // none from :02:00 ...
    b.at(at(3)).emit("worker.resumed", { worker: "w1" }); // ... to :03:00
    b.at(at(5)).emit("worker.paused", { worker: "w1", durationMs: 600_000 });
    b.at(at(6)).ready("w2", 2); // none from :05:00 to :06:00
    b.at(at(7)).emit("worker.stopped", { worker: "w1", incarnation: 1, why: "deploy" }); // killed while frozen
    b.at(at(8)).ready("w1", 2); // a new process: serving, though its slot was frozen before
    const { metrics } = computeReport(b.events);
    expect(metrics.workersMinUp).toBe(0);
    expect(metrics.fullOutageMs).toBe(2 * 60_000);
  });

  it("counts one frozen worker of a fleet of one as a full outage to the horizon", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1, horizonMin: 10 });
    b.ready("w1");
    b.at(at(4)).emit("worker.paused", { worker: "w1", durationMs: 3_600_000 });
    const { metrics } = computeReport(b.events);
    expect(metrics.workersMinUp).toBe(0);
    expect(metrics.fullOutageMs).toBe(6 * 60_000);
  });

  it("reports 0 up when no worker ever got ready, without counting an outage", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 10 });
    const { metrics } = computeReport(b.events);
    expect(metrics.workersMinUp).toBe(0);
    expect(metrics.fullOutageMs).toBe(0);
  });
});
