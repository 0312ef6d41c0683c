import {
  invariant,
  type ProcessExit,
  plural,
  type RunOutcome,
  type SimProcess,
  Simulation,
  type StepWatch,
  type WallGuard,
} from "../kernel/index.js";
import { checkAction, checkRunOutcome, checkRunUntilTime } from "./action-check.js";
import { ChaosState } from "./chaos.js";
import {
  type ActionSpec,
  DEFAULT_SHUTDOWN_GRACE_MS,
  longRun,
  type SchedulerChoice,
  type TimedAction,
  type WorldConfig,
} from "./config.js";
import { emitEvent } from "./emit.js";
import { moduleFileOf, panicLocation } from "./panic-location.js";
import type { Scheduler, SchedulerFactory } from "./runtime.js";
import { type GaugeSource, Sampler } from "./sampler.js";
import { type ScheduleNoOp, scheduleNoOp } from "./schedule-actions.js";
import { Store } from "./store.js";
import { Supervisor } from "./supervisor.js";
import { noProcessReason, type WorkerHost, WorkerSlot, workerMain } from "./worker.js";
import { generatedWorkload, WORKLOAD_STREAM } from "./workload-ids.js";

/**
 * How often a graceful stop looks whether its tasks under way are done (`World.stopWorker`): a
 * Go service's shutdown waits on them; this is that wait's grain in simulated time.
 */
const STOPPING_LOOK_MS = 100;

/**
 * Why a pause, resume or quarantine of `row` would change nothing (`scheduleNoOp`), as the
 * control plane refuses it rather than trace it as applied; or null.
 */
function scheduleStateRefusal(
  action: Extract<ActionSpec, { action: "pause-schedule" | "quarantine-schedule" }>,
  row: { readonly paused: boolean; readonly quarantined: boolean },
): string | null {
  const noOp = scheduleNoOp(action.action === "quarantine-schedule" ? null : action.paused, row);
  if (noOp === null) return null;
  const said: Record<ScheduleNoOp, string> = {
    "quarantined-already": "is quarantined already",
    "resume-quarantined":
      "is quarantined: a quarantine is for good, and resuming the schedule does not lift it",
    "paused-already": "is paused already",
    "not-paused": "is not paused already",
  };
  return `schedule ${action.schedule} ${said[noOp]}`;
}

/** Scheduler implementations by name (`v1`, `v2`, user modules). */
export type SchedulerRegistry = ReadonlyMap<string, SchedulerFactory>;

export interface WorldOptions {
  readonly schedulers: SchedulerRegistry;
  /** The real clock for the wall-clock budget, injected by the caller (the world has none). */
  readonly wallClock?: () => number;
  /** Stops a stretch of the run that overruns the wall budget wherever it is (`WallGuard`), with `wallClock`. */
  readonly wallGuard?: WallGuard;
  /** Told of each goroutine step, for a watcher that says when one runs long (`StepWatch`). */
  readonly stepWatch?: StepWatch;
}

/**
 * A simulated QStash-like region: a store, a fleet of worker processes running a scheduler,
 * a supervisor, operators acting on a timeline, a metrics sampler with alerts. It runs on the
 * kernel; every state change is a trace event. Nothing here knows which scheduler is buggy.
 */
export class World implements WorkerHost, GaugeSource {
  readonly sim: Simulation;
  readonly store: Store;
  readonly chaos = new ChaosState();
  readonly fleet: WorldConfig["fleet"];
  readonly storeConfig: WorldConfig["store"];
  readonly workload: WorldConfig["workload"];
  readonly schedulerOptions: WorldConfig["schedulerOptions"];
  readonly horizonMs: number;
  readonly rng: WorkerHost["rng"];
  readonly slots: WorkerSlot[] = [];
  private readonly slotById = new Map<string, WorkerSlot>();
  private readonly supervisor: Supervisor;
  private readonly sampler: Sampler;
  private fleetChoice: SchedulerChoice;
  private readonly crashTimes: number[] = [];
  private crashHead = 0;
  private lags: number[] = [];
  private nextSlotNumber = 1;
  /** Rolling deploys waiting for a replaced worker's new process to leave start-up, by process. */
  private readonly startupWaiters = new Map<SimProcess, (cause: number | null) => void>();
  /** Rolling deploys under way, oldest first (a scale-down can leave one nothing to do). */
  private rollouts: Rollout[] = [];
  private started = false;
  private finished = false;
  /** How the run stopped, once a run call returned a stop (the horizon, a limit, a halt); null while it goes on. */
  private stoppedBy: RunOutcome | null = null;

  constructor(
    readonly config: WorldConfig,
    private readonly options: WorldOptions,
  ) {
    this.horizonMs = config.startMs + config.durationMs;
    this.sim = new Simulation({
      seed: config.seed,
      startMs: config.startMs,
      limits: {
        horizonMs: this.horizonMs,
        maxEvents: config.limits.maxEvents,
        wallBudgetMs: config.limits.wallBudgetMs,
        wallClock: options.wallClock,
        wallGuard: options.wallGuard,
        stepWatch: options.stepWatch,
      },
    });
    this.fleet = config.fleet;
    this.storeConfig = config.store;
    this.workload = config.workload;
    this.schedulerOptions = config.schedulerOptions;
    this.fleetChoice = config.scheduler;
    const random = this.sim.random;
    this.rng = {
      latency: random.stream("latency"),
      http: random.stream("http"),
      store: random.stream("store"),
      rebalance: random.stream("rebalance"),
      chaos: random.stream("chaos"),
    };
    this.store = new Store(this.sim, config.fleet.partitions, config.fleet.leaseTtlMs, (w, seq, beforeMs) =>
      this.crashSeqAfter(w, seq, beforeMs),
    );
    this.supervisor = new Supervisor(this.sim, config.fleet.supervisor, (slot, cause) =>
      this.restartAfterBackoff(slot as WorkerSlot, cause),
    );
    this.sampler = new Sampler(this.sim, this, config.alerts, config.sampleIntervalMs);
    schedulerChoices(config).forEach((choice, i) => {
      const factory = this.factory(choice.name);
      const unlisted = choice.fixes.find((f) => !factory.fixes.includes(f));
      if (unlisted === undefined) return;
      // The first choice is the fleet's; the others are the timeline's deploys, in its order.
      const field =
        i === 0 ? "config.scheduler.fixes" : `config.timeline[${deployIndex(config, i - 1)}].fixes`;
      throw new RangeError(
        `${field}: ${unlistedFixText(choice.name, JSON.stringify(unlisted), factory.fixes)}`,
      );
    });
  }

