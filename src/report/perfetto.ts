/**
 * The run as a Chrome trace-event file (the JSON object format that Perfetto's UI and
 * `chrome://tracing` open). Each worker is a process (`pid`) named by `M` metadata: thread 0 is
 * its lifecycle (starting, serving, back-off, paused as `B`/`E` slices), threads 1.. are task
 * slots where each task is an `X` slice from `schedule.fired` to its commit, fencing, recovered
 * panic or crash (a task takes the lowest free slot, so slices on one thread never overlap).
 * A `fleet` process per run carries the counters (`C`: workers, backlog, lag), the deploy as a
 * slice, and alerts, deletions and quarantines as instant events (`i`). Crashes are instant
 * events on the worker that died.
 *
 * Pure: the builder is a trace sink that hands finished JSON objects to a writer the caller
 * owns (the CLI writes them through an atomic file). Bounded: at most `eventsMax` task slices per
 * run, the events a run makes by the million, and task slots per worker at most `slotsMax`; what
 * is dropped is counted. Everything else (lifecycle slices, crashes, alerts, faults, deploys,
 * counters) is written for the whole run, a few per worker state change or sample: a large run's
 * file that reaches the cap in its first minutes still shows its incident, without its tasks.
 */
import type { TraceEvent, TraceSink } from "../kernel/trace.js";

/** Options of one run's trace-event builder. */
export interface PerfettoConstraints {
  /** Run index within the file (variants of a comparison): pids are `(run + 1) * 1000 + n`. */
  readonly run?: number;
  /** Prefix of process names (the variant), e.g. `buggy`. */
  readonly label?: string;
  /** Task slices (`X`) written at most for this run: the other events are all written. */
  readonly eventsMax?: number;
  /** Task slots (threads) per worker at most. */
  readonly slotsMax?: number;
}

export const PERFETTO_EVENTS_MAX = 1_000_000;
export const PERFETTO_SLOTS_MAX = 256;

/** One event of the trace-event format (the fields this module writes). */
export interface TraceEventRecord {
  readonly name: string;
  readonly ph: "B" | "E" | "X" | "i" | "C" | "M";
  readonly ts: number;
  readonly pid: number;
  readonly tid: number;
  readonly cat?: string;
  readonly dur?: number;
  readonly s?: "g" | "p" | "t";
  readonly args?: Readonly<Record<string, string | number | boolean | null>>;
}

/** What a builder wrote and dropped. */
export interface PerfettoSummary {
  readonly written: number;
  readonly dropped: number;
  readonly workers: number;
}

type LifeState = "starting" | "serving" | "backoff" | "paused" | "stopping";

interface WorkerTrack {
  readonly pid: number;
  /** Open lifecycle slice on thread 0, if any. */
  state: LifeState | null;
  /** Slot i busy with the task of key `busy[i]` (null: free). */
  readonly busy: (string | null)[];
}

interface OpenTask {
  readonly worker: string;
  readonly slot: number;
  readonly start: number;
  readonly args: Record<string, string | number | boolean | null>;
  readonly name: string;
  /** What its delivery met at the destination, beside its outcome (`delivery failed: HTTP 503, …`). */
  delivery?: string;
}

const LIFE_NAMES: Record<LifeState, string> = {
  starting: "starting",
  serving: "serving",
  backoff: "back-off (CrashLoopBackOff)",
  paused: "paused",
  stopping: "stopping (finishing its tasks)",
};

/** Builds one run's trace events from its trace, streaming them to `write` (one JSON object each). */
export class PerfettoTraceBuilder implements TraceSink {
  private readonly workers = new Map<string, WorkerTrack>();
  private readonly tasks = new Map<string, OpenTask>();
  /** Workers stopping (`worker.stopping`) whose process has not stopped or died yet. */
  private readonly stopping = new Set<string>();
  private readonly run: number;
  private readonly label: string;
  private readonly eventsMax: number;
  private readonly slotsMax: number;
  private origin: number | null = null;
  private written = 0;
  /** Task slices written, which `eventsMax` bounds. */
  private tasksWritten = 0;
  private dropped = 0;
  private deployOpen = false;
  private finished = false;

  constructor(
    private readonly write: (json: string) => void,
    c: PerfettoConstraints = {},
  ) {
    this.run = c.run ?? 0;
    this.label = c.label ?? "";
    this.eventsMax = c.eventsMax ?? PERFETTO_EVENTS_MAX;
    this.slotsMax = c.slotsMax ?? PERFETTO_SLOTS_MAX;
  }

  private get fleetPid(): number {
    return (this.run + 1) * 1000;
  }

