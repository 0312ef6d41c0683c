/**
 * Shrinking a failure to a small scenario that still fails the same way. Generated worlds
 * shrink with fast-check's own shrinker over the generator's input (the same seed generates
 * the same world, then fast-check walks towards smaller ones); any scenario document, generated
 * or written by hand, then goes through a greedy delta-debugging pass over the document itself
 * (`smallerDocuments`), whose candidates are of these kinds, in about this order:
 * - drop: timeline entries, faults, expectations and chapters, alert rules, accounts (generated
 *   and named), schedules, cron choices; at most one schedule an account, then exactly one;
 * - merge: two injected panic rules at one point and target as one rule with both counts;
 * - fewer: workers, partitions, and both at once (which worker takes a dead one's partition);
 * - earlier: each fault and timeline entry at the start or half as late, then a shorter run;
 * - fewer panics: a rule's count down (one, half, one fewer), or its probability up to 1;
 * - coupled drops: each entry, fault, named schedule or some generated accounts dropped (or two
 *   panic rules at one point merged) with the supervisor's back-off doubled, with every panic
 *   rule certain, or both: a drop that alone shifts the race for a poison task (`coupledDrops`);
 * - reseeded, last: fewer workers, an earlier time, or two panic rules at two points merged, at
 *   a few other seeds (`RESEEDS`), as which worker wins a race is the seed's draw.
 * Both stop at a budget of runs: a shrink never runs away, and never runs one world twice. They
 * yield to the event loop between runs, so an interruption (`signal`) is seen within one run, and
 * ends the shrink with the best found so far; so does a run Ctrl-C cuts short (`RunInterrupted`).
 */
import fc from "fast-check";
import { RunInterrupted } from "../kernel/index.js";
import type { CompiledScenario } from "../scenario/compile.js";
import { BACKOFF_INITIAL_DEFAULT, BACKOFF_MAX_DEFAULT } from "../scenario/defaults.js";
import { formatDurationText, parseDuration } from "../scenario/duration.js";
import { parseInstant, parseTimeRef, resolveTimeRef } from "../scenario/time.js";
import { type SchedulerRegistry, schedulerChoices } from "../world/world.js";
import { breathe } from "./breathe.js";
import { compileDocument, type ScenarioDocument } from "./generate/document.js";
import { withoutGlobalConfig } from "./generate/fc-isolation.js";
import { planArbitrary } from "./generate/plan-world.js";
import {
  type ExploredVariant,
  exploredVariantOf,
  type FailureKind,
  judgeRun,
  type RunPlan,
  type RunSummary,
  TimeBudgetCut,
  withExploredVariant,
} from "./run-one.js";
import { generationSeed } from "./seeds.js";

/** Limits of one shrink. */
export interface ShrinkConstraints {
  /** Most runs (each a whole simulation) the shrink may spend. */
  readonly runsMax: number;
  /** Stop once `wallClock()` passes this (real time; needs `wallClock`). */
  readonly deadlineMs?: number;
  readonly wallClock?: () => number;
  /** Stop once aborted (Ctrl-C). */
  readonly signal?: AbortSignal;
  /**
   * Where each world runs (`ShrinkRunner`): by default in this thread, with the schedulers given.
   * An exploration of a user's scheduler module runs them on its pool's thread.
   */
  readonly runOn?: ShrinkRunner;
  /**
   * Told how a world the shrink tried went that did not end: a step of the scheduler that never
   * returned (`goroutine … was stopped after 3.0 s: a goroutine step never returned …`, when a
   * cut stopped it), or the run's stop by its wall-clock budget. The world is no smaller failure
   * (it was not judged), but the scheduler hangs in it, which its user needs to hear.
   */
  readonly onStuck?: (detail: string) => void;
}

