// Shows that a `why` chain is honest: every step it marks as a cause is the trace's cause link from the step before it, a root has no cause, and context says why it is there.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type ChainLink, causalChain } from "../../src/checks/index.js";
import { runWorld } from "../../src/explore/run.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";
import { loadMay8, may8CascadeEvents } from "../fidelity/may8-scenario.js";

const FAULTS = join(import.meta.dirname, "fixtures", "why-faults.yaml");

/** The buggy run of a scenario file, every event. */
function eventsOf(path: string): TraceEvent[] {
  const parsed = parseScenario(readFileSync(path, "utf8"), path);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("\n"));
  const collect = new CollectSink();
  runWorld(compileScenario(parsed.scenario), { sinks: [collect] });
  return collect.events;
}

/** Each trace's events by seq, the first of each as `find` gives it: indexed once per trace, not scanned per step. */
const bySeq = new WeakMap<readonly TraceEvent[], Map<number, TraceEvent>>();
function eventOf(events: readonly TraceEvent[], seq: number): TraceEvent | undefined {
  let index = bySeq.get(events);
  if (index === undefined) {
    index = new Map();
    for (const e of events) if (!index.has(e.seq)) index.set(e.seq, e);
    bySeq.set(events, index);
  }
  return index.get(seq);
}

/** Every promise a chain makes, checked against the trace it was built from. */
function expectHonest(events: readonly TraceEvent[], seq: number, chain: readonly ChainLink[]): void {
  expect(chain.at(-1)?.seq).toBe(seq);
  chain.forEach((e, i) => {
    const where = `#${seq}: step ${i} (#${e.seq} ${e.type})`;
    const { link, context, ...event } = e;
    expect(event, where).toEqual(eventOf(events, e.seq));
    if (link === "cause") expect(e.cause, where).toBe(chain[i - 1]?.seq);
    else if (link === "root") expect(e.cause, where).toBeNull();
    else {
      expect(link, where).toBe("context");
      expect(e.cause === null || e.cause !== chain[i - 1]?.seq, where).toBe(true);
      expect(context, where).toMatch(/\w/);
    }
  });
  // The chain itself (after the context put first) is in time order.
  const main = chain.slice(chain.findIndex((e) => e.context === undefined || e.link === "context"));
  for (let i = 1; i < main.length; i++) expect(main[i].t).toBeGreaterThanOrEqual(main[i - 1].t);
}

describe("on the May 8 replay", () => {
  let events: TraceEvent[] = [];
  beforeAll(() => {
    events = may8CascadeEvents();
  }, 60_000);

  it("every death's chain marks as causes only cause links, and starts at the deletion's operator action", () => {
    const deaths = events.filter((e) => e.type === "worker.crashed");
    expect(deaths.length).toBeGreaterThan(20);
    for (const death of deaths) {
      const chain = causalChain(events, death.seq);
      expectHonest(events, death.seq, chain);
      if (death.account !== "acct-deleted") continue;
      expect(chain.slice(0, 2).map((e) => [e.type, e.link])).toEqual([
        ["operator.action", "root"],
        ["account.deleted", "cause"],
      ]);
      // The task's first fire is not led to by the deletion: context, saying where the chain stops.
      expect(chain[2]).toMatchObject({ type: "schedule.fired", link: "context" });
      expect(chain[2].context).toContain(`its cause #${chain[2].cause}`);
    }
  });
});

describe("on a run with a pause, a store outage and http errors", () => {
  let events: TraceEvent[] = [];
  beforeAll(() => {
    events = eventsOf(FAULTS);
  }, 60_000);
  const faultOf = (chain: readonly ChainLink[]) =>
    chain.filter((e) => e.type === "fault.injected" && e.context !== undefined).map((e) => e.fault);

  it("every crash, lease expiry and failed delivery has an honest chain", () => {
    const targets = events.filter((e) =>
      ["worker.crashed", "lease.expired", "delivery.failed"].includes(e.type),
    );
    expect(targets.length).toBeGreaterThan(50);
    for (const e of targets) expectHonest(events, e.seq, causalChain(events, e.seq));
  });

  it("shows the pause or the store outage under which a lease ran out with no death behind it", () => {
    const expiries = events.filter(
      (e) => e.type === "lease.expired" && events[e.cause ?? 0].type !== "worker.crashed",
    );
    const faults = expiries.map((e) => faultOf(causalChain(events, e.seq)));
    expect(faults).toContainEqual(["pause-worker"]);
    expect(faults).toContainEqual(["store-outage"]);
  });

  it("shows the http-errors fault behind a delivery that failed with its status while it was active", () => {
    const fault = events.find((e) => e.fault === "http-errors");
    const failed = events.find((e) => e.type === "delivery.failed" && e.status === 503);
    expect(fault).toBeDefined();
    expect(failed).toBeDefined();
    // The failure names the fault that answered its send; the chain puts it first, after the
    // action that armed it.
    expect(failed!.fault).toBe(fault!.seq);
    const chain = causalChain(events, failed!.seq);
    expect(chain[0]).toMatchObject({ seq: fault!.armed, link: "root", action: "arm-http-errors" });
    expect(chain[1]).toMatchObject({ seq: fault!.seq, link: "cause" });
    expect(chain[1].context).toContain(`the fault that failed #${failed!.seq} (HTTP 503)`);
  });

  it("shows no http-errors fault behind a delivery that failed with another status: the destination's own failure", () => {
    // The same world with the destination failing a fifth of its deliveries (HTTP 500) on its own.
    const text = readFileSync(FAULTS, "utf8").replace(
      "  accounts: 20\n",
      "  accounts: 20\n  destination: { failureRate: 0.2 }\n",
    );
    const parsed = parseScenario(text, FAULTS);
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("\n"));
    const collect = new CollectSink();
    runWorld(compileScenario(parsed.scenario), { sinks: [collect] });
    const all = collect.events;
    const fault = all.find((e) => e.fault === "http-errors")!;
    const during = (e: TraceEvent) => e.t >= fault.t && e.t < fault.t + (fault.durationMs as number);
    const failed = all.filter((e) => e.type === "delivery.failed" && during(e));
    // Of messages no earlier attempt of which the fault failed (that one is in its chain, rightly).
    const faulted = new Set(failed.filter((e) => e.status === 503).map((e) => e.message));
    const own = failed.filter((e) => e.status === 500 && !faulted.has(e.message));
    const injected = failed.filter((e) => e.status === 503);
    expect(own.length).toBeGreaterThan(0);
    expect(injected.length).toBeGreaterThan(0);
    for (const e of own) {
      const chain = causalChain(all, e.seq);
      expect(
        chain.some((x) => x.seq === fault.seq),
        `#${e.seq}`,
      ).toBe(false);
      expectHonest(all, e.seq, chain);
    }
    for (const e of injected) expect(causalChain(all, e.seq)[1].seq).toBe(fault.seq);
  });

  it("labels no death of a plain cause walk as another task's, and adds no other account's deletion", () => {
    // A retry of a message is a task that never fired: its chain is the trace's cause links.
    const retry = events.find((e) => e.type === "delivery.failed" && String(e.task).includes("#"));
    expect(retry).toBeDefined();
    const chain = causalChain(events, retry!.seq);
    expect(chain.filter((e) => e.type === "account.deleted" && e.account !== retry!.account)).toEqual([]);
    for (const e of chain.filter((x) => x.type === "worker.crashed")) expect(e.link).toBe("cause");
  });
});

