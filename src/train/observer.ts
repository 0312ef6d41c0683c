import {
  describeTask,
  describeTasksOf,
  formatDuration,
  type TraceEvent,
  type TraceSink,
} from "../kernel/index.js";
import { fixesCounted, schedulerText } from "./format.js";

/** One dashboard sample (`metrics.sampled`). */
export interface DashboardSample {
  readonly t: number;
  readonly workersUp: number;
  readonly workersCrashLooping: number;
  readonly crashesLastMinute: number;
  readonly dueBacklog: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  /**
   * Deliveries that failed (an error status, or no answer in time) since the sample before: what
   * an HTTP client's error-rate panel shows, counted from the trace's `delivery.failed` and
   * `delivery.failure-dropped` (traced as the task ends: a task a crash cut short before it
   * ended is not counted).
   */
  readonly deliveryErrors: number;
}

/** An alert firing or resolving, as the pager shows it. */
export interface AlertEntry {
  readonly t: number;
  readonly kind: "fired" | "resolved";
  readonly rule: string;
  readonly metric: string;
  readonly value: number;
  readonly threshold: number | null;
}

/**
 * A log line as the log aggregator shows it. `source` is a worker id, `supervisor`, `deploy` or
 * `ops`. `schedule` is the id the emitting code attached (not part of the visible text): only
 * the revealed view prints it.
 */
export interface LogLine {
  readonly t: number;
  readonly source: string;
  readonly level: "info" | "warn" | "error";
  readonly text: string;
  readonly schedule?: string;
  /**
   * The text as the on-call view shows it, where it differs: a scheduler's fixes counted, not
   * named (`fixesCounted`), until reveal.
   */
  readonly onCallText?: string;
}

/** How a worker's last process ended, as `kubectl describe` would say. */
export interface ExitRecord {
  readonly t: number;
  readonly reason: "panic" | "killed";
  readonly error: string | null;
}

/**
 * A panic's error as the Go process the scheduler stands for prints it: the simulated scheduler
 * is TypeScript, and its dereference of a missing value throws a TypeError where Go's runtime
 * panics with a nil pointer dereference. Other errors are printed as thrown. The trace keeps the
 * TypeScript text (its hash depends on it); the on-call view shows this one (a log line quoting
 * one too: `goLogText`), `why` both.
 */
export function goPanicText(error: string): string {
  return /^TypeError: Cannot read properties of (undefined|null)\b/.test(error) ? GO_NIL_DEREFERENCE : error;
}

/** What Go's runtime says of a nil pointer dereference. */
const GO_NIL_DEREFERENCE = "runtime error: invalid memory address or nil pointer dereference";

/**
 * A scheduler's log line as the Go process prints it: where it quotes a recovered panic (v2's
 * `panicked (attempt 1 of 3): …; retrying`), JavaScript's text of a read of a property of undefined
 * or null is Go's nil pointer dereference, as `goPanicText` says it for a panic. The rest is as
 * the scheduler wrote it.
 */
export function goLogText(text: string): string {
  return text.replace(
    /(?:TypeError: )?Cannot read properties of (?:undefined|null) \(reading '[^']*'\)/g,
    GO_NIL_DEREFERENCE,
  );
}

/**
 * When a worker's restart count went back to 0 though it had crashed before: a deploy replaced
 * its process (`at` is when it replaced that worker) or an operator restarted it.
 */
export interface CountReset {
  readonly at: number;
  readonly by: "deploy" | "restart";
}

/** The supervisor's pending restart of a worker. */
export interface BackoffRecord {
  readonly t: number;
  readonly delayMs: number;
  readonly restarts: number;
}

const SAMPLES_MAX = 50_000;
const ALERTS_MAX = 2_000;
const LOG_LINES_MAX = 5_000;

/**
 * What an on-call engineer can see, gathered from the trace: the dashboards (metrics samples),
 * the pager (alerts), the log aggregator (worker logs, panics as a process prints them, the
 * supervisor's restarts, deploys) and each worker's last exit. It deliberately keeps no schedule
 * or task ids in visible text where a real process would not print them: a Go panic names the
 * error and the goroutine's function, not the job it was running. Memory is bounded.
 */
