/**
 * Where the gate's runs happen: in this thread, or in a pool of worker threads (`--jobs N`).
 * Either way each run is `executeGateRun` on inputs rebuilt from the scenario text, and the
 * results come back in the plan's order, whatever order they finish in.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  executeGateRun,
  type GateRun,
  type GateRunResult,
  type GateScenario,
  gateRunInput,
} from "../explore/gate.js";
import { findDivergence } from "../explore/gate-divergence.js";
import type { ModuleStandIn, SchedulerSubstitution } from "../explore/gate-scheduler.js";
import { STUCK_STEP, stopDetail } from "../kernel/simulation.js";
import { compileParsedScenario } from "../scenario/compile.js";
import { parseScenario, type Scenario, type ScenarioIssue } from "../scenario/index.js";
import { bundledSchedulers } from "../schedulers/index.js";
import type { SchedulerFactory } from "../world/runtime.js";
import type { SchedulerRegistry } from "../world/world.js";
import { CliError, type InputProblem } from "./errors.js";
import { issuesError } from "./issue-error.js";
import {
  addScenarioModules,
  commandLineModuleName,
  loadSchedulerModule,
  moduleFileIssues,
  moduleFixIssues,
  ownModulePath,
  scenarioModuleName,
  scenarioModuleNaming,
  unparsedScenarioIssues,
} from "./load.js";

/** What a runner needs to rebuild every run: scenario texts and the scheduler module. */
export interface GateRunnerInit {
  readonly scenarios: readonly { readonly file: string; readonly text: string }[];
  /** `--scheduler MODULE` as given, resolved against `cwd`. */
  readonly schedulerModule: string | null;
  readonly cwd: string;
}

/** A scenario ready to run: its inputs and the schedulers its runs may use. */
export interface RunnableScenario {
  readonly gs: Pick<GateScenario, "file" | "scenario" | "compiled">;
  readonly schedulers: SchedulerRegistry;
  /**
   * The module gated in place of v2 in this scenario's runs (`--scheduler`'s, else the scenario's
   * own `scheduler: { module }`), named by its path from the working folder; null without one.
   */
  readonly substitution: SchedulerSubstitution | null;
  /** The same module under its name for this scenario; null without one. */
  readonly standIn: ModuleStandIn | null;
  /** What validate warns of in it, at its own seed. */
  readonly warnings: readonly ScenarioIssue[];
}

export interface Runnables {
  readonly scenarios: readonly RunnableScenario[];
  /** The `--scheduler` module, in place of v2 in every scenario; null without one. */
  readonly substitution: SchedulerSubstitution | null;
}

/**
 * Bad input found before the gate runs anything. Every problem of every file is kept and they
 * are reported together (exit 2), as `validate` does, rather than one per attempt.
 */
export class InputProblems {
  private readonly errors: CliError[] = [];

  /** Runs `check`; a CliError it throws is kept, anything else is not bad input and goes on up. */
  check<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      this.keep(error);
      return undefined;
    }
  }

  async checkAsync<T>(check: () => Promise<T>): Promise<T | undefined> {
    try {
      return await check();
    } catch (error) {
      this.keep(error);
      return undefined;
    }
  }

  add(message: string): void {
    this.errors.push(new CliError(message));
  }

  /** Keeps a scenario's issues, each at its place. */
  addIssues(issues: readonly ScenarioIssue[]): void {
    this.errors.push(issuesError(issues));
  }

  get found(): boolean {
    return this.errors.length > 0;
  }

  /**
   * Throws one CliError saying every problem kept (with the worst exit code), if there is any,
   * each problem as data too.
   */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    if (this.errors.length === 1) throw this.errors[0];
    const exitCode = Math.max(...this.errors.map((e) => e.exitCode));
    const problems = this.errors.flatMap((e) => e.problems);
    throw new CliError(this.errors.map((e) => e.message).join("\n"), exitCode, problems);
  }

  /** Keeps `error` if it is bad input (a CliError); anything else goes on up. */
  keep(error: unknown): void {
    if (!(error instanceof CliError)) throw error;
    this.errors.push(error);
  }
}