/**
 * Runs a shrink's world somewhere else than this thread (a worker thread of the exploration's
 * pool, `RunPool.failing`) and answers its summary, failing `kind` or not (`shrinkRunSummary`;
 * null when the document does not compile). Rejects with `RunInterrupted` when the run was cut
 * short (Ctrl-C, SIGTERM, the time budget's cut; `TimeBudgetCut`, naming a step that never
 * returned, for a cut at the shrink's deadline too): the shrink ends with the best it found.
 */
export type ShrinkRunner = (
  document: ScenarioDocument,
  kind: FailureKind,
  index: number,
) => Promise<RunSummary | null>;

/**
 * A shrink's run of one world, where the constraints say (`runOn`), or in this thread: its
 * summary when it fails `kind`, else null, or `CUT`. A world whose run did not end (its wall
 * budget stopped it, or a cut while a step had not returned) is told to `onStuck`.
 */
async function runShrink(
  c: ShrinkConstraints,
  run: ShrinkRun,
  kind: FailureKind,
  index: number,
  schedulers: SchedulerRegistry | undefined,
  interrupted?: AbortSignal,
): Promise<RunSummary | null | typeof CUT> {
  if (run.input === null) return null;
  let summary: RunSummary | null;
  try {
    summary =
      c.runOn !== undefined
        ? await c.runOn(run.doc, kind, index)
        : runSummaryOf(run, kind, index, schedulers, interrupted);
  } catch (error) {
    if (error instanceof TimeBudgetCut && error.overrun !== null) c.onStuck?.(error.overrun);
    if (error instanceof RunInterrupted) return CUT;
    throw error;
  }
  if (summary === null) return null;
  if (summary.limit === "wallBudget") c.onStuck?.(summary.stopDetail);
  return failingOnly(summary, kind);
}

/**
 * One world of a shrink run outside its stages (a scenario's failing world, run again to start
 * from), as the stages run theirs (`runOn`, `onStuck`): its summary when it fails `kind`, null
 * when not, or "cut". In this thread, a large world is not begun once `c.signal` has aborted.
 */
export async function runShrinkWorld(
  c: ShrinkConstraints,
  doc: ScenarioDocument,
  variant: ExploredVariant,
  kind: FailureKind,
  index: number,
  schedulers?: SchedulerRegistry,
): Promise<RunSummary | null | "cut"> {
  const ran = await runShrink(c, shrinkRun(doc, variant), kind, index, schedulers, c.signal);
  return ran === CUT ? "cut" : ran;
}

/** The scheduler names (`module:…` among them) the world of a document runs, or null if it does not compile. */
export function schedulerNamesOf(doc: ScenarioDocument, variant: ExploredVariant): readonly string[] | null {
  const input = shrinkRun(doc, variant).input;
  return input === null ? null : schedulerChoices(input.config).map((choice) => choice.name);
}

/** Whether a shrink must stop: out of runs, past its deadline, or interrupted. */
function spent(c: ShrinkConstraints, runs: number): boolean {
  if (runs >= c.runsMax || c.signal?.aborted === true) return true;
  return c.deadlineMs !== undefined && c.wallClock !== undefined && c.wallClock() > c.deadlineMs;
}

export interface ShrinkOutcome {
  /** The smallest failing document found. */
  readonly document: ScenarioDocument;
  /** Its run, failing `kind`. */
  readonly summary: RunSummary;
  /** Runs spent. */
  readonly runs: number;
  /** Accepted shrinking steps. */
  readonly steps: number;
  /** True when the budget ran out before no smaller failure could be found. */
  readonly exhausted: boolean;
}

/**
 * Worlds a shrink has run, keyed by `triedWorldKey` (the world a document compiles to), with the
 * failing summary (null: it passed, or did not compile). A run is a function of its world, so no
 * world needs to run twice, however its documents differ; both stages of a shrink share one.
 */
export type TriedWorlds = Map<string, RunSummary | null>;

/** A document ready to run for a variant, with the key of its world in `TriedWorlds`. */
interface ShrinkRun {
  readonly key: string;
  readonly doc: ScenarioDocument;
  /** The world to run; null when the document does not compile. */
  readonly input: CompiledScenario | null;
}