  onEvent(e: TraceEvent): void {
    if (this.finished) return;
    if (this.origin === null) {
      this.origin = e.t;
      this.meta(this.fleetPid, 0, "process_name", this.name("fleet"));
      this.meta(this.fleetPid, 0, "process_sort_index", this.fleetPid);
      this.meta(this.fleetPid, 0, "thread_name", "events");
      this.meta(this.fleetPid, 1, "thread_name", "deploys");
    }
    const worker = typeof e.worker === "string" ? e.worker : null;
    switch (e.type) {
      case "worker.started":
        this.life(worker, e.t, "starting");
        return;
      case "worker.ready":
        this.life(worker, e.t, "serving");
        return;
      case "worker.resumed":
        // Thawed while it stops: it goes on stopping, serving nothing new.
        this.life(worker, e.t, worker !== null && this.stopping.has(worker) ? "stopping" : "serving");
        return;
      case "worker.paused":
        this.life(worker, e.t, "paused");
        return;
      case "worker.stopping":
        if (worker !== null) this.stopping.add(worker);
        this.life(worker, e.t, "stopping");
        return;
      case "worker.removed":
        // A scale-down's worker still stopping finishes its tasks first: its slices end when it stops.
        if (this.track(worker)?.state === "stopping") return;
        this.endTasks(worker, e.t, "stopped with the process");
        this.life(worker, e.t, null);
        return;
      case "worker.stopped":
        if (worker !== null) this.stopping.delete(worker);
        this.endTasks(worker, e.t, "stopped with the process");
        this.life(worker, e.t, null);
        return;
      case "worker.crashed":
        this.crashed(e, worker);
        return;
      case "schedule.fired":
        this.fired(e, worker, typeof e.schedule === "string" ? e.schedule : String(e.task));
        return;
      case "delivery.sent":
        // A retry is a task of its own that no fire starts: its slice starts with its send.
        if (worker !== null && Number(e.attempt) > 0 && !this.tasks.has(`${worker}|${String(e.task)}`))
          this.fired(e, worker, `${String(e.schedule)} retry ${String(e.attempt)}`);
        return;
      case "delivery.failed":
        this.noteDelivery(
          e,
          worker,
          `delivery failed: ${e.status === 0 ? "timed out" : `HTTP ${String(e.status)}`}${e.retryAt === null ? ", dead-lettered" : ", retried later"}`,
        );
        return;
      case "delivery.failure-dropped":
        this.noteDelivery(
          e,
          worker,
          // Carried from a transaction restarted or rolled back: said, as the event's words say it.
          `delivery failed: ${e.status === 0 ? "timed out" : `HTTP ${String(e.status)}`}, neither retried nor dead-lettered${e.rerun === undefined ? "" : ` (${String(e.rerun)} with no panic reported since)`}`,
        );
        return;
      case "task.committed":
        this.endTask(e, worker, e.next === null ? "committed (schedule deleted)" : "committed");
        return;
      case "task.fenced":
        this.endTask(e, worker, "fenced (lease lost)");
        return;
      case "panic.recovered":
        this.endTask(e, worker, `panic recovered: ${String(e.error)}`);
        this.instant(this.track(worker)?.pid, 0, e.t, "panic recovered", "t", pick(e, "task", "error"));
        return;
      case "task.quarantined":
        this.endTask(e, worker, "quarantined");
        this.instant(
          this.fleetPid,
          0,
          e.t,
          `quarantined ${String(e.task)}`,
          "p",
          pick(e, "worker", "attempts"),
        );
        return;
      case "metrics.sampled":
        this.counters(e);
        return;
      case "alert.fired":
        this.instant(this.fleetPid, 0, e.t, `alert ${String(e.rule)} fired`, "g", pick(e, "metric", "value"));
        return;
      case "alert.resolved":
        this.instant(
          this.fleetPid,
          0,
          e.t,
          `alert ${String(e.rule)} resolved`,
          "p",
          pick(e, "metric", "value"),
        );
        return;
      case "account.deleted":
        this.instant(
          this.fleetPid,
          0,
          e.t,
          `account ${String(e.account)} deleted`,
          "g",
          pick(e, "schedules"),
        );
        return;
      case "schedule.quarantined":
        this.instant(this.fleetPid, 0, e.t, `schedule ${String(e.schedule)} quarantined`, "p", pick(e, "by"));
        return;
      case "deploy.started":
        if (this.deployOpen)
          this.emit({ name: "deploy", ph: "E", ts: this.ts(e.t), pid: this.fleetPid, tid: 1 });
        this.deployOpen = this.emit({
          name: `deploy ${String(e.scheduler)}${Array.isArray(e.fixes) && e.fixes.length > 0 ? ` + ${e.fixes.join(", ")}` : ""}`,
          cat: "deploy",
          ph: "B",
          ts: this.ts(e.t),
          pid: this.fleetPid,
          tid: 1,
          args: pick(e, "workers", "stepDelayMs"),
        });
        return;
      case "deploy.finished":
        if (this.deployOpen)
          this.emit({ name: "deploy", ph: "E", ts: this.ts(e.t), pid: this.fleetPid, tid: 1 });
        this.deployOpen = false;
        return;
      case "fault.injected":
        this.instant(this.fleetPid, 0, e.t, `fault ${String(e.fault)}`, "p", pick(e, "worker", "detail"));
        return;
      case "fault.skipped":
        this.instant(
          this.fleetPid,
          0,
          e.t,
          `fault ${String(e.fault)} not fired`,
          "p",
          pick(e, "worker", "reason"),
        );
        return;
      case "run.finished":
        this.close(e.t);
        return;
    }
  }

