import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TraceEvent } from "../kernel/index.js";
import { bundledSchedulers, holdsOwnModule } from "../schedulers/index.js";
import { schedulerChoices } from "../world/world.js";
import {
  type Comparison,
  compareRunsInTurns,
  comparisonOf,
  firstDifference,
  KEPT_EVENTS_MAX,
  replayEventsAt,
} from "./compare.js";
import type { CompareEvents, CompareJob, CompareRan } from "./compare-worker.js";
import { makePrintLinks, PrintWatch, publishedPrints } from "./print-link.js";
import { type RunInput, type RunOptions, runWorldInTurns } from "./run.js";
import type { SchedulerModuleRef } from "./run-one.js";

/**
 * The compiled worker module, from where this module runs; from source (vitest), the bundle's, as
 * for the exploration's threads (`defaultWorkerFile`).
 */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "compare-worker.js");
  return resolve(dirname(here), "../../dist/bundle/cli/compare-worker.js");
}

/** A compare thread that failed or ended (a module it could not import, say): the compare runs here instead. */
class CompareThreadFailed extends Error {}

/**
 * A worker thread that answers one message at a time, in order. It starts loading its modules
 * as soon as it is made, so a caller makes it before its own slow work (reading the scenario).
 */
class CompareThread {
  private readonly worker: Worker;
  private readonly waiting: { done: (m: unknown) => void; fail: (e: Error) => void }[] = [];
  private failure: Error | null = null;

  constructor(file: string) {
    this.worker = new Worker(file);
    this.worker.on("message", (message: unknown) => {
      this.waiting.shift()?.done(message);
      if (this.waiting.length === 0) this.worker.unref();
    });
    this.worker.on("error", (error: Error) => this.fail(new CompareThreadFailed(error.message)));
    this.worker.on("exit", (code) =>
      this.fail(new CompareThreadFailed(`compare worker exited with code ${code}`)),
    );
    // A worker with no question pending must not keep the process alive.
    this.worker.unref();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.waiting.splice(0)) w.fail(error);
  }

  ask<T>(job: CompareJob): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise<T>((done, fail) => {
      this.waiting.push({ done: done as (m: unknown) => void, fail });
      this.worker.ref();
      this.worker.postMessage(job);
    });
  }

  close(): void {
    this.worker.removeAllListeners();
    void this.worker.terminate();
  }
}

/**
 * Worker threads for a parallel compare, made ahead of the runs (one fewer than the variants:
 * the first runs on the calling thread); `close` them when done.
 */
export class CompareThreads {
  private constructor(
    readonly threads: readonly CompareThread[],
    /** Unmatched events each thread keeps at most (beyond them it replays for the divergence). */
    readonly keep: number | undefined,
  ) {}

  /** `count` threads, or null when the compiled worker is missing (the compare then runs here). */
  static start(count: number, keep?: number): CompareThreads | null {
    const file = workerFile();
    if (!existsSync(file)) return null;
    return new CompareThreads(
      Array.from({ length: count }, () => new CompareThread(file)),
      keep,
    );
  }

  close(): void {
    for (const t of this.threads) t.close();
  }
}

/** What the threads of a parallel compare need to run a user's scheduler module, as the calling thread does. */
export interface ThreadModules {
  /** Every user module in the calling thread's registry, for the threads to import. */
  readonly modules: readonly SchedulerModuleRef[];
  /** A board for each run after the first (`StepBoard`), when a thread watches for stuck steps. */
  readonly stepBoards?: readonly SharedArrayBuffer[];
}

/**
 * `compareRuns` with the variants side by side: the first on this thread, each other on a worker
 * thread of its own; the same reports and divergences, in about the time of the slowest run.
 * The first runs here rather than on a thread of its own because a thread costs its start-up
 * (Node's bootstrap and the simulation's modules, about 0.1 s of CPU) on a machine whose cores
 * the runs want, while this thread has its modules loaded and would only wait. The runs share
 * their behaviour prints as they go (the first variant's with every other, each other with the
 * first's), so each keeps only the events its peers have not matched yet, and the events at each
 * divergence come without running again. Only with no extra sinks (a sink lives in this thread),
 * and when `own` lists every user module the runs use (`schedulersUsed`), for the threads to
 * import; otherwise, or when the compiled worker is missing, it all runs here.
 * Threads made ahead (`CompareThreads.start(inputs.length - 1)`) are used and closed. Runs on
 * this thread go in turns of the event loop (`runWorldInTurns`), so that a signal is answered.
 */
