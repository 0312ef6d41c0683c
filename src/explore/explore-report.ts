/**
 * The report of an exploration, as `aftershock explore --json` prints it: one JSON object that
 * says what was explored (the target), which shard, what ran, what each property saw, which
 * faults fired, and every failure with its reproducer. Shards of one exploration share their
 * target; `mergeExploreReports` joins them into the report of the whole exploration.
 */
import { plural } from "../checks/format.js";
import { pathText } from "../scenario/issue.js";
import type { PropertyLeftOut } from "./expectations.js";
import type { ExploreFailure, ExploreOutcome, NotJudged, PropertyTally, StoppedRun } from "./explore.js";
import { FaultKindTallies, type FaultKindTally } from "./fault-tally.js";
import type { ScenarioConstraints } from "./generate/scenario-arbitrary.js";
import type { ExploredVariant, FailureKind } from "./run-one.js";
import { type Shard, shardRunCount } from "./seeds.js";

/** How a run's stop detail (`cutSummary`, run-one.ts) says the time budget cut it; readers tell it by this. */
export const CUT_BY_TIME_BUDGET = "after the exploration's time budget ended and was cut short";

/** The most runs not judged that a report names; it counts the others. */
export const NOT_JUDGED_NAMED_MAX = 3;

/** Adds `counts` into `into`, name by name (faults fired or skipped, summed over runs or shards). */
export function addCounts(into: Record<string, number>, counts: Readonly<Record<string, number>>): void {
  for (const [name, n] of Object.entries(counts)) into[name] = (into[name] ?? 0) + n;
}

/** Counts by name, in name order (so that reports are byte-identical whatever the run order). */
export function sortedCounts(counts: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(counts).sort()) out[key] = counts[key];
  return out;
}

export const EXPLORE_REPORT_KIND = "aftershock.explore";
export const EXPLORE_REPORT_VERSION = 1;

/**
 * What an exploration explores; equal targets, same exploration (whatever the shard). Two
 * scenario targets with a `digest` are the same exploration when all but their `source` agree:
 * the same file checked out at two paths (two CI runners) is one scenario, and a file edited
 * between two shards is two.
 */
export interface ExploreTarget {
  readonly mode: "scenario" | "generated";
  /** The scenario's name (`generated` for generated worlds). */
  readonly scenario: string;
  /** The scenario file as given, or null for generated worlds. */
  readonly source: string | null;
  /** The variant run in place of the scenario's scheduler; null: the scenario's own, as written. */
  readonly variant: ExploredVariant;
  /** The master seed: the base seed of a sweep, or the generation seed. */
  readonly seed: number;
  /** Runs in the whole exploration, all shards together. */
  readonly runs: number;
  readonly properties: readonly string[];
  /**
   * The properties left out of the default list because the scenario expects them not to hold
   * for the variant explored (`{ variant, property, holds: false }`, its index in `expect`).
   * Absent when none were (and from reports of earlier versions).
   */
  readonly propertiesLeftOut?: readonly PropertyLeftOut[];
  /** The generator's constraints (generated worlds only). */
  readonly constraints: ScenarioConstraints | null;
  /**
   * A digest of the compiled scenario, of the text of the scheduler modules its runs load and of
   * the local files they import (`sha256:` and hex), or null for generated worlds. Absent from
   * reports of earlier versions, whose scenarios are compared by `source`.
   */
  readonly digest?: string | null;
  /**
   * The files `digest` covers besides the scenario, by path from the scenario's folder: the
   * modules run, then the files they import (`node_modules` packages are not covered); null for
   * generated worlds. Absent from reports of earlier versions, whose digest covered every module
   * the scenario names, run or not, and none of the files they import.
   */
  readonly digestFiles?: readonly string[] | null;
  /**
   * The user scheduler module run in v2's place in generated worlds (`explore --generated
   * --scheduler`); absent otherwise (a scenario names its own module in the file it explores).
   */
  readonly scheduler?: ExploredModule;
  /**
   * The version of aftershock that explored (its package.json's `version`): its schedulers,
   * world, checks and generators are part of what ran, so shards of two versions are two
   * explorations. Absent from reports of earlier versions; a target made through the API has it
   * when its caller gives it, which a merge with the CLI's shards needs.
   */
  readonly aftershock?: string;
}

/** A scheduler module an exploration of generated worlds runs, as its target names it. */
export interface ExploredModule {
  /** The module as the command line named it: its path from the working folder. */
  readonly module: string;
  /** The name the trace gives it: `module:` and its path from `--out`, where its reproducers are. */
  readonly name: string;
  /** The fixes it is created with: the variant's that it lists. */
  readonly fixes: readonly string[];
}