/**
 * Parses every scenario and loads every scheduler module. Bad input is a CliError (exit 2)
 * that names every problem of every file, not just the first.
 */
export async function prepareRunnables(init: GateRunnerInit): Promise<Runnables> {
  const problems = new InputProblems();
  let substitute: { sub: SchedulerSubstitution; factory: SchedulerFactory } | null = null;
  if (init.schedulerModule !== null) {
    const path = init.schedulerModule;
    const factory = await problems.checkAsync(() => loadSchedulerModule(path, init.cwd));
    if (factory !== undefined) {
      substitute = { sub: { path, fixes: [...factory.fixes] }, factory };
    }
  }
  const modules = new Map<string, SchedulerFactory>();
  const scenarios: RunnableScenario[] = [];
  for (const { file, text } of init.scenarios) {
    const parsed = parseScenario(text, file);
    if (!parsed.ok) {
      problems.addIssues(unparsedScenarioIssues(file, parsed, text));
      continue;
    }
    const missing = moduleFileIssues(parsed.scenario);
    if (missing.length > 0) {
      problems.addIssues(missing);
      continue;
    }
    const schedulers = bundledSchedulers();
    const unloaded = await addScenarioModules(parsed.scenario, schedulers, modules);
    if (unloaded.length > 0) {
      problems.addIssues(unloaded);
      continue;
    }
    const fixIssues = moduleFixIssues(parsed.scenario, schedulers);
    if (fixIssues.length > 0) {
      problems.addIssues(fixIssues);
      continue;
    }
    const gated = substitute ?? ownModule(parsed.scenario, file, schedulers, init.cwd);
    let standIn: ModuleStandIn | null = null;
    if (gated) {
      standIn = { name: commandLineModuleName(gated.sub.path, file, init.cwd), fixes: gated.sub.fixes };
      schedulers.set(standIn.name, gated.factory);
    }
    scenarios.push({
      gs: {
        file,
        scenario: parsed.scenario,
        compiled: compileParsedScenario(parsed.scenario, scenarioModuleNaming(file, init.cwd)),
      },
      schedulers,
      substitution: gated?.sub ?? null,
      standIn,
      warnings: parsed.warnings,
    });
  }
  problems.throwIfAny();
  return { scenarios, substitution: substitute?.sub ?? null };
}

/**
 * A scenario's own scheduler module (`scheduler: { module }`), gated in place of v2 as
 * `--scheduler` would gate it, and named by its path from the working folder, as a
 * `run --scheduler` command (the `reproduce:` lines) names it. Null for a bundled scheduler.
 */
function ownModule(
  scenario: Scenario,
  file: string,
  schedulers: SchedulerRegistry,
  cwd: string,
): { sub: SchedulerSubstitution; factory: SchedulerFactory } | null {
  const own = scenario.scheduler;
  if (own.kind !== "module") return null;
  const factory = schedulers.get(scenarioModuleName(own.module, file, cwd));
  if (factory === undefined) return null;
  const path = ownModulePath(own.module, file, cwd);
  return { sub: { path, fixes: [...factory.fixes] }, factory };
}

/** Runs one planned run in this thread. */
export function runHere(r: Runnables, run: GateRun, now: () => number): GateRunResult {
  const target = r.scenarios[run.scenario];
  const input = gateRunInput(target.gs, run, target.standIn);
  return executeGateRun(input, run.role, { schedulers: target.schedulers, wallClock: now }, now);
}

/**
 * The runs of one thread, in order (`runHere`), but for the second run of a variant whose first
 * the wall-clock budget stopped: where the wall clock stops a run is not reproducible, so the
 * two are never compared (the determinism case says the run stopped early), and running it
 * would spend the whole budget again for nothing. Its result is the first's, not run.
 */