  // ------------------------------------------------------------ lifecycle

  /** Builds the initial state at the start time: workload, fleet with its leases, timeline, sampler. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const c = this.config;
    emitEvent(
      this.sim,
      "run.started",
      {
        scenario: c.name,
        seed: String(c.seed),
        scheduler: c.scheduler.name,
        fixes: [...c.scheduler.fixes],
        workers: c.fleet.workers,
        partitions: c.fleet.partitions,
        sloMs: c.sloMs,
        horizon: this.horizonMs,
      },
      null,
    );
    this.sim.setCause(null);
    this.createWorkload();
    for (let i = 0; i < c.fleet.workers; i++) this.addSlot(this.fleetChoice);
    // The fleet was already running before the scenario starts: leases are spread round-robin.
    for (let p = 0; p < c.fleet.partitions; p++) {
      const slot = this.slots[p % this.slots.length];
      const token = this.store.acquire(slot.id, p);
      slot.owned.set(p, token);
      slot.leaseExpiry.set(p, this.store.lease(p).expiresAt);
    }
    for (const slot of this.slots) this.startProcess(slot, true, null);
    for (const action of c.timeline) this.sim.at(action.atMs, () => this.performNow(action), null);
    this.sampler.start();
  }

  /**
   * `start`, under the wall guard when the world is large (`longRun`): building its workload takes
   * a while, and Ctrl-C then stops it as it stops the run.
   */
  private startGuarded(): void {
    if (this.started) return;
    if (longRun(this.config)) this.sim.guarded(() => this.start());
    else this.start();
  }

  /** Runs to the horizon (or a limit) and closes the trace. */
  run(): RunOutcome {
    this.startGuarded();
    const outcome = this.sim.run();
    this.finish(outcome);
    return outcome;
  }

  /**
   * `run` a stretch of about `stretchMs` of real time at a time (`Simulation.runStretch`): null
   * while the run is not over, for the caller to let its event loop turn and call again; once it
   * is, its outcome, the trace closed. The same run as `run`, event for event.
   */
  runStretch(stretchMs: number): RunOutcome | null {
    this.startGuarded();
    const outcome = this.sim.runStretch(this.sim.limits.horizonMs, stretchMs);
    if (outcome !== null) this.finish(outcome);
    return outcome;
  }

  /**
   * Runs every event due up to `untilMs` (capped at the horizon; a time already passed runs
   * nothing), starting the world first if it is not: for step-by-step sessions. Its outcome's
   * reason is `paused` (or `idle`) while the run goes on; any other is a stop (the horizon, a
   * limit, a halt), after which the world takes no more actions. Call `finish` at the end.
   * Throws a TypeError or RangeError, running nothing, for `untilMs` that is no whole ms since
   * the epoch or falls before the run's start (`checkRunUntilTime`).
   */
  runUntil(untilMs: number): RunOutcome {
    checkRunUntilTime(untilMs, this.config.startMs);
    this.startGuarded();
    return this.noteStop(this.sim.runUntil(untilMs));
  }

  /** `outcome`, noted when it stops the run: `perform` then refuses. */
  private noteStop(outcome: RunOutcome): RunOutcome {
    if (this.stoppedBy === null && outcome.reason !== "paused" && outcome.reason !== "idle")
      this.stoppedBy = outcome;
    return outcome;
  }

  /**
   * Closes the trace with `run.finished`, giving `outcome`'s reason and events (what a run call
   * returned), once: a later call does nothing. A TypeError, tracing nothing, for what is no
   * RunOutcome (`finish()`, `finish("done")`).
   */
  finish(outcome: RunOutcome): void {
    if (this.finished) return;
    checkRunOutcome(outcome);
    this.finished = true;
    emitEvent(this.sim, "run.finished", { reason: outcome.reason, events: outcome.events }, null);
    this.sim.trace.throwSinkFailure();
  }

  /** Schedules world code at a time (used by faults and what-if forks). */
  at(atMs: number, fn: () => void): void {
    this.sim.at(atMs, fn, null);
  }

  // ------------------------------------------------------------ workload

  private createWorkload(): void {
    const w = this.workload;
    for (const account of w.named) {
      this.store.createAccount(account.id);
      for (const s of account.schedules) {
        this.store.createSchedule(
          s.id,
          account.id,
          s.cron,
          s.destination ?? destinationOf(account.id),
          w.retries,
        );
      }
    }
    const exprs = w.cron.map((c) => c.expr);
    const shape = { ...w, cronWeights: w.cron.map((c) => c.weight) };
    for (const generated of generatedWorkload(shape, this.sim.random.stream(WORKLOAD_STREAM))) {
      this.store.createAccount(generated.account);
      for (const s of generated.schedules) {
        this.store.createSchedule(
          s.id,
          generated.account,
          exprs[s.cronIndex],
          destinationOf(generated.account),
          w.retries,
        );
      }
    }
  }

  // ------------------------------------------------------------ fleet

  private addSlot(choice: SchedulerChoice): WorkerSlot {
    const slot = new WorkerSlot(`w${this.nextSlotNumber++}`, choice);
    this.slots.push(slot);
    this.slotById.set(slot.id, slot);
    return slot;
  }

  slot(id: string): WorkerSlot | undefined {
    return this.slotById.get(id);
  }

  /** Slots that are part of the fleet (not removed by a scale-down). */
  activeSlots(): WorkerSlot[] {
    return this.slots.filter((s) => s.state !== "removed");
  }