function shrinkRun(doc: ScenarioDocument, variant: ExploredVariant): ShrinkRun {
  const compiled = compileDocument(doc);
  if (!compiled.ok) return { key: `document:${JSON.stringify(doc)}`, doc, input: null };
  const input = withExploredVariant(compiled.compiled, variant);
  return { key: `world:${worldText(input)}`, doc, input };
}

/**
 * The key of the world a document runs for a variant: documents that differ only in what the
 * world does not see (`alerts` absent or empty, defaults written out or not, the generated
 * workload's shape with no accounts to generate, timeline entries written in another order)
 * share it. One that does not compile is keyed by its text.
 */
export function triedWorldKey(doc: ScenarioDocument, variant: ExploredVariant): string {
  return shrinkRun(doc, variant).key;
}

/**
 * The canonical JSON of what a world runs from: its configuration and faults, object keys sorted,
 * with no generated workload shape when it generates no account (nothing is drawn from it). The
 * report's words (description, sources, assumptions) change no run and are left out.
 */
function worldText(input: CompiledScenario): string {
  const { config, faults } = input;
  const workload =
    config.workload.accounts === 0
      ? { ...config.workload, schedulesPerAccount: null, cron: null }
      : config.workload;
  return canonicalJson({ config: { ...config, workload }, faults, variant: input.variantName });
}

/** JSON with every object's keys sorted (undefined fields left out, as JSON does). */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "number" && !Number.isFinite(v)) return String(v);
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * Runs a document for a variant; returns its summary when it fails `kind`, else null. Cut short
 * at `cutAtEpochMs` if given (`judgeRun`: it throws `TimeBudgetCut`).
 */
export function failingSummary(
  doc: ScenarioDocument,
  variant: ExploredVariant,
  kind: FailureKind,
  index: number,
  schedulers?: SchedulerRegistry,
  interrupted?: AbortSignal,
  cutAtEpochMs?: number,
): RunSummary | null {
  return failingOnly(
    shrinkRunSummary(doc, variant, kind, index, schedulers, interrupted, cutAtEpochMs),
    kind,
  );
}

/** `summary` when it fails `kind`, else null. */
export function failingOnly(summary: RunSummary | null, kind: FailureKind): RunSummary | null {
  return summary?.failed.includes(kind) === true ? summary : null;
}

/**
 * Runs a document for a variant, judging `kind` alone: its summary, failing or not; null when the
 * document does not compile. What a shrink's world run on a thread answers (`ShrinkRunner`).
 */
export function shrinkRunSummary(
  doc: ScenarioDocument,
  variant: ExploredVariant,
  kind: FailureKind,
  index: number,
  schedulers?: SchedulerRegistry,
  interrupted?: AbortSignal,
  cutAtEpochMs?: number,
): RunSummary | null {
  return runSummaryOf(shrinkRun(doc, variant), kind, index, schedulers, interrupted, cutAtEpochMs);
}

function runSummaryOf(
  run: ShrinkRun,
  kind: FailureKind,
  index: number,
  schedulers?: SchedulerRegistry,
  interrupted?: AbortSignal,
  cutAtEpochMs?: number,
): RunSummary | null {
  if (run.input === null) return null;
  const properties = kind === "halted" ? [] : [kind];
  const prepared = { input: run.input, document: run.doc, generationSeed: null };
  return judgeRun(prepared, properties, index, schedulers, interrupted, cutAtEpochMs);
}

/** A shrink run Ctrl-C cut short: it says nothing of its world, and the shrink ends with its best. */
const CUT = Symbol("cut");

/**
 * Shrinks run `index` of a generated plan with fast-check: the property "does not fail `kind`"
 * is checked with the run's generation seed (so the first world tried is the failing one), and
 * fast-check's shrinker finds a smaller world that fails too.
 */