export async function compareRunsParallel(
  inputs: readonly RunInput[],
  options: RunOptions = {},
  started: CompareThreads | null = null,
  own: ThreadModules = { modules: [] },
): Promise<Comparison> {
  const parallel =
    inputs.length >= 2 && (options.sinks?.length ?? 0) === 0 && threadsLoad(options, own, inputs);
  const others = inputs.length - 1;
  const fits = parallel && started !== null && started.threads.length >= others;
  if (!fits) started?.close();
  const threads = fits ? started : parallel ? CompareThreads.start(others) : null;
  if (threads === null) return compareRunsInTurns(inputs, options);
  try {
    return await compareOnThreads(inputs, options, threads, own);
  } catch (error) {
    // A thread that cannot run its variant (a module that does not import there) costs time, not the compare.
    if (!(error instanceof CompareThreadFailed)) throw error;
    return compareRunsInTurns(inputs, options);
  } finally {
    threads.close();
  }
}

/** The parallel compare proper, on `threads` (one per input after the first). */
async function compareOnThreads(
  inputs: readonly RunInput[],
  options: RunOptions,
  threads: CompareThreads,
  own: ThreadModules,
): Promise<Comparison> {
  const links = makePrintLinks(undefined, undefined, inputs.length);
  // The threads start on their variants before this one runs the first (synchronously).
  const asked = inputs.slice(1).map((input, k) =>
    threads.threads[k].ask<CompareRan>({
      kind: "run",
      input,
      link: links[k + 1],
      keep: threads.keep,
      timed: options.wallClock !== undefined,
      modules: own.modules,
      ...(own.stepBoards?.[k] === undefined ? {} : { stepBoard: own.stepBoards[k] }),
    }),
  );
  // A thread's failure is seen where the answers are awaited, not as an unhandled rejection before.
  for (const answer of asked) answer.catch(() => {});
  const watch = new PrintWatch(links[0], threads.keep ?? KEPT_EVENTS_MAX);
  // In turns of the event loop (`runWorldInTurns`): a signal is answered while it goes on.
  const first = await runWorldInTurns(inputs[0], {
    schedulers: options.schedulers,
    wallClock: options.wallClock,
    wallGuard: options.wallGuard,
    stepWatch: options.stepWatch,
    sinks: [watch],
    watchers: options.watchers,
  });
  const runs: CompareRan[] = [
    { report: first.report, prints: watch.privatePrints() },
    ...(await Promise.all(asked)),
  ];
  const reports = runs.map((r) => r.report);
  const prints = runs.map((r, k) => publishedPrints(links[0], k, r.prints));
  const indices = prints.slice(1).map((p) => firstDifference(prints[0], p));
  // The first run's events: what its watch kept, the rest by running it again once.
  const firstEventsAt = (wanted: readonly number[]): (TraceEvent | null)[] => {
    const known = wanted.map((index) => watch.eventAt(index));
    const replayed = replayEventsAt(
      inputs[0],
      { schedulers: options.schedulers, wallClock: options.wallClock, wallGuard: options.wallGuard },
      wanted.filter((_, k) => known[k] === undefined),
    );
    return wanted.map((index, k) => known[k] ?? replayed.get(index) ?? null);
  };
  const eventsAt = (k: number, wanted: readonly number[]): Promise<(TraceEvent | null)[]> =>
    wanted.length === 0
      ? Promise.resolve([])
      : k === 0
        ? Promise.resolve(firstEventsAt(wanted))
        : threads.threads[k - 1]
            .ask<CompareEvents>({ kind: "events-at", indices: wanted })
            .then((m) => m.events);
  // The first run's events at every position where another run parts from it, in one ask.
  const parted = [...new Set(indices.filter((i) => i >= 0))];
  const [firsts, ...others] = await Promise.all([
    eventsAt(0, parted),
    ...indices.map((index, k) => eventsAt(k + 1, index < 0 ? [] : [index])),
  ]);
  return comparisonOf(
    reports,
    indices.map((index, k) => ({
      index,
      a: index < 0 ? null : (firsts[parted.indexOf(index)] ?? null),
      b: others[k][0] ?? null,
    })),
  );
}

/** Whether the threads can load every scheduler the runs may use: the bundled ones, and `own`'s modules. */
function threadsLoad(options: RunOptions, own: ThreadModules, inputs: readonly RunInput[]): boolean {
  if (options.schedulers === undefined || !holdsOwnModule(options.schedulers)) return true;
  const bundled = bundledSchedulers();
  const listed = new Set(own.modules.map((m) => m.name));
  return [...schedulersUsed(inputs)].every((name) => bundled.has(name) || listed.has(name));
}

/**
 * The schedulers the runs of `inputs` start with or deploy, by name: the modules a thread must
 * import for them (a scenario's own module that bundled variants run in place of is not one).
 */
export function schedulersUsed(inputs: readonly RunInput[]): Set<string> {
  return new Set(inputs.flatMap(({ config }) => schedulerChoices(config).map((choice) => choice.name)));
}