  private factory(name: string): SchedulerFactory {
    const factory = this.options.schedulers.get(name);
    if (!factory) {
      const known = [...this.options.schedulers.keys()].join(", ");
      // A module is named by its path from the scenario's folder (`module:./mine.mjs`): the
      // caller loads it and registers it under that name (the CLI does; the API's caller must).
      const how = name.startsWith("module:")
        ? `; load the module and pass it in the run's \`schedulers\` under the name "${name}"`
        : "";
      throw new Error(`unknown scheduler "${name}" (known: ${known})${how}`);
    }
    return factory;
  }

  makeScheduler(choice: SchedulerChoice): Scheduler {
    return this.factory(choice.name).create(choice.fixes);
  }

  guardsPort(choice: SchedulerChoice): boolean {
    return this.factory(choice.name).bundled !== true;
  }

  panicLocation(choice: SchedulerChoice, thrown: unknown): string | undefined {
    return panicLocation(choice.name, moduleFileOf(this.factory(choice.name)), thrown);
  }

  private startProcess(slot: WorkerSlot, initial: boolean, cause: number | null): SimProcess {
    slot.incarnation++;
    const process = this.sim.spawn(`${slot.id}#${slot.incarnation}`, {
      onExit: (p, exit) => this.onProcessExit(slot, p, exit),
    });
    slot.process = process;
    slot.openTasks = 0;
    slot.startedAt = this.sim.now;
    slot.readyAt = null;
    slot.state = "starting";
    slot.paused = false;
    slot.frozenMs = 0;
    const seq = emitEvent(
      this.sim,
      "worker.started",
      {
        worker: slot.id,
        incarnation: slot.incarnation,
        scheduler: slot.scheduler.name,
        fixes: [...slot.scheduler.fixes],
      },
      cause,
    );
    this.sim.go(process, "main", workerMain(this, slot, process, initial), { cause: seq });
    return process;
  }

  onWorkerReady(slot: WorkerSlot): void {
    slot.state = "serving";
    slot.readyAt = this.sim.now;
    this.store.registerMember(slot.id);
    const seq = emitEvent(this.sim, "worker.ready", { worker: slot.id, incarnation: slot.incarnation });
    if (slot.process !== null) this.leftStartup(slot.process, seq);
  }

  private onProcessExit(slot: WorkerSlot, process: SimProcess, exit: ProcessExit): void {
    if (slot.process !== process || exit.reason === "stopped") {
      this.leftStartup(process, this.sim.cause);
      return;
    }
    const ctx = exit.context;
    const seq = emitEvent(
      this.sim,
      "worker.crashed",
      {
        worker: slot.id,
        incarnation: slot.incarnation,
        reason: exit.reason === "panic" ? "panic" : "killed",
        error: exit.error,
        location: exit.reason === "panic" ? this.panicLocation(slot.scheduler, exit.thrown) : undefined,
        goroutine: exit.goroutine,
        schedule: asString(ctx?.schedule),
        account: asString(ctx?.account),
        task: asString(ctx?.task),
        partition: typeof ctx?.partition === "number" ? ctx.partition : undefined,
      },
      exit.cause,
    );
    this.crashTimes.push(this.sim.now);
    slot.crashSeqs.push(seq);
    slot.crashTimes.push(this.sim.now);
    slot.owned.clear();
    slot.draining.clear();
    slot.leaseExpiry.clear();
    slot.process = null;
    slot.readyAt = null;
    slot.paused = false;
    const stopping = slot.stopping;
    if (stopping !== null) {
      // Dead while it was being stopped: no restart, the stop goes on to what follows it.
      slot.stopping = null;
      slot.settle("stopped");
      this.sim.setCause(seq);
      this.afterStop(slot, stopping.next, stopping.listeners);
    } else {
      this.supervisor.onCrash(slot, seq);
    }
    this.leftStartup(process, seq);
  }

  /**
   * A process became ready, crashed or was stopped: the rollout that started it notes when (see
   * `finishOnceNoneLeft`), and a rollout waiting for it goes on.
   */
  private leftStartup(process: SimProcess, cause: number | null): void {
    for (const rollout of this.rollouts) {
      const begun = rollout.started.find((p) => p.process === process && p.left === undefined);
      if (begun === undefined) continue;
      begun.left = { t: this.sim.now, cause };
      if (rollout.finishing) {
        rollout.finishing = false;
        this.armStep(rollout, cause);
      }
    }
    const waiter = this.startupWaiters.get(process);
    if (waiter === undefined) return;
    this.startupWaiters.delete(process);
    waiter(cause);
  }

  private restartAfterBackoff(slot: WorkerSlot, cause: number): void {
    if (slot.state !== "backoff") return;
    const seq = emitEvent(this.sim, "worker.restarted", { worker: slot.id, restarts: slot.restarts }, cause);
    this.startProcess(slot, false, seq);
  }

  /**
   * Seq of `worker`'s first crash (or stop that left its leases to expire) after `seq`, if it came
   * before `beforeMs`; else null. A lease granted at `seq` that ran out at `beforeMs` was ended by
   * that death; one that ran out before the holder's next death (a frozen holder killed later,
   * say) was not.
   */
  private crashSeqAfter(worker: string, seq: number, beforeMs: number): number | null {
    const slot = this.slotById.get(worker);
    if (slot === undefined) return null;
    const crashes = slot.crashSeqs;
    let first = -1;
    for (let i = crashes.length - 1; i >= 0 && crashes[i] > seq; i--) first = i;
    return first >= 0 && slot.crashTimes[first] < beforeMs ? crashes[first] : null;
  }