export interface ReportedFailure {
  readonly run: number;
  readonly kind: FailureKind;
  readonly failed: readonly FailureKind[];
  readonly seed: number;
  readonly generationSeed: number | null;
  readonly detail: string;
  readonly traceHash: string;
  /** The shrunk reproducer's seed and trace hash (what `aftershock run` replays). */
  readonly reproducerSeed: number | null;
  readonly reproducerTraceHash: string | null;
  readonly shrink: ExploreFailure["shrink"];
  /** The reproducer file, when written. */
  readonly reproducer: string | null;
  /** The command that replays it. */
  readonly replay: string | null;
  /**
   * Why the reproducer could not be written (the command exits 2), or null. Absent from reports
   * of earlier versions.
   */
  readonly reproducerNotWritten?: string | null;
  /**
   * Why the reproducer, replayed once before it is written, does not give the failing run's
   * trace hash (the scheduler is not deterministic: the command exits 3), or null. Absent from
   * reports of earlier versions.
   */
  readonly reproducerMismatch?: string | null;
  /**
   * Why `reproducer` is an earlier exploration's, kept in place of this one's (which is not
   * written): it shrank this failure further, and this exploration's shrink did not run to its
   * end; then `reproducerSeed` and `reproducerTraceHash` are its own. Null otherwise; absent from
   * reports of earlier versions.
   */
  readonly reproducerKept?: string | null;
}

/** A failure's reproducer file, as the report names it. */
export interface WrittenReproducer {
  readonly file: string;
  /** The command that replays it. */
  readonly replay: string;
  /** When the file is an earlier exploration's reproducer, kept: why, and what it replays. */
  readonly kept?: {
    readonly why: string;
    readonly seed: number | null;
    readonly traceHash: string | null;
  };
}

/** Why one shard stopped, and how far it got: merged reports keep one per shard, in shard order. */
export interface ShardStop {
  readonly shard: number;
  /** The report file it came from (named by merge); null in a shard's own report. */
  readonly report: string | null;
  readonly stoppedBy: ExploreOutcome["stoppedBy"];
  readonly planned: number;
  readonly completed: number;
}

