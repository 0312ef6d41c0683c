import { causalChain, findCrash } from "../checks/index.js";
import { type RunClock, readableDetail, type TraceEvent } from "../kernel/index.js";
import { CHAIN_MARKS, chainLinkOf, chainStepText } from "../report/causal-chain.js";
import type { Paint } from "../report/paint.js";
import { fitLines, plural, table } from "./format.js";
import type { LiveWorld } from "./live.js";

/**
 * Ground truth, hidden from the on-call view: which schedules are poison, why a worker died,
 * and who holds which partition. Shown by `reveal` and in facilitator mode.
 */

/** A schedule whose task kills the workers that run it (or will, once it comes due). */
export interface PoisonInfo {
  readonly schedule: string;
  readonly account: string;
  readonly partition: number;
  readonly deaths: number;
  /** Distinct workers it killed, in order of their first death. */
  readonly victims: readonly string[];
  readonly quarantined: boolean;
  /** The schedule is gone from the store (cleaned up or deleted): it can kill no more. */
  readonly removed: boolean;
  readonly nextDueMs: number | null;
}

/** Schedules that killed workers, then schedules of deleted accounts not cleaned up yet. */
export function poisonSchedules(live: LiveWorld): PoisonInfo[] {
  const store = live.world.store;
  const out: PoisonInfo[] = [];
  const seen = new Set<string>();
  for (const record of live.cascade.poison.values()) {
    seen.add(record.schedule);
    const row = store.schedules.get(record.schedule);
    const first = record.victims[0];
    out.push({
      schedule: record.schedule,
      account: row?.account ?? first?.account ?? "?",
      partition: row?.partition ?? first?.partition ?? store.partitionOf(record.schedule),
      deaths: record.deaths,
      victims: [...new Set(record.victims.map((v) => v.worker))],
      quarantined: row?.quarantined ?? false,
      removed: row === undefined,
      nextDueMs: row?.nextFireAt ?? null,
    });
  }
  for (const row of store.schedules.values()) {
    if (seen.has(row.id) || store.accounts.has(row.account)) continue;
    out.push({
      schedule: row.id,
      account: row.account,
      partition: row.partition,
      deaths: 0,
      victims: [],
      quarantined: row.quarantined,
      removed: false,
      nextDueMs: row.nextFireAt,
    });
  }
  return out;
}

/** Everything `reveal` shows at this moment. */
export function renderReveal(live: LiveWorld, paint: Paint, columns?: number): string {
  return [
    renderPoison(live, paint, columns),
    renderFaults(live, paint, columns),
    renderLatestChain(live, paint, columns),
    renderLeaseTable(live, paint, columns),
  ].join("\n\n");
}

/** The poison schedules now; fitted to the terminal's width (`columns`) when known. */
export function renderPoison(live: LiveWorld, paint: Paint, columns?: number): string {
  return fitLines(renderPoisonLines(live, paint), columns);
}

function renderPoisonLines(live: LiveWorld, paint: Paint): string {
  const poison = poisonSchedules(live);
  const lines = [
    paint.bold(`Ground truth at ${live.clock.precise(live.now)} (hidden from the on-call engineer)`),
  ];
  const deletions = live.causes.events.filter((e) => e.type === "account.deleted");
  for (const d of deletions)
    lines.push(`  account ${paint.magenta(String(d.account))} was deleted at ${live.clock.clock(d.t)}`);
  if (poison.length === 0) {
    lines.push(
      paint.dim("  no poison task: no schedule has killed a worker, none belongs to a deleted account"),
    );
    return lines.join("\n");
  }
  const store = live.world.store;
  for (const p of poison) {
    if (p.removed) {
      lines.push(
        `  ${paint.green("was poison")} ${paint.bold(p.schedule)} of ${p.account}: killed ${p.victims.join(", ")} (${plural(p.deaths, "panic death")}); now removed from the store`,
      );
      continue;
    }
    const lease = store.lease(p.partition);
    const owner =
      lease.owner === null
        ? "no owner"
        : lease.expiresAt > live.now
          ? `held by ${lease.owner}`
          : `lease of ${lease.owner} expired at ${live.clock.clock(lease.expiresAt)}`;
    const killed =
      p.deaths === 0
        ? "has not killed a worker yet"
        : `killed ${p.victims.join(", ")} (${plural(p.deaths, "panic death")})`;
    const due = p.nextDueMs === null ? "" : `, due ${live.clock.clock(p.nextDueMs)}`;
    lines.push(
      `  ${paint.red("poison")} ${paint.bold(p.schedule)} of ${p.account}: ${killed}; partition ${p.partition} ${owner}${due}${p.quarantined ? paint.green(", quarantined") : ""}`,
    );
  }
  return lines.join("\n");
}