export async function shrinkGenerated(
  plan: Extract<RunPlan, { mode: "generated" }>,
  index: number,
  kind: FailureKind,
  c: ShrinkConstraints,
  schedulers?: SchedulerRegistry,
  tried: TriedWorlds = new Map(),
): Promise<ShrinkOutcome | null> {
  const shrunk = await shrinkGeneratedOrCut(plan, index, kind, c, schedulers, tried);
  return shrunk === "cut" ? null : shrunk;
}

/**
 * `shrinkGenerated`, telling apart a shrink cut short (its runs or time spent, Ctrl-C, a cut)
 * before any world it tried failed, "cut", from one whose first world, the failing
 * one, did not fail again (null): a cut one has found nothing, and its world was not run out.
 */
export async function shrinkGeneratedOrCut(
  plan: Extract<RunPlan, { mode: "generated" }>,
  index: number,
  kind: FailureKind,
  c: ShrinkConstraints,
  schedulers?: SchedulerRegistry,
  tried: TriedWorlds = new Map(),
): Promise<ShrinkOutcome | "cut" | null> {
  let runs = 0;
  let steps = 0;
  let exhausted = false;
  let last: { key: string; document: ScenarioDocument; summary: RunSummary } | null = null;
  // Built, and its check begun, with fast-check's global configuration cleared (its hooks, its
  // parameters): a user's would make other worlds, cut the shrink on the clock, or run their code.
  const property = withoutGlobalConfig(() =>
    fc.asyncProperty(planArbitrary(plan), async (doc) => {
      // Different generator values often make the same world (a shrunk value the map folds
      // away, a timeline entry that resolves alike): fast-check may offer a world many times.
      const run = shrinkRun(doc, exploredVariantOf(plan));
      const key = run.key;
      let summary = tried.get(key);
      if (summary === undefined) {
        await breathe();
        if (spent(c, runs)) {
          exhausted = true;
          return true;
        }
        runs++;
        const ran = await runShrink(c, run, kind, index, schedulers);
        if (ran === CUT) {
          exhausted = true;
          return true;
        }
        summary = ran;
        tried.set(key, summary);
      }
      if (summary === null) return true;
      if (last !== null && last.key !== key) steps++;
      last = { key, document: doc, summary };
      return false;
    }),
  );
  // Plugins a caller installed (`fc.installGlobalPlugin`) stay out of it too: they would run
  // around every try of the shrink, and may change which worlds it tries.
  await withoutGlobalConfig(() =>
    fc.check(property, { seed: generationSeed(plan.seed, index), numRuns: 1, noGlobalPlugins: true }),
  );
  if (last === null) return exhausted ? "cut" : null;
  const { document, summary } = last as { document: ScenarioDocument; summary: RunSummary };
  return { document, summary, runs, steps, exhausted };
}

/**
 * Greedy delta debugging over a scenario document: tries smaller documents in a fixed order and
 * keeps the first that still fails, until none does or the budget runs out. Deterministic.
 * `tried` holds the worlds an earlier stage ran (`shrinkGenerated`'s): none of them runs again.
 */
export async function reduceDocument(
  start: { readonly document: ScenarioDocument; readonly summary: RunSummary },
  variant: ExploredVariant,
  kind: FailureKind,
  c: ShrinkConstraints,
  schedulers?: SchedulerRegistry,
  tried: TriedWorlds = new Map(),
): Promise<ShrinkOutcome> {
  let current = start;
  let runs = 0;
  let steps = 0;
  let exhausted = false;
  tried.set(triedWorldKey(start.document, variant), start.summary);
  outer: for (;;) {
    for (const candidate of smallerDocuments(current.document)) {
      const run = shrinkRun(candidate, variant);
      let summary = tried.get(run.key);
      if (summary === undefined) {
        if (run.input === null) {
          tried.set(run.key, null);
          continue;
        }
        await breathe();
        if (spent(c, runs)) {
          exhausted = true;
          break outer;
        }
        runs++;
        const ran = await runShrink(c, run, kind, start.summary.index, schedulers);
        if (ran === CUT) {
          exhausted = true;
          break outer;
        }
        summary = ran;
        tried.set(run.key, summary);
      }
      if (summary !== null) {
        current = { document: candidate, summary };
        steps++;
        continue outer;
      }
    }
    break;
  }
  return { ...current, runs, steps, exhausted };
}