export interface ExploreReport {
  readonly kind: typeof EXPLORE_REPORT_KIND;
  readonly version: typeof EXPLORE_REPORT_VERSION;
  readonly target: ExploreTarget;
  /** The shards this report covers: one for a shard's own report, several when merged. */
  readonly shards: {
    readonly count: number;
    /** The shards whose reports it holds (an interrupted one too: the runs it did are counted). */
    readonly present: readonly number[];
    /**
     * The shards whose runs it does not all cover: absent ones, and, merged, interrupted ones
     * (also in `present`), as merge treats an interrupted shard as a missing one.
     */
    readonly missing: readonly number[];
  };
  /** Runs planned: a shard's own; merged, the whole exploration's (`target.runs`), missing shards' too. */
  readonly planned: number;
  /** Runs explored (merged: of every shard present, an interrupted one's included). */
  readonly completed: number;
  /** The shards' common stop, or `mixed` when merged shards stopped for different reasons (see `shardStops`). */
  readonly stoppedBy: ExploreOutcome["stoppedBy"] | "mixed";
  /** Each shard's stop. Absent from reports of earlier versions (read them with `shardStopsOf`). */
  readonly shardStops?: readonly ShardStop[];
  readonly properties: Readonly<Record<string, PropertyTally>>;
  /**
   * How often faults acted, by kind, summed over the runs: acts, not faults (an injected panic
   * counts each panic it threw, so this may exceed `faultsPlanned`). `faultsByKind` says which
   * faults fired.
   */
  readonly faultsFired: Readonly<Record<string, number>>;
  /**
   * Faults that came due with nothing to act on (a kill of a worker in back-off), by kind, summed
   * over the runs. Absent from reports of earlier versions.
   */
  readonly faultsSkipped?: Readonly<Record<string, number>>;
  /**
   * The runs' faults by kind, each counted once per run (an `inject-panic` however many panics it
   * throws), summed over the runs. Absent from reports of earlier versions, as is
   * `faultPointsReached`.
   */
  readonly faultsPlanned?: Readonly<Record<string, number>>;
  /**
   * How often a scheduler reached a fault point (`rt.faultPoint`) while an injected panic or hang
   * was armed, summed over the runs: 0 with such faults planned, it never reached one, and they
   * could not fire.
   */
  readonly faultPointsReached?: number;
  /**
   * By kind, what the runs' faults did: `planned`, `fired` (faults that acted at least once),
   * `acts` (as `faultsFired`), `skipped`, `notFired` (neither by their run's end) and `runs` (runs
   * in which the kind acted). Absent from reports of earlier versions.
   */
  readonly faultsByKind?: Readonly<Record<string, FaultKindTally>>;
  /**
   * Runs a scenario limit stopped before their horizon: not judged, their verdicts not in
   * `properties` (the runs summed and the earliest kept when merged); null when none. Absent
   * from reports of earlier versions.
   */
  readonly notJudged?: NotJudged | null;
  readonly failures: readonly ReportedFailure[];
  /**
   * Failures each exploration (each shard) shrinks at most (`--shrink-max`; the largest of the
   * shards' when merged). Absent from reports of earlier versions, as is `failuresUnshrunk`.
   */
  readonly shrinkFailuresMax?: number;
  /** Failures left unshrunk (`shrink: null`) because of `shrinkFailuresMax` (summed when merged). */
  readonly failuresUnshrunk?: number;
  readonly kernelEvents: number;
  /** Real time spent starting the pool (the sum over shards when merged). */
  readonly poolStartMs: number;
  /**
   * The longest of the shards' `poolStartMs` (one shard's own), as `searchMsMax` is of the
   * searches. Absent from reports of earlier versions (read `poolStartMs` then).
   */
  readonly poolStartMsMax?: number;
  /** Real time spent running the runs, once the pool was up (the sum over shards when merged). */
  readonly searchMs: number;
  /**
   * The longest of the shards' `searchMs` (one shard's own): the time a merged exploration's
   * runs took when its shards ran side by side, as a CI matrix runs them, and what its runs per
   * second are counted over. Absent from reports of earlier versions (read `searchMs` then).
   */
  readonly searchMsMax?: number;
  /** Real time spent shrinking failures (the sum over shards when merged). */
  readonly shrinkMs: number;
  /**
   * The longest of the shards' `shrinkMs` (one shard's own): how long a merged exploration's
   * shrinking took when its shards ran side by side, as its first line says. Absent from reports
   * of earlier versions (read `shrinkMs` then).
   */
  readonly shrinkMsMax?: number;
  readonly pool: { readonly kind: string; readonly threads: number; readonly note: string | null };
}

/** The report of one exploration (one shard), with the reproducer of each failure where written. */
export function exploreReport(
  target: ExploreTarget,
  shard: Shard,
  outcome: ExploreOutcome,
  written: ReadonlyMap<ExploreFailure, WrittenReproducer>,
  notWritten: ReadonlyMap<ExploreFailure, string> = new Map(),
  mismatches: ReadonlyMap<ExploreFailure, string> = new Map(),
): ExploreReport {
  return {
    kind: EXPLORE_REPORT_KIND,
    version: EXPLORE_REPORT_VERSION,
    target,
    shards: { count: shard.count, present: [shard.index], missing: [] },
    planned: outcome.planned,
    completed: outcome.completed,
    stoppedBy: outcome.stoppedBy,
    shardStops: [
      {
        shard: shard.index,
        report: null,
        stoppedBy: outcome.stoppedBy,
        planned: outcome.planned,
        completed: outcome.completed,
      },
    ],
    properties: outcome.properties,
    faultsFired: outcome.faultsFired,
    faultsSkipped: outcome.faultsSkipped,
    faultsPlanned: outcome.faultsPlanned,
    faultPointsReached: outcome.faultPointsReached,
    faultsByKind: outcome.faultsByKind,
    notJudged: outcome.notJudged,
    failures: outcome.failures.map((f) => {
      const kept = written.get(f)?.kept;
      return {
        run: f.run,
        kind: f.kind,
        failed: f.failed,
        seed: f.seed,
        generationSeed: f.generationSeed,
        detail: f.detail,
        traceHash: f.traceHash,
        reproducerSeed: kept === undefined ? (f.documentRun?.seed ?? null) : kept.seed,
        reproducerTraceHash: kept === undefined ? (f.documentRun?.traceHash ?? null) : kept.traceHash,
        shrink: f.shrink,
        reproducer: written.get(f)?.file ?? null,
        replay: written.get(f)?.replay ?? null,
        reproducerNotWritten: notWritten.get(f) ?? null,
        reproducerMismatch: mismatches.get(f) ?? null,
        reproducerKept: kept?.why ?? null,
      };
    }),
    shrinkFailuresMax: outcome.shrinkFailuresMax,
    failuresUnshrunk: outcome.failuresUnshrunk,
    kernelEvents: outcome.kernelEvents,
    poolStartMs: Math.round(outcome.poolStartMs),
    poolStartMsMax: Math.round(outcome.poolStartMs),
    searchMs: Math.round(outcome.searchMs),
    searchMsMax: Math.round(outcome.searchMs),
    shrinkMs: Math.round(outcome.shrinkMs),
    shrinkMsMax: Math.round(outcome.shrinkMs),
    pool: outcome.pool,
  };
}