  /**
   * Stops a worker's process (deploy, restart, scale-down), then starts `next` in its slot (none
   * for a scale-down) and tells `onStarted` of the new process.
   *
   * A running process shuts down gracefully, as a Go service does on SIGTERM: it stops claiming
   * work (its leases drain, as a rebalance drains those it gives back, and it leaves the
   * membership so that the others take their share), finishes the tasks it has under way
   * (`worker.stopping`), then releases the leases left and exits (`worker.stopped`). A task it
   * sent but had not committed would otherwise be fired again by the partition's next owner: a
   * duplicate delivery, as a crash makes. It waits at most the fleet's `shutdownGraceMs`, then
   * exits with what is still under way (`abandoned` on `worker.stopped`). One with nothing under
   * way exits at once. A crash or a kill while it waits ends it as a crash does (no leases
   * released), without a restart by the supervisor: the slot goes on to `next`.
   *
   * A frozen process (SIGSTOP) cannot run its shutdown: it is killed as by SIGKILL, its leases
   * left to expire, and those expiries are traced as caused by this stop. One frozen while it
   * drains is killed so at the deadline.
   *
   * A stop asked while one is under way changes what follows it (the later request's `next`),
   * and `onStarted` is told too.
   */
  private stopWorker(
    slot: WorkerSlot,
    why: string,
    next: SchedulerChoice | null,
    onStarted?: (started: SimProcess | null) => void,
  ): void {
    const listeners = onStarted === undefined ? [] : [onStarted];
    const under = slot.stopping;
    if (under !== null) {
      under.next = next;
      under.listeners.push(...listeners);
      return;
    }
    const process = slot.process;
    if (process !== null && !slot.paused) {
      const inFlight = slot.openTasks;
      if (inFlight > 0) {
        this.beginStopping(slot, process, why, inFlight, next, listeners);
        return;
      }
    }
    if (process !== null) this.endProcess(slot, why, 0);
    this.afterStop(slot, next, listeners);
  }

  /** The graceful stop's wait (see `stopWorker`): drains every lease and looks for the end. */
  private beginStopping(
    slot: WorkerSlot,
    process: SimProcess,
    why: string,
    inFlight: number,
    next: SchedulerChoice | null,
    listeners: ((started: SimProcess | null) => void)[],
  ): void {
    const now = this.sim.now;
    for (const [partition, token] of slot.owned) slot.draining.set(partition, [token, now]);
    slot.owned.clear();
    // In a store outage the call fails: the membership runs out by its TTL (no heartbeat renews it now).
    if (!this.chaos.storeOutage) this.store.removeMember(slot.id);
    slot.settle("stopping");
    const seq = emitEvent(this.sim, "worker.stopping", {
      worker: slot.id,
      incarnation: slot.incarnation,
      why,
      inFlight,
    });
    const grace = this.config.fleet.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
    slot.stopping = { process, why, deadline: now + grace, seq, next, listeners };
    this.sim.after(Math.min(STOPPING_LOOK_MS, grace), () => this.lookAtStopping(slot, process), seq);
  }

  /** Ends a graceful stop once its tasks are done or its grace is over; else looks again later. */
  private lookAtStopping(slot: WorkerSlot, process: SimProcess): void {
    const stopping = slot.stopping;
    // Crashed or killed meanwhile: `onProcessExit` went on.
    if (stopping === null || stopping.process !== process || slot.process !== process) return;
    const inFlight = slot.paused ? 1 : slot.openTasks;
    if (inFlight > 0 && this.sim.now < stopping.deadline) {
      // Looked at again on the grain, and at the deadline itself: the grace is never overrun.
      const wait = Math.min(STOPPING_LOOK_MS, stopping.deadline - this.sim.now);
      this.sim.after(wait, () => this.lookAtStopping(slot, process), stopping.seq);
      return;
    }
    slot.stopping = null;
    this.sim.setCause(stopping.seq);
    this.endProcess(slot, stopping.why, slot.paused ? 0 : inFlight);
    this.afterStop(slot, stopping.next, stopping.listeners);
  }

  /**
   * The end of a stop: a running process releases its leases and leaves the membership (any
   * `abandoned` tasks still under way, at a grace's end), a frozen one is killed as by SIGKILL.
   */
  private endProcess(slot: WorkerSlot, why: string, abandoned: number): void {
    const process = slot.process!;
    const graceful = !slot.paused;
    // In a store outage the shutdown's calls fail: its leases and membership run out by their TTL.
    const unreleased = graceful && this.chaos.storeOutage ? slot.owned.size + slot.draining.size : 0;
    if (graceful && !this.chaos.storeOutage) {
      for (const [partition, token] of slot.owned) this.store.release(slot.id, partition, token);
      for (const [partition, [token]] of slot.draining) this.store.release(slot.id, partition, token);
      this.store.removeMember(slot.id);
    }
    slot.owned.clear();
    slot.draining.clear();
    slot.leaseExpiry.clear();
    const fields = { worker: slot.id, incarnation: slot.incarnation, why };
    const told = unreleased > 0 ? { ...fields, unreleased } : fields;
    const seq = emitEvent(
      this.sim,
      "worker.stopped",
      graceful ? (abandoned > 0 ? { ...told, abandoned } : told) : { ...fields, graceful: false },
    );
    // A stop that left its leases to expire ended them, as a crash does: their expiry follows from it.
    // The checks tell the same from the trace (`checks/holder-death.ts`): keep the two alike.
    if (!graceful || unreleased > 0) {
      slot.crashSeqs.push(seq);
      slot.crashTimes.push(this.sim.now);
    }
    slot.process = null;
    slot.readyAt = null;
    slot.paused = false;
    slot.settle("stopped");
    this.sim.stop(process);
  }

  /** After a stop (or a crash while stopping): `next` in the slot, if any, and the listeners told. */
  private afterStop(
    slot: WorkerSlot,
    next: SchedulerChoice | null,
    listeners: readonly ((started: SimProcess | null) => void)[],
  ): void {
    let started: SimProcess | null = null;
    if (next !== null && slot.state !== "removed") {
      slot.scheduler = next;
      slot.restarts = 0;
      started = this.startProcess(slot, false, this.sim.cause);
    }
    for (const listener of listeners) listener(started);
  }

  /**
   * Replaces a worker's process (deploy or restart): stopped (see `stopWorker`), or at once if it
   * is waiting in back-off; `onStarted` is told of the new process once it is started.
   */
  private replace(
    slot: WorkerSlot,
    choice: SchedulerChoice,
    why: string,
    onStarted?: (started: SimProcess | null) => void,
  ): void {
    if (slot.state === "removed") return;
    this.supervisor.cancel(slot);
    this.stopWorker(slot, why, choice, onStarted);
  }

