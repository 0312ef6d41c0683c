// Shows that the streaming watermark ledger agrees with a naive reference that keeps every due in a Map.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import type { TraceEvent } from "../../src/kernel/trace.js";
import { fireTimesBetween, nextFireAfter, parseCron } from "../../src/world/cron.js";
import { MIN, SEC, T0, TraceBuilder, task } from "./trace-builder.js";

const CRONS = ["* * * * *", "*/2 * * * *", "*/3 * * * *", "1-59/7 * * * *"];
const ACCOUNTS = ["a", "b", "c"];
const STEP_MS = 15 * SEC;

interface ScheduleSpec {
  readonly cron: string;
  readonly account: string;
  readonly createdStep: number;
}

type Op =
  | { kind: "ack"; schedule: number; dueIndex: number; delay: number | "slo-1" | "slo" | "slo+1" }
  | { kind: "pause"; schedule: number; paused: boolean; step: number }
  | { kind: "quarantine"; schedule: number; step: number }
  | { kind: "delete-schedule"; schedule: number; step: number }
  | { kind: "delete-account"; account: string; step: number }
  | { kind: "create-account"; account: string; step: number };

/** Ack delays after the due, in steps, or right around the end of the SLO window where bugs hide. */
const delayArb = fc.oneof(
  fc.integer({ min: -2, max: 30 }),
  fc.constantFrom("slo-1" as const, "slo" as const, "slo+1" as const),
);

function delayMs(delay: number | "slo-1" | "slo" | "slo+1", sloMs: number): number {
  if (typeof delay === "number") return delay * STEP_MS;
  return sloMs + (delay === "slo" ? 0 : delay === "slo-1" ? -1 : 1);
}

interface World {
  readonly horizonMin: number;
  readonly sloMs: number;
  readonly schedules: readonly ScheduleSpec[];
  readonly ops: readonly Op[];
}

const worldArb: fc.Arbitrary<World> = fc
  .record({
    horizonMin: fc.integer({ min: 3, max: 14 }),
    sloMs: fc.constantFrom(15 * SEC, 30 * SEC, MIN, 2 * MIN, 3 * MIN),
  })
  .chain(({ horizonMin, sloMs }) => {
    const steps = (horizonMin * MIN) / STEP_MS;
    const schedule = fc.record({
      cron: fc.constantFrom(...CRONS),
      account: fc.constantFrom(...ACCOUNTS),
      createdStep: fc.integer({ min: 0, max: steps / 2 }),
    });
    return fc.array(schedule, { minLength: 1, maxLength: 4 }).chain((schedules) => {
      const s = fc.integer({ min: 0, max: schedules.length - 1 });
      const step = fc.integer({ min: 0, max: steps });
      const op: fc.Arbitrary<Op> = fc.oneof(
        {
          weight: 8,
          arbitrary: fc.record({
            kind: fc.constant("ack" as const),
            schedule: s,
            dueIndex: fc.nat(40),
            delay: delayArb,
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant("pause" as const),
            schedule: s,
            paused: fc.boolean(),
            step,
          }),
        },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant("quarantine" as const), schedule: s, step }) },
        {
          weight: 1,
          arbitrary: fc.record({ kind: fc.constant("delete-schedule" as const), schedule: s, step }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant("delete-account" as const),
            account: fc.constantFrom(...ACCOUNTS),
            step,
          }),
        },
        {
          // The account created again (or, when it is not deleted then, a creation the checks ignore).
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant("create-account" as const),
            account: fc.constantFrom(...ACCOUNTS),
            step,
          }),
        },
      );
      return fc.array(op, { maxLength: 60 }).map((ops) => ({ horizonMin, sloMs, schedules, ops }));
    });
  });

/** A timed trace event before seq assignment. */
interface Timed {
  readonly t: number;
  readonly emit: (b: TraceBuilder) => void;
  readonly op: Op | { kind: "create"; schedule: number };
}

