/**
 * Words for trace events, one sentence an event, for every renderer that narrates them (the
 * terminal's causal chain, the reports' chains and divergences, compare's divergence), so that
 * they say them alike.
 */

import {
  describeTask,
  formatDuration,
  notAppliedText,
  onWorkerText,
  plural,
  readableDetail,
  stepPaceText,
} from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { type Paint, plainPaint } from "./paint.js";

/**
 * Who an event is worded for, where the two say it differently: `terminal` (the causal chain of
 * `why` and the training session) or `report` (HTML and Markdown). They differ in two places
 * only: a restart delay (`10s` against `10 s`) and an event neither words (its ids bare against
 * `eventIdsText`). A panic death reads the same in both (`… in goroutine "g" escaped recovery`):
 * `why` and the reports show one event, and a user comparing them should not wonder.
 */
export type EventVoice = "terminal" | "report";

/**
 * One event as a sentence a person reads: `w3 fired sched-a (task …, attempt 1)`, coloured by
 * `paint` (plain for the reports), in the words of `voice`.
 */
export function describeEvent(
  e: TraceEvent,
  paint: Paint = plainPaint,
  voice: EventVoice = "report",
): string {
  const s = (k: string) => String(e[k]);
  switch (e.type) {
    case "account.deleted":
      return paint.magenta(accountDeletedText(e));
    case "operator.action":
      return operatorActionText(e);
    case "lease.acquired": {
      // A worker can take back its own expired lease (after a restart, or a stall of the store).
      const from =
        typeof e.previous !== "string"
          ? ""
          : e.previous === e.worker
            ? " again (its own lease had expired)"
            : ` from ${s("previous")}`;
      return paint.blue(`${s("worker")} acquired partition ${s("partition")}${from}`);
    }
    case "lease.expired":
      return paint.yellow(`lease on partition ${s("partition")} held by ${s("worker")} expired`);
    case "schedule.fired":
      return `${s("worker")} fired ${s("schedule")} (task ${idText(e, "task")}, attempt ${s("attempt")})`;
    case "worker.crashed":
      return paint.red(e.reason === "panic" ? panicDeathText(e) : `${s("worker")} was killed`);
    case "worker.backoff": {
      const delayMs = Number(e.delayMs);
      const delay = voice === "terminal" ? formatDuration(delayMs) : `${Math.round(delayMs / 1000)} s`;
      return `supervisor: restart ${s("worker")} in ${delay}`;
    }
    case "worker.restarted":
      return `supervisor restarted ${s("worker")}`;
    case "worker.started":
      return `${s("worker")} started (${s("scheduler")})`;
    default:
      return eventText(e) ?? (voice === "terminal" ? bareIdsText(e) : eventIdsText(e));
  }
}

/** ` at ./mine.mjs:80:20`: where in a scheduler module a panic came from, when its event says it. */
function atLocation(e: TraceEvent): string {
  return typeof e.location === "string" ? ` at ${e.location}` : "";
}

/** A worker's death by a panic its recovery did not catch, in every voice. */
function panicDeathText(e: TraceEvent): string {
  const died = `${String(e.worker)} died: ${String(e.error)}${atLocation(e)}`;
  return `${died}${e.goroutine !== undefined ? ` in goroutine "${goroutineText(e.goroutine)}"` : ""} escaped recovery`;
}

/** An event as its type and its worker, schedule and partition bare: `x.unknown w3 sched-a 7`. */
function bareIdsText(e: TraceEvent): string {
  const ids = ["worker", "schedule", "partition"].filter((k) => e[k] !== undefined).map((k) => String(e[k]));
  return [e.type, ...ids].join(" ");
}

/** The ids an event's `eventIdsText` names, in this order; what a divergence compares. */
export const EVENT_ID_FIELDS: readonly string[] = [
  "worker",
  "schedule",
  "account",
  "partition",
  "task",
  "reason",
];

/** An event as its type and ids: `worker.crashed worker=w3 task=sched-a@… reason=panic`. */
export function eventIdsText(e: TraceEvent): string {
  const ids = EVENT_ID_FIELDS.filter((k) => e[k] !== undefined).map(
    (k) => `${k}=${k === "task" ? idText(e, "task") : String(e[k])}`,
  );
  return [e.type, ...ids].join(" ");
}

