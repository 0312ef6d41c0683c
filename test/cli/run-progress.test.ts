// Shows the progress line of a long run on a terminal: nothing for a run that ends within a second, then the simulated time, its share of the run, the events and the seconds, redrawn in place, cut to the terminal's width as it is at each draw, and cleared at the end; where no line can be redrawn, a line of a log every 30 s; and the run's trace the same with it as without.
import { describe, expect, it } from "vitest";
import { loadScenario } from "../../src/cli/load.js";
import { RunProgress } from "../../src/cli/run-progress.js";
import { bindStandardStreams, takeStderr } from "../../src/cli/standard-streams.js";
import { runWorld } from "../../src/explore/run.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { visible } from "../../src/train/format.js";
import { captureContext } from "../train/helpers.js";

const START = Date.UTC(2026, 4, 8, 9, 40);
const CONFIG = { startMs: START, durationMs: 60 * 60_000 };

/** A terminal's context whose real clock reads `clock.ms`. */
function terminal(clock: { ms: number }) {
  return { ...captureContext(), errIsTty: true, now: () => clock.ms };
}

function event(t: number): TraceEvent {
  return { t, seq: 0, type: "metrics.sampled", cause: null };
}

describe("the progress line of a run", () => {
  it("says nothing for the first second, then where the run is, and clears itself", () => {
    const clock = { ms: 0 };
    const ctx = terminal(clock);
    const progress = RunProgress.on(ctx, "run", CONFIG);
    for (let i = 0; i < 4096 * 300; i++) progress.onEvent(event(START + 60_000));
    expect(ctx.stderr()).toBe("");
    clock.ms = 6_400;
    for (let i = 0; i < 4096; i++) progress.onEvent(event(START + 12 * 60_000 + 10_000));
    expect(ctx.stderr()).toBe(
      "\r\x1b[Krun: simulated to 09:52:10 (20% of 09:40 → 10:40) · 1.2 M events · 6 s",
    );
    // Redrawn at most every 250 ms of real time.
    for (let i = 0; i < 4096; i++) progress.onEvent(event(START + 30 * 60_000));
    expect(ctx.stderr()).not.toContain("10:10:00");
    clock.ms += 300;
    for (let i = 0; i < 4096; i++) progress.onEvent(event(START + 30 * 60_000));
    expect(ctx.stderr()).toContain("\r\x1b[Krun: simulated to 10:10:00 (50% of 09:40 → 10:40)");
    progress.done();
    expect(ctx.stderr().endsWith("\r\x1b[K")).toBe(true);
  });

  it("never draws past the terminal's width, which may change between two draws", () => {
    const clock = { ms: 0 };
    const width = { columns: 40 };
    const ctx = { ...terminal(clock), errColumns: () => width.columns };
    const progress = RunProgress.on(ctx, "run", CONFIG);
    const draw = (t: number) => {
      clock.ms += 1_000;
      for (let i = 0; i < 4096; i++) progress.onEvent(event(t));
    };
    draw(START + 12 * 60_000);
    width.columns = 30;
    draw(START + 13 * 60_000);
    width.columns = 20;
    draw(START + 13 * 60_000);
    width.columns = 200;
    draw(START + 14 * 60_000);
    const lines = ctx.stderr().split("\r\x1b[K").slice(1);
    expect(lines).toHaveLength(4);
    // One column is left free: a line that ends in the last column wraps on some terminals.
    // Narrower terminals get shorter forms; one narrower still, the shortest cut.
    expect(lines[0]).toBe("run: 09:52:00 (20%) · 4 k events · 1 s");
    expect(lines[1]).toBe("run: 09:53:00 (21%) · 2 s");
    expect(lines[2]).toBe("run: 09:53:00 (21%…");
    expect(visible(lines[2])).toBe(19);
    expect(lines[3]).toBe("run: simulated to 09:54:00 (23% of 09:40 → 10:40) · 16 k events · 4 s");
  });

  it("clears nothing when it drew nothing", () => {
    const ctx = terminal({ ms: 0 });
    const progress = RunProgress.on(ctx, "run", CONFIG);
    for (let i = 0; i < 10_000; i++) progress.onEvent(event(START));
    progress.done();
    expect(ctx.stderr()).toBe("");
  });

  it("writes a line of a log every 30 s where no line can be redrawn (a file, a pipe, CI)", () => {
    const clock = { ms: 0 };
    const ctx = { ...captureContext(), now: () => clock.ms };
    const progress = RunProgress.on(ctx, "compare", CONFIG);
    // Nothing in the first 30 s: a run that ends sooner adds nothing to a log.
    clock.ms = 29_999;
    for (let i = 0; i < 4096 * 10; i++) progress.onEvent(event(START + 60_000));
    expect(ctx.stderr()).toBe("");
    clock.ms = 30_000;
    for (let i = 0; i < 4096; i++) progress.onEvent(event(START + 12 * 60_000 + 10_000));
    expect(ctx.stderr()).toBe(
      "aftershock compare: simulated to 09:52:10 (20% of 09:40 → 10:40) · 45 k events · 30 s\n",
    );
    // The next 30 s later, not sooner; no escape codes, and nothing to clear at the end.
    clock.ms = 59_000;
    for (let i = 0; i < 4096; i++) progress.onEvent(event(START + 30 * 60_000));
    expect(ctx.stderr().split("\n")).toHaveLength(2);
    clock.ms = 60_000;
    for (let i = 0; i < 4096; i++) progress.onEvent(event(START + 30 * 60_000));
    progress.done();
    expect(ctx.stderr().split("\n").slice(1)).toEqual([
      "aftershock compare: simulated to 10:10:00 (50% of 09:40 → 10:40) · 53 k events · 60 s",
      "",
    ]);
    expect(ctx.stderr()).not.toContain("\x1b");
  });

  it("changes nothing in the run it watches", () => {
    const clock = { ms: 0 };
    const ctx = terminal(clock);
    // A day of some 22 k events: enough for the line to draw (every 4096 events, after a second).
    const { compiled } = loadScenario("quiet-day");
    const progress = RunProgress.on(ctx, "run", compiled.config);
    let looks = 0;
    const watched = runWorld(compiled, {
      watchers: [
        progress,
        {
          onEvent: () => {
            looks++;
            clock.ms += 1;
          },
        },
      ],
    });
    const plain = runWorld(compiled);
    expect(looks).toBeGreaterThan(4096);
    expect(ctx.stderr()).toContain("run: simulated to");
    expect(watched.report.traceHash).toBe(plain.report.traceHash);
  });

  it("writes nothing while an output is written through stderr (--trace /dev/stderr), in its middle", () => {
    const clock = { ms: 0 };
    const ctx = { ...captureContext(), now: () => clock.ms };
    const bound = bindStandardStreams(ctx);
    const progress = RunProgress.on(bound, "run", CONFIG);
    clock.ms = 60_000;
    for (let i = 0; i < 4096; i++) progress.onEvent(event(START + 12 * 60_000));
    expect(ctx.stderr()).toContain("aftershock run: simulated to 09:52:00");
    takeStderr();
    clock.ms = 120_000;
    for (let i = 0; i < 4096 * 2; i++) progress.onEvent(event(START + 12 * 60_000));
    expect(ctx.stderr().split("\n")).toHaveLength(2);
  });
});