type Doc = ScenarioDocument & Record<string, unknown>;
type FaultEntry = NonNullable<ScenarioDocument["faults"]>[number];

/**
 * One `inject-panic` in place of two with the same target: both counts, the higher probability.
 * At the same point, at the time of either (one candidate each when their times differ). Alike
 * ones (same time and probability) are exactly one rule with both counts; otherwise it is a guess
 * that the reduction keeps only if the run still fails: two panics armed apart may be what a
 * poison task retried by the next owner needs, and one rule of count 2 armed at the earlier time
 * usually does the same. At two points (`across`), at the point of either and the earlier time:
 * a task thrown out at one point or the other dies alike, but which point lets it be retried by
 * the next owner depends on timings, so this one rarely holds but at another seed (see `RESEEDS`).
 */
function* mergedPanics(
  a: FaultEntry,
  b: FaultEntry,
  startMs: number | null,
  across: boolean,
): Generator<FaultEntry> {
  if (a.fault !== "inject-panic" || b.fault !== "inject-panic") return;
  const { count: countA, at: atA, probability: pA, point: pointA, ...restA } = a;
  const { count: countB, at: atB, probability: pB, point: pointB, ...restB } = b;
  if (JSON.stringify(restA) !== JSON.stringify(restB) || (pointA === pointB) === across) return;
  const count = (countA ?? 1) + (countB ?? 1);
  const probability = Math.max(pA ?? 1, pB ?? 1);
  const keep = (pA ?? 1) === (pB ?? 1) ? {} : { probability };
  if (!across) {
    yield { ...a, ...keep, count };
    if (JSON.stringify(atA) !== JSON.stringify(atB)) yield { ...b, ...keep, count };
    return;
  }
  const at = earlierOf(atA, atB, startMs);
  yield { ...a, ...keep, at, count };
  yield { ...b, ...keep, at, count };
}

/** The earlier of two times in a run (the first when either does not parse). */
function earlierOf(a: string, b: string, startMs: number | null): string {
  const offset = (at: string) => {
    const ref = startMs === null ? null : parseTimeRef(at);
    return ref?.ok ? resolveTimeRef(ref.value, startMs!) : null;
  };
  const [ms, other] = [offset(a), offset(b)];
  return ms !== null && other !== null && other < ms ? b : a;
}

/**
 * The `values` below `n` and at least `min`, each once, in their order: for 3 workers, 1 and 2
 * (not 1, 2 and 2 again as one fewer).
 */
function smallerValues(n: number, values: readonly number[], min: number): number[] {
  const smaller: number[] = [];
  for (const v of values) if (v >= min && v < n && !smaller.includes(v)) smaller.push(v);
  return smaller;
}