/** Builds a consistent trace from the random world: events in time order, ties in generated order. */
function traceOf(world: World): TraceEvent[] {
  const horizon = T0 + world.horizonMin * MIN;
  const timed: Timed[] = [];
  const ids = world.schedules.map((_, i) => `s${i}`);
  world.schedules.forEach((spec, i) => {
    timed.push({
      t: T0 + spec.createdStep * STEP_MS,
      op: { kind: "create", schedule: i },
      emit: (b) => b.schedule(ids[i], spec.account, { cron: spec.cron }),
    });
  });
  for (const op of world.ops) {
    if (op.kind === "ack") {
      const spec = world.schedules[op.schedule];
      const created = T0 + spec.createdStep * STEP_MS;
      const fires = fireTimesBetween(parseCron(spec.cron), created, horizon + 10 * MIN);
      const due = fires[op.dueIndex % fires.length];
      const t = Math.max(created, due + delayMs(op.delay, world.sloMs));
      if (t > horizon) continue;
      timed.push({
        t,
        op,
        emit: (b) =>
          b.emit("delivery.acked", {
            ...task("w1", ids[op.schedule], spec.account, due),
            message: "m",
            attempt: 0,
            status: 200,
          }),
      });
      continue;
    }
    const t = T0 + op.step * STEP_MS;
    if (op.kind === "delete-account") {
      timed.push({ t, op, emit: (b) => b.emit("account.deleted", { account: op.account, schedules: 0 }) });
      continue;
    }
    if (op.kind === "create-account") {
      timed.push({ t, op, emit: (b) => b.emit("account.created", { account: op.account }) });
      continue;
    }
    const id = ids[op.schedule];
    const account = world.schedules[op.schedule].account;
    if (op.kind === "pause") {
      timed.push({
        t,
        op,
        emit: (b) => b.emit("schedule.paused", { schedule: id, account, paused: op.paused }),
      });
    } else if (op.kind === "quarantine") {
      timed.push({
        t,
        op,
        emit: (b) => b.emit("schedule.quarantined", { schedule: id, account, by: "operator" }),
      });
    } else {
      timed.push({
        t,
        op,
        emit: (b) => b.emit("schedule.deleted", { schedule: id, account, by: "operator" }),
      });
    }
  }
  timed.sort((x, y) => x.t - y.t); // stable: ties keep the generated order
  const b = new TraceBuilder();
  b.start({ horizonMin: world.horizonMin, sloMs: world.sloMs });
  const created = new Set<number>();
  const deletedAt = new Map<number, number>();
  const accountDeletedAt = new Map<string, number[]>();
  for (const item of timed)
    if (item.op.kind === "delete-account") {
      const times = accountDeletedAt.get(item.op.account) ?? [];
      accountDeletedAt.set(item.op.account, [...times, item.t]);
    }
  for (const item of timed) {
    const op = item.op;
    if (op.kind === "delete-account" || op.kind === "create-account") {
      b.at(item.t);
      item.emit(b);
      continue;
    }
    if (op.kind !== "create" && !created.has(op.schedule)) continue;
    if (op.kind === "create") created.add(op.schedule);
    if (op.kind === "pause" || op.kind === "quarantine" || op.kind === "delete-schedule") {
      // Status changes of a deleted schedule mean nothing; a schedule deleted at the very instant
      // its account is would make the order of the two events matter (a tie the trace never has).
      if (deletedAt.has(op.schedule)) continue;
      if (op.kind === "delete-schedule") {
        if (accountDeletedAt.get(world.schedules[op.schedule].account)?.includes(item.t)) continue;
        deletedAt.set(op.schedule, item.t);
      }
    }
    b.at(item.t);
    item.emit(b);
  }
  return b.events;
}

