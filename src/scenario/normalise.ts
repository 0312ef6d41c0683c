import { parseDuration } from "./duration.js";
import { builtinFixes, inDeclaredOrder } from "./scheduler-fixes.js";
import type { ScenarioInput } from "./schema.js";
import { type RunWindow, resolveAt, resolveExpectationValue } from "./semantics.js";
import { parseInstant } from "./time.js";
import type {
  AlertRule,
  Chapter,
  Expectation,
  FaultSpec,
  Scenario,
  ScenarioSource,
  SchedulerOptions,
  SchedulerSpec,
  TimelineAction,
} from "./types.js";
import type { VariantName } from "./variants.js";
import {
  type AlertMetric,
  type ComparisonOp,
  METRIC_KINDS,
  type MetricPath,
  type PropertyName,
  type SchedulerFix,
  type SchedulerVersion,
} from "./vocabulary.js";

/**
 * Builds the typed `Scenario` from a document that passed the schema and the semantic checks:
 * durations to ms, times to absolute ms. Everything was validated before, so a value that does
 * not convert here is a bug of this module, not bad input, and throws.
 */
export function normalise(input: ScenarioInput, source: ScenarioSource): Scenario {
  const startMs = instant(input.start);
  const durationMs = ms(input.duration);
  const window: RunWindow = { startMs, endMs: startMs + durationMs };
  const at = (text: string) => ({ atMs: time(text, window), atText: text });
  const { fleet, workload } = input;
  return {
    name: input.name,
    description: input.description,
    sources: [...input.sources],
    assumptions: [...input.assumptions],
    onCallAssumptions: input.onCallAssumptions === undefined ? null : [...input.onCallAssumptions],
    seed: input.seed,
    startMs,
    durationMs,
    endMs: window.endMs,
    fleet: {
      workers: fleet.workers,
      partitions: fleet.partitions,
      leaseTtlMs: ms(fleet.leaseTtl),
      heartbeatMs: ms(fleet.heartbeat),
      rebalanceIntervalMs: ms(fleet.rebalanceInterval),
      startupTimeMs: ms(fleet.startupTime),
      concurrency: fleet.concurrency,
      shutdownGraceMs: ms(fleet.shutdownGrace),
      supervisor: {
        backoffInitialMs: ms(fleet.supervisor.backoffInitial),
        backoffMaxMs: ms(fleet.supervisor.backoffMax),
        resetAfterMs: ms(fleet.supervisor.resetAfter),
      },
    },
    scheduler: scheduler(input.scheduler.version ?? "v2", input.scheduler),
    store: { latencyMs: ms(input.store.latency), failureRate: input.store.failureRate },
    workload: {
      accounts: workload.accounts,
      schedulesPerAccount: { ...workload.schedulesPerAccount },
      cron: workload.cron.map((c) => ({ expr: c.expr.trim(), weight: c.weight })),
      destination: {
        latencyMs: ms(workload.destination.latency),
        jitter: workload.destination.jitter,
        failureRate: workload.destination.failureRate,
        timeoutMs: ms(workload.destination.timeout),
      },
      retries: workload.retries,
      named: workload.named.map((account) => ({
        id: account.id,
        schedules: account.schedules.map((s) => ({
          id: s.id,
          cron: s.cron.trim(),
          destination: s.destination ?? null,
        })),
      })),
    },
    timeline: input.timeline.map((a) => ({ ...at(a.at), ...timelineAction(a) }) as TimelineAction),
    faults: input.faults.map((f) => ({ ...at(f.at), ...faultSpec(f) }) as FaultSpec),
    sloMs: ms(input.slo),
    sampleIntervalMs: ms(input.sampleInterval),
    alerts: input.alerts.map(
      (a): AlertRule => ({
        name: a.name,
        metric: a.metric as AlertMetric,
        op: a.op,
        // A duration (for a metric in milliseconds) is its milliseconds.
        threshold: typeof a.threshold === "string" ? ms(a.threshold) : a.threshold,
        forMs: a.for === undefined ? 0 : ms(a.for),
      }),
    ),
    chapters: input.chapters.map(
      (c): Chapter => ({ ...at(c.at), title: c.title, text: c.text, question: c.question ?? null }),
    ),
    expect: input.expect.map((e) => expectation(e, window)),
    limits: { maxEvents: input.limits.maxEvents, wallBudgetMs: ms(input.limits.wallBudget) },
    source,
  };
}

type ActionInput = ScenarioInput["timeline"][number];
type FaultInput = ScenarioInput["faults"][number];