/**
 * A task or message id of an event as people read it (`describeTask`): `sched-x@2026-05-08T09:45:00Z`
 * for `sched-x@1778233500000`. The trace keeps the id as it is.
 */
export function idText(e: TraceEvent, key: "task" | "message"): string {
  return describeTask(String(e[key]));
}

/**
 * A goroutine's name with the task ids in it (`deliver <task>`) made readable as `idText` makes
 * them: `deliver sched-x@2026-05-08T09:45:00Z`. Word by word, so a name a module chose reads
 * as it was written apart from its task ids.
 */
export function goroutineText(name: unknown): string {
  return String(name)
    .split(" ")
    .map((word) => describeTask(word))
    .join(" ");
}

/** `account acct-1 deleted (1 schedule left to clean up)`. */
export function accountDeletedText(e: TraceEvent): string {
  const n = Number(e.schedules);
  return `account ${String(e.account)} deleted (${plural(n, "schedule")} left to clean up)`;
}

/**
 * An `operator.action` in words. An armed fault (`inject-panic` and `hang` trace the actions
 * `arm-panic` and `arm-hang`) is chaos the scenario injected, not something an operator did.
 */
export function operatorActionText(e: TraceEvent): string {
  const action = String(e.action ?? "");
  // An armed fault's detail says its durations in ms, as a fault's does (`readableDetail`).
  const detail =
    (action.startsWith("arm-") ? readableDetail(String(e.detail ?? "")) : String(e.detail ?? "")) || action;
  // An action the control plane refused (`applied: false`) changed nothing: say so, and why.
  const refused = notAppliedText(e.applied, e.reason);
  // A worker action on `random` names the worker drawn (its detail says only `random`).
  const drew = typeof e.worker === "string" ? ` (drew ${e.worker})` : "";
  return `${action.startsWith("arm-") ? "fault" : "operator"}: ${detail}${drew}${refused}`;
}

/**
 * An injected fault as `fault: <detail>`, with ` on <worker>` where the detail does not name the
 * worker already: `fault: kill w2` (not `kill w2 on w2`), `fault: task … hangs for 5s on w1`.
 */
function injectedFaultText(e: TraceEvent): string {
  // As the key events word it: `22s`, not the trace's `22000 ms`.
  const detail = readableDetail(String(e.detail ?? e.fault), e.task);
  return `fault: ${detail}${onWorkerText(detail, e.worker)}`;
}

/**
 * The words for an event neither renderer words its own way (the start of a run, a deploy, an
 * injected fault, a quarantine, …); null for a type it does not know, which each renderer then
 * writes as its type and ids.
 */
