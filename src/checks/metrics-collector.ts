import { isoOf } from "../kernel/time.js";
import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import { CascadeChecker } from "./cascade-checker.js";
import { DeletionChecker } from "./deletion-checker.js";
import { DeliveryChecker, type DeliveryStateSize } from "./delivery-checker.js";
import { Disturbances } from "./disturbances.js";
import { FleetChecker } from "./fleet-checker.js";
import { MessageLedger, type MessageLedgerStateSize } from "./message-ledger.js";
import { MissedChecker, type MissedStateSize } from "./missed-checker.js";
import { PoisonChecker, type PoisonStateSize } from "./poison-checker.js";
import { QuarantineChecker, type QuarantineStateSize } from "./quarantine-checker.js";
import { QuietChecker } from "./quiet-checker.js";
import { RecoveryChecker } from "./recovery-checker.js";
import { type CheckConstraints, RunInfo } from "./run-info.js";
import type { SelectiveSink } from "./selective-sink.js";
import { TimelineRecorder } from "./timeline.js";
import type { CheckReport, Metrics, Verdict } from "./types.js";

/**
 * Events a collector holds before it checks them, in order, as one batch. Called between the
 * world's steps, event by event, the checks and the world take turns at the caches: a batch keeps
 * the checks' code and tables warm while they run (the 20,000-schedule region hour: about 9%
 * faster end to end, the same report). Whatever reads the collector checks what it holds first.
 */
export const COLLECTOR_BATCH = 512;

/** Event types whose checks a collector keeps at most: far more than the world's catalogue. */
const EVENT_TYPES_KEPT_MAX = 256;

/** Sizes of everything a collector holds: proportional to schedules, accounts and run minutes. */
export interface CollectorStateSize
  extends DeliveryStateSize,
    MissedStateSize,
    QuarantineStateSize,
    PoisonStateSize,
    MessageLedgerStateSize {
  readonly poisonSchedules: number;
  readonly poisonTasks: number;
  readonly timeline: number;
  /** The sum of the above: the number the memory-shape test bounds. */
  readonly total: number;
}

/**
 * Every metric, verdict and the timeline of one run, computed from its trace alone as a streaming
 * sink: memory follows live state (schedules, accounts, workers, dues inside an SLO window), not
 * the number of events. Learns the start, SLO and horizon from `run.started`; `finish()` measures
 * up to the horizon whether or not `run.finished` arrived.
 */
export class MetricsCollector implements TraceSink {
  private readonly run: RunInfo;
  private readonly delivery: DeliveryChecker;
  private readonly deletion: DeletionChecker;
  private readonly cascade: CascadeChecker;
  private readonly fleet: FleetChecker;
  private readonly recovery: RecoveryChecker;
  /** When each disturbance ended, for the quiet and missed checkers. */
  private readonly disturbances = new Disturbances();
  private readonly quiet: QuietChecker;
  private readonly missed: MissedChecker;
  private readonly quarantine = new QuarantineChecker();
  private readonly poison = new PoisonChecker();
  private readonly messages = new MessageLedger();
  private readonly timeline: TimelineRecorder;
  /** The checks that read only some event types (see `SelectiveSink`), in the order they see each. */
  private readonly sinks: readonly SelectiveSink[];
  /** Per event type, the checks of `sinks` that read it, in their order. */
  private readonly sinksByType = new Map<string, readonly SelectiveSink[]>();
  /** The type of the last event and its checks: a trace comes in long runs of one type. */
  private lastType: string | null = null;
  private lastSinks: readonly SelectiveSink[] = [];
  private deletionAt: number | null = null;
  /** Events handed to the collector and not yet checked (see `COLLECTOR_BATCH`); `undefined` past `heldCount`. */
  private readonly held: (TraceEvent | undefined)[] = new Array(COLLECTOR_BATCH).fill(undefined);
  private heldCount = 0;
  private report: CheckReport | null = null;

  constructor(constraints: CheckConstraints = {}) {
    this.run = new RunInfo(constraints);
    this.delivery = new DeliveryChecker(this.run);
    this.deletion = new DeletionChecker(this.run, this.delivery.book);
    this.cascade = new CascadeChecker(this.delivery.book);
    this.fleet = new FleetChecker(this.run);
    this.recovery = new RecoveryChecker(this.run);
    this.quiet = new QuietChecker(this.run, this.fleet, this.disturbances);
    this.missed = new MissedChecker(
      this.run,
      this.delivery.book,
      this.fleet,
      this.delivery.ledger.failedFires,
      this.delivery.serving,
      this.disturbances,
    );
    this.timeline = new TimelineRecorder(this.delivery.book, undefined, this.quarantine);
    this.sinks = [
      this.deletion,
      this.cascade,
      this.recovery,
      this.quarantine,
      this.poison,
      this.messages,
      this.timeline,
    ];
  }

  /** Holds the event for the next batch (see `COLLECTOR_BATCH`), checked when the batch is full. */
  onEvent(e: TraceEvent): void {
    if (this.report !== null) return;
    this.held[this.heldCount++] = e;
    if (this.heldCount === COLLECTOR_BATCH) this.flush();
  }

  /** Checks the events held, in order (`finish` and `stateSize` do first: nothing reads stale state). */
  flush(): void {
    const held = this.held;
    const count = this.heldCount;
    this.heldCount = 0;
    for (let i = 0; i < count; i++) {
      const e = held[i]!;
      held[i] = undefined;
      this.check(e);
    }
  }

