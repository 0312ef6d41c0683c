/**
 * The results of checking one run: the metrics (names fixed by DESIGN.md's RunReport contract),
 * the property verdicts and the timeline of key events. Pure data, rendered by `report/`.
 */

/** Named properties; the collector judges all but `deterministic`, which the runner judges. */
export type PropertyName =
  | "no-cascade"
  | "no-panic-death"
  | "deliveries-on-time-after-quiet"
  | "no-delivery-after-deletion"
  | "deleted-schedules-cleaned"
  | "no-missed-delivery"
  | "quarantine-after-retries"
  | "dead-letter-after-retries"
  | "retry-after-backoff"
  | "poison-task-isolated"
  | "deterministic";

/** The names listed in the order reports show them. */
export const PROPERTY_NAMES: readonly PropertyName[] = [
  "no-cascade",
  "no-panic-death",
  "deliveries-on-time-after-quiet",
  "no-delivery-after-deletion",
  "deleted-schedules-cleaned",
  "no-missed-delivery",
  "quarantine-after-retries",
  "dead-letter-after-retries",
  "retry-after-backoff",
  "poison-task-isolated",
  "deterministic",
];

/** A property's verdict: whether it held, a sentence saying why, and the events involved. */
export interface Verdict {
  readonly property: PropertyName;
  readonly ok: boolean;
  readonly detail: string;
  /** Seqs of the events involved, at most `VERDICT_EVENTS_MAX`. */
  readonly events: number[];
  /**
   * False when the run never gave the property a chance to fail (no due after the quiet point,
   * no account deleted, no cleanup opportunity), or when what could have failed it was not
   * judged (`no-cascade` with panic deaths outside any task that, with the others, killed two or
   * more workers): an ok that proves nothing. Absent when the
   * question does not apply (the property is always exercised).
   */
  readonly exercised?: boolean;
}

export const VERDICT_EVENTS_MAX = 10;

/** Delivery accounting of counted dues; `due` = `onTime` + `late` + `missed`. */
export interface DeliveryCounts {
  due: number;
  onTime: number;
  late: number;
  missed: number;
  /** `delivery.acked` events beyond the first for one (schedule, due): at-least-once duplicates. */
  duplicate: number;
  /**
   * Of `onTime`, the dues delivered before they were due: fired early, by a worker whose clock
   * runs ahead (a clock skew). Absent from reports of earlier versions.
   */
  early?: number;
  /**
   * Of `missed`, the dues whose message went to the dead-letter queue: every attempt failed at
   * the destination, with an error or a timeout (`delivery.dead-lettered`), where the others were lost. Absent from reports of
   * earlier versions.
   */
  deadLettered?: number;
  /**
   * First deliveries (`delivery.acked`) of fires owed to nobody, which `due` leaves out: fire times
   * when the schedule's account was deleted (a backlog delivered after the account was created
   * again, say), or the schedule paused, quarantined or deleted. With `onTime`, `late`,
   * `duplicate` and `unexpectedDues`, every ack of a fire whose SLO window ended by the end counts
   * once. Absent from reports of earlier versions.
   */
  unowed?: number;
  /** `delivery.sent` events for an account whose deletion committed strictly earlier. */
  afterDeletion: number;
}

export interface Metrics {
  /** Some task (one firing of a schedule, with its retries) caused panic deaths on two or more distinct workers. */
  cascade: boolean;
  /** Distinct workers killed by the worst task's panics (0 without panic deaths). */
  cascadeDepth: number;
  panicDeaths: number;
  /** All abnormal terminations (`worker.crashed`), panics and kills. */
  crashes: number;
  deliveries: DeliveryCounts;
  /** Schedules of deleted accounts with no `schedule.deleted` by the end. */
  deletedSchedulesLeft: number;
  /** First `alert.fired` (ISO) or null. */
  alertAt: string | null;
  /**
   * After the last fix deploy (`fixDeployAt`), the first sample from which p99 lag stays within
   * the SLO; null with no fix deploy, or when the lag never came back for good.
   */
  recoveredAt: string | null;
  /** Minimum number of serving workers over the run, after the first `worker.ready`. */
  workersMinUp: number;
  /** Total time with zero serving workers, after the first `worker.ready`. */
  fullOutageMs: number;
  /** Distinct accounts with at least one late or missed due. */
  affectedAccounts: number;

  // Extras (not part of the DESIGN.md contract, useful to people reading a report).
  /** Panics recovered inside a task (`panic.recovered`): the fixed scheduler at work. */
  panicsRecovered: number;
  /** Poison tasks set aside (`task.quarantined`). */
  tasksQuarantined: number;
  /** First panic of any kind (a panic death or a recovered panic), ISO, or null. */
  firstPanicAt: string | null;
  /** First `account.deleted` (ISO) or null. */
  deletionAt: string | null;
  /**
   * The last fix deploy's `deploy.finished` (ISO), or null: a deploy that brought the fleet a fix
   * it did not run, or rolled it back to v1. `recoveredAt` is searched for after it, so a null
   * here says why a run has no `recoveredAt` (a fleet with the fixes from the start needs none).
   * Absent from reports written before it was added.
   */
  fixDeployAt?: string | null;
  /** Largest `lagP99Ms` of any `metrics.sampled`, 0 without samples. */
  lagP99MsMax: number;
  /** Schedules whose tasks caused at least one panic death, by first death. */
  poisonSchedules: string[];
  /** Workers killed by the worst schedule, in the order they died. */
  cascadeWorkers: string[];
  /** Deliveries acked for a due that is not a fire time of the schedule's cron (a scheduler bug). */
  unexpectedDues: number;
}

/** One line of the human timeline: an event that matters to the story of the run. */
export interface TimelineEntry {
  /** ISO time. */
  readonly t: string;
  readonly seq: number;
  readonly type: string;
  readonly worker?: string;
  /** The alert rule of an `alert.fired` or `alert.resolved` entry. */
  readonly rule?: string;
  readonly text: string;
}

/** What a run's trace adds up to. */
export interface CheckReport {
  readonly metrics: Metrics;
  readonly verdicts: Verdict[];
  readonly timeline: TimelineEntry[];
}

/** Keeps at most `VERDICT_EVENTS_MAX` seqs, in the order they were offered. */
export function pushEvent(events: number[], seq: number): void {
  if (events.length < VERDICT_EVENTS_MAX && !events.includes(seq)) events.push(seq);
}