export type MergeResult =
  | { readonly ok: true; readonly report: ExploreReport }
  | { readonly ok: false; readonly problem: string };

/**
 * Whether a parsed JSON value is an explore report of this version at all (its `kind` and
 * `version`); a sentence saying why not otherwise. Its fields are checked by the CLI's schema
 * (`cli/commands/explore-report-schema.ts`), which names the file, line and field.
 */
export function exploreReportProblem(value: unknown): string | null {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "not a JSON object";
  const r = value as Partial<ExploreReport>;
  if (r.kind !== EXPLORE_REPORT_KIND)
    return `not an explore report (kind is ${JSON.stringify(r.kind)}; write one with aftershock explore --json)`;
  if (r.version === undefined)
    return `an explore report without its version (expected "version": ${EXPLORE_REPORT_VERSION}): cut short, or not written by aftershock explore --json?`;
  if (r.version !== EXPLORE_REPORT_VERSION)
    return `an explore report of version ${JSON.stringify(r.version)}, which this aftershock does not read (it reads version ${EXPLORE_REPORT_VERSION}): merge it with the aftershock that wrote it`;
  return null;
}

/**
 * Joins the reports of shards of one exploration. Refuses reports of different explorations or
 * overlapping shards, naming each report by `names[i]` (its file; `report i` by default).
 */
export function mergeExploreReports(
  reports: readonly ExploreReport[],
  names: readonly string[] = reports.map((_, i) => `report ${i + 1}`),
): MergeResult {
  if (reports.length === 0) return { ok: false, problem: "nothing to merge" };
  const first = reports[0];
  const present = new Map<number, string>();
  for (const [i, r] of reports.entries()) {
    const name = names[i];
    const contradiction = reportContradictions(r)[0];
    if (contradiction !== undefined)
      return {
        ok: false,
        problem: `${name}: ${pathText([...contradiction.path])}: expected ${contradiction.expected}, found ${contradiction.found}: not as aftershock explore wrote it`,
      };
    const versions = versionDifference(r.target, first.target, name, names[0]);
    if (versions !== null) return { ok: false, problem: versions };
    const older = olderDigest(r.target, first.target, name, names[0]);
    if (older !== null) return { ok: false, problem: older };
    if (!sameTarget(r.target, first.target))
      return {
        ok: false,
        problem: `${name} explores something else than ${names[0]}: ${targetDifference(r.target, first.target)}`,
      };
    if (r.shards.count !== first.shards.count)
      return {
        ok: false,
        problem: `${name} ${shardingText(r.shards.count)}, ${names[0]} ${shardingText(first.shards.count)}`,
      };
    for (const s of r.shards.present) {
      if (!Number.isSafeInteger(s) || s < 1 || s > r.shards.count)
        return {
          ok: false,
          problem: `${name} claims shard ${s} of ${r.shards.count}, which does not exist`,
        };
      const earlier = present.get(s);
      if (earlier !== undefined)
        return {
          ok: false,
          problem:
            earlier === name
              ? `${name} is named twice: shard ${s}/${first.shards.count} would count twice`
              : `shard ${s}/${first.shards.count} appears twice: in ${earlier} and in ${name}`,
        };
      present.set(s, name);
    }
  }
  const count = first.shards.count;
  const all = [...present.keys()].sort((a, b) => a - b);
  const shardStops = reports
    .flatMap((r, i) => shardStopsOf(r).map((stop) => ({ ...stop, report: stop.report ?? names[i] })))
    .sort((a, b) => a.shard - b.shard);
  // An interrupted shard explored only part of its runs: missing, as one not given at all is.
  const interrupted = new Set(shardStops.filter((s) => s.stoppedBy === "interrupted").map((s) => s.shard));
  const missing: number[] = [];
  for (let s = 1; s <= count; s++) if (!present.has(s) || interrupted.has(s)) missing.push(s);
  const properties: Record<string, PropertyTally> = {};
  const fired: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  for (const r of reports) {
    for (const [p, t] of Object.entries(r.properties)) {
      if (properties[p] === undefined) properties[p] = { checked: 0, failed: 0, exercised: 0 };
      const sum = properties[p];
      sum.checked += t.checked;
      sum.failed += t.failed;
      sum.exercised += t.exercised;
    }
    addCounts(fired, r.faultsFired);
    addCounts(skipped, r.faultsSkipped ?? {});
  }
  const stops = new Set(reports.map((r) => r.stoppedBy));
  return {
    ok: true,
    report: {
      kind: EXPLORE_REPORT_KIND,
      version: EXPLORE_REPORT_VERSION,
      target: mergedTarget(reports),
      shards: { count, present: all, missing },
      // The whole exploration's runs, so that `completed of planned` says how much of it is covered.
      planned: first.target.runs,
      completed: sum(reports, (r) => r.completed),
      stoppedBy: stops.size === 1 ? first.stoppedBy : "mixed",
      shardStops,
      properties,
      faultsFired: sortedCounts(fired),
      faultsSkipped: sortedCounts(skipped),
      ...mergedFaultsPlanned(reports),
      ...mergedFaultsByKind(reports),
      notJudged: mergeNotJudged(reports),
      failures: reports.flatMap((r) => r.failures).sort((a, b) => a.run - b.run),
      shrinkFailuresMax: Math.max(...reports.map((r) => r.shrinkFailuresMax ?? 0)),
      failuresUnshrunk: sum(reports, (r) => r.failuresUnshrunk ?? 0),
      kernelEvents: sum(reports, (r) => r.kernelEvents),
      poolStartMs: sum(reports, (r) => r.poolStartMs),
      poolStartMsMax: Math.max(...reports.map((r) => r.poolStartMsMax ?? r.poolStartMs)),
      searchMs: sum(reports, (r) => r.searchMs),
      searchMsMax: Math.max(...reports.map((r) => r.searchMsMax ?? r.searchMs)),
      shrinkMs: sum(reports, (r) => r.shrinkMs),
      shrinkMsMax: Math.max(...reports.map((r) => r.shrinkMsMax ?? r.shrinkMs)),
      // A shard that ran nothing adds no thread: one given no runs (more shards than runs) reports
      // 0 (reports of earlier versions said 1), one interrupted before its first run its pool's.
      pool: {
        kind: "merged",
        threads: sum(reports, (r) => (r.completed > 0 ? r.pool.threads : 0)),
        note: null,
      },
    },
  };
}