  /**
   * The checks that read every event are called by name, each call site knowing its callee: the
   * delivery checker first, since the others read the schedule book it keeps; the fleet before
   * the quiet and missed checkers, which read its count of workers up, and the disturbances'
   * ends. The checks of `sinks`
   * read none of their state, nor they theirs, so they come after them; among them the timeline
   * reads the quarantine checker's last quarantine, which comes before it.
   *
   * The event's type is read here once and handed to every check: events come in dozens of
   * shapes, so each read of it is a generic lookup, which a dozen checks repeated per event.
   */
  private check(e: TraceEvent): void {
    const type = e.type;
    this.run.observe(e, type);
    if (type === "account.deleted" && this.deletionAt === null) this.deletionAt = e.t;
    this.delivery.onEvent(e, type);
    this.fleet.onEvent(e, type);
    this.disturbances.note(e, type);
    this.quiet.onEvent(e);
    this.missed.onEvent(e, type);
    let sinks = this.lastSinks;
    if (type !== this.lastType) {
      sinks = this.sinksByType.get(type) ?? this.sinksFor(type);
      this.lastType = type;
      this.lastSinks = sinks;
    }
    for (let i = 0; i < sinks.length; i++) sinks[i].onEvent(e, type);
  }

  /** The checks that read events of `type`, kept for the next one (up to a bound on types). */
  private sinksFor(type: string): readonly SelectiveSink[] {
    const sinks = this.sinks.filter(
      (sink) => sink.eventTypes === undefined || (sink.eventTypes as readonly string[]).includes(type),
    );
    // A trace read from a file may carry any number of unknown types: they are not kept.
    if (this.sinksByType.size < EVENT_TYPES_KEPT_MAX) this.sinksByType.set(type, sinks);
    return sinks;
  }

  /** Settles everything up to the horizon and returns the report. Later events are ignored. */
  finish(): CheckReport {
    if (this.report !== null) return this.report;
    this.flush();
    this.delivery.finish();
    this.fleet.finish();
    this.missed.finish();
    const ledger = this.delivery.ledger;
    const left = this.deletion.leftSchedules();
    const worst = this.cascade.worst();
    const recovered = this.recovery.recovered;
    const metrics: Metrics = {
      cascade: this.cascade.cascade,
      cascadeDepth: this.cascade.cascadeDepth,
      panicDeaths: this.cascade.panicDeaths,
      crashes: this.cascade.crashes,
      deliveries: { ...ledger.counts, afterDeletion: this.deletion.afterDeletion },
      deletedSchedulesLeft: left.length,
      alertAt: isoOrNull(this.recovery.alertAt),
      recoveredAt: isoOrNull(recovered?.t ?? null),
      fixDeployAt: isoOrNull(this.recovery.lastFixDeployAt),
      workersMinUp: this.fleet.workersMinUp,
      fullOutageMs: this.fleet.fullOutageMs,
      affectedAccounts: ledger.affectedAccounts.size,
      panicsRecovered: this.cascade.panicsRecovered,
      tasksQuarantined: this.cascade.tasksQuarantined,
      firstPanicAt: isoOrNull(this.cascade.firstPanicAt),
      deletionAt: isoOrNull(this.deletionAt),
      lagP99MsMax: this.recovery.lagP99MsMax,
      poisonSchedules: [...this.cascade.poison.keys()],
      cascadeWorkers: worst === null ? [] : worst.victims.map((v) => v.worker),
      unexpectedDues: ledger.unexpectedDues,
    };
    const verdicts: Verdict[] = [
      this.cascade.noCascadeVerdict(this.run.clock),
      this.cascade.noPanicDeathVerdict(this.run.clock),
      this.quiet.verdict(ledger),
      this.deletion.noDeliveryAfterDeletionVerdict(),
      this.deletion.deletedSchedulesCleanedVerdict(left),
      this.missed.verdict(ledger),
      this.quarantine.verdict(this.run.clock),
      this.messages.deadLetter.verdict(this.run.clock),
      this.messages.retry.verdict(this.run.clock),
      this.poison.verdict(this.run.clock),
    ];
    const timeline = this.timeline.finish(recovered, this.run.sloMs, this.run.clock);
    this.report = { metrics, verdicts, timeline };
    return this.report;
  }

  /** What the collector holds right now (a diagnostic; also what the memory-shape test bounds). */
  stateSize(): CollectorStateSize {
    this.flush();
    const delivery = this.delivery.stateSize();
    const poisonSchedules = this.cascade.poison.size;
    const poisonTasks = this.cascade.poisonTasks.size;
    const timeline = this.timeline.stateSize();
    const missed = this.missed.stateSize();
    const { panickingTasks } = this.quarantine.stateSize();
    const { followedMessages, acknowledgedMessages } = this.messages.stateSize();
    const { poisonStreaks, partitionsFollowed } = this.poison.stateSize();
    let total =
      poisonSchedules +
      poisonTasks +
      timeline +
      panickingTasks +
      followedMessages +
      acknowledgedMessages +
      poisonStreaks +
      partitionsFollowed;
    for (const value of Object.values(delivery)) total += value;
    for (const value of Object.values(missed)) total += value;
    return {
      ...delivery,
      ...missed,
      poisonSchedules,
      poisonTasks,
      panickingTasks,
      followedMessages,
      acknowledgedMessages,
      poisonStreaks,
      partitionsFollowed,
      timeline,
      total,
    };
  }
}

/** Feeds every event to a fresh collector and finishes it. */
export function computeReport(events: Iterable<TraceEvent>, constraints: CheckConstraints = {}): CheckReport {
  const collector = new MetricsCollector(constraints);
  for (const e of events) collector.onEvent(e);
  return collector.finish();
}

function isoOrNull(t: number | null): string | null {
  return t === null ? null : isoOf(t);
}