/** Smaller versions of a document, the most drastic first (each smaller count or duration once). */
export function* smallerDocuments(doc: ScenarioDocument): Generator<ScenarioDocument> {
  const d = doc as Doc;
  const edit = (f: (copy: Doc) => void): ScenarioDocument => {
    const copy = structuredClone(d);
    f(copy);
    return copy;
  };
  const timeline = d.timeline ?? [];
  const faults = d.faults ?? [];
  const started = typeof d.start === "string" ? parseInstant(d.start) : null;
  const startMs = started?.ok ? started.value : null;
  const earlier: ((x: Doc) => void)[] = [
    ...faults.flatMap((f, i) =>
      earlierOffsets(f.at, startMs).map((at) => (x: Doc) => {
        x.faults![i] = { ...f, at };
      }),
    ),
    ...timeline.flatMap((entry, i) =>
      earlierOffsets(entry.at, startMs).map((at) => (x: Doc) => {
        x.timeline![i] = { ...entry, at };
      }),
    ),
  ];
  if (timeline.length > 1)
    yield edit((x) => {
      x.timeline = [];
    });
  if (faults.length > 1)
    yield edit((x) => {
      x.faults = [];
    });
  for (let i = timeline.length - 1; i >= 0; i--)
    yield edit((x) => {
      x.timeline?.splice(i, 1);
    });
  for (let i = faults.length - 1; i >= 0; i--)
    yield edit((x) => {
      x.faults?.splice(i, 1);
    });
  // Two injected panics at one point and target may be one panic rule with both counts.
  for (const merge of mergedFaults(faults, startMs, false)) yield edit(merge);
  // The reproducer writes its own expectations; old ones (and chapters) may pin times that a
  // shorter run would no longer contain.
  if ((d.chapters ?? []).length > 0 || (d.expect ?? []).length > 0)
    yield edit((x) => {
      x.chapters = [];
      x.expect = [];
    });
  if (d.alerts === undefined || d.alerts.length > 0)
    yield edit((x) => {
      x.alerts = [];
    });
  const workload = d.workload ?? {};
  const accounts = workload.accounts ?? 0;
  const withWorkload = (change: Partial<NonNullable<ScenarioDocument["workload"]>>) =>
    edit((x) => {
      x.workload = { ...x.workload, ...change };
    });
  for (const n of smallerValues(accounts, [0, Math.floor(accounts / 2), accounts - 1], 0))
    yield withWorkload({ accounts: n });
  const named = workload.named ?? [];
  for (let i = named.length - 1; i >= 0; i--) {
    yield edit((x) => {
      x.workload?.named?.splice(i, 1);
    });
    const schedules = named[i].schedules ?? [];
    for (let j = schedules.length - 1; j >= 0; j--)
      yield edit((x) => {
        x.workload?.named?.[i].schedules?.splice(j, 1);
      });
  }
  const cron = workload.cron ?? [];
  for (let i = cron.length - 1; i >= 0 && cron.length > 1; i--)
    yield edit((x) => {
      x.workload?.cron?.splice(i, 1);
    });
  const perAccount = workload.schedulesPerAccount;
  // At most one schedule an account, then exactly one: with none allowed, the one account left
  // may draw none (soak seed 3021).
  if (perAccount?.max !== undefined && perAccount.max > 1)
    yield withWorkload({ schedulesPerAccount: { min: Math.min(perAccount.min ?? 1, 1), max: 1 } });
  if (accounts > 0 && perAccount !== undefined && (perAccount.min ?? 1) < 1 && (perAccount.max ?? 1) >= 1)
    yield withWorkload({ schedulesPerAccount: { min: 1, max: 1 } });
  const withFleet = (change: Partial<NonNullable<ScenarioDocument["fleet"]>>) =>
    edit((x) => {
      x.fleet = { ...x.fleet, ...change };
    });
  const workers = d.fleet?.workers ?? 4;
  const fewerWorkers = smallerValues(workers, [1, 2, workers - 1], 1);
  for (const n of fewerWorkers) yield withFleet({ workers: n });
  const partitions = d.fleet?.partitions ?? 32;
  if (partitions > 1) yield withFleet({ partitions: Math.max(1, Math.floor(partitions / 2)) });
  // Both at once: how the workers share the partitions decides who takes a dead worker's poison
  // task, so a world may cascade on 3 workers over 2 partitions and on 2 over 1, yet on neither
  // 2 over 2 nor 3 over 1. At most 3 × 2 candidates.
  for (const n of fewerWorkers)
    for (const p of smallerValues(partitions, [1, Math.floor(partitions / 2)], 1))
      yield withFleet({ workers: n, partitions: p });
  // A fault armed late, or an operator's late action, holds the run long: earlier (at the start,
  // or half as late), the failure may come as well, and the shorter runs below may then fail too.
  for (const reshape of earlier) yield edit(reshape);
  const parsed = typeof d.duration === "string" ? parseDuration(d.duration, { positive: true }) : null;
  if (parsed?.ok) {
    const minutes = Math.floor(parsed.ms / 60_000);
    for (const m of smallerValues(minutes, [Math.floor(minutes / 2), minutes - 5, minutes - 1], 1))
      yield edit((x) => {
        x.duration = `${m}m`;
      });
  }
  for (let i = 0; i < faults.length; i++) {
    const f = faults[i];
    if (f.fault !== "inject-panic") continue;
    // One, half, one fewer, as for the other counts: a scenario that keeps a task panicking writes
    // a large count, and one fewer a step would spend the whole shrink budget on it.
    const count = f.count ?? 1;
    for (const n of smallerValues(count, [1, Math.floor(count / 2), count - 1], 1))
      yield edit((x) => {
        x.faults![i] = { ...f, count: n };
      });
    if ((f.probability ?? 1) < 1)
      yield edit((x) => {
        x.faults![i] = { ...f, probability: 1 };
      });
  }
  // Something dropped together with a change that keeps the race it took part in.
  for (const coupled of coupledDrops(d, accounts, startMs)) yield edit(coupled);
  // Last, once nothing else is smaller: fewer workers, or a time earlier, at another seed.
  // Whether a poison task reaches a second worker depends on timings a seed draws (the first may
  // restart and take it back), so a world stuck at three workers for its seed often cascades on
  // two at another.
  const seed = typeof d.seed === "number" ? d.seed : null;
  // So does which of two panic points lets the next owner retry the poison task.
  const reshaped: ((x: Doc) => void)[] = [
    ...smallerValues(workers, [1, 2, workers - 1], 1).map((n) => (x: Doc) => {
      x.fleet = { ...x.fleet, workers: n };
    }),
    ...earlier,
    ...mergedFaults(faults, startMs, true),
  ];
  for (const reshape of reshaped)
    for (const other of RESEEDS)
      if (other !== seed)
        yield edit((x) => {
          reshape(x);
          x.seed = other;
        });
}