  /** Closes every open slice at `endMs` (called by `run.finished`; call it yourself for a partial run). */
  close(endMs: number): void {
    if (this.finished) return;
    for (const key of [...this.tasks.keys()]) this.finishTask(key, endMs, "unfinished at the end of the run");
    for (const worker of this.workers.keys()) this.life(worker, endMs, null);
    if (this.deployOpen)
      this.emit({ name: "deploy", ph: "E", ts: this.ts(endMs), pid: this.fleetPid, tid: 1 });
    this.deployOpen = false;
    this.finished = true;
  }

  summary(): PerfettoSummary {
    return { written: this.written, dropped: this.dropped, workers: this.workers.size };
  }

  private name(what: string): string {
    return this.label ? `${this.label} · ${what}` : what;
  }

  private ts(t: number): number {
    // Microseconds since the run's first event: every variant of a comparison starts together.
    return (t - (this.origin ?? t)) * 1000;
  }

  /** Writes an event; a task slice (`task`) only while fewer than `eventsMax` have been written. */
  private emit(record: TraceEventRecord, task = false): boolean {
    if (task) {
      if (this.tasksWritten >= this.eventsMax) {
        this.dropped++;
        return false;
      }
      this.tasksWritten++;
    }
    this.written++;
    this.write(JSON.stringify(record));
    return true;
  }

  private meta(pid: number, tid: number, name: string, value: string | number): void {
    const args: Record<string, string | number> =
      name === "process_sort_index" || name === "thread_sort_index" ? { sort_index: value } : { name: value };
    this.emit({ name, ph: "M", ts: 0, pid, tid, args });
  }

  private instant(
    pid: number | undefined,
    tid: number,
    t: number,
    name: string,
    scope: "g" | "p" | "t",
    args: Record<string, string | number | boolean | null>,
  ): void {
    if (pid === undefined) return;
    // Drawn across every process, of every variant: named with its variant, as its process is.
    const named = scope === "g" ? this.name(name) : name;
    this.emit({ name: named, cat: "event", ph: "i", s: scope, ts: this.ts(t), pid, tid, args });
  }

  private track(worker: string | null): WorkerTrack | undefined {
    if (worker === null) return undefined;
    let track = this.workers.get(worker);
    if (!track) {
      const pid = this.fleetPid + this.workers.size + 1;
      track = { pid, state: null, busy: [] };
      this.workers.set(worker, track);
      this.meta(pid, 0, "process_name", this.name(worker));
      this.meta(pid, 0, "process_sort_index", pid);
      this.meta(pid, 0, "thread_name", "lifecycle");
      this.meta(pid, 0, "thread_sort_index", 0);
    }
    return track;
  }

  /** Moves a worker's lifecycle slice to `state` (null: no slice). */
  private life(worker: string | null, t: number, state: LifeState | null): void {
    const track = this.track(worker);
    if (!track || track.state === state) return;
    if (track.state !== null)
      this.emit({ name: LIFE_NAMES[track.state], ph: "E", ts: this.ts(t), pid: track.pid, tid: 0 });
    track.state = null;
    if (state === null) return;
    const opened = this.emit({
      name: LIFE_NAMES[state],
      cat: "lifecycle",
      ph: "B",
      ts: this.ts(t),
      pid: track.pid,
      tid: 0,
    });
    if (opened) track.state = state;
  }

  private crashed(e: TraceEvent, worker: string | null): void {
    const track = this.track(worker);
    if (!track || worker === null) return;
    const panic = e.reason === "panic";
    const culprit = typeof e.task === "string" ? `${worker}|${e.task}` : null;
    if (culprit !== null && this.tasks.has(culprit))
      this.finishTask(culprit, e.t, `crashed the process: ${String(e.error ?? "panic")}`);
    this.endTasks(
      worker,
      e.t,
      panic ? "lost with the process (another task panicked)" : "lost with the process (killed)",
    );
    this.instant(
      track.pid,
      0,
      e.t,
      panic ? `crash: panic${typeof e.schedule === "string" ? ` in ${e.schedule}` : ""}` : "crash: killed",
      "t",
      pick(e, "reason", "error", "schedule", "task", "incarnation"),
    );
    // A process that dies while it stops is not restarted: the stop goes on to what follows it.
    this.life(worker, e.t, this.stopping.delete(worker) ? null : "backoff");
  }