/** The definitions of DESIGN.md, computed the obvious way: every due and every ack in Maps. */
function reference(events: readonly TraceEvent[]) {
  const start = events[0] as unknown as { sloMs: number; horizon: number };
  const { sloMs, horizon } = start;
  // Each account's deletions, as [from, to) with to Infinity while it is not created again.
  const accountDeleted = new Map<string, Array<{ from: number; to: number }>>();
  const schedules = new Map<
    string,
    {
      account: string;
      cron: string;
      createdAt: number;
      next: number;
      deletedAt: number | null;
      status: Array<{ t: number; paused?: boolean; quarantined?: boolean }>;
    }
  >();
  const firstAck = new Map<string, number>();
  let duplicate = 0;
  for (const e of events) {
    const f = e as unknown as Record<string, never>;
    switch (e.type) {
      case "schedule.created":
        schedules.set(f.schedule, {
          account: f.account,
          cron: f.cron,
          createdAt: e.t,
          next: f.next,
          deletedAt: null,
          status: [],
        });
        break;
      case "schedule.deleted":
        schedules.get(f.schedule)!.deletedAt ??= e.t;
        break;
      case "schedule.paused":
        schedules.get(f.schedule)!.status.push({ t: e.t, paused: f.paused });
        break;
      case "schedule.quarantined":
        schedules.get(f.schedule)!.status.push({ t: e.t, quarantined: true });
        break;
      case "account.deleted": {
        const spans = accountDeleted.get(f.account) ?? [];
        if (spans.at(-1)?.to !== Number.POSITIVE_INFINITY)
          spans.push({ from: e.t, to: Number.POSITIVE_INFINITY });
        accountDeleted.set(f.account, spans);
        break;
      }
      case "account.created": {
        const last = accountDeleted.get(f.account)?.at(-1);
        if (last?.to === Number.POSITIVE_INFINITY) last.to = e.t;
        break;
      }
      case "delivery.acked": {
        const key = `${f.schedule}|${f.due}`;
        if (firstAck.has(key)) duplicate++;
        else firstAck.set(key, e.t);
        break;
      }
    }
  }
  const counts = { due: 0, onTime: 0, late: 0, missed: 0, duplicate, early: 0, deadLettered: 0, unowed: 0 };
  const affected = new Set<string>();
  for (const [id, s] of schedules) {
    const spec = parseCron(s.cron);
    for (let d: number | null = s.next; d !== null && d + sloMs <= horizon; d = nextFireAfter(spec, d)) {
      const acked = firstAck.get(`${id}|${d}`);
      if (!owed(s, d)) {
        // Owed to nobody, delivered all the same.
        if (acked !== undefined) counts.unowed++;
        continue;
      }
      counts.due++;
      if (acked !== undefined && acked <= d + sloMs) {
        counts.onTime++;
        // Delivered before it was due (an ack ahead of its fire time).
        if (acked < d) counts.early++;
      } else {
        affected.add(s.account);
        if (acked !== undefined) counts.late++;
        else counts.missed++;
      }
    }
  }
  return { counts, affected: affected.size };

  /** Whether due d of schedule s counts: live then, and its account not deleted then. */
  function owed(
    s: {
      account: string;
      createdAt: number;
      deletedAt: number | null;
      status: Array<{ t: number; paused?: boolean; quarantined?: boolean }>;
    },
    d: number,
  ): boolean {
    if (d < s.createdAt || (s.deletedAt !== null && s.deletedAt <= d)) return false;
    if (accountDeleted.get(s.account)?.some((span) => span.from <= d && d < span.to)) return false;
    let paused = false;
    let quarantined = false;
    for (const change of s.status) {
      if (change.t > d) break;
      if (change.paused !== undefined) paused = change.paused;
      if (change.quarantined) quarantined = true;
    }
    return !paused && !quarantined;
  }
}

/** Acks of fires whose SLO window runs past the horizon, once per fire: the ledger judges none of them. */
function lastWindowFires(events: readonly TraceEvent[]): number {
  const { sloMs, horizon } = events[0] as unknown as { sloMs: number; horizon: number };
  const fires = new Set<string>();
  for (const e of events) {
    const f = e as unknown as { schedule: string; due: number };
    if (e.type === "delivery.acked" && f.due + sloMs > horizon) fires.add(`${f.schedule}|${f.due}`);
  }
  return fires.size;
}

describe("delivery ledger against a naive reference", () => {
  it("counts the same dues, on-time, early, late, missed, unowed and duplicates for any interleaving", () => {
    let early = 0;
    let unowed = 0;
    fc.assert(
      fc.property(worldArb, (world) => {
        const events = traceOf(world);
        const expected = reference(events);
        const { metrics } = computeReport(events);
        const { afterDeletion: _, ...counts } = metrics.deliveries;
        expect(counts).toEqual(expected.counts);
        expect(metrics.affectedAccounts).toBe(expected.affected);
        // Every ack counts once: the first of a fire on time, late or unowed, any other a duplicate
        // (all fire times here), but those of fires in the last SLO window, which are not judged.
        const acks = events.filter((e) => e.type === "delivery.acked").length;
        const { onTime, late, duplicate } = metrics.deliveries;
        expect(onTime + late + (metrics.deliveries.unowed ?? 0) + duplicate + metrics.unexpectedDues).toBe(
          acks - lastWindowFires(events),
        );
        if (expected.counts.early > 0) early++;
        if (expected.counts.unowed > 0) unowed++;
      }),
      { numRuns: 400, seed: 20260508 },
    );
    // The paths of dues delivered before they were due, and of fires owed to nobody, were taken.
    expect(early).toBeGreaterThan(0);
    expect(unowed).toBeGreaterThan(0);
  });
});