describe("on a run whose store outage ended before the leases it starved ran out", () => {
  // A 22 s outage from 09:43:00: the heartbeats in it fail, and the leases last renewed before it
  // run out at 09:43:25, 3 s after it ended, before the next heartbeat could renew them.
  const TINY = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");
  let events: TraceEvent[] = [];
  beforeAll(() => {
    const text = readFileSync(TINY, "utf8");
    const base = text.slice(0, text.indexOf("\ntimeline:") + 1);
    const parsed = parseScenario(
      `${base}faults:\n  - { at: "09:43:00", fault: store-outage, duration: 22s }\n`,
      TINY,
    );
    if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("\n"));
    const collect = new CollectSink();
    runWorld(compileScenario(parsed.scenario), { sinks: [collect] });
    events = collect.events;
  }, 60_000);

  it("shows the outage as context, given the lease TTL, and says how long before the expiry it ended", () => {
    const outage = events.find((e) => e.type === "fault.injected" && e.fault === "store-outage")!;
    const outageEnd = outage.t + Number(outage.durationMs);
    const expiries = events.filter((e) => e.type === "lease.expired" && Number(e.expiredAt) > outageEnd);
    expect(expiries.length).toBeGreaterThan(0);
    for (const e of expiries) {
      const chain = causalChain(events, e.seq, { leaseTtlMs: 30_000 });
      expectHonest(events, e.seq, chain);
      const context = chain.find((x) => x.seq === outage.seq);
      expect(context?.link).toBe("root");
      const before = ((Number(e.expiredAt) - outageEnd) / 1000).toFixed(1).replace(/\.0$/, "");
      expect(context?.context).toBe(
        `the store was down, failing renewals, until ${before}s before ${String(e.worker)}'s lease on partition ${String(e.partition)} ran out, #${e.seq}`,
      );
      // Without the TTL the trace alone cannot tell it from an outage long before: not shown.
      expect(causalChain(events, e.seq).some((x) => x.seq === outage.seq)).toBe(false);
    }
  });

  it("leaves out an outage that ended a lease TTL or more before the expiry", () => {
    const outage = events.find((e) => e.type === "fault.injected" && e.fault === "store-outage")!;
    const later = events.filter((e) => e.type === "lease.expired" && Number(e.expiredAt) > outage.t);
    for (const e of later) {
      const ttl = Number(e.expiredAt) - (outage.t + Number(outage.durationMs));
      expect(causalChain(events, e.seq, { leaseTtlMs: ttl }).some((x) => x.seq === outage.seq)).toBe(false);
    }
  });
});

describe("on a run whose tasks were quarantined", () => {
  it("shows what each quarantine answers: the task's recovered panics between its fires", () => {
    const { compiled } = loadMay8();
    const varied = applyVariant(
      { ...compiled, config: { ...compiled.config, durationMs: 20 * 60_000 } },
      "panic-recovery",
    )!;
    const collect = new CollectSink();
    runWorld(varied, { sinks: [collect] });
    const all = collect.events;
    const quarantined = all.filter((e) => e.type === "task.quarantined");
    expect(quarantined.length).toBeGreaterThan(0);
    for (const q of quarantined) {
      const chain = causalChain(all, q.seq);
      expectHonest(all, q.seq, chain);
      const panics = all.filter((e) => e.type === "panic.recovered" && e.task === q.task && e.seq < q.seq);
      expect(panics.length).toBe(Number(q.attempts));
      expect(chain.filter((x) => x.type === "panic.recovered").map((x) => x.seq)).toEqual(
        panics.map((e) => e.seq),
      );
    }
  });
});
