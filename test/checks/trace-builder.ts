// A tiny helper to write traces by hand: assigns t, seq and cause, typed by the event catalogue.
import type { TraceEvent } from "../../src/kernel/trace.js";
import { nextFireAfter, parseCron } from "../../src/world/cron.js";
import type { EventFields, EventType } from "../../src/world/events.js";

/** 2026-05-08T09:00:00Z, the hour of the incident. */
export const T0 = Date.UTC(2026, 4, 8, 9, 0, 0);
export const SEC = 1000;
export const MIN = 60 * SEC;

/** T0 plus minutes (and seconds). */
export function at(minutes: number, seconds = 0): number {
  return T0 + minutes * MIN + seconds * SEC;
}

export interface EmitOptions {
  readonly cause?: number | null;
}

export class TraceBuilder {
  readonly events: TraceEvent[] = [];
  now = T0;

  /** Moves the clock (never backwards: traces are in time order). */
  at(t: number): this {
    if (t < this.now) throw new Error(`trace-builder: time goes backwards (${t} < ${this.now})`);
    this.now = t;
    return this;
  }

  /** Runs a step that emits events (a helper shared by tests). */
  call(step: (builder: this) => void): this {
    step(this);
    return this;
  }

  emit<K extends EventType>(type: K, fields: EventFields[K], options: EmitOptions = {}): number {
    const seq = this.events.length;
    const event = { t: this.now, seq, type, cause: options.cause ?? null, ...fields };
    this.events.push(event as unknown as TraceEvent);
    return seq;
  }

  /** `run.started` at T0 with the SLO and a horizon in minutes after T0. */
  start(options: { sloMs?: number; horizonMin?: number; workers?: number } = {}): number {
    this.now = T0;
    return this.emit("run.started", {
      scenario: "test",
      seed: "1",
      scheduler: "v2",
      fixes: [],
      workers: options.workers ?? 1,
      partitions: 4,
      sloMs: options.sloMs ?? MIN,
      horizon: at(options.horizonMin ?? 60),
    });
  }

  ready(worker: string, incarnation = 1): number {
    return this.emit("worker.ready", { worker, incarnation });
  }

  /** The store grants `worker` the lease of `partition` (`lease.acquired`); `token` numbers it. */
  lease(worker: string, partition = 0, token = 1, previous: string | null = null): number {
    return this.emit("lease.acquired", { worker, partition, token, previous });
  }

  /** A schedule firing every minute unless `cron` says otherwise; first due: its next fire time. */
  schedule(
    schedule: string,
    account: string,
    options: { cron?: string; partition?: number; next?: number | null } = {},
  ): number {
    const cron = options.cron ?? "* * * * *";
    return this.emit("schedule.created", {
      schedule,
      account,
      cron,
      partition: options.partition ?? 0,
      destination: `https://example.com/${schedule}`,
      next: options.next === undefined ? nextFireAfter(parseCron(cron), this.now) : options.next,
    });
  }

  ack(schedule: string, account: string, due: number, worker = "w1", options: EmitOptions = {}): number {
    return this.emit(
      "delivery.acked",
      { ...task(worker, schedule, account, due), message: `m-${schedule}-${due}`, attempt: 0, status: 200 },
      options,
    );
  }

  sent(schedule: string, account: string, due: number, worker = "w1", options: EmitOptions = {}): number {
    return this.emit(
      "delivery.sent",
      {
        ...task(worker, schedule, account, due),
        message: `m-${schedule}-${due}`,
        attempt: 0,
        destination: `https://example.com/${schedule}`,
      },
      options,
    );
  }

  fired(schedule: string, account: string, due: number, worker = "w1", options: EmitOptions = {}): number {
    return this.emit("schedule.fired", { ...task(worker, schedule, account, due), attempt: 1 }, options);
  }

  panic(
    worker: string,
    schedule: string,
    account: string,
    due: number,
    options: EmitOptions & { incarnation?: number; partition?: number } = {},
  ): number {
    return this.emit(
      "worker.crashed",
      {
        worker,
        incarnation: options.incarnation ?? 1,
        reason: "panic",
        error: "TypeError: Cannot read properties of undefined (reading 'plan')",
        goroutine: "task",
        schedule,
        account,
        task: `${schedule}@${due}`,
        partition: options.partition ?? 0,
      },
      options,
    );
  }

  killed(worker: string, incarnation = 1): number {
    return this.emit("worker.crashed", { worker, incarnation, reason: "killed" });
  }

  /** An operator's runbook quarantine of a schedule (`schedule.quarantined`, by `operator`). */
  quarantined(schedule: string, account: string): number {
    return this.emit("schedule.quarantined", { schedule, account, by: "operator" });
  }

  /** A store outage of `durationMs` from now (a `fault.injected` whose effect lasts). */
  outage(durationMs: number): number {
    return this.emit("fault.injected", {
      fault: "store-outage",
      detail: `store unavailable for ${durationMs} ms`,
      probe: 1,
      durationMs,
    });
  }

  sample(lagP99Ms: number, workersUp = 1): number {
    return this.emit("metrics.sampled", {
      workersUp,
      workersCrashLooping: 0,
      crashesLastMinute: 0,
      dueBacklog: 0,
      lagP50Ms: lagP99Ms,
      lagP99Ms,
    });
  }
}

/** Horizon 30 min, SLO 1 min, workers w1 and w2 up from the start, s1 (account a) due every 5 min. */
export function everyFiveMinutes(): TraceBuilder {
  const b = new TraceBuilder();
  b.start({ horizonMin: 30, workers: 2 });
  b.ready("w1");
  b.ready("w2");
  b.schedule("s1", "a", { cron: "*/5 * * * *" });
  return b;
}

export function task(worker: string, schedule: string, account: string, due: number) {
  return { worker, schedule, account, partition: 0, due, task: `${schedule}@${due}` };
}