export function eventText(e: TraceEvent): string | null {
  const s = (k: string) => String(e[k]);
  const fixes = (k: string) => {
    const list = Array.isArray(e[k]) ? (e[k] as unknown[]).map(String) : [];
    return list.length === 0 ? "no fixes" : list.join(", ");
  };
  switch (e.type) {
    case "run.started":
      return `run started: ${s("scenario")}, seed ${s("seed")}, ${s("scheduler")} (${fixes("fixes")}) on ${s("workers")} workers`;
    case "run.finished":
      return `run finished (${s("reason")})`;
    case "account.created":
      return `account ${s("account")} created`;
    case "schedule.created":
      return `schedule ${s("schedule")} of ${s("account")} created (${s("cron")})`;
    case "schedule.deleted":
      return `schedule ${s("schedule")} of ${s("account")} deleted by ${s("by")}`;
    case "schedule.quarantined":
      return `schedule ${s("schedule")} of ${s("account")} quarantined by ${s("by")}`;
    case "panic.recovered":
      return `${s("worker")} recovered a panic in ${idText(e, "task")}: ${s("error")}${atLocation(e)}`;
    case "task.quarantined":
      return `${s("worker")} quarantined ${s("schedule")} (task ${idText(e, "task")}) after ${s("attempts")} attempts`;
    case "task.committed":
      return `${s("worker")} committed task ${idText(e, "task")}`;
    case "delivery.sent":
      return `${s("worker")} sent ${idText(e, "message")} to ${s("destination")} (attempt ${s("attempt")})`;
    case "delivery.acked":
      return `${idText(e, "message")} delivered (HTTP ${s("status")})`;
    case "delivery.failed": {
      const then = e.retryAt === null ? ", no retries left" : "";
      return `${idText(e, "message")} failed (${answerText(e)}, attempt ${s("attempt")}${then})`;
    }
    case "delivery.failure-dropped": {
      const answer = answerText(e);
      const ended = e.ended === "abandoned" ? "let its task go (fired again at once)" : "committed its task";
      // Carried from a transaction restarted or rolled back, with no panic since the failure.
      const rerun = e.rerun === undefined ? "" : ` (${s("rerun")} with no panic reported since)`;
      return `${s("worker")} ${ended}${rerun} with neither a retry nor a dead letter for ${idText(e, "message")}, which failed (${answer}, attempt ${s("attempt")})`;
    }
    case "delivery.dead-lettered":
      return `${idText(e, "message")} dead-lettered after ${s("attempts")} attempts`;
    case "log":
      return `${s("worker")} logged: ${s("message")}`;
    case "metrics.sampled":
      return `metrics sampled: ${s("workersUp")} workers up, ${s("crashesLastMinute")} crashes in the last minute`;
    case "fault.injected":
      return injectedFaultText(e);
    case "fault.skipped":
      return `fault ${s("fault")} not fired${e.worker === undefined ? "" : ` on ${s("worker")}`}: ${s("reason")}`;
    case "deploy.started":
      return `deploy of ${s("scheduler")} (${fixes("fixes")}) started, ${s("workers")} workers one at a time, ${stepPaceText(Number(e.stepDelayMs))}`;
    case "deploy.progressed":
      return `deploy reached ${s("worker")}`;
    case "deploy.finished":
      if (e.supersededBy === undefined) return `deploy of ${s("scheduler")} (${fixes("fixes")}) finished`;
      // Superseded in its last wait (`rolledOut`): every worker it had to replace was replaced or removed.
      return e.rolledOut === true
        ? `deploy of ${s("scheduler")} (${fixes("fixes")}) rolled out (every worker it had to replace was replaced or removed), superseded by a newer deploy (#${s("supersededBy")}) before its last step's wait was over`
        : `deploy of ${s("scheduler")} (${fixes("fixes")}) stopped part-way, superseded by a newer deploy (#${s("supersededBy")})`;
    case "worker.stopping":
      return `${s("worker")} stopping (${s("why")}): finishing ${plural(Number(e.inFlight), "task")} under way`;
    case "worker.stopped":
      return `${s("worker")} ${e.graceful === false ? "killed while frozen" : "stopped"}${e.why === undefined ? "" : ` (${s("why")})`}${typeof e.unreleased === "number" ? `, ${plural(e.unreleased, "lease")} not given back (the store was down)` : ""}${typeof e.abandoned === "number" ? `, ${plural(e.abandoned, "task")} still under way at the shutdown grace's end` : ""}`;
    case "worker.resumed":
      return `${s("worker")} resumed`;
    case "worker.removed":
      return `${s("worker")} removed from the fleet`;
    case "fleet.scaled":
      return `fleet scaled from ${s("from")} to ${s("to")} workers`;
    case "lease.lost":
      return `${s("worker")} learned it no longer holds partition ${s("partition")}`;
    case "schedule.paused":
      return `schedule ${s("schedule")} of ${s("account")} ${e.paused === false ? "resumed" : "paused"}`;
    case "task.fenced":
      return `${s("worker")} could not commit ${idText(e, "task")}: its lease on the partition is gone (fenced)`;
    case "store.refused":
      return e.call === "commit"
        ? `the store refused ${s("worker")}'s commit of ${idText(e, "task")} (rolled back)`
        : `the store refused ${s("worker")}'s ${s("call")}${e.account === undefined ? "" : ` of ${s("account")}`}`;
    case "worker.ready":
      return `${s("worker")} ready`;
    case "scheduler.returned":
      return `${s("worker")}'s scheduler returned from main(rt): it claims no work until its process restarts`;
    case "worker.paused":
      return `${s("worker")} paused for ${Number(e.durationMs) / 1000} s`;
    case "lease.released":
      return `${s("worker")} released partition ${s("partition")}`;
    case "alert.fired":
      return `alert ${s("rule")} fired (${s("metric")} ${s("value")})`;
    case "alert.resolved":
      return `alert ${s("rule")} resolved`;
    default:
      return null;
  }
}

/** The destination's answer a failed delivery event carries: `HTTP 503`, or `no answer` (status 0: not in time). */
function answerText(e: TraceEvent): string {
  return e.status === undefined || e.status === 0 ? "no answer" : `HTTP ${String(e.status)}`;
}