  // ------------------------------------------------------------ operator verbs

  /**
   * Performs an operator action now, between two `runUntil` calls (an `atMs` is ignored): traced
   * as `operator.action`, and the cause of what follows. One the control plane would refuse (an
   * account, schedule or worker that is not there, an id that is taken: a 404 or a 409) is traced
   * as not applied, with the reason, and changes nothing. Throws, tracing nothing, for an action
   * of the wrong shape (a TypeError or RangeError naming the field: `checkAction`), a deploy of a
   * scheduler not registered or of a fix it does not list, and an Error before `start` (or a
   * first `runUntil`) or once the run has stopped or finished.
   */
  perform(action: TimedAction | ActionSpec): void {
    if (!this.started)
      throw new Error("perform: the world has not started: call start() or runUntil(t) first");
    if (this.finished) throw new Error("perform: the run has finished");
    if (this.stoppedBy !== null)
      throw new Error(`perform: the run has stopped (${this.stoppedBy.reason}: ${this.stoppedBy.detail})`);
    if (this.sim.trace.sinkFailed) throw new Error("perform: the run has stopped (a trace sink threw)");
    checkAction(action, "action");
    if (action.action === "deploy") {
      const factory = this.factory(action.scheduler);
      const unlisted = action.fixes.find((f) => !factory.fixes.includes(f));
      if (unlisted !== undefined)
        throw new RangeError(
          `action.fixes: ${unlistedFixText(action.scheduler, JSON.stringify(unlisted), factory.fixes)}`,
        );
    }
    this.performNow(action);
  }

  /** `perform`, of an action known to be well formed (the timeline's, which the schema checked). */
  private performNow(action: TimedAction | ActionSpec): void {
    // `random` is drawn once, here (from the faults stream), and the action acts on that worker.
    const slot = "worker" in action ? this.resolveWorker(action.worker) : undefined;
    const reason = this.refusal(action, slot);
    const refused = reason === null ? {} : { applied: false as const, reason };
    // The worker drawn for `random` is named; an action naming its worker adds nothing (and keeps
    // the traces, and hashes, of such scenarios as they were).
    const drawn = "worker" in action && action.worker === "random" && slot ? { worker: slot.id } : {};
    const seq = emitEvent(
      this.sim,
      "operator.action",
      { action: action.action, detail: describeAction(action), ...drawn, ...refused },
      null,
    );
    this.sim.setCause(seq);
    if (reason === null) this.apply(action, slot);
  }

  /**
   * Why the control plane would refuse `action` now, or null; `slot` is the worker a worker
   * action names. A deleted account's schedules stay in the store until a task of theirs cleans
   * them up (never, with a scheduler lacking the early-return fix), and an action on one applies
   * until then; afterwards, as after a `delete-schedule`, there is no schedule to act on. A kill
   * or pause needs a process to signal (none while the worker waits in back-off); a restart needs
   * the worker in the fleet, and starts it if it has none.
   */
  private refusal(action: ActionSpec, slot: WorkerSlot | undefined): string | null {
    const { accounts, schedules } = this.store;
    switch (action.action) {
      case "delete-account":
        return accounts.has(action.account) ? null : accountNotFound(action.account);
      case "create-account":
        return accounts.has(action.account) ? `account ${action.account} already exists (409)` : null;
      case "create-schedule": {
        // The API refuses a schedule for an account that does not exist (or was deleted).
        if (!accounts.has(action.account))
          return `${accountNotFound(action.account)}; a schedule needs an account that exists`;
        const taken = schedules.get(action.schedule);
        if (taken === undefined) return null;
        const whose = accounts.has(taken.account)
          ? `of the account ${taken.account}`
          : `of the deleted account ${taken.account}, kept until its cleanup`;
        return `schedule ${action.schedule} already exists (409): a schedule ${whose}`;
      }
      case "delete-schedule":
      case "pause-schedule":
      case "quarantine-schedule": {
        const row = schedules.get(action.schedule);
        if (row === undefined)
          return `schedule ${action.schedule} not found (404): deleted, or cleaned up after its account was deleted`;
        return action.action === "delete-schedule" ? null : scheduleStateRefusal(action, row);
      }
      case "kill-worker":
      case "pause-worker":
      case "restart-worker":
        return this.workerRefusal(action, slot);
      default:
        return null;
    }
  }

  /** Why a kill, pause or restart of `slot` (the worker `action` names) would do nothing now, or null. */
  private workerRefusal(
    action: ActionSpec & { readonly worker: string },
    slot: WorkerSlot | undefined,
  ): string | null {
    if (slot === undefined && action.worker !== "random") return `no worker ${action.worker} in the fleet`;
    if (action.action === "restart-worker") {
      return slot === undefined || slot.state === "removed" ? noProcessReason(slot) : null;
    }
    if (!slot?.signallable) return noProcessReason(slot);
    return action.action === "pause-worker" && slot.paused ? `${slot.id} is already paused` : null;
  }

  private apply(action: ActionSpec, slot: WorkerSlot | undefined): void {
    const store = this.store;
    switch (action.action) {
      case "delete-account":
        store.deleteAccount(action.account);
        return;
      case "create-account":
        store.createAccount(action.account);
        return;
      case "create-schedule":
        store.createSchedule(
          action.schedule,
          action.account,
          action.cron,
          action.destination ?? destinationOf(action.account),
          this.workload.retries,
        );
        return;
      case "delete-schedule":
        store.deleteSchedule(action.schedule, "operator");
        return;
      case "pause-schedule":
        store.pauseSchedule(action.schedule, action.paused);
        return;
      case "quarantine-schedule":
        store.quarantineSchedule(action.schedule, "operator");
        return;
      case "deploy": {
        const { scheduler: name, fixes, options } = action;
        // Laid over what the fleet runs with now: a later deploy keeps an earlier one's options.
        const fleet = this.fleetChoice.options;
        const laid = options === undefined ? fleet : { ...(fleet ?? this.schedulerOptions), ...options };
        this.deploy({ name, fixes, ...(laid === undefined ? {} : { options: laid }) }, action.stepDelayMs);
        return;
      }
      case "kill-worker":
        this.killWorker(slot!.id);
        return;
      case "pause-worker":
        this.pauseWorker(slot!.id, action.durationMs);
        return;
      case "restart-worker":
        // A worker stopping for a deploy comes back on the deploy's version, as it would have.
        this.replace(slot!, slot!.stopping?.next ?? slot!.scheduler, "restart");
        return;
      case "scale":
        this.scale(action.workers);
        return;
    }
  }