/** How a report splits the runs, for a merge refused over it: one "shard" is no sharding at all. */
function shardingText(count: number): string {
  return count === 1 ? "explores every run (no --shard)" : `splits the runs into ${count} shards`;
}

/** The runs of merged shards that were not judged: summed, with the earliest of them. */
function mergeNotJudged(reports: readonly ExploreReport[]): NotJudged | null {
  const parts = reports.flatMap((r) => r.notJudged ?? []);
  if (parts.length === 0) return null;
  const earliest = parts
    .flatMap(earliestNotJudged)
    .sort((a, b) => a.run - b.run)
    .slice(0, NOT_JUDGED_NAMED_MAX);
  return { runs: sum(parts, (p) => p.runs), first: earliest[0], earliest };
}

/** The runs not judged that a report names: its first alone in a report of an earlier version. */
function earliestNotJudged(n: NotJudged): readonly StoppedRun[] {
  return n.earliest ?? [n.first];
}

/**
 * `2 of 4 runs stopped early and are not judged: run 0 (seed 5) hit the event limit (100000
 * events)`, or null when every run was judged.
 */
export function describeNotJudged(r: Pick<ExploreReport, "notJudged" | "completed">): string | null {
  const n = r.notJudged;
  if (n === undefined || n === null) return null;
  const are = n.runs === 1 ? "is" : "are";
  // Each named in full, with `;` between: a detail may have commas of its own.
  const named = earliestNotJudged(n).map((s) => `run ${s.run} (seed ${s.seed}) ${s.detail}`);
  const more = n.runs > named.length ? `; and ${n.runs - named.length} more` : "";
  return `${n.runs} of ${plural(r.completed, "run")} stopped early and ${are} not judged: ${named.join("; ")}${more}`;
}

/**
 * `shards 2/4, 3/4 missing, shard 4/4 interrupted: 1200 of 2000 runs not explored` (an
 * interrupted shard's runs after it stopped are not explored), or null when no shard is missing.
 */
