// Shows the collector hands each check only the event types the check says it reads, that each check names in its eventTypes every type its onEvent looks at, and that the events it holds for a batch are checked in order before anything reads it.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MessageLedger, MetricsCollector } from "../../src/checks/index.js";
import { COLLECTOR_BATCH } from "../../src/checks/metrics-collector.js";
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

/** The event types a check's source compares its event's type with (`case "x":`, `type !== "x"`, `e.type !== "x"`). */
function typesNamedIn(file: string): string[] {
  const source = readFileSync(new URL(`../../src/checks/${file}`, import.meta.url), "utf8");
  const onEvent = source.slice(source.indexOf("  onEvent("));
  const body = onEvent.slice(0, onEvent.indexOf("\n  }\n"));
  const names = new Set<string>();
  for (const m of body.matchAll(/case "([a-z.-]+)":|\btype [!=]== "([a-z.-]+)"/g)) names.add(m[1] ?? m[2]);
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
    collector.flush();
    expect(seen).not.toHaveBeenCalled();
    collector.onEvent(
      event(3, "delivery.sent", { worker: "w1", schedule: "s1", account: "a", message: "m" }),
    );
    collector.flush();
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it("runs the checks that read every event on an event of a type no check lists", () => {
    const collector = new MetricsCollector();
    // The ones called by name, and any of the others that lists no types.
    const named = ["delivery", "fleet", "quiet", "missed"].map(
      (name) => (collector as unknown as Record<string, TraceSink>)[name],
    );
    const every = [...named, ...checksOf(collector).filter((c) => c.eventTypes === undefined)];
    expect(named.every((c) => typeof c.onEvent === "function")).toBe(true);
    const spies = every.map((c) => vi.spyOn(c, "onEvent"));
    const listed = checksOf(collector)
      .filter((c) => c.eventTypes !== undefined)
      .map((c) => vi.spyOn(c, "onEvent"));
    collector.onEvent(event(0, "something.else"));
    collector.flush();
    expect(spies.length).toBeGreaterThanOrEqual(4);
    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
    for (const spy of listed) expect(spy).not.toHaveBeenCalled();
  });

  it("checks the events it holds in order, a batch at a time, and all of them before it is read", () => {
    const collector = new MetricsCollector();
    const delivery = (collector as unknown as Record<string, TraceSink>).delivery;
    const checked: number[] = [];
    const original = delivery.onEvent.bind(delivery);
    vi.spyOn(delivery, "onEvent").mockImplementation((e) => {
      checked.push(e.seq);
      original(e);
    });
    const total = 2 * COLLECTOR_BATCH + 7;
    collector.onEvent(event(0, "run.started", { sloMs: 60_000, horizon: 10_000_000, fixes: [] }));
    for (let seq = 1; seq < total; seq++)
      collector.onEvent(event(seq, "worker.ready", { worker: "w1", incarnation: seq }));
    // Two whole batches checked; the last seven events wait for the next one, or for a read.
    expect(checked).toEqual(Array.from({ length: 2 * COLLECTOR_BATCH }, (_, i) => i));
    const size = collector.stateSize();
    expect(checked).toEqual(Array.from({ length: total }, (_, i) => i));
    expect(size.total).toBeGreaterThanOrEqual(0);
    // The report covers every event handed, and later events are not checked.
    collector.onEvent(event(total, "worker.ready", { worker: "w2", incarnation: 1 }));
    collector.finish();
    collector.onEvent(event(total + 1, "worker.ready", { worker: "w3", incarnation: 1 }));
    collector.flush();
    expect(checked).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
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