  /**
   * A rolling deploy, one worker at a time in fleet order, paced as Kubernetes rolls a Deployment
   * with maxUnavailable 1 and minReadySeconds `stepDelayMs`, so that the deploy never has more
   * than one serving worker down: after replacing a worker that was serving, the next step waits
   * until its new process is ready, then `stepDelayMs`. A worker that was not serving (waiting in
   * back-off, starting, frozen) was unavailable already: the next step comes `stepDelayMs` after
   * its replacement. A new process that dies or is stopped before it is ready does not stall the
   * rollout, as it would in Kubernetes until someone intervenes: a replayed deploy finishes, and
   * the next step comes `stepDelayMs` after that death.
   *
   * A deploy started while another is rolling supersedes it, as a new rollout of a Deployment
   * does: the older one stops where it is (`deploy.finished` with `supersededBy`, the newer
   * `deploy.started`), and the newer replaces every worker, so the whole fleet ends on it. If the
   * older one was waiting for a replaced worker to be ready, the newer one's first step waits for
   * it in its place, so that the two never have more than one serving worker down between them.
   */
  deploy(choice: SchedulerChoice, stepDelayMs: number): void {
    this.factory(choice.name);
    const slots = this.activeSlots();
    this.fleetChoice = choice;
    const startSeq = emitEvent(this.sim, "deploy.started", {
      scheduler: choice.name,
      fixes: [...choice.fixes],
      workers: slots.length,
      stepDelayMs,
    });
    const waitingFor = this.supersedeRollouts(startSeq);
    if (slots.length === 0) {
      emitEvent(this.sim, "deploy.finished", { scheduler: choice.name, fixes: [...choice.fixes] });
      return;
    }
    const rollout: Rollout = {
      choice,
      slots,
      stepDelayMs,
      startSeq,
      next: 0,
      done: false,
      armed: false,
      started: [],
      finishing: false,
    };
    this.rollouts.push(rollout);
    if (waitingFor === null) {
      rollout.armed = true;
      this.sim.after(0, () => this.deployStep(rollout, startSeq), startSeq);
    } else if ("process" in waitingFor) {
      // The older rollout's replaced worker is still starting: the first step waits for it.
      this.awaitStartup(rollout, waitingFor.process);
    } else {
      // Or still stopping: the first step waits for its new process, then for that to be ready
      // (and a deploy that supersedes this one waits for it in turn).
      const slot = waitingFor.slot;
      rollout.draining = slot;
      slot.stopping!.listeners.push((started) => {
        if (rollout.draining === slot) rollout.draining = undefined;
        if (rollout.done) return;
        if (started === null) this.armStep(rollout, startSeq);
        else this.awaitStartup(rollout, started);
      });
    }
  }

  /**
   * Stops every rollout under way, for the deploy traced at `startSeq`: each traces
   * `deploy.finished` with `supersededBy`. Returns what one of them was waiting for, whose wait the
   * new rollout takes over: the process of a replaced serving worker not ready yet, or a replaced
   * worker whose old process is still finishing its tasks; or null.
   */
  private supersedeRollouts(
    startSeq: number,
  ): { readonly process: SimProcess } | { readonly slot: WorkerSlot } | null {
    let waitingFor: { readonly process: SimProcess } | { readonly slot: WorkerSlot } | null = null;
    for (const old of this.rollouts) {
      old.done = true;
      const process = old.waitingFor;
      // A worker a scale-down removed while it finishes its tasks gets no new process: nothing to wait for.
      const draining = old.draining?.stopping != null && old.draining.state !== "removed";
      if (process !== undefined && this.startupWaiters.delete(process)) waitingFor = { process };
      else if (draining) waitingFor = { slot: old.draining! };
      // Every worker replaced (a new process started) or removed: it was in its last wait.
      const rolledOut = this.noneLeft(old) && !draining;
      const { choice } = old;
      emitEvent(
        this.sim,
        "deploy.finished",
        {
          scheduler: choice.name,
          fixes: [...choice.fixes],
          supersededBy: startSeq,
          ...(rolledOut ? { rolledOut } : {}),
        },
        startSeq,
      );
    }
    this.rollouts = [];
    return waitingFor;
  }

  /** Replaces the rollout's next worker, then arms the step after it (see `deploy`). */
  private deployStep(rollout: Rollout, cause: number | null): void {
    rollout.armed = false;
    if (rollout.done) return;
    // Done (or waiting to be) if none is left: a scale-down may have removed every worker left.
    if (this.finishOnceNoneLeft(rollout)) return;
    const { choice, slots } = rollout;
    const index = rollout.next;
    const slot = slots[index];
    const seq = emitEvent(this.sim, "deploy.progressed", { worker: slot.id, index }, cause);
    this.sim.setCause(seq);
    // A worker stopping already (a restart's) served until then: its new process is waited for too.
    const wasServing =
      (slot.state === "serving" || slot.state === "stopping") && slot.process !== null && !slot.paused;
    // The rollout is done once its last new process is ready, whatever its old one was doing (as
    // a Deployment's rollout completes when its every new pod is available): not as the last
    // replacement begins, while the old process may still finish its tasks and the new one start.
    const last = slots.slice(index + 1).every((s) => s.state === "removed");
    const awaitReady = wasServing || last;
    // The new process starts once the old one has finished its tasks (see `stopWorker`): at once,
    // or later.
    let now = true;
    let startedNow: SimProcess | null | undefined;
    this.replace(slot, choice, "deploy", (started) => {
      if (now) {
        startedNow = started;
        return;
      }
      if (rollout.draining === slot) rollout.draining = undefined;
      this.afterReplaced(rollout, seq, awaitReady, started);
    });
    now = false;
    rollout.next = index + 1;
    if (startedNow !== undefined) this.afterReplaced(rollout, seq, awaitReady, startedNow);
    else rollout.draining = slot;
  }