export function describeMissing(r: ExploreReport): string | null {
  const { missing, count } = r.shards;
  if (missing.length === 0) return null;
  const stops = new Map(shardStopsOf(r).map((s) => [s.shard, s]));
  const interrupted = missing.flatMap((s) => {
    const stop = stops.get(s);
    return stop !== undefined && stop.stoppedBy === "interrupted" ? [stop] : [];
  });
  const absent = missing.filter((s) => !interrupted.some((stop) => stop.shard === s));
  const runs =
    sum(absent, (index) => shardRunCount(r.target.runs, { index, count })) +
    sum(interrupted, (stop) => stop.planned - stop.completed);
  const which = (shards: readonly number[], why: string) =>
    shards.length === 0
      ? []
      : [`shard${shards.length === 1 ? "" : "s"} ${shards.map((s) => `${s}/${count}`).join(", ")} ${why}`];
  const shards = [
    ...which(absent, "missing"),
    ...which(
      interrupted.map((s) => s.shard),
      "interrupted",
    ),
  ];
  return `${shards.join(", ")}: ${runs} of ${r.target.runs} runs not explored`;
}

/**
 * The shard stops of a report: its own, or, for a report of an earlier version, one made up
 * from its totals when it covers one shard (a merged one without them cannot say).
 */
export function shardStopsOf(r: ExploreReport): readonly ShardStop[] {
  if (Array.isArray(r.shardStops)) return r.shardStops;
  if (r.shards.present.length !== 1 || r.stoppedBy === "mixed") return [];
  const { planned, completed, stoppedBy } = r;
  return [{ shard: r.shards.present[0], report: null, stoppedBy, planned, completed }];
}

/** The shards that stopped before their last run, each with why. */
export function shardsStoppedEarly(r: ExploreReport): readonly ShardStop[] {
  return shardStopsOf(r).filter((s) => s.completed < s.planned);
}

/**
 * For merged shards that stopped at their first failure, what their totals cover: each shard
 * stopped at its own first failure, so the totals are not those of one unsharded exploration
 * (which stops at the first failure of all); null when no shard stopped so.
 */
export function describeFailureStops(r: ExploreReport): string | null {
  const stops = shardStopsOf(r);
  const stopped = stops.filter((s) => s.stoppedBy === "failure" && s.completed < s.planned);
  if (stops.length < 2 || stopped.length === 0) return null;
  const which = stopped.length === 1 ? "a shard" : `${stopped.length} shards`;
  return `${which} stopped at ${stopped.length === 1 ? "its" : "their"} first failure, so these totals cover ${r.completed} of ${r.planned} runs, not the runs an unsharded exploration covers; with --keep-going on every shard they are the totals of the whole exploration`;
}

/** `si-1.json: shard 1/2 interrupted after 11 of 150 runs` */
export function describeShardStop(stop: ShardStop, count: number): string {
  const why =
    stop.stoppedBy === "failure"
      ? "stopped at its first failure"
      : stop.stoppedBy === "time-budget"
        ? "stopped by its time budget"
        : stop.stoppedBy === "interrupted"
          ? "interrupted"
          : "stopped";
  const from = stop.report === null ? "" : `${stop.report}: `;
  return `${from}shard ${stop.shard}/${count} ${why} after ${stop.completed} of ${stop.planned} runs`;
}

/**
 * `generated worlds, variant fixed, seed 7, 1000 runs` (`its own scheduler` for a null variant;
 * `module mods/mine.mjs as variant fixed` for a module run in v2's place).
 */
export function describeTarget(t: ExploreTarget): string {
  const what = t.mode === "generated" ? "generated worlds" : `${t.source ?? t.scenario}`;
  const variant = t.variant === null ? "its own scheduler" : `variant ${t.variant}`;
  const scheduler = t.scheduler === undefined ? variant : `module ${t.scheduler.module} as ${variant}`;
  return `${what}, ${scheduler}, seed ${t.seed}, ${plural(t.runs, "run")}`;
}

/** Whether two targets are one exploration: by content when both have a digest, else by path too. */
export function sameTarget(a: ExploreTarget, b: ExploreTarget): boolean {
  return canonical(comparable(a, b)) === canonical(comparable(b, a));
}

/** What differs between two targets, field by field: `properties no-cascade vs no-cascade,no-panic-death`. */
export function targetDifference(a: ExploreTarget, b: ExploreTarget): string {
  const x = comparable(a, b);
  const y = comparable(b, a);
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])];
  const differing = keys.filter((k) => canonical(x[k]) !== canonical(y[k]));
  return differing
    .map((k) => {
      if (k === "digest") return `${digestDifference(a, b)} (digest ${shown(x[k])} vs ${shown(y[k])})`;
      if (k === "constraints") return "generator constraints";
      return `${k} ${shown(x[k])} vs ${shown(y[k])}`;
    })
    .join("; ");
}

