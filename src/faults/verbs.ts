/**
 * Chaos as plain verbs on a running world (turmoil's `crash`, `hold`, `release`): each acts
 * at the current simulated time, is traced as `fault.injected` with a probe count, and undoes
 * itself after its duration where it has one.
 */
import { formatDuration } from "../kernel/time.js";
import { type HttpWindow, httpFaultDetail, percentText } from "../world/chaos.js";
import { emitEvent } from "../world/emit.js";
import { clockSkewDetail } from "../world/events.js";
import type { FaultPoint } from "../world/runtime.js";
import { noProcessReason } from "../world/worker.js";
import type { World } from "../world/world.js";

/**
 * Windows of faults with a duration that are active now, per world, so that overlapping windows
 * of one kind compose: an outage ends when the last overlapping outage ends. (An HTTP fault's
 * window is the world's own, `ChaosState.httpWindows`: each acts as a fault of its own.)
 */
interface ActiveWindows {
  outages: number;
  /** The skew each worker's clock has now, by the seq of the fault that set it. */
  readonly skews: Map<string, number>;
}

const activeWindows = new WeakMap<World, ActiveWindows>();

function windowsOf(world: World): ActiveWindows {
  let w = activeWindows.get(world);
  if (w === undefined) {
    w = { outages: 0, skews: new Map() };
    activeWindows.set(world, w);
  }
  return w;
}

function removeItem<T>(items: T[], item: T): void {
  const i = items.indexOf(item);
  if (i >= 0) items.splice(i, 1);
}

/**
 * Opens an HTTP fault's window for `durationMs`: armed now (an `operator.action` `arm-<fault>`),
 * it fires when it first fails a send (`fault.injected`, traced by the world), and one that failed
 * none by its window's end did not fire: `fault.skipped` then says why. A rate of 0 can fail
 * nothing: skipped at once, with no window.
 */
function openHttpWindow(
  world: World,
  fault: HttpWindow["fault"],
  durationMs: number,
  rate: number,
  status: number,
  account: string | undefined,
): void {
  if (rate <= 0) {
    traceSkipped(world, fault, `its rate is 0, so it fails no ${deliveryOf(account)}`);
    return;
  }
  const armed = emitEvent(world.sim, "operator.action", {
    action: `arm-${fault}`,
    detail: httpFaultDetail({ fault, rate, status, account }, durationMs),
  });
  const window: HttpWindow = {
    fault,
    rate,
    status,
    account,
    endMs: world.sim.now + durationMs,
    armed,
    covered: 0,
    drawn: 0,
    injected: null,
  };
  world.chaos.httpWindows.push(window);
  world.sim.after(durationMs, () => {
    removeItem(world.chaos.httpWindows, window);
    if (window.injected !== null) return;
    const { covered, drawn } = window;
    const span = `its ${formatDuration(durationMs)} window`;
    const before = covered - drawn;
    const earlier = before === 0 ? "" : `; an HTTP fault that came before it failed ${before} of them first`;
    const reason =
      covered === 0
        ? `no ${deliveryOf(account)} was sent in ${span}`
        : `it failed none of the ${covered} sends in ${span} (rate ${percentText(rate)}${earlier})`;
    traceSkipped(world, fault, reason, undefined, armed);
  });
}

/** Whose deliveries an HTTP fault touches, for its reason: `delivery of account acct-7`, or any. */
function deliveryOf(account: string | undefined): string {
  return account === undefined ? "delivery" : `delivery of account ${account}`;
}

/** Traces a fault; one with an effect that lasts says for how long (`durationMs`), so that the
 * trace alone tells when it ended (the quiet point of the liveness check is the end of the last). */
function traceFault(
  world: World,
  fault: string,
  detail: string,
  worker?: string,
  durationMs?: number,
  account?: string,
): number {
  const probe = world.chaos.fire(fault);
  return emitEvent(world.sim, "fault.injected", { fault, worker, detail, probe, durationMs, account });
}

/**
 * A fault that came due with nothing to act on: traced as `fault.skipped` with the reason and
 * counted, so a report shows it did not fire rather than leaving it out silently.
 */
function traceSkipped(world: World, fault: string, reason: string, worker?: string, cause?: number): void {
  world.chaos.skip(fault);
  emitEvent(world.sim, "fault.skipped", { fault, worker, reason }, cause);
}

/** SIGKILL a worker (`random` picks one from the faults stream). */
export function killWorker(world: World, worker: string): boolean {
  const slot = world.resolveWorker(worker);
  if (!slot?.signallable) {
    traceSkipped(world, "kill-worker", noProcessReason(slot, worker), slot?.id);
    return false;
  }
  world.sim.setCause(traceFault(world, "kill-worker", `kill ${slot.id}`, slot.id));
  return world.killWorker(slot.id);
}

/** Stall a worker (SIGSTOP) for `durationMs`: longer than its lease, and others take its partitions. */
export function pauseWorker(world: World, worker: string, durationMs: number): boolean {
  const slot = world.resolveWorker(worker);
  if (!slot?.signallable || slot.paused) {
    // A worker already stopped is not stopped again: the fault did not act.
    const reason = slot?.signallable ? `${slot.id} is already paused` : noProcessReason(slot, worker);
    traceSkipped(world, "pause-worker", reason, slot?.id);
    return false;
  }
  world.sim.setCause(
    traceFault(world, "pause-worker", `pause ${slot.id} for ${durationMs} ms`, slot.id, durationMs),
  );
  return world.pauseWorker(slot.id, durationMs);
}