  /**
   * Arms the rollout's next step (or its end, after the last worker) once the worker replaced at
   * the step traced `seq` has its new process: `stepDelayMs` after it is ready, if `awaitReady`
   * (the worker was serving, or is the last), else after the step.
   */
  private afterReplaced(
    rollout: Rollout,
    seq: number,
    awaitReady: boolean,
    started: SimProcess | null,
  ): void {
    if (rollout.done) return;
    if (started !== null) rollout.started.push({ process: started });
    if (!awaitReady || started === null) this.armStep(rollout, seq);
    else this.awaitStartup(rollout, started);
  }

  /** Arms the rollout's next step, `stepDelayMs` after the event `after`. */
  private armStep(rollout: Rollout, after: number | null): void {
    rollout.armed = true;
    this.sim.after(rollout.stepDelayMs, () => this.deployStep(rollout, after), after);
  }

  /** Arms the rollout's next step for when `process` leaves its start-up (see `leftStartup`). */
  private awaitStartup(rollout: Rollout, process: SimProcess): void {
    invariant(
      !this.startupWaiters.has(process),
      () => `${process.name} already has a rollout waiting for it`,
    );
    rollout.waitingFor = process;
    this.startupWaiters.set(process, (after) => this.armStep(rollout, after));
  }

  /**
   * Moves the rollout past the workers a scale-down removed (workers it added run the new version
   * already) and, if none is left to replace, ends it as a Deployment's rollout completes once its
   * every new pod is available: once every new process it started has left its start-up (ready,
   * or dead; a scale-down stops those it removes) and `stepDelayMs` has passed since the last of
   * them did, `deploy.finished` (at once if that is past). So it holds whichever worker is the
   * last: one a scale-down leaves the last after the rollout stepped past it without waiting (it
   * was not serving) is waited for too. True when none is left to replace: finished, or waiting.
   */
  private finishOnceNoneLeft(rollout: Rollout): boolean {
    if (!this.noneLeft(rollout)) return false;
    if (rollout.started.some((p) => p.left === undefined)) {
      // `leftStartup` arms the end's check once it leaves.
      rollout.finishing = true;
      return true;
    }
    let last: StartedProcess["left"];
    for (const { left } of rollout.started) if (left && (last === undefined || left.t >= last.t)) last = left;
    if (last !== undefined && last.t + rollout.stepDelayMs > this.sim.now) {
      const { cause } = last;
      rollout.armed = true;
      this.sim.after(
        last.t + rollout.stepDelayMs - this.sim.now,
        () => this.deployStep(rollout, cause),
        cause,
      );
      return true;
    }
    rollout.done = true;
    this.rollouts = this.rollouts.filter((r) => r !== rollout);
    const { choice } = rollout;
    emitEvent(
      this.sim,
      "deploy.finished",
      { scheduler: choice.name, fixes: [...choice.fixes] },
      rollout.startSeq,
    );
    return true;
  }

  /** Moves the rollout past the workers a scale-down removed; true when none is left to replace. */
  private noneLeft(rollout: Rollout): boolean {
    const { slots } = rollout;
    while (rollout.next < slots.length && slots[rollout.next].state === "removed") rollout.next++;
    return rollout.next >= slots.length;
  }

  /** SIGKILL: the process dies at once; the supervisor restarts it. */
  killWorker(id: string): boolean {
    const slot = this.resolveWorker(id);
    if (!slot?.process) return false;
    this.sim.kill(slot.process);
    return true;
  }

  /** SIGSTOP for `durationMs`, then SIGCONT: the worker stalls, its leases may expire meanwhile. */
  pauseWorker(id: string, durationMs: number): boolean {
    const slot = this.resolveWorker(id);
    const process = slot?.process;
    if (!slot || !process || slot.paused) return false;
    slot.paused = true;
    this.sim.pause(process);
    emitEvent(this.sim, "worker.paused", { worker: slot.id, durationMs });
    this.sim.after(durationMs, () => {
      if (slot.process !== process) return;
      slot.paused = false;
      slot.frozenMs += durationMs;
      this.sim.resume(process);
      emitEvent(this.sim, "worker.resumed", { worker: slot.id });
    });
    return true;
  }

  /** Grows or shrinks the fleet; new workers run the fleet's current scheduler. */
  scale(workers: number): void {
    const active = this.activeSlots();
    emitEvent(this.sim, "fleet.scaled", { from: active.length, to: workers });
    if (workers > active.length) {
      for (let i = active.length; i < workers; i++)
        this.startProcess(this.addSlot(this.fleetChoice), false, this.sim.cause);
      return;
    }
    for (const slot of active.slice(workers).reverse()) {
      this.supervisor.cancel(slot);
      // Out of the fleet at once; its process, if it has tasks under way, finishes them first.
      slot.state = "removed";
      this.stopWorker(slot, "scale-down", null);
      emitEvent(this.sim, "worker.removed", { worker: slot.id });
    }
    // A rollout under way always waits for something that goes on with it (`rolloutWaits`): its
    // step armed, its end's check once its new processes leave start-up, a replaced worker's new
    // process, or a replaced worker's stop. Every path of `deployStep` ends in one of these or ends
    // the rollout, and a stop above that ends a process it waits for arms its next step at once
    // (`leftStartup`). So the scale-down leaves the rollout to its next step, which moves past the
    // workers removed (`noneLeft`) and ends it if none is left, once its new processes are
    // available. A rollout waiting for none would never end: the simulator itself would be wrong.
    for (const rollout of this.rollouts)
      invariant(
        this.rolloutWaits(rollout),
        () =>
          `a rollout of ${rollout.choice.name} (deploy.started #${rollout.startSeq}) waits for nothing after a scale to ${workers}`,
      );
  }