/** The action's own fields (`at` is added by the caller). */
function timelineAction(a: ActionInput): DistributiveOmit<TimelineAction, "atMs" | "atText"> {
  switch (a.action) {
    case "delete-account":
    case "create-account":
      return { action: a.action, account: a.account };
    case "create-schedule":
      return {
        action: a.action,
        schedule: a.schedule,
        account: a.account,
        cron: a.cron.trim(),
        destination: a.destination ?? null,
      };
    case "delete-schedule":
    case "quarantine-schedule":
      return { action: a.action, schedule: a.schedule };
    case "pause-schedule":
      return { action: a.action, schedule: a.schedule, paused: a.paused };
    case "deploy":
      return {
        action: a.action,
        scheduler: scheduler(a.scheduler, a),
        stepDelayMs: ms(a.stepDelay),
        ...(a.bundled === true ? { bundled: true } : {}),
      };
    case "kill-worker":
    case "restart-worker":
      return { action: a.action, worker: a.worker };
    case "pause-worker":
      return { action: a.action, worker: a.worker, durationMs: ms(a.duration) };
    case "scale":
      return { action: a.action, workers: a.workers };
  }
}

function faultSpec(f: FaultInput): DistributiveOmit<FaultSpec, "atMs" | "atText"> {
  switch (f.fault) {
    case "kill-worker":
      return { fault: f.fault, worker: f.worker };
    case "pause-worker":
      return { fault: f.fault, worker: f.worker, durationMs: ms(f.duration) };
    case "store-latency":
      return { fault: f.fault, durationMs: ms(f.duration), latencyMs: ms(f.latency) };
    case "store-outage":
      return { fault: f.fault, durationMs: ms(f.duration) };
    case "clock-skew":
      return {
        fault: f.fault,
        worker: f.worker,
        skewMs: signedMs(f.skew),
        durationMs: f.duration === undefined ? null : ms(f.duration),
      };
    case "inject-panic":
      return {
        fault: f.fault,
        point: f.point,
        schedule: f.schedule ?? null,
        account: f.account ?? null,
        probability: f.probability,
        count: f.count,
      };
    case "hang":
      return {
        fault: f.fault,
        schedule: f.schedule,
        durationMs: f.duration === undefined ? null : ms(f.duration),
      };
    case "http-errors":
      return {
        fault: f.fault,
        durationMs: ms(f.duration),
        rate: f.rate,
        status: f.status,
        account: f.account ?? null,
      };
    case "http-timeouts":
      return { fault: f.fault, durationMs: ms(f.duration), rate: f.rate, account: f.account ?? null };
  }
}

function scheduler(
  version: SchedulerVersion | undefined,
  spec: {
    readonly module?: string;
    readonly fixes: readonly string[];
    readonly options: SchedulerOptions;
  },
): SchedulerSpec {
  const options = { ...spec.options };
  // A module's own order is known only once it is loaded: its fixes stay as written (without
  // repeats), and a run puts them in the module's order (`inDeclaredFixOrder`).
  if (spec.module !== undefined)
    return { kind: "module", module: spec.module, fixes: [...new Set(spec.fixes)], options };
  if (version === undefined)
    throw new Error("normalise: a scheduler without version or module passed validation");
  const fixes = inDeclaredOrder(spec.fixes as SchedulerFix[], builtinFixes(version) ?? []);
  return { kind: "builtin", version, fixes, options };
}

function expectation(e: ScenarioInput["expect"][number], window: RunWindow): Expectation {
  const variant = e.variant as VariantName;
  if ("property" in e)
    return { kind: "property", variant, property: e.property as PropertyName, holds: e.holds };
  const metric = e.metric as MetricPath;
  const resolved = resolveExpectationValue(METRIC_KINDS[metric], e.value, window);
  if (!resolved.ok) throw new Error(`normalise: expectation value ${String(e.value)} passed validation`);
  return {
    kind: "metric",
    variant,
    metric,
    op: e.op as ComparisonOp,
    value: resolved.value,
    valueText: typeof e.value === "string" ? e.value : null,
  };
}

function ms(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`normalise: duration "${text}" passed validation`);
  return parsed.ms;
}

function signedMs(text: string): number {
  const parsed = parseDuration(text, { signed: true });
  if (!parsed.ok) throw new Error(`normalise: signed duration "${text}" passed validation`);
  return parsed.ms;
}

function instant(text: string): number {
  const parsed = parseInstant(text);
  if (!parsed.ok) throw new Error(`normalise: instant "${text}" passed validation`);
  return parsed.value;
}

function time(text: string, window: RunWindow): number {
  const resolved = resolveAt(text, window);
  if (!resolved.ok) throw new Error(`normalise: time "${text}" passed validation`);
  return resolved.value;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
