/**
 * Where exploration runs execute: in this thread, or on worker threads (piscina), behind one
 * interface. Worker threads need compiled JavaScript: the worker file is `pool-worker.js` beside
 * this module when it runs from `dist/`; when it runs from source (vitest), the bundled one in
 * `dist/bundle/cli/`. If that file is missing or fails to load (not built), the pool falls back
 * to running in this thread and says so (`note`): same results, one core. Tests that want real
 * threads run `npm run build` first (`npm test` does).
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { RunInterrupted, STUCK_STEP } from "../kernel/index.js";
import { longRun } from "../world/config.js";
import type { SchedulerRegistry } from "../world/world.js";
import { breathe } from "./breathe.js";
import type { ScenarioDocument } from "./generate/document.js";
import {
  epochNowMs,
  type FailingTask,
  type FailureKind,
  hasModules,
  type RunAnswer,
  type RunPlan,
  type RunSummary,
  type RunTask,
  runOne,
  TimeBudgetCut,
} from "./run-one.js";

export interface RunPool {
  readonly kind: "in-process" | "worker-threads";
  readonly threads: number;
  /** Why the pool is not what was asked for (a fallback), or null. */
  readonly note: string | null;
  run(index: number): Promise<RunSummary>;
  /**
   * On worker threads, runs a world a shrink tries (or a failure's reproducer), on one of them,
   * judging `kind` alone: its summary, failing or not, or null when the document does not compile
   * (`FailingTask`). A shrink's (`cut` given) is cut short as a search's run is (it rejects with
   * `RunInterrupted` or `TimeBudgetCut`), and at `cut.atEpochMs` by its own guard; a reproducer's
   * (`cut` null), which names it, by a signal that comes while it runs, and once one has come it
   * is still begun (unnamed, a reproducer would share its scenario's name) but cut short a few
   * seconds on; the time budget does not cut it, as it does not its replay. Absent in this
   * thread, where a shrink runs its worlds itself.
   */
  readonly failing?: (
    document: ScenarioDocument,
    kind: FailureKind,
    index: number,
    cut: { readonly atEpochMs?: number } | null,
  ) => Promise<RunSummary | null>;
  close(): Promise<void>;
}

export interface PoolConstraints {
  /** Worker threads; 1 runs in this thread (but a module's plan's: see `openPool`), 0 too. */
  readonly jobs: number;
  /** Schedulers for runs in this thread (worker threads load bundled ones and `plan.schedulerModules`). */
  readonly schedulers?: SchedulerRegistry;
  /** The compiled worker module (default: found from this module's location). */
  readonly workerFile?: string;
  /**
   * Ctrl-C: a run in this thread that has not begun when it is aborted does not begin (it
   * rejects with `RunInterrupted`); one under way is cut short by the wall guard. On worker
   * threads, the runs of a large world (`longPlan`) under way are cut short too (their thread is
   * stopped, and they reject with `RunInterrupted`), and so are those of a plan that runs a
   * user's scheduler module, whose step may never return; other runs, a second at most, finish.
   */
  readonly signal?: AbortSignal;
  /**
   * When (`epochNowMs`) a run of a user's scheduler module still under way is cut short, rejecting
   * with `TimeBudgetCut`: a while after the exploration's time budget ends. Its step may never
   * return, and would hold the exploration to the run's own wall-clock budget. The run cuts itself
   * (`judgeRun`), on whatever thread; a worker thread that has not answered `THREAD_CUT_AFTER_MS`
   * later (a step blocked where the run's guard cannot stop it) is stopped. Read once, when the
   * first run is asked: the pool is up by then, and a budget held to a clock of the caller's own
   * says then where its end falls on the real one.
   */
  readonly cutAtEpochMs?: () => number;
}

/**
 * The compiled worker module, from where this module runs. From source (vitest), the bundle's
 * (dist/bundle/cli, which the binary's threads load): a thread loads its few dozen files in about
 * half the time of dist/src's several hundred modules, and the tests start hundreds of threads.
 */
export function defaultWorkerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "pool-worker.js");
  return resolve(dirname(here), "../../dist/bundle/cli/pool-worker.js");
}

/**
 * Opens a pool for a plan: worker threads when `jobs > 1` and the worker loads, else this thread.
 * A plan that runs a user's scheduler module gets a thread even for one job: a step of the module
 * that never returns would hold this thread, and with it every signal's handler (the run's guard
 * answers Ctrl-C in a large world's run alone), until the time budget's cut or the run's wall
 * budget. On a thread, an abort stops it at once, as with more jobs. No job (a shard given no
 * runs) starts no thread.
 */