export class OnCallObserver implements TraceSink {
  readonly samples: DashboardSample[] = [];
  readonly alerts: AlertEntry[] = [];
  readonly logs: LogLine[] = [];
  readonly lastExit = new Map<string, ExitRecord>();
  readonly backoff = new Map<string, BackoffRecord>();
  /** Workers whose restart count a deploy or a restart set back to 0 after a crash. */
  readonly countReset = new Map<string, CountReset>();
  /** Workers finishing their tasks under way before they stop (`worker.stopping`). */
  private readonly stopping = new Set<string>();
  /** Alerts firing now, by rule. */
  readonly firing = new Map<string, AlertEntry>();
  crashes = 0;
  /** Log lines ever written (the kept ones are the last few thousand). */
  logTotal = 0;
  /** Told of every log line as it is written, the ones the cap drops later included. */
  onLog: ((line: LogLine) => void) | null = null;
  private deployWorkers = 0;
  /** Failed deliveries since the last sample. */
  private errorsSinceSample = 0;

  onEvent(e: TraceEvent): void {
    switch (e.type) {
      // A failed answer, whether the task asked for a retry or dead letter, or dropped it.
      case "delivery.failed":
      case "delivery.failure-dropped":
        this.errorsSinceSample++;
        return;
      case "metrics.sampled":
        if (this.samples.length >= SAMPLES_MAX) this.samples.splice(0, SAMPLES_MAX / 10);
        this.samples.push({
          t: e.t,
          workersUp: num(e.workersUp),
          workersCrashLooping: num(e.workersCrashLooping),
          crashesLastMinute: num(e.crashesLastMinute),
          dueBacklog: num(e.dueBacklog),
          lagP50Ms: num(e.lagP50Ms),
          lagP99Ms: num(e.lagP99Ms),
          deliveryErrors: this.errorsSinceSample,
        });
        this.errorsSinceSample = 0;
        return;
      case "alert.fired":
      case "alert.resolved":
        this.alert(e);
        return;
      default:
        this.logEvent(e);
    }
  }

  private alert(e: TraceEvent): void {
    const entry: AlertEntry = {
      t: e.t,
      kind: e.type === "alert.fired" ? "fired" : "resolved",
      rule: str(e.rule),
      metric: str(e.metric),
      value: num(e.value),
      threshold: typeof e.threshold === "number" ? e.threshold : null,
    };
    if (this.alerts.length >= ALERTS_MAX) this.alerts.splice(0, ALERTS_MAX / 10);
    this.alerts.push(entry);
    if (entry.kind === "fired") this.firing.set(entry.rule, entry);
    else this.firing.delete(entry.rule);
  }

