// Shows alertAt and recoveredAt: after the last fix deploy, the first sample from which lag stays within the SLO.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { plainPaint } from "../../src/report/paint.js";
import { recoveredText } from "../../src/report/terminal.js";
import { at, TraceBuilder } from "./trace-builder.js";

function deploy(b: TraceBuilder): void {
  b.emit("deploy.finished", { scheduler: "v2", fixes: ["early-return", "panic-recovery"] });
}

describe("recovery checker", () => {
  it("finds the start of the last run of good samples after the last deploy", () => {
    const b = new TraceBuilder();
    b.start({ horizonMin: 12 }); // SLO 60 s
    b.at(at(1)).sample(200_000);
    b.emit("alert.fired", { rule: "crash-rate", metric: "crashesLastMinute", value: 3, threshold: 2 });
    b.at(at(2)).sample(30_000); // good, but before the fix
    b.at(at(3)).emit("alert.fired", { rule: "lag", metric: "lagP99Ms", value: 1, threshold: 0 });
    b.at(at(5)).call(deploy);
    b.at(at(6)).sample(120_000);
    b.at(at(7)).sample(30_000);
    b.at(at(8)).sample(90_000);
    const recovery = b.at(at(9)).sample(60_000); // exactly the SLO is within it
    b.at(at(10)).sample(10_000);
    const { metrics, timeline } = computeReport(b.events);
    expect(metrics.alertAt).toBe("2026-05-08T09:01:00.000Z");
    expect(metrics.recoveredAt).toBe("2026-05-08T09:09:00.000Z");
    expect(metrics.lagP99MsMax).toBe(200_000);
    const entry = timeline.find((e) => e.type === "recovered")!;
    expect(entry.seq).toBe(recovery);
    expect(entry.text).toContain("within the SLO");
  });

  it("counts a sample of the deploy's own millisecond, whether it was traced before the deploy or after", () => {
    for (const order of ["sample first", "deploy first"] as const) {
      const b = new TraceBuilder();
      b.start(); // SLO 60 s
      b.at(at(3)).sample(10);
      b.at(at(4));
      const sample = order === "sample first" ? b.sample(10) : null;
      b.call(deploy);
      const after = order === "deploy first" ? b.sample(10) : null;
      b.at(at(5)).sample(10);
      const { metrics, timeline } = computeReport(b.events);
      expect(metrics.recoveredAt, order).toBe("2026-05-08T09:04:00.000Z");
      expect(timeline.find((e) => e.type === "recovered")?.seq, order).toBe(sample ?? after);
    }
    // Not one over the SLO there, nor a good one of an earlier millisecond.
    const late = new TraceBuilder();
    late.start();
    late.at(at(3)).sample(10);
    late.at(at(4)).sample(61_000);
    late.call(deploy);
    late.at(at(5)).sample(10);
    expect(computeReport(late.events).metrics.recoveredAt).toBe("2026-05-08T09:05:00.000Z");
  });

  it("is null without a deploy, or when lag is over the SLO at the last sample", () => {
    const none = new TraceBuilder();
    none.start();
    none.at(at(1)).sample(10);
    expect(computeReport(none.events).metrics.recoveredAt).toBeNull();
    expect(computeReport(none.events).metrics.alertAt).toBeNull();

    const relapse = new TraceBuilder();
    relapse.start();
    relapse.at(at(1)).call(deploy);
    relapse.at(at(2)).sample(10);
    relapse.at(at(3)).sample(61_000);
    expect(computeReport(relapse.events).metrics.recoveredAt).toBeNull();
  });

  it("restarts the search at a later fix deploy, one that adds a fix the fleet lacked", () => {
    const b = new TraceBuilder();
    b.start(); // v2, no fixes
    b.at(at(1)).emit("deploy.finished", { scheduler: "v2", fixes: ["early-return"] });
    b.at(at(2)).sample(10);
    b.at(at(3)).emit("deploy.finished", { scheduler: "v2", fixes: ["early-return", "panic-recovery"] });
    b.at(at(4)).sample(10);
    expect(computeReport(b.events).metrics.recoveredAt).toBe("2026-05-08T09:04:00.000Z");
  });

  it("is not moved by a later deploy that fixes nothing: the same fixes again, or none", () => {
    const b = new TraceBuilder();
    b.start(); // v2, no fixes
    b.at(at(1)).call(deploy);
    b.at(at(2)).sample(30_000); // lag back within the SLO, and it stays there
    b.at(at(3)).call(deploy); // the same fixes again
    b.at(at(4)).sample(20_000);
    b.at(at(5)).emit("deploy.finished", { scheduler: "v2", fixes: [] }); // the fixes taken out
    b.at(at(6)).sample(40_000);
    b.at(at(7)).sample(10_000);
    expect(computeReport(b.events).metrics.recoveredAt).toBe("2026-05-08T09:02:00.000Z");
    // Putting a fix back is a fix deploy again, as is a rollback to v1.
    b.at(at(8)).call(deploy);
    b.at(at(9)).sample(10_000);
    expect(computeReport(b.events).metrics.recoveredAt).toBe("2026-05-08T09:09:00.000Z");
    b.at(at(10)).emit("deploy.finished", { scheduler: "v1", fixes: [] });
    b.at(at(11)).sample(10_000);
    expect(computeReport(b.events).metrics.recoveredAt).toBe("2026-05-08T09:11:00.000Z");
  });

  it("says whether a run without recoveredAt had a fix deploy to recover after", () => {
    const fixedFromStart = new TraceBuilder();
    fixedFromStart.start();
    fixedFromStart.at(at(1)).sample(10);
    const none = computeReport(fixedFromStart.events).metrics;
    expect(none.fixDeployAt).toBeNull();
    expect(recoveredText(none, plainPaint)).toBe("no deploy brought a fix");

    const relapse = new TraceBuilder();
    relapse.start();
    relapse.at(at(2)).call(deploy);
    relapse.at(at(3)).sample(61_000);
    const never = computeReport(relapse.events).metrics;
    expect(never.fixDeployAt).toBe("2026-05-08T09:02:00.000Z");
    expect(recoveredText(never, plainPaint)).toBe("never");

    relapse.at(at(4)).sample(10);
    const back = computeReport(relapse.events).metrics;
    expect(recoveredText(back, plainPaint)).toBe("09:04:00");
    // A report from before fixDeployAt existed says what it always said.
    expect(recoveredText({ recoveredAt: null }, plainPaint)).toBe("never");
  });

  it("does not count a deploy a newer one superseded part-way as a fix deploy", () => {
    const b = new TraceBuilder();
    b.start(); // v2, no fixes
    const newer = b
      .at(at(1))
      .emit("deploy.started", { scheduler: "v2", fixes: [], workers: 4, stepDelayMs: 0 });
    b.emit("deploy.finished", { scheduler: "v2", fixes: ["early-return"], supersededBy: newer });
    b.at(at(2)).sample(10);
    const m = computeReport(b.events).metrics;
    expect(m.fixDeployAt).toBeNull();
    expect(m.recoveredAt).toBeNull();
  });
});