/** How long ago a fault that is over at once (a kill, an injected panic) is still shown. */
const RECENT_FAULT_MS = 5 * 60_000;

/**
 * The chaos the scenario injects, which the on-call engineer sees only by its effects: the faults
 * under way now (a store outage, an endpoint down, a clock skew, a pause, a hang), each with when
 * it ends, and those over at once that struck in the last 5 minutes (kills, injected panics).
 */
export function renderFaults(live: LiveWorld, paint: Paint, columns?: number): string {
  const now = live.now;
  const events = live.causes.events.filter((e) => e.t <= now);
  // A fault on a worker's process (a pause, a hang in one of its tasks) ends with that process.
  const ends = new Map<string, number[]>();
  for (const e of events)
    if ((e.type === "worker.crashed" || e.type === "worker.stopped") && typeof e.worker === "string")
      ends.set(e.worker, [...(ends.get(e.worker) ?? []), e.t]);
  const endedSince = (worker: unknown, t: number) =>
    typeof worker === "string" && (ends.get(worker) ?? []).some((end) => end >= t);
  // A worker's clock is off by its latest skew, if the world's clock for it is off now at all
  // (a skew of 0 sets it right; a later skew replaces an earlier one).
  const latestSkew = new Map<unknown, TraceEvent>();
  for (const e of events)
    if (e.type === "fault.injected" && e.fault === "clock-skew") latestSkew.set(e.worker, e);
  const skewed = live.world.chaos.clockSkewMs;
  const underWay: string[] = [];
  const struck: string[] = [];
  // An HTTP fault is under way from when its window opened (armed), whether or not it has failed
  // a delivery yet (its `fault.injected` is the first it failed): the world has its open windows.
  const httpOpen = new Map(live.world.chaos.httpWindows.map((w) => [w.armed, w]));
  for (const e of events) {
    const window = e.type === "operator.action" ? httpOpen.get(e.seq) : undefined;
    if (window !== undefined) {
      const yet = window.injected === null ? ", none failed yet" : "";
      underWay.push(
        `  ${paint.red("under way")} since ${live.clock.clock(e.t)}: ${readableDetail(String(e.detail))} (until ${live.clock.clock(window.endMs)}${yet})`,
      );
      continue;
    }
    if (e.type !== "fault.injected" || e.fault === "http-errors" || e.fault === "http-timeouts") continue;
    const detail = readableDetail(String(e.detail ?? e.fault), e.task);
    const on = typeof e.worker === "string" && !detail.includes(e.worker) ? ` on ${e.worker}` : "";
    const durationMs = typeof e.durationMs === "number" ? e.durationMs : null;
    const since = `${paint.red("under way")} since ${live.clock.clock(e.t)}: ${detail}${on}`;
    if (e.fault === "clock-skew") {
      if (latestSkew.get(e.worker) !== e || !skewed.has(String(e.worker))) continue;
      underWay.push(
        durationMs === null ? `  ${since}` : `  ${since} (until ${live.clock.clock(e.t + durationMs)})`,
      );
      continue;
    }
    if ((e.fault === "pause-worker" || e.fault === "hang") && endedSince(e.worker, e.t)) continue;
    if (durationMs !== null && e.t + durationMs > now)
      underWay.push(`  ${since} (until ${live.clock.clock(e.t + durationMs)})`);
    // A hang with no duration lasts as long as its worker's process (its detail says so).
    else if (durationMs === null && e.fault === "hang") underWay.push(`  ${since}`);
    else if (durationMs === null && now - e.t <= RECENT_FAULT_MS)
      struck.push(`  ${paint.dim("struck")} at ${live.clock.clock(e.t)}: ${detail}${on}`);
  }
  // The latest of those over at once: an injected panic may strike many times a minute.
  const shown = struck.slice(-STRUCK_SHOWN_MAX);
  const more = struck.length - shown.length;
  const lines = [
    ...underWay,
    ...(more > 0 ? [paint.dim(`  … ${more} more struck before these`)] : []),
    ...shown,
  ];
  const title = paint.bold("Faults the scenario injects (seen on call only by what they do)");
  const none = paint.dim("  none under way, none in the last 5m");
  return fitLines([title, ...(lines.length === 0 ? [none] : lines)].join("\n"), columns);
}

/** Faults over at once shown at most, the latest. */
const STRUCK_SHOWN_MAX = 5;

function renderLatestChain(live: LiveWorld, paint: Paint, columns: number | undefined): string {
  const deaths = live.causes.events.filter((e) => e.type === "worker.crashed" && e.reason === "panic");
  const last = deaths[deaths.length - 1];
  if (last === undefined) return fitLines(paint.dim("No panic death yet: no causal chain to show."), columns);
  return renderChainOf(live, last, paint, columns);
}