export async function openPool(plan: RunPlan, given: PoolConstraints): Promise<RunPool> {
  const c = given.cutAtEpochMs === undefined ? given : { ...given, cutAtEpochMs: once(given.cutAtEpochMs) };
  if (c.jobs <= 0 || (c.jobs === 1 && !hasModules(plan))) return inProcessPool(plan, c, null);
  const filename = c.workerFile ?? defaultWorkerFile();
  const pool = new Piscina<RunTask, RunAnswer | null>({
    filename,
    workerData: plan,
    minThreads: c.jobs,
    maxThreads: c.jobs,
    idleTimeout: 60_000,
    concurrentTasksPerWorker: 1,
    // Between runs, piscina's threads wait on an Atomics lock, which keeps their event loop from
    // turning: a scheduler module's timer or rejected promise would then never be seen, and
    // could not be said (thread-strays.ts). Bundled schedulers set none.
    ...(hasModules(plan) ? { atomics: "disabled" as const } : {}),
  });
  // Piscina emits the failure of a thread that held no run (one that failed as it loaded, before
  // the pings reached it) as an `error` event, which unheard would crash the process: it is one
  // more reason to fall back, and once the pool is up, an idle thread's end that Piscina replaces.
  const loadFailed = new Promise<never>((_, reject) => pool.on("error", reject));
  loadFailed.catch(() => {});
  // Every ping settles before the pool is destroyed, so that no thread is terminated while it
  // still loads a module (whose own top-level await Node 20 aborts on, see pool-worker.ts).
  const pings = Promise.allSettled(Array.from({ length: c.jobs }, () => pool.run(-1)));
  try {
    const answers = await Promise.race([pings, loadFailed]);
    const refused = answers.find((answer) => answer.status === "rejected");
    if (refused !== undefined) throw refused.reason;
  } catch (error) {
    await Promise.race([pings, settleFor(PINGS_SETTLE_MS)]);
    await pool.destroy();
    const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
    return inProcessPool(plan, c, `worker threads unavailable (${why}); running in this thread`);
  }
  // Piscina stops the thread of a run whose signal aborts (a fresh one takes its place).
  const modules = hasModules(plan);
  const cutAtEpochMs = modules ? c.cutAtEpochMs : undefined;
  const cut = cutAtEpochMs === undefined ? null : new CutAt();
  const either = eitherSignal(longPlan(plan) || modules ? c.signal : undefined, cut?.signal);
  const signal = either.signal;
  /** The cut of the runs, read when the first is asked, and the stop of a thread past it armed then. */
  const cutAt = (): number | undefined => {
    if (cut === null || cutAtEpochMs === undefined) return undefined;
    const at = cutAtEpochMs();
    cut.arm(at - performance.timeOrigin + THREAD_CUT_AFTER_MS);
    return at;
  };
  /** A task's answer from a thread, or why it has none: its cut or the signal's abort, thrown. */
  const ask = async (task: RunTask, index: number): Promise<RunAnswer | null> => {
    try {
      const answer = await pool.run(task, { signal });
      unlessCut(answer);
      return answer;
    } catch (error) {
      // A run's own cut stands, even when the signal aborted as its answer came.
      if (error instanceof TimeBudgetCut || signal?.aborted !== true) throw error;
      if (c.signal?.aborted !== true && cut?.signal.aborted === true)
        throw new TimeBudgetCut(
          `run ${index} was cut short: the exploration's time budget had ended`,
          `its thread was still busy ${THREAD_CUT_AFTER_MS / 1000} s later and was stopped: ${STUCK_STEP.returned} (a step blocked where nothing could stop it)`,
        );
      throw new RunInterrupted(`run ${index} was interrupted`);
    }
  };
  /**
   * A reproducer's run (see `failing`): stopped by a signal that comes while it runs; once a
   * signal has come, begun all the same, but cut short `REPRODUCER_AFTER_SIGNAL_MS` on.
   */
  const askReproducer = async (task: FailingTask, index: number): Promise<RunAnswer | null> => {
    const interrupted = c.signal;
    const after = interrupted?.aborted === true;
    try {
      const answer = await pool.run(
        after ? { ...task, cutAtEpochMs: epochNowMs() + REPRODUCER_AFTER_SIGNAL_MS } : task,
        after || interrupted === undefined ? {} : { signal: interrupted },
      );
      unlessCut(answer);
      return answer;
    } catch (error) {
      if (error instanceof TimeBudgetCut || interrupted?.aborted !== true) throw error;
      throw new RunInterrupted(`run ${index} was interrupted`);
    }
  };
  return {
    kind: "worker-threads",
    threads: c.jobs,
    note: null,
    run: async (index) => {
      const at = cutAt();
      return (await ask(at === undefined ? index : { index, cutAtEpochMs: at }, index)) as RunSummary;
    },
    failing: async (document, kind, index, cut) =>
      (await (cut !== null
        ? ask(
            {
              failing: document,
              kind,
              index,
              ...(cut.atEpochMs === undefined ? {} : { cutAtEpochMs: cut.atEpochMs }),
            },
            index,
          )
        : askReproducer({ failing: document, kind, index }, index))) as RunSummary | null,
    close: () => {
      cut?.stop();
      either.release();
      return pool.destroy();
    },
  };
}