  private logEvent(e: TraceEvent): void {
    const worker = str(e.worker);
    switch (e.type) {
      case "worker.started": {
        const fixes = Array.isArray(e.fixes) ? e.fixes : [];
        const started = (name: typeof schedulerText) =>
          `process started: scheduler ${name(str(e.scheduler), fixes)}`;
        this.log(e.t, worker, "info", started(schedulerText), undefined, started(fixesCounted));
        return;
      }
      case "worker.ready":
        this.log(e.t, worker, "info", "ready, serving");
        return;
      case "worker.crashed":
        this.stopping.delete(worker);
        this.crashed(e, worker);
        return;
      case "worker.backoff": {
        const record = { t: e.t, delayMs: num(e.delayMs), restarts: num(e.restarts) };
        this.backoff.set(worker, record);
        this.log(
          e.t,
          "supervisor",
          "warn",
          `back-off restarting failed ${worker}: next start in ${formatDuration(record.delayMs)} (restart #${record.restarts})`,
        );
        return;
      }
      case "worker.restarted":
        this.backoff.delete(worker);
        return;
      case "worker.stopping":
        this.stopping.add(worker);
        this.log(
          e.t,
          worker,
          "info",
          `shutting down gracefully (${str(e.why)}): finishing ${e.inFlight} task(s) under way`,
        );
        return;
      case "worker.stopped":
        this.backoff.delete(worker);
        // A frozen process cannot shut down: the supervisor killed it, its leases left to expire.
        if (e.graceful === false)
          this.log(e.t, "supervisor", "warn", `${worker} frozen, killed without shutdown (${str(e.why)})`);
        else if (typeof e.abandoned === "number")
          this.log(
            e.t,
            worker,
            "warn",
            `stopped (${str(e.why)}): ${e.abandoned} task(s) still under way at the shutdown grace's end`,
          );
        else if (this.stopping.has(worker))
          this.log(e.t, worker, "info", `stopped (${str(e.why)}): its tasks done`);
        else this.log(e.t, worker, "info", `shutting down gracefully (${str(e.why)})`);
        this.stopping.delete(worker);
        return;
      case "worker.removed":
        this.log(e.t, "supervisor", "info", `${worker} removed from the fleet`);
        return;
      case "log": {
        const schedule = optStr(e.schedule);
        // The scheduler's own words name its tasks by id: the trace keeps them, a person reads the due time.
        const text = describeTasksOf(goLogText(str(e.message)), schedule);
        this.log(e.t, worker, e.level === "error" ? "error" : "warn", text, schedule);
        return;
      }
      case "panic.recovered":
        this.log(
          e.t,
          worker,
          "error",
          `recovered panic in task ${describeTask(str(e.task))} (attempt ${num(e.attempt)}): ${goPanicText(str(e.error))}`,
          optStr(e.schedule),
        );
        return;
      case "deploy.started": {
        this.deployWorkers = num(e.workers);
        const rolling = (named: boolean) =>
          `rolling out ${versionText(e, named)} to ${this.deployWorkers} workers`;
        this.log(e.t, "deploy", "info", rolling(true), undefined, rolling(false));
        return;
      }
      case "deploy.progressed":
        // The count starts anew when this worker's process is replaced, not when the rollout began.
        if (this.lastExit.has(worker)) this.countReset.set(worker, { at: e.t, by: "deploy" });
        this.log(e.t, "deploy", "info", `replacing ${worker} (${num(e.index) + 1}/${this.deployWorkers})`);
        return;
      case "deploy.finished": {
        const finished = (named: boolean) =>
          e.supersededBy === undefined
            ? `rollout of ${versionText(e, named)} finished`
            : e.rolledOut === true
              ? `rollout of ${versionText(e, named)} was complete (every worker it had to replace was replaced or removed); a newer rollout supersedes it before its last step's wait is over`
              : `rollout of ${versionText(e, named)} stopped part-way: a newer rollout supersedes it`;
        this.log(e.t, "deploy", "info", finished(true), undefined, finished(false));
        return;
      }
      case "fleet.scaled":
        this.log(e.t, "ops", "info", `fleet scaled from ${num(e.from)} to ${num(e.to)} workers`);
        return;
      case "schedule.quarantined":
        if (e.by === "operator")
          this.log(e.t, "ops", "info", `schedule ${str(e.schedule)} quarantined by the operator`);
        return;
      case "operator.action":
        // A kill or restart an operator made (a what-if's too), as scaling and quarantines are
        // logged; a customer's deletion is not the operators' and stays out of their log.
        if (e.applied === false || (e.action !== "kill-worker" && e.action !== "restart-worker")) return;
        if (e.action === "restart-worker") {
          const restarted = optStr(e.worker) ?? str(e.detail).split(" ")[1] ?? "";
          if (this.lastExit.has(restarted)) this.countReset.set(restarted, { at: e.t, by: "restart" });
        }
        this.log(e.t, "ops", "info", `operator: ${str(e.detail)}`);
        return;
    }
  }

  private crashed(e: TraceEvent, worker: string): void {
    this.crashes++;
    const reason = e.reason === "panic" ? "panic" : "killed";
    const error = optStr(e.error) ?? null;
    this.lastExit.set(worker, { t: e.t, reason, error });
    if (reason === "killed") {
      this.log(e.t, worker, "error", "process killed (signal: killed)");
      return;
    }
    // What the process prints: the error and the goroutine's function, not the job's ids.
    const fn = str(e.goroutine).split(" ")[0] || "unknown";
    this.log(
      e.t,
      worker,
      "error",
      `panic: ${error === null ? "unknown error" : goPanicText(error)} [goroutine "${fn}"]; process exited with status 2`,
      optStr(e.schedule),
    );
  }

  private log(
    t: number,
    source: string,
    level: LogLine["level"],
    text: string,
    schedule?: string,
    onCallText?: string,
  ): void {
    this.logTotal++;
    if (this.logs.length >= LOG_LINES_MAX) this.logs.splice(0, LOG_LINES_MAX / 10);
    const line: LogLine = {
      t,
      source,
      level,
      text,
      ...(schedule === undefined ? {} : { schedule }),
      ...(onCallText === undefined || onCallText === text ? {} : { onCallText }),
    };
    this.logs.push(line);
    this.onLog?.(line);
  }
}

/** `v2 (early-return, panic-recovery)`, `v2 (no fixes)`; unless `named`, the fixes counted (`v2 (2 fixes)`). */
function versionText(e: TraceEvent, named: boolean): string {
  const fixes = Array.isArray(e.fixes) ? e.fixes.map(String) : [];
  if (fixes.length === 0) return `${str(e.scheduler)} (no fixes)`;
  return named ? schedulerText(str(e.scheduler), fixes) : fixesCounted(str(e.scheduler), fixes);
}

function num(v: unknown): number {
  return typeof v === "number" ? v : 0;
}

function str(v: unknown): string {
  return v === undefined || v === null ? "" : String(v);
}

function optStr(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}
