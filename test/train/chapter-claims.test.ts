// Shows that each chapter of the bundled May 8 scenario says what its run shows at that moment:
// the facts its text states are checked against the simulation paused at the chapter's time.
import { beforeAll, describe, expect, it } from "vitest";
import { runWorld } from "../../src/explore/run.js";
import type { TraceEvent, TraceSink } from "../../src/kernel/index.js";
import type { Chapter } from "../../src/scenario/index.js";
import { LiveWorld, ORIGINAL } from "../../src/train/live.js";
import { BUNDLED, loadFixture } from "./helpers.js";

const { scenario, input } = loadFixture(BUNDLED);
const sloMs = input.config.sloMs;

/** The trace events of some types, up to the moment the world is paused at. */
class Seen implements TraceSink {
  readonly events: TraceEvent[] = [];
  onEvent(e: TraceEvent): void {
    if (/^(account\.deleted|worker\.crashed|alert\.|deploy\.)/.test(e.type)) this.events.push(e);
  }
  of(type: string): TraceEvent[] {
    return this.events.filter((e) => e.type === type);
  }
}

/** The original line paused at a chapter, with what it traced so far. */
function pausedAt(chapter: Chapter): { live: LiveWorld; seen: Seen } {
  const seen = new Seen();
  const live = new LiveWorld(input, { name: ORIGINAL, parent: null, interventions: [] }, {}, [seen]);
  live.advanceTo(chapter.atMs);
  return { live, seen };
}

/** The run's own metrics as if it ended at `t`: dues late by then count as late. */
function metricsUntil(t: number) {
  const config = { ...input.config, durationMs: t - input.config.startMs };
  return runWorld({ ...input, config }).report.metrics;
}

function chapter(title: string): Chapter {
  const found = scenario.chapters.find((c) => c.title === title);
  if (!found) throw new Error(`no chapter "${title}" in ${scenario.name}`);
  return found;
}

function lagNow(live: LiveWorld): number {
  const samples = live.observer.samples;
  return samples[samples.length - 1].lagP99Ms;
}

describe("the bundled May 8 chapters say what the run shows", () => {
  let full: ReturnType<typeof runWorld>["report"]["metrics"];
  beforeAll(() => {
    full = runWorld(input).report.metrics;
  });

  it("has the chapters these checks cover", () => {
    expect(scenario.chapters.map((c) => c.title)).toEqual([
      "A quiet Friday morning",
      "The first workers die",
      "The pager goes off",
      "The whole fleet is crash-looping",
      "A fix is implemented",
      "Resolved",
    ]);
  });

  it("1: deliveries are on time and the account is deleted", () => {
    const c = chapter("A quiet Friday morning");
    const { live, seen } = pausedAt(c);
    expect(c.text).toContain("Deliveries are on time");
    expect(lagNow(live)).toBeLessThanOrEqual(sloMs);
    expect(live.observer.crashes).toBe(0);
    expect(seen.of("account.deleted").length).toBeGreaterThan(0);
  });

  it("2: two workers exit within a second, restarted after 10 s, nothing paged", () => {
    const c = chapter("The first workers die");
    const { live, seen } = pausedAt(c);
    expect(c.text).toMatch(
      /Two worker processes exit abruptly within a second .* after 10 seconds\. Nothing pages yet/s,
    );
    const crashes = seen.of("worker.crashed");
    expect(crashes).toHaveLength(2);
    expect(crashes[1].t - crashes[0].t).toBeLessThan(1000);
    expect([...live.observer.backoff.values()].map((b) => b.delayMs)).toEqual([10_000, 10_000]);
    expect(seen.of("alert.fired")).toHaveLength(0);
  });

  it("3: the crash-rate alert fires on three or more crashes a minute", () => {
    const c = chapter("The pager goes off");
    const { live } = pausedAt(c);
    expect(c.text).toContain("The crash-rate alert fires: three or more worker crashes within a minute");
    const firing = live.observer.firing.get("worker-crash-rate");
    expect(firing?.value).toBeGreaterThanOrEqual(3);
  });

  it("4: every worker has died at least once, back-off grows, more than a hundred accounts are late", () => {
    const c = chapter("The whole fleet is crash-looping");
    const { live } = pausedAt(c);
    expect(c.text).toMatch(
      /Every worker has died at least once; back-off delays are growing\. Deliveries for more than\s+a hundred accounts are late/,
    );
    const never = live.world.slots.filter((s) => !live.observer.lastExit.has(s.id)).map((s) => s.id);
    expect(never).toEqual([]);
    const delays = [...live.observer.backoff.values()].map((b) => b.delayMs);
    expect(Math.max(...delays)).toBeGreaterThan(10_000);
    expect(metricsUntil(c.atMs).affectedAccounts).toBeGreaterThan(100);
  });

  it("5: the fix with both corrections rolls out, one worker at a time; one in back-off is replaced at its turn, the next 10 s after", () => {
    const c = chapter("A fix is implemented");
    const { seen, live } = pausedAt(c);
    expect(c.text).toMatch(
      /early return and the corrected panic recovery rolls out, one worker at a\s+time, 10 seconds after the one before serves again; a worker waiting in back-off is replaced\s+at its turn without waiting out its back-off, and the next comes 10 seconds after it/,
    );
    const started = seen.of("deploy.started");
    expect(started).toHaveLength(1);
    expect(started[0].t).toBe(c.atMs);
    expect(started[0].fixes).toEqual(["early-return", "panic-recovery"]);
    expect(input.config.timeline.find((a) => a.action === "deploy")).toMatchObject({ stepDelayMs: 10_000 });
    // A worker waiting in back-off at 10:06 and still at its turn is replaced then, before its
    // back-off would have ended, and the next step comes 10 s after it.
    const waiting = new Map(
      live.world.slots
        .filter((s) => s.state === "backoff")
        .map((s) => [s.id, live.observer.backoff.get(s.id)!]),
    );
    expect(waiting.size).toBeGreaterThan(1);
    live.advanceTo(c.atMs + 2 * 60_000);
    const steps = live.causes.events.filter((e) => e.type === "deploy.progressed");
    // Those still waiting at their turn (their back-off ends after it).
    const replaced = steps.filter((e) => {
      const b = waiting.get(String(e.worker));
      return b !== undefined && e.t < b.t + b.delayMs;
    });
    expect(replaced.length).toBeGreaterThan(1);
    for (const step of replaced) {
      const next = steps[steps.indexOf(step) + 1];
      if (next !== undefined) expect(next.t - step.t, String(step.worker)).toBe(10_000);
    }
  });

  it("6: lag is back under the SLO (the run has recovered), no delivery was lost, and some were delivered twice", () => {
    const c = chapter("Resolved");
    const { live } = pausedAt(c);
    expect(c.text).toMatch(/Lag is back under the SLO\..*none were lost\. Some were delivered twice/s);
    expect(full.deliveries.duplicate).toBeGreaterThan(0);
    expect(full.recoveredAt).not.toBeNull();
    expect(c.atMs).toBeGreaterThanOrEqual(Date.parse(full.recoveredAt!));
    expect(lagNow(live)).toBeLessThanOrEqual(sloMs);
    expect(live.observer.firing.size).toBe(0);
    expect(full.deliveries.missed).toBe(0);
  });
});