  /** Whether a rollout has a step armed, or waits for a replaced worker's stop or new process. */
  private rolloutWaits(rollout: Rollout): boolean {
    const { waitingFor } = rollout;
    return (
      rollout.armed ||
      rollout.finishing ||
      (waitingFor !== undefined && this.startupWaiters.has(waitingFor)) ||
      rollout.draining?.stopping != null
    );
  }

  /** A worker id, or `random` for one drawn from the `faults` stream among those with a process. */
  resolveWorker(id: string): WorkerSlot | undefined {
    if (id !== "random") return this.slotById.get(id);
    const alive = this.slots.filter((s) => s.signallable);
    return alive.length === 0 ? undefined : this.sim.random.stream("faults").pick(alive);
  }

  /**
   * The worker whose host `id` names, for a fault on the host rather than its process (a clock
   * skew, which outlives restarts): `random` draws from the fleet's workers, a process or not
   * (one waiting in back-off too), those a scale-down removed aside. With every worker up, the
   * draw is `resolveWorker`'s.
   */
  resolveHost(id: string): WorkerSlot | undefined {
    if (id !== "random") return this.slotById.get(id);
    const fleet = this.slots.filter((s) => s.state !== "removed");
    return fleet.length === 0 ? undefined : this.sim.random.stream("faults").pick(fleet);
  }

  // ------------------------------------------------------------ gauges

  workersUp(): number {
    let n = 0;
    for (const slot of this.slots) if (slot.state === "serving" && slot.process !== null) n++;
    return n;
  }

  workersCrashLooping(): number {
    let n = 0;
    for (const slot of this.slots) {
      if (slot.state === "backoff" || (slot.state === "starting" && slot.restarts > 0)) n++;
    }
    return n;
  }

  crashesSince(t: number): number {
    while (this.crashHead < this.crashTimes.length && this.crashTimes[this.crashHead] <= t) this.crashHead++;
    return this.crashTimes.length - this.crashHead;
  }

  dueBacklog(ageGroups: number[]): number {
    return this.store.dueBacklog(this.sim.now, ageGroups);
  }

  takeDeliveryLags(): number[] {
    const lags = this.lags;
    this.lags = [];
    return lags;
  }

  onDeliveryAcked(lagMs: number): void {
    this.lags.push(lagMs);
  }
}

/** A rolling deploy under way: the workers it replaces, in fleet order, and how far it got. */
interface Rollout {
  readonly choice: SchedulerChoice;
  readonly slots: readonly WorkerSlot[];
  readonly stepDelayMs: number;
  readonly startSeq: number;
  /** Index in `slots` of the next worker to replace. */
  next: number;
  done: boolean;
  /** The process of the worker it replaced last, when it waits for that to be ready (see `deploy`). */
  waitingFor?: SimProcess;
  /** The worker it replaced last, while its old process finishes its tasks (see `stopWorker`). */
  draining?: WorkerSlot;
  /** Whether its next step (or its end) is armed on the clock (`armStep`). */
  armed: boolean;
  /** Every new process it started, and when each left its start-up (see `finishOnceNoneLeft`). */
  readonly started: StartedProcess[];
  /** With none left to replace, whether it waits for one of those to leave its start-up. */
  finishing: boolean;
}

/** A new process a rollout started, and when it left its start-up (ready or dead), once it has. */
interface StartedProcess {
  readonly process: SimProcess;
  left?: { readonly t: number; readonly cause: number | null };
}

function destinationOf(account: string): string {
  return `https://${account}.hooks.invalid/`;
}

function asString(value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : String(value);
}

/**
 * A fix (`fixText`, as the caller writes the value) given to a scheduler that does not list it,
 * whose `create` would be handed a fix it does not know: `v2 lists no fix "x" (its fixes: …)`.
 */
export function unlistedFixText(scheduler: string, fixText: string, declared: readonly string[]): string {
  return `${scheduler} lists no fix ${fixText} (its fixes: ${declared.join(", ") || "none"})`;
}

/** The index in `config.timeline` of its `n`th deploy (from 0). */
function deployIndex(config: Pick<WorldConfig, "timeline">, n: number): number {
  let seen = -1;
  return config.timeline.findIndex((a) => a.action === "deploy" && ++seen === n);
}

/** The schedulers a world of `config` starts with or deploys: every one its registry must hold. */
export function schedulerChoices(config: Pick<WorldConfig, "scheduler" | "timeline">): SchedulerChoice[] {
  const out: SchedulerChoice[] = [config.scheduler];
  for (const a of config.timeline) if (a.action === "deploy") out.push({ name: a.scheduler, fixes: a.fixes });
  return out;
}

/** One line describing an operator action. */
/**
 * An action in words. Durations are in milliseconds unless `duration` formats them: the trace
 * keeps `10000 ms` (its hash depends on the text), a person reads `10s`.
 */
export function describeAction(
  action: ActionSpec,
  duration: (ms: number) => string = (ms) => `${ms} ms`,
): string {
  switch (action.action) {
    case "delete-account":
    case "create-account":
      return `${action.action} ${action.account}`;
    case "create-schedule":
      return `create-schedule ${action.schedule} for ${action.account} (${action.cron})`;
    case "delete-schedule":
    case "quarantine-schedule":
      return `${action.action} ${action.schedule}`;
    case "pause-schedule":
      return `${action.paused ? "pause" : "resume"} schedule ${action.schedule}`;
    case "deploy":
      return `deploy ${action.scheduler}${action.fixes.length ? ` with ${action.fixes.join(", ")}` : " (no fixes)"}, ${duration(action.stepDelayMs)} between workers`;
    case "kill-worker":
    case "restart-worker":
      return `${action.action} ${action.worker}`;
    case "pause-worker":
      return `pause-worker ${action.worker} for ${duration(action.durationMs)}`;
    case "scale":
      return `scale the fleet to ${plural(action.workers, "worker")}`;
  }
}

/** `account a not found (404): deleted, or never created`. */
function accountNotFound(account: string): string {
  return `account ${account} not found (404): deleted, or never created`;
}
