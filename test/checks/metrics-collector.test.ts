// Shows the collector hands each check only the event types the check says it reads, and that each check names in its eventTypes every type its onEvent looks at.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MessageLedger, MetricsCollector } from "../../src/checks/index.js";
import type { TraceEvent, TraceSink } from "../../src/kernel/index.js";

/** The checks a collector runs, in order (private to it; read here to test what it promises of them). */
function checksOf(collector: MetricsCollector): readonly (TraceSink & { eventTypes?: readonly string[] })[] {
  return (collector as unknown as { sinks: readonly (TraceSink & { eventTypes?: readonly string[] })[] })
    .sinks;
}

const SOURCES: Readonly<Record<string, string>> = {
  DeletionChecker: "deletion-checker.ts",
  CascadeChecker: "cascade-checker.ts",
  RecoveryChecker: "recovery-checker.ts",
  QuarantineChecker: "quarantine-checker.ts",
  PoisonChecker: "poison-checker.ts",
  MessageLedger: "message-ledger.ts",
  TimelineRecorder: "timeline.ts",
};

/** The event types a check's source compares `e.type` with (`case "x":`, `e.type !== "x"`). */
function typesNamedIn(file: string): string[] {
  const source = readFileSync(new URL(`../../src/checks/${file}`, import.meta.url), "utf8");
  const onEvent = source.slice(source.indexOf("  onEvent("));
  const body = onEvent.slice(0, onEvent.indexOf("\n  }\n"));
  const names = new Set<string>();
  for (const m of body.matchAll(/case "([a-z.-]+)":|e\.type [!=]== "([a-z.-]+)"/g)) names.add(m[1] ?? m[2]);
  return [...names].sort();
}

function event(seq: number, type: string, fields: Record<string, unknown> = {}): TraceEvent {
  return { t: 1_000 + seq, seq, type, cause: null, ...fields } as TraceEvent;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("MetricsCollector", () => {
  it("hands a check that lists its event types only events of those types", () => {
    const seen = vi.spyOn(MessageLedger.prototype, "onEvent");
    const collector = new MetricsCollector();
    collector.onEvent(event(0, "run.started", { sloMs: 60_000, horizon: 100_000, fixes: [] }));
    // Types the message ledger does not list (it reads a fire, run again, as a disturbance).
    collector.onEvent(event(1, "worker.ready", { worker: "w1", incarnation: 1 }));
    collector.onEvent(event(2, "task.committed", { worker: "w1", schedule: "s1", account: "a", due: 0 }));
    expect(seen).not.toHaveBeenCalled();
    collector.onEvent(
      event(3, "delivery.sent", { worker: "w1", schedule: "s1", account: "a", message: "m" }),
    );
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it("runs every check that lists no types on every event", () => {
    const collector = new MetricsCollector();
    const unlisted = checksOf(collector).filter((c) => c.eventTypes === undefined);
    const spies = unlisted.map((c) => vi.spyOn(c, "onEvent"));
    collector.onEvent(event(0, "something.else"));
    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
  });

  it("names in each check's eventTypes every type the check's onEvent compares with", () => {
    const checks = checksOf(new MetricsCollector()).filter((c) => c.eventTypes !== undefined);
    expect(checks.map((c) => c.constructor.name).sort()).toEqual(Object.keys(SOURCES).sort());
    for (const check of checks) {
      const named = typesNamedIn(SOURCES[check.constructor.name]);
      expect(named.length).toBeGreaterThan(0);
      expect([...(check.eventTypes ?? [])].sort(), check.constructor.name).toEqual(named);
    }
  });
});
