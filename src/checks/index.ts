/** Metrics and properties computed from the trace alone: the public surface of `checks/`. */
export { CascadeChecker, type PanicDeath, type PoisonRecord } from "./cascade-checker.js";
export {
  ChainEvents,
  type ChainLink,
  type ChainLinkKind,
  type CrashTarget,
  causalChain,
  crashCounts,
  crashCountText,
  crashRangeText,
  crashTarget,
  crashTargetProblem,
  findCrash,
  fleetText,
  numberedCrashes,
} from "./causal-chain.js";
export { DeadLetterChecker } from "./dead-letter-checker.js";
export { DeletionChecker, type LateSend } from "./deletion-checker.js";
export { DeliveryChecker, type DeliveryStateSize } from "./delivery-checker.js";
export { type Divergence, deterministicVerdict } from "./deterministic.js";
export { type BadDue, type DueCounts, DueLedger } from "./due-ledger.js";
export { FleetChecker } from "./fleet-checker.js";
export {
  type DeadLetterExcuse,
  MESSAGES_FOLLOWED_MAX,
  type MessageAttempts,
  MessageLedger,
  type MessageLedgerStateSize,
  RECENTLY_DELIVERED_MAX,
} from "./message-ledger.js";
export { type CollectorStateSize, computeReport, MetricsCollector } from "./metrics-collector.js";
export { MissedChecker, type MissedStateSize } from "./missed-checker.js";
export {
  PANIC_RETRY_WAIT_MS_MIN,
  POISON_PANICS_MAX,
  PoisonChecker,
  type PoisonStateSize,
} from "./poison-checker.js";
export {
  QUARANTINE_PANICS_MIN,
  QuarantineChecker,
  type QuarantineStateSize,
} from "./quarantine-checker.js";
export { QuietChecker } from "./quiet-checker.js";
export { RecoveryChecker, type SampleMark } from "./recovery-checker.js";
export { qstashBackoffMs, RetryChecker } from "./retry-checker.js";
export {
  type CheckConstraints,
  QUIET_BOUND_MS_MIN,
  RunInfo,
  SLO_MS_DEFAULT,
  stoppedEarly,
} from "./run-info.js";
export { ScheduleBook, type ScheduleRecord } from "./schedule-book.js";
export { readableDetail, TIMELINE_ENTRIES_MAX, TimelineRecorder } from "./timeline.js";
export {
  type CheckReport,
  type DeliveryCounts,
  type Metrics,
  PROPERTY_NAMES,
  type PropertyName,
  type TimelineEntry,
  VERDICT_EVENTS_MAX,
  type Verdict,
} from "./types.js";