export class ThreadRuns {
  /** Of each variant's first run, what its second would take: not its report (kept no longer). */
  private readonly firsts = new Map<string, Omit<GateRunResult, "report" | "wallMs">>();

  /** `execute` runs one run here (`runHere`). */
  constructor(private readonly execute: (run: GateRun) => GateRunResult) {}

  run(run: GateRun): GateRunResult {
    const key = variantRunKey(run);
    const first = run.role === "second" ? this.firsts.get(key) : undefined;
    if (first?.stopReason === "wall-budget") return { ...first, report: null, wallMs: 0, notRun: true };
    const result = this.execute(run);
    if (run.role === "first") {
      const { traceHash, events, stopReason, detail } = result;
      this.firsts.set(key, { traceHash, events, stopReason, detail });
    }
    return result;
  }
}

/** What the two runs of a variant share: the scenario, the variant and the seed. */
export function variantRunKey(run: GateRun): string {
  return `${run.scenario}\u0000${run.variant}\u0000${run.seed}`;
}

/** Runs a variant twice more, in lockstep, to find where its runs diverge (held to its wall budget). */
export function locateHere(r: Runnables, scenario: number, variant: string, now: () => number) {
  const target = r.scenarios[scenario];
  const input = gateRunInput(target.gs, { variant, seed: target.gs.compiled.config.seed }, target.standIn);
  return findDivergence(input, { schedulers: target.schedulers, wallClock: now });
}