/**
 * Each timeline entry, fault, named schedule, or some of the generated accounts dropped, and each
 * two panic rules at one point merged (see `mergedPanics`), together with a change that keeps the
 * cascade it took part in. A cascade on two workers is a race: the first owner of a poison task
 * dies, and either the other worker takes the task over (a cascade) or the first one, back from
 * its back-off, takes it back (a crash loop). What is dropped may matter only by how it shifts
 * that race: a kill, a panic in another task or a store slowed at the start leave a longer
 * back-off or other timings (without them, the back-off doubled lets the other worker win, as it
 * did on soak seeds 1001, 1005 and 1013); a schedule or rule dropped moves which tasks a panic of
 * probability below 1 falls on (with every panic rule certain, the panics fall on the first tasks
 * whatever the draws: seeds 1020 and 2005); sometimes both (seed 2004). Each drop is tried with
 * the back-off doubled, with the panics certain, and with both: at most three candidates a drop,
 * after every single change, so they run only while nothing simpler shrinks the world.
 */
function coupledDrops(d: Doc, accounts: number, startMs: number | null): ((x: Doc) => void)[] {
  const longerBackoff = doubledBackoff(d.fleet?.supervisor);
  const faults = d.faults ?? [];
  const uncertain = faults.some((f) => f.fault === "inject-panic" && (f.probability ?? 1) < 1);
  const companions: ((x: Doc) => void)[] = [];
  if (longerBackoff !== null) companions.push(longerBackoff);
  if (uncertain) companions.push(certainPanics);
  if (longerBackoff !== null && uncertain)
    companions.push((x) => {
      longerBackoff(x);
      certainPanics(x);
    });
  const drops: ((x: Doc) => void)[] = [];
  for (let i = (d.timeline ?? []).length - 1; i >= 0; i--) drops.push((x) => x.timeline?.splice(i, 1));
  for (let i = faults.length - 1; i >= 0; i--) drops.push((x) => x.faults?.splice(i, 1));
  const named = d.workload?.named ?? [];
  for (let i = named.length - 1; i >= 0; i--)
    for (let j = (named[i].schedules ?? []).length - 1; j >= 0; j--)
      drops.push((x) => x.workload?.named?.[i].schedules?.splice(j, 1));
  for (const n of smallerValues(accounts, [0, Math.floor(accounts / 2), accounts - 1], 0))
    drops.push((x) => {
      x.workload = { ...x.workload, accounts: n };
    });
  drops.push(...mergedFaults(faults, startMs, false));
  return drops.flatMap((drop) =>
    companions.map((companion) => (x: Doc) => {
      drop(x);
      companion(x);
    }),
  );
}