  private fired(e: TraceEvent, worker: string | null, name: string): void {
    const track = this.track(worker);
    if (!track || worker === null || typeof e.task !== "string") return;
    const key = `${worker}|${e.task}`;
    // The same task again on the same worker (a retry) ends the previous attempt first.
    if (this.tasks.has(key)) this.finishTask(key, e.t, "superseded by a new attempt");
    let slot = track.busy.indexOf(null);
    if (slot < 0) {
      if (track.busy.length >= this.slotsMax) {
        this.dropped++;
        return;
      }
      slot = track.busy.length;
      track.busy.push(null);
      this.meta(track.pid, slot + 1, "thread_name", `task slot ${slot + 1}`);
      this.meta(track.pid, slot + 1, "thread_sort_index", slot + 1);
    }
    track.busy[slot] = key;
    this.tasks.set(key, {
      worker,
      slot,
      start: e.t,
      name,
      args: pick(e, "task", "account", "partition", "attempt"),
    });
  }

  private endTask(e: TraceEvent, worker: string | null, outcome: string): void {
    if (worker === null || typeof e.task !== "string") return;
    const key = `${worker}|${e.task}`;
    if (this.tasks.has(key)) this.finishTask(key, e.t, outcome);
  }

  /** Notes what an open task's delivery met, for its outcome. */
  private noteDelivery(e: TraceEvent, worker: string | null, what: string): void {
    const task = worker === null ? undefined : this.tasks.get(`${worker}|${String(e.task)}`);
    if (task !== undefined) task.delivery = what;
  }

  private endTasks(worker: string | null, t: number, outcome: string): void {
    const track = worker === null ? undefined : this.workers.get(worker);
    if (!track) return;
    for (const key of track.busy) if (key !== null) this.finishTask(key, t, outcome);
  }

  private finishTask(key: string, t: number, outcome: string): void {
    const task = this.tasks.get(key)!;
    this.tasks.delete(key);
    const track = this.workers.get(task.worker)!;
    track.busy[task.slot] = null;
    this.emit(
      {
        name: task.name,
        cat: "task",
        ph: "X",
        ts: this.ts(task.start),
        dur: (t - task.start) * 1000,
        pid: track.pid,
        tid: task.slot + 1,
        args: { ...task.args, outcome, ...(task.delivery === undefined ? {} : { delivery: task.delivery }) },
      },
      true,
    );
  }

  private counters(e: TraceEvent): void {
    const ts = this.ts(e.t);
    const n = (k: string) => (typeof e[k] === "number" ? (e[k] as number) : 0);
    this.emit({
      name: "workers",
      ph: "C",
      ts,
      pid: this.fleetPid,
      tid: 0,
      args: { serving: n("workersUp"), "crash-looping": n("workersCrashLooping") },
    });
    this.emit({
      name: "due backlog",
      ph: "C",
      ts,
      pid: this.fleetPid,
      tid: 0,
      args: { due: n("dueBacklog") },
    });
    this.emit({
      name: "delivery lag (ms)",
      ph: "C",
      ts,
      pid: this.fleetPid,
      tid: 0,
      args: { p50: n("lagP50Ms"), p99: n("lagP99Ms") },
    });
  }
}

function pick(e: TraceEvent, ...keys: string[]): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const k of keys) {
    const v = e[k];
    if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}

/** Metadata written at the top of the file (the format's `otherData`). */
export interface PerfettoFileInfo {
  readonly scenario: string;
  readonly seed: number;
  readonly start: string;
  readonly variants: readonly string[];
  readonly generator: string;
}

/** What a trace-event file written by aftershock starts with (for the overwrite check). */
export const PERFETTO_SIGNATURE = /^\{"displayTimeUnit":"ms","otherData":\{"generator":"aftershock/;

/**
 * Joins trace-event objects into one JSON document, streamed: the head, the events separated by
 * commas, the tail. `otherData` comes first so the file says what it is in its first bytes.
 */
export class TraceEventDocument {
  private count = 0;

  constructor(
    private readonly out: (text: string) => void,
    info: PerfettoFileInfo,
  ) {
    const otherData = {
      generator: info.generator,
      scenario: info.scenario,
      seed: info.seed,
      start: info.start,
      variants: info.variants.join(", "),
      note: "timestamps are microseconds since the start of the run",
    };
    this.out(`{"displayTimeUnit":"ms","otherData":${JSON.stringify(otherData)},"traceEvents":[\n`);
  }

  add(json: string): void {
    this.out(this.count === 0 ? json : `,\n${json}`);
    this.count++;
  }

  end(): void {
    this.out("\n]}\n");
  }

  get events(): number {
    return this.count;
  }
}