/** The worker entry, when built (running from source there is none: runs stay in this thread). */
export function workerEntry(): URL | null {
  const url = new URL("./gate-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/**
 * Messages between the pool and its workers. A worker is sent a batch of runs that must share
 * its thread (see `threadBatches`) and answers with one result per run, in the batch's order.
 */
export type ToWorker = { readonly batch: readonly { readonly id: number; readonly run: GateRun }[] };
export type FromWorker =
  | { readonly kind: "ready" }
  | { readonly kind: "result"; readonly id: number; readonly result: GateRunResult }
  | {
      readonly kind: "failed";
      readonly id: number | null;
      readonly message: string;
      readonly exitCode: number;
      /** The problems of bad input the message says, as data (by default the message alone). */
      readonly problems?: readonly InputProblem[];
    };

/** Time a run's thread gets past its scenario's wall-clock budget before the watchdog stops it. */
export const WATCHDOG_GRACE_MS = 10_000;

export interface PoolOptions {
  /** Per run (in plan order), its scenario's wall-clock budget in ms (none: no watchdog). */
  readonly wallBudgetsMs: readonly (number | undefined)[];
  /**
   * Time past the budget before a run's thread is stopped: by default WATCHDOG_GRACE_MS or half
   * the budget, whichever is longer (building the world and the report are not in the budget).
   */
  readonly graceMs?: number;
  /** This thread's clock, which each result's `endedAtMs` is read on (the gate's wall clock). */
  readonly now?: () => number;
  /**
   * First runs made before the pool (the one-thread gate makes them itself), by `variantRunKey`:
   * a `fresh` run whose first is not among `runs` is judged by its result here.
   */
  readonly firsts?: ReadonlyMap<string, GateRunResult>;
}

/**
 * Runs the plan on `jobs` worker threads; results in plan order. A run that throws, or a
 * worker that dies, fails the whole gate (an internal error, or bad input found in a worker).
 * A watchdog stops a thread still busy with one run past its scenario's wall-clock budget plus
 * a grace (a scheduler goroutine looping without yielding or calling the runtime, which nothing
 * inside the thread can interrupt): the run counts as stopped by `limits.wallBudget`, and a
 * fresh thread takes its place for the runs left. A `fresh` run is the first a thread makes: a
 * thread that has made runs already is ended and a new one started for it, which loads the
 * scheduler modules anew. `fresh` runs come after all others, and one whose variant's first run
 * the wall clock stopped is not made (its result is the first's, `notRun`), as on one thread.
 */
export function runInPool(
  entry: URL,
  init: GateRunnerInit,
  runs: readonly GateRun[],
  jobs: number,
  onDone: (done: number) => void,
  options: PoolOptions,
): Promise<GateRunResult[]> {
  const results: GateRunResult[] = new Array(runs.length);
  const now = options.now ?? (() => performance.now());
  const workers: Worker[] = [];
  const watchdogs = new Map<Worker, ReturnType<typeof setTimeout>>();
  let done = 0;
  return new Promise<GateRunResult[]>((resolvePool, rejectPool) => {
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      for (const timer of watchdogs.values()) clearTimeout(timer);
      void Promise.all(workers.map((w) => w.terminate())).then(() =>
        error ? rejectPool(error) : resolvePool(results),
      );
    };
    // A `fresh` run goes last, so that its variant's first run is most often over when it comes up.
    const all = threadBatches(runs);
    const isFresh = (batch: readonly number[]) => runs[batch[0]].role === "fresh";
    const batches = [...all.filter((b) => !isFresh(b)), ...all.filter(isFresh)];
    // The batches not yet given to a thread, in that order.
    const left = [...batches];
    // Of each variant, its first run's id (a `fresh` run is not made when the wall clock stopped it).
    const firstOf = new Map<string, number>();
    runs.forEach((run, id) => {
      if (run.role === "first") firstOf.set(variantRunKey(run), id);
    });
    // The runs each worker still has to answer from the batch it was given, in order.
    const queued = new Map<Worker, number[]>();
    // Threads with nothing to do until a first run ends, on which every `fresh` run left depends.
    const waiting = new Set<Worker>();
    /** `endedAtMs`: a run not made ends with its first (see `suiteWallMs`), else now. */
    const complete = (id: number, result: GateRunResult, endedAtMs = now()) => {
      // Placed on this thread's clock, which every worker's results share (see `suiteWallMs`).
      results[id] = { ...result, endedAtMs };
      done++;
      onDone(done);
      if (done === runs.length) finish(null);
      for (const worker of [...waiting]) {
        waiting.delete(worker);
        feed(worker);
      }
    };
    /** Arms the watchdog of `worker` for run `id` (none without a wall budget). */
    const watch = (worker: Worker, id: number) => {
      clearTimeout(watchdogs.get(worker));
      watchdogs.delete(worker);
      const budgetMs = options.wallBudgetsMs[id];
      if (budgetMs === undefined) return;
      const startedMs = performance.now();
      const graceMs = options.graceMs ?? Math.max(WATCHDOG_GRACE_MS, budgetMs / 2);
      watchdogs.set(
        worker,
        setTimeout(() => stuck(worker, budgetMs, performance.now() - startedMs), budgetMs + graceMs),
      );
    };
    // Threads that have been given a batch: a `fresh` run wants one that has not.
    const used = new Set<Worker>();
    /** The first run of the variant of run `id`, if the plan has one: undefined while under way. */
    const firstOfRun = (id: number) => {
      const key = variantRunKey(runs[id]);
      const firstId = firstOf.get(key);
      if (firstId === undefined) {
        const made = options.firsts?.get(key);
        return { planned: made !== undefined, result: made };
      }
      return { planned: true, result: results[firstId] };
    };
    const feed = (worker: Worker): void => {
      if (settled || left.length === 0) return;
      // The first batch that can go now: a `fresh` run waits for its variant's first to end
      // (whether it is made depends on it), and lets the batches after it go meanwhile.
      const at = left.findIndex((b) => {
        if (!isFresh(b)) return true;
        const first = firstOfRun(b[0]);
        return !first.planned || first.result !== undefined;
      });
      if (at < 0) {
        waiting.add(worker);
        return;
      }
      const batch = left[at];
      if (isFresh(batch)) {
        const id = batch[0];
        const first = firstOfRun(id).result;
        if (first?.stopReason === "wall-budget") {
          // Not made when the wall clock stopped the first: it would only spend the budget again.
          left.splice(at, 1);
          complete(id, { ...first, report: null, wallMs: 0, notRun: true }, first.endedAtMs);
          feed(worker);
          return;
        }
        if (used.has(worker)) {
          retire(worker);
          start();
          return;
        }
      }
      left.splice(at, 1);
      used.add(worker);
      queued.set(worker, [...batch]);
      watch(worker, batch[0]);
      worker.postMessage({ batch: batch.map((id) => ({ id, run: runs[id] })) } satisfies ToWorker);
    };
    /** Ends a thread the pool has no more use for, before its runs are all done. */
    const retire = (worker: Worker) => {
      clearTimeout(watchdogs.get(worker));
      watchdogs.delete(worker);
      workers.splice(workers.indexOf(worker), 1);
      worker.removeAllListeners();
      void worker.terminate();
    };
    const stuck = (worker: Worker, budgetMs: number, wallMs: number) => {
      retire(worker);
      // The run it was stuck in, and the rest of its batch (never started: same thread).
      const unanswered = queued.get(worker) ?? [];
      queued.delete(worker);
      unanswered.forEach((id, k) => {
        complete(id, {
          traceHash: "",
          events: 0,
          stopReason: "wall-budget",
          detail: stopDetail("wall-budget", {
            wallBudgetMs: budgetMs,
            wallOverrun: `its thread was still busy ${(wallMs / 1000).toFixed(1)} s after the run began and was stopped: ${STUCK_STEP.returned} (a loop in the scheduler that neither yields nor calls the runtime)`,
          }),
          report: null,
          // The run it was stuck in took the time; the rest of its batch never began.
          ...(k === 0 ? { wallMs } : { wallMs: 0, notRun: true as const }),
        });
      });
      if (!settled && left.length > 0) start();
    };
    const start = () => {
      const worker = new Worker(entry, { workerData: init });
      workers.push(worker);
      worker.on("message", (message: FromWorker) => {
        if (message.kind === "ready") {
          feed(worker);
        } else if (message.kind === "result") {
          clearTimeout(watchdogs.get(worker));
          watchdogs.delete(worker);
          const unanswered = queued.get(worker) ?? [];
          unanswered.shift();
          complete(message.id, message.result);
          if (unanswered.length > 0) watch(worker, unanswered[0]);
          else feed(worker);
        } else {
          finish(new CliError(message.message, message.exitCode, message.problems));
        }
      });
      worker.on("error", (error) => finish(error));
      // A thread ends when the runner terminates it, after the runs are settled: one that ends
      // before, whatever its code (0 too, or the gate would wait for runs that never come), failed.
      worker.on("exit", (code) => {
        if (!settled) finish(new Error(`a gate worker exited with code ${code} before its runs were done`));
      });
    };
    const count = Math.max(1, Math.min(jobs, batches.length));
    for (let i = 0; i < count; i++) start();
    if (runs.length === 0) finish(null);
  });
}

/**
 * The plan's runs (by index) grouped by the thread that must run them, in plan order. The two
 * runs of a variant share one: the determinism check compares them, and a scheduler module that
 * keeps state from one `create` to the next (a module-level counter) must fail it with any
 * `--jobs`, as it does in one thread; on two threads each run would load its own fresh module.
 * A `fresh` run is a batch of its own, which `runInPool` gives to a thread that loads the module
 * anew: that is its point.
 */
export function threadBatches(runs: readonly GateRun[]): number[][] {
  const batches: number[][] = [];
  const firstBatch = new Map<string, number[]>();
  runs.forEach((run, id) => {
    const key = variantRunKey(run);
    const first = run.role === "second" ? firstBatch.get(key) : undefined;
    if (first !== undefined) {
      first.push(id);
      return;
    }
    const batch = [id];
    batches.push(batch);
    if (run.role === "first") firstBatch.set(key, batch);
  });
  return batches;
}