/** The chain behind a crash: `w3` (its latest death), `w3#2` (its second), or a trace seq. */
export function renderWhy(live: LiveWorld, target: string, paint: Paint, columns?: number): string | null {
  const events = live.causes.events;
  let ref = target;
  if (/^[^#\d][^#]*$/.test(target)) {
    const own = events.filter((e) => e.type === "worker.crashed" && e.worker === target);
    const panics = own.filter((e) => e.reason === "panic");
    const count = (panics.length > 0 ? panics : own).length;
    if (count === 0) return null;
    ref = `${target}#${count}`;
  }
  const crash = findCrash(events, ref);
  return crash === undefined ? null : renderChainOf(live, crash, paint, columns);
}

/**
 * A causal chain as the room reads it: `aftershock why`'s steps without what its users want and
 * a training room does not (the trace's event ids, the notes on which cause links the chain has
 * or does not follow), and the deletion as what it was in the story, a customer's.
 */
function renderRoomChain(chain: readonly TraceEvent[], paint: Paint, title: string, clock: RunClock): string {
  const lines = [paint.bold(title)];
  chain.forEach((e, i) => {
    const text =
      e.type === "operator.action" && e.action === "delete-account"
        ? `the customer deleted account ${String(e.detail).replace(/^delete-account\s+/, "")} (in the console)`
        : chainStepText(e, clock, paint, "terminal");
    lines.push(`  ${paint.dim(clock.clockMs(e.t))} ${CHAIN_MARKS[chainLinkOf(chain, i)]} ${text}`);
  });
  lines.push(
    paint.dim(`  ${CHAIN_MARKS.cause} caused by the step above; ${CHAIN_MARKS.context} what set it up`),
  );
  return lines.join("\n");
}

/** A crash's causal chain; each step wrapped to the terminal's width (`columns`) when known. */
function renderChainOf(
  live: LiveWorld,
  crash: TraceEvent,
  paint: Paint,
  columns: number | undefined,
): string {
  const chain = causalChain(live.causes.events, crash.seq, {
    leaseTtlMs: live.world.config.fleet.leaseTtlMs,
  });
  const who = crash.type === "worker.crashed" ? `${String(crash.worker)} died` : "it happened";
  const text = renderRoomChain(chain, paint, `Why ${who} at ${live.clock.clockMs(crash.t)}`, live.clock);
  if (!live.causes.truncated) return fitLines(text, columns);
  return fitLines(
    `${text}\n${paint.dim("  (the causal log hit its cap: the chain may stop early)")}`,
    columns,
  );
}

/** Who holds which partition, by the store's lease table, with the poison partitions marked. */
export function leasesByWorker(live: LiveWorld): Map<string, { held: number[]; expired: number[] }> {
  const store = live.world.store;
  const out = new Map<string, { held: number[]; expired: number[] }>();
  for (const slot of live.world.slots) out.set(slot.id, { held: [], expired: [] });
  for (let p = 0; p < live.world.fleet.partitions; p++) {
    const lease = store.lease(p);
    if (lease.owner === null) continue;
    let entry = out.get(lease.owner);
    if (!entry) {
      entry = { held: [], expired: [] };
      out.set(lease.owner, entry);
    }
    (lease.expiresAt > live.now ? entry.held : entry.expired).push(p);
  }
  return out;
}

export function renderLeaseTable(live: LiveWorld, paint: Paint, columns?: number): string {
  const poison = new Map<number, string>();
  for (const p of poisonSchedules(live))
    if (!p.quarantined && !p.removed) poison.set(p.partition, p.schedule);
  const mark = (p: number) => (poison.has(p) ? paint.red(`${p}☠`) : String(p));
  const rows: string[][] = [];
  for (const [worker, { held, expired }] of leasesByWorker(live)) {
    const heldText = held.length === 0 ? paint.dim("none") : held.map(mark).join(" ");
    const expiredText =
      expired.length === 0 ? "" : paint.yellow(`expired, not yet taken: ${expired.map(mark).join(" ")}`);
    rows.push([worker, `${held.length}`, heldText, expiredText]);
  }
  const lines = [
    fitLines(
      paint.bold("Lease table (partition leases by worker; ☠ = a poison schedule's partition)"),
      columns,
    ),
  ];
  lines.push(table(rows, "  ", "  ", columns));
  const free: number[] = [];
  for (let p = 0; p < live.world.fleet.partitions; p++)
    if (live.world.store.lease(p).owner === null) free.push(p);
  if (free.length > 0) lines.push(fitLines(`  unowned: ${free.map(mark).join(" ")}`, columns));
  return lines.join("\n");
}