/** Every `inject-panic` rule certain: its panics fall on the first tasks it matches, whatever the draws. */
function certainPanics(x: Doc): void {
  x.faults = x.faults?.map((f) => (f.fault === "inject-panic" ? { ...f, probability: 1 } : f));
}

/**
 * An edit that doubles the supervisor's first restart delay, raising its cap to it if need be
 * (`5s` capped at `5s` → `10s` capped at `10s`): the delay a worker waits after one crash more.
 * Null when the delays do not parse.
 */
function doubledBackoff(
  supervisor: NonNullable<ScenarioDocument["fleet"]>["supervisor"],
): ((x: Doc) => void) | null {
  const initial = parseDuration(supervisor?.backoffInitial ?? BACKOFF_INITIAL_DEFAULT, { positive: true });
  const max = parseDuration(supervisor?.backoffMax ?? BACKOFF_MAX_DEFAULT, { positive: true });
  if (!initial.ok || !max.ok) return null;
  const doubledMs = initial.ms * 2;
  const backoff = {
    backoffInitial: formatDurationText(doubledMs),
    backoffMax: formatDurationText(Math.max(doubledMs, max.ms)),
  };
  return (x) => {
    x.fleet = { ...x.fleet, supervisor: { ...x.fleet?.supervisor, ...backoff } };
  };
}

/** Edits that put two `inject-panic` rules into one (see `mergedPanics`), at one point or `across` two. */
function mergedFaults(
  faults: readonly FaultEntry[],
  startMs: number | null,
  across: boolean,
): ((x: Doc) => void)[] {
  const edits: ((x: Doc) => void)[] = [];
  for (let i = 0; i < faults.length; i++)
    for (let j = i + 1; j < faults.length; j++)
      for (const merged of mergedPanics(faults[i], faults[j], startMs, across))
        edits.push((x) => {
          x.faults![i] = merged;
          x.faults!.splice(j, 1);
        });
  return edits;
}

/**
 * `+6m1s` → `+0s`, `+3m`: a time in the run made earlier, as an offset from the start in whole
 * seconds, whatever form it had (`09:44:40` in a run from 09:30 → `+0s`, `+7m20s`); none for a
 * time at the start, or one that does not parse (the document pass has no candidate for it).
 */
function earlierOffsets(at: unknown, startMs: number | null): string[] {
  if (typeof at !== "string" || startMs === null) return [];
  const ref = parseTimeRef(at);
  if (!ref.ok) return [];
  const offsetMs = resolveTimeRef(ref.value, startMs) - startMs;
  if (offsetMs <= 0) return [];
  const halfMs = Math.floor(offsetMs / 2 / 1000) * 1000;
  return smallerValues(offsetMs, [0, halfMs], 0).map((ms) => `+${formatDurationText(ms)}`);
}

/**
 * The seeds a shrink stuck for its seed tries fewer workers and earlier times at: a handful (a
 * race won one time in several is found), tried only at the end, on a world already small, so it
 * stays cheap.
 */
const RESEEDS = [0, 1, 2, 3, 4, 5, 6, 7] as const;