/** What two different digests can say of the difference: which files they covered, when not the same. */
function digestDifference(a: ExploreTarget, b: ExploreTarget): string {
  const what = "scenario content, its scheduler modules or the files they import";
  if (!Array.isArray(a.digestFiles) || !Array.isArray(b.digestFiles)) return what;
  const files = (t: readonly string[]) => (t.length === 0 ? "none" : t.join(", "));
  const [x, y] = [files(a.digestFiles), files(b.digestFiles)];
  return x === y ? what : `${what}; files beside the scenario: ${x} vs ${y}`;
}

function shown(value: unknown): string {
  if (value === undefined) return "(not said)";
  if (Array.isArray(value)) return value.map(shown).join(",");
  if (typeof value === "string" && value.startsWith("sha256:")) return `${value.slice(0, 19)}…`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Why two reports are not shards of one exploration for the aftershock that wrote them, or null:
 * two versions ran other code (schedulers, world, checks, generators), whose runs of the same
 * seed may differ. A report of a version that did not record it is of an earlier one.
 */
function versionDifference(a: ExploreTarget, b: ExploreTarget, aName: string, bName: string): string | null {
  if (a.aftershock === b.aftershock) return null;
  const by = (t: ExploreTarget, name: string) =>
    t.aftershock === undefined
      ? `${name} does not say which aftershock wrote it (a report of a version from before reports said so, or one made through the API without target.aftershock)`
      : `${name} was written by aftershock ${t.aftershock}`;
  return `${by(a, aName)} and ${by(b, bName)}: other code ran their runs, so they are not shards of one exploration (explore every shard with one aftershock, then merge)`;
}

/** Where a report contradicts itself: the field, what its other fields allow, what it says. */
export interface ReportContradiction {
  readonly path: readonly (string | number)[];
  readonly expected: string;
  readonly found: number;
}

/**
 * The counts of a report that its other fields rule out (none in a report aftershock wrote): more
 * runs completed than its shards hold, a failure in a run of a shard it does not hold or past the
 * exploration's runs, more failures of a property than checks of it, more checks than runs. A
 * report edited or put together by hand would otherwise merge into totals that add up to nothing
 * (`119 of 30 runs`). A report claiming a shard out of range is left to the merge, which says so.
 */
export function reportContradictions(r: ExploreReport): ReportContradiction[] {
  const out: ReportContradiction[] = [];
  const { count } = r.shards;
  const runs = r.target.runs;
  const held = r.shards.present.filter((s) => Number.isSafeInteger(s) && s >= 1 && s <= count);
  if (held.length !== r.shards.present.length) return out;
  const heldText =
    count === 1
      ? `${runs} runs (target.runs)`
      : `shard${held.length === 1 ? "" : "s"} ${held.map((s) => `${s}/${count}`).join(", ")} of ${runs} runs`;
  const own = sum(held, (index) => shardRunCount(runs, { index, count }));
  if (r.completed > own)
    out.push({
      path: ["completed"],
      expected: `at most ${own}, the runs of ${heldText}`,
      found: r.completed,
    });
  for (const [i, f] of r.failures.entries()) {
    const shard = (f.run % count) + 1;
    if (f.run >= runs || !held.includes(shard))
      out.push({ path: ["failures", i, "run"], expected: `a run of ${heldText}`, found: f.run });
  }
  for (const [p, t] of Object.entries(r.properties)) {
    if (t.checked > r.completed)
      out.push({
        path: ["properties", p, "checked"],
        expected: `at most ${r.completed}, the runs completed`,
        found: t.checked,
      });
    if (t.failed > t.checked)
      out.push({
        path: ["properties", p, "failed"],
        expected: `at most ${t.checked}, its runs checked`,
        found: t.failed,
      });
  }
  for (const [i, stop] of (r.shardStops ?? []).entries())
    if (stop.completed > stop.planned)
      out.push({
        path: ["shardStops", i, "completed"],
        expected: `at most ${stop.planned}, the runs it planned`,
        found: stop.completed,
      });
  return out;
}

/**
 * Why two targets that differ only in their digest cannot be compared, when one comes from a
 * version whose digest covered other files (no `digestFiles`): not an edit the user made, as far
 * as anyone can tell. Null when that is not the case.
 */
function olderDigest(a: ExploreTarget, b: ExploreTarget, aName: string, bName: string): string | null {
  if (typeof a.digest !== "string" || typeof b.digest !== "string" || a.digest === b.digest) return null;
  if ((a.digestFiles === undefined) === (b.digestFiles === undefined)) return null;
  if (!sameTarget({ ...a, digest: b.digest }, b)) return null;
  const [older, newer] = a.digestFiles === undefined ? [aName, bName] : [bName, aName];
  return `${older} was written by an older aftershock, whose digest of the scenario covered other files (every scheduler module the scenario names, none of the files they import), so it cannot be compared with ${newer}'s: explore that shard again with this aftershock, then merge`;
}

/** The fields of `t` that identify it when compared with `other` (see `ExploreTarget`). */
function comparable(t: ExploreTarget, other: ExploreTarget): Record<string, unknown> {
  // The files a digest covers are in the digest: compared through it, as is a module's path as typed.
  // The properties left out by default are not compared: `properties`, the ones judged, is (a shard
  // that named the same ones with --properties judged what the other did).
  const { digest, digestFiles: _files, source, scheduler, propertiesLeftOut: _leftOut, ...rest } = t;
  const byContent = typeof digest === "string" && typeof other.digest === "string";
  if (!byContent) return { ...rest, source, ...(scheduler === undefined ? {} : { scheduler }) };
  const named =
    scheduler === undefined ? {} : { scheduler: { name: scheduler.name, fixes: scheduler.fixes } };
  return { ...rest, digest, ...named };
}

/**
 * The first report's target, with the properties a shard left out by default where another named
 * the same ones with --properties: the same whatever the order the shards are given in.
 */
function mergedTarget(reports: readonly ExploreReport[]): ExploreTarget {
  const target = reports[0].target;
  if (target.propertiesLeftOut !== undefined) return target;
  const leftOut = reports.find((r) => r.target.propertiesLeftOut !== undefined)?.target.propertiesLeftOut;
  if (leftOut === undefined) return target;
  // In the place explore writes it, after `properties`.
  const { mode, scenario, source, variant, seed, runs, properties, ...after } = target;
  return { mode, scenario, source, variant, seed, runs, properties, propertiesLeftOut: leftOut, ...after };
}

/**
 * The shards' planned faults and fault points reached, summed; absent when a shard's report is of
 * an earlier version, which does not say them (a sum without its runs would say too few).
 */
function mergedFaultsPlanned(
  reports: readonly ExploreReport[],
): Pick<ExploreReport, "faultsPlanned" | "faultPointsReached"> {
  const planned: Record<string, number> = {};
  let reached = 0;
  for (const r of reports) {
    if (r.faultsPlanned === undefined || r.faultPointsReached === undefined) return {};
    addCounts(planned, r.faultsPlanned);
    reached += r.faultPointsReached;
  }
  return { faultsPlanned: sortedCounts(planned), faultPointsReached: reached };
}

/** The shards' faults by kind, summed; absent when a shard's report is of an earlier version, which does not say them. */
function mergedFaultsByKind(reports: readonly ExploreReport[]): Pick<ExploreReport, "faultsByKind"> {
  const tallies = new FaultKindTallies();
  for (const r of reports) {
    if (r.faultsByKind === undefined) return {};
    for (const [kind, t] of Object.entries(r.faultsByKind)) tallies.addTally(kind, t);
  }
  return { faultsByKind: tallies.sorted() };
}

function sum<T>(items: readonly T[], f: (item: T) => number): number {
  return items.reduce((n, item) => n + f(item), 0);
}

/** JSON with sorted keys, to compare targets whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/**
 * Why a failure's shrink may not be its end, as the report and the reproducer's description say
 * it: `interrupted: may shrink further`; null when it ran to its end.
 */
export function shrinkFurtherNote(shrink: {
  readonly exhausted: boolean;
  readonly cutBy?: "interrupted" | "time-budget" | null;
}): string | null {
  if (!shrink.exhausted) return null;
  const cut = shrinkCutWords(shrink.cutBy ?? null);
  return `${cut ?? "budget exhausted"}: may shrink further`;
}

/** What cut a shrink short, in words (`the time budget was spent`), or null for its own limits. */
export function shrinkCutWords(cutBy: "interrupted" | "time-budget" | null): string | null {
  return cutBy === "interrupted"
    ? "interrupted"
    : cutBy === "time-budget"
      ? "the time budget was spent"
      : null;
}
