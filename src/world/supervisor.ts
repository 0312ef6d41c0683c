import { invariant, type Simulation, type TimerHandle } from "../kernel/index.js";
import type { SupervisorConfig } from "./config.js";
import { emitEvent } from "./emit.js";

/** What the supervisor needs to know of a worker slot. */
export interface SupervisedSlot {
  readonly id: string;
  /** Restarts since the back-off was last reset. */
  restarts: number;
  /** When the current or last process started. */
  startedAt: number;
  restartTimer: TimerHandle | null;
  state: string;
}

/**
 * Restarts crashed workers with Kubernetes' CrashLoopBackOff: the first restart after
 * `backoffInitialMs`, doubling up to `backoffMaxMs`; a worker that ran `resetAfterMs`
 * without crashing starts again from the initial delay.
 */
export class Supervisor {
  constructor(
    private readonly sim: Simulation,
    private readonly config: SupervisorConfig,
    private readonly restart: (slot: SupervisedSlot, crashSeq: number) => void,
  ) {}

  /** The delay before restart number `restarts` (0-based). */
  backoffMs(restarts: number): number {
    const delay = this.config.backoffInitialMs * 2 ** Math.min(restarts, 30);
    return Math.min(this.config.backoffMaxMs, delay);
  }

  onCrash(slot: SupervisedSlot, crashSeq: number): void {
    // A process that crashed was running: its slot cannot already be waiting for a restart.
    invariant(slot.restartTimer === null, () => `${slot.id} crashed while a restart was pending`);
    invariant(slot.state !== "backoff", () => `${slot.id} crashed while in back-off`);
    invariant(this.sim.now >= slot.startedAt, () => `${slot.id} crashed before it started`);
    if (this.sim.now - slot.startedAt >= this.config.resetAfterMs) slot.restarts = 0;
    const delayMs = this.backoffMs(slot.restarts);
    invariant(
      delayMs >= Math.min(this.config.backoffInitialMs, this.config.backoffMaxMs) &&
        delayMs <= this.config.backoffMaxMs,
      () => `${slot.id}: back-off ${delayMs} ms outside its bounds`,
    );
    slot.restarts++;
    slot.state = "backoff";
    const seq = emitEvent(
      this.sim,
      "worker.backoff",
      { worker: slot.id, delayMs, restarts: slot.restarts },
      crashSeq,
    );
    slot.restartTimer = this.sim.after(
      delayMs,
      () => {
        slot.restartTimer = null;
        this.restart(slot, seq);
      },
      seq,
    );
  }

  /** Forgets a pending restart (the slot is being replaced or removed). */
  cancel(slot: SupervisedSlot): void {
    if (slot.restartTimer !== null) this.sim.cancel(slot.restartTimer);
    slot.restartTimer = null;
  }
}