/**
 * How long a pool whose thread died as it loaded waits for the other threads' pings before it
 * terminates them: their loading should end first (see `openPool`), but a module whose loading
 * never ends must not hold the fallback to this thread.
 */
const PINGS_SETTLE_MS = 10_000;

const settleFor = (ms: number): Promise<void> =>
  new Promise((done) => {
    setTimeout(done, ms).unref();
  });

/**
 * How long a reproducer's run that names it may take once a signal has come: a generated world
 * runs in well under a second; a module stuck in it must not hold the command.
 */
export const REPRODUCER_AFTER_SIGNAL_MS = 3_000;

/** Throws the `TimeBudgetCut` a thread's answer carries as data (an error's class does not cross threads). */
function unlessCut(answer: RunAnswer | null): void {
  if (answer !== null && "cut" in answer) throw new TimeBudgetCut(answer.cut, answer.overrun);
}

/** How long past its cut a worker thread's run that has not cut itself short goes on before its thread is stopped. */
export const THREAD_CUT_AFTER_MS = 5_000;

/** A signal that aborts at the time it is armed for (on `performance.now()`), once armed; `stop` it when done. */
class CutAt {
  private readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | null = null;
  readonly signal = this.controller.signal;

  /** Aborts at `atMs`; armed already, it stays as it was (the pool's cut is one instant). */
  arm(atMs: number): void {
    if (this.timer !== null) return;
    this.timer = setTimeout(() => this.controller.abort(), Math.max(0, atMs - performance.now())).unref();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
  }
}

/** `get`'s value, read at the first call only. */
function once<T>(get: () => T): () => T {
  let read: { readonly value: T } | null = null;
  return () => {
    read ??= { value: get() };
    return read.value;
  };
}

/**
 * A signal that aborts when either does (`AbortSignal.any` is not in every Node 20), and what
 * takes its listeners off them again when the pool closes: a caller's signal may outlive it.
 */
function eitherSignal(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): { readonly signal: AbortSignal | undefined; readonly release: () => void } {
  if (a === undefined || b === undefined) return { signal: a ?? b, release: () => {} };
  if (a.aborted || b.aborted) return { signal: AbortSignal.abort(), release: () => {} };
  const both = new AbortController();
  const abort = () => both.abort();
  a.addEventListener("abort", abort, { once: true });
  b.addEventListener("abort", abort, { once: true });
  return {
    signal: both.signal,
    release: () => {
      a.removeEventListener("abort", abort);
      b.removeEventListener("abort", abort);
    },
  };
}

/**
 * Whether the plan's runs may each take long (`longRun`): a scenario's world, whatever its seed.
 * Generated worlds are sized to run in well under a second.
 */
export function longPlan(plan: RunPlan): boolean {
  return plan.mode === "scenario" && longRun(plan.base.config);
}

function inProcessPool(plan: RunPlan, c: PoolConstraints, note: string | null): RunPool {
  return {
    kind: "in-process",
    threads: 1,
    note,
    run: async (index) => {
      // Let the event loop breathe between runs (progress bars, signals).
      await breathe();
      if (c.signal?.aborted) throw new RunInterrupted(`run ${index} was interrupted before it began`);
      return runOne(plan, index, c.schedulers, hasModules(plan) ? c.cutAtEpochMs?.() : undefined);
    },
    close: async () => {},
  };
}