/**
 * Every store call made in the next `durationMs` takes `latencyMs` more (0 ms changes nothing:
 * skipped). Overlapping faults add up. A call made at the window's end lands after the whole extra
 * latency then in force, so the fault's effect (its traced `durationMs`) lasts the window and the
 * total extra latency once this one is added: a renewal or a claim slowed by it is still on its
 * way until then. (Latency in force only drops until another fault comes, and that one traces its
 * own end, so the latest end of the faults traced covers every slowed call.)
 */
export function storeLatency(world: World, durationMs: number, latencyMs: number): void {
  if (latencyMs <= 0) {
    traceSkipped(world, "store-latency", "it adds 0 ms to store calls, so it changes nothing");
    return;
  }
  world.chaos.storeExtraLatencyMs += latencyMs;
  traceFault(
    world,
    "store-latency",
    `store calls +${latencyMs} ms for ${durationMs} ms`,
    undefined,
    durationMs + world.chaos.storeExtraLatencyMs,
  );
  world.sim.after(durationMs, () => {
    world.chaos.storeExtraLatencyMs -= latencyMs;
  });
}

/** Every store call fails for `durationMs` (heartbeats too: leases run out). */
export function storeOutage(world: World, durationMs: number): void {
  traceFault(world, "store-outage", `store unavailable for ${durationMs} ms`, undefined, durationMs);
  const windows = windowsOf(world);
  windows.outages++;
  world.chaos.storeOutage = true;
  world.sim.after(durationMs, () => {
    windows.outages--;
    world.chaos.storeOutage = windows.outages > 0;
  });
}

/**
 * Sets a worker's wall clock `skewMs` off true time: what its `rt.now()` reads, so what it asks
 * the store for as due (the store, its leases and the worker's monotonic clock keep true time).
 * It is the host's clock, so it stays through restarts of the worker's process, and `random`
 * draws from the fleet's workers, one waiting in back-off too (`World.resolveHost`). After
 * `durationMs` the clock is right again (NTP steps it back); without a duration it stays wrong
 * to the end of the run, and the trace says so with a `durationMs` up to the horizon, which puts
 * the quiet point of the liveness check at the end. A later skew of the same worker replaces it
 * (a clock is set, not shifted twice) and the earlier one's end then changes nothing; a skew of 0
 * sets the clock right at once.
 */
export function clockSkew(world: World, worker: string, skewMs: number, durationMs?: number): boolean {
  const slot = world.resolveHost(worker);
  if (!slot) {
    const reason =
      worker === "random" ? "the fleet has no worker to pick at random" : `no worker ${worker} in the fleet`;
    traceSkipped(world, "clock-skew", reason);
    return false;
  }
  if (skewMs === 0 && !world.chaos.clockSkewMs.has(slot.id)) {
    traceSkipped(
      world,
      "clock-skew",
      `${slot.id}'s clock is right already: a skew of 0 changes nothing`,
      slot.id,
    );
    return false;
  }
  const toEnd = durationMs === undefined && skewMs !== 0;
  const lastingMs = toEnd ? Math.max(0, world.horizonMs - world.sim.now) : durationMs;
  const how = durationMs !== undefined ? ` for ${durationMs} ms` : toEnd ? " to the end of the run" : "";
  const seq = traceFault(world, "clock-skew", clockSkewDetail(slot.id, skewMs, how), slot.id, lastingMs);
  const skews = windowsOf(world).skews;
  skews.set(slot.id, seq);
  if (skewMs === 0) world.chaos.clockSkewMs.delete(slot.id);
  else world.chaos.clockSkewMs.set(slot.id, skewMs);
  if (durationMs !== undefined) {
    world.sim.after(durationMs, () => {
      if (skews.get(slot.id) !== seq) return;
      skews.delete(slot.id);
      world.chaos.clockSkewMs.delete(slot.id);
    });
  }
  return true;
}

export interface InjectPanicConstraints {
  readonly point: FaultPoint;
  readonly schedule?: string;
  readonly account?: string;
  /** Probability in [0, 1] that a matching task panics at the point; default 1. */
  readonly probability?: number;
  /** How many panics to inject at most; default 1. */
  readonly count?: number;
}

/** Arms a panic at a named point of the task handler (BUGGIFY): the next matching tasks throw there. */
export function injectPanic(world: World, c: InjectPanicConstraints): void {
  const count = c.count ?? 1;
  const target = c.schedule ? ` of ${c.schedule}` : c.account ? ` of account ${c.account}` : "";
  const armed = emitEvent(world.sim, "operator.action", {
    action: "arm-panic",
    detail: `panic at ${c.point} for ${count} task(s)${target}`,
  });
  world.chaos.panicRules.push({
    point: c.point,
    schedule: c.schedule,
    account: c.account,
    probability: c.probability ?? 1,
    remaining: count,
    armed,
  });
}

/** Arms a hang: the next task of `schedule` blocks before delivery for `durationMs` (default: forever). */
export function hang(world: World, schedule: string, durationMs?: number): void {
  const armed = emitEvent(world.sim, "operator.action", {
    action: "arm-hang",
    detail: `next task of ${schedule} hangs`,
  });
  world.chaos.hangRules.push({
    schedule,
    durationMs: durationMs ?? Number.MAX_SAFE_INTEGER,
    remaining: 1,
    armed,
  });
}

/**
 * A share `rate` of deliveries get HTTP `status` for `durationMs`: every account's, or with
 * `account` that account's alone (its own destination failing). Fires when it first fails one.
 */
export function httpErrors(
  world: World,
  durationMs: number,
  rate: number,
  status = 503,
  account?: string,
): void {
  openHttpWindow(world, "http-errors", durationMs, rate, status, account);
}

/** A share `rate` of deliveries time out for `durationMs`: every account's, or `account`'s alone. */
export function httpTimeouts(world: World, durationMs: number, rate: number, account?: string): void {
  openHttpWindow(world, "http-timeouts", durationMs, rate, 0, account);
}
