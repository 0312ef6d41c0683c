/**
 * The standard periodic model: `timers` timers, timer i re-arming itself every
 * `60 s + (i * 7919 mod 600) s`, run for a fixed number of events. It is run twice: through the
 * kernel (`Simulation.after` with a closure that re-arms) and through a bare typed-array binary heap
 * loop doing the same work (the baseline). Both fold the order in which timers fire into a
 * checksum; equal checksums show the kernel did the same work, in the same (time, seq) order.
 */
import { Simulation } from "../../src/kernel/index.js";

/** 2026-05-08T00:00:00Z: a realistic epoch, so times are not small integers. */
export const PERIODIC_START_MS = 1_778_198_400_000;

/**
 * Timer i's period: whole seconds, so many timers share each firing time (as cron minutes and
 * simultaneous wake-ups do in a simulated region). `distinct` adds up to a second of odd
 * milliseconds, so that firing times almost never coincide: the queue's other extreme.
 */
export function periodMsOf(timer: number, distinct = false): number {
  const wholeSeconds = 60_000 + ((timer * 7919) % 600) * 1000;
  return distinct ? wholeSeconds + ((timer * 104_729) % 997) : wholeSeconds;
}

export interface PeriodicRun {
  readonly events: number;
  readonly wallMs: number;
  /** The order timers fired in, folded. */
  readonly checksum: number;
}

/** Through the kernel: each timer is a closure that re-arms itself with `sim.after`. */
export function runKernelPeriodic(timers: number, events: number, distinct = false): PeriodicRun {
  const sim = new Simulation({
    seed: 1,
    startMs: PERIODIC_START_MS,
    limits: { horizonMs: Number.MAX_SAFE_INTEGER, maxEvents: events },
  });
  let checksum = 0;
  for (let i = 0; i < timers; i++) {
    const periodMs = periodMsOf(i, distinct);
    const fire = (): void => {
      checksum = (Math.imul(checksum, 31) + i) | 0;
      sim.after(periodMs, fire);
    };
    sim.after(periodMs, fire);
  }
  const started = performance.now();
  const outcome = sim.run();
  const wallMs = performance.now() - started;
  if (outcome.reason !== "max-events" || outcome.events !== events) {
    throw new Error(`periodic model stopped early: ${outcome.detail} after ${outcome.events} events`);
  }
  return { events: outcome.events, wallMs, checksum };
}

/**
 * The baseline: the same timers in a binary min-heap over flat typed arrays ordered by
 * (time, seq), with nothing else: no slots, no processes, no causes, no limits.
 */
export function runBarePeriodic(timers: number, events: number, distinct = false): PeriodicRun {
  const capacity = timers + 1;
  const times = new Float64Array(capacity);
  const seqs = new Float64Array(capacity);
  const ids = new Int32Array(capacity);
  const periods = new Float64Array(timers);
  let count = 0;
  let nextSeq = 0;

  const push = (time: number, id: number): void => {
    const seq = nextSeq++;
    let i = count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && seqs[parent] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    ids[i] = id;
  };

  const pop = (): number => {
    const top = ids[0];
    const n = --count;
    if (n === 0) return top;
    const time = times[n];
    const seq = seqs[n];
    const id = ids[n];
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let ct = times[child];
      let cs = seqs[child];
      const right = child + 1;
      if (right < n) {
        const rt = times[right];
        if (rt < ct || (rt === ct && seqs[right] < cs)) {
          child = right;
          ct = rt;
          cs = seqs[right];
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      ids[i] = ids[child];
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    ids[i] = id;
    return top;
  };

  for (let i = 0; i < timers; i++) {
    periods[i] = periodMsOf(i, distinct);
    push(PERIODIC_START_MS + periods[i], i);
  }
  let checksum = 0;
  let executed = 0;
  const started = performance.now();
  while (executed < events) {
    const now = times[0];
    const id = pop();
    executed++;
    checksum = (Math.imul(checksum, 31) + id) | 0;
    push(now + periods[id], id);
  }
  const wallMs = performance.now() - started;
  return { events: executed, wallMs, checksum };
}
