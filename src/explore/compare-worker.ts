/**
 * A worker thread of the parallel compare. It waits for a `run` message, imports the scheduler
 * modules it names, runs that variant and answers with its report. The threads share their behaviour prints as they run (`PrintWatch`),
 * so each keeps only the events it could not match yet; a thread without a link records
 * nothing. Then it answers `events-at` messages from what it kept, or by replaying the run (once
 * for all the positions it kept nothing at), until the compare closes it.
 */
import { parentPort } from "node:worker_threads";
import type { TraceEvent } from "../kernel/index.js";
import type { RunReport } from "../report/run-report.js";
import type { SchedulerRegistry } from "../world/world.js";
import { KEPT_EVENTS_MAX, replayEventsAt } from "./compare.js";
import { threadRegistry } from "./module-registry.js";
import { type PrintLink, PrintWatch } from "./print-link.js";
import { type RunInput, type RunOptions, runWorld } from "./run.js";
import type { SchedulerModuleRef } from "./run-one.js";
import { StepBoard } from "./step-board.js";
import { answerMayGo, forwardStrayErrors, forwardStrayExits } from "./thread-strays.js";

export type CompareJob =
  | {
      readonly kind: "run";
      readonly input: RunInput;
      /** This variant's end of the prints the threads share; none to record nothing. */
      readonly link: PrintLink | null;
      /** Unmatched events to keep at most (default `KEPT_EVENTS_MAX`); 0 replays for every `event-at`. */
      readonly keep?: number;
      /** Hold the run to its wall-clock budget (`limits.wallBudget`), on this thread's clock. */
      readonly timed?: boolean;
      /** The user scheduler modules the run may start or deploy, to import in this thread. */
      readonly modules?: readonly SchedulerModuleRef[];
      /** The board to tell of each goroutine step (`StepBoard`), for a thread that watches it. */
      readonly stepBoard?: SharedArrayBuffer;
    }
  | { readonly kind: "events-at"; readonly indices: readonly number[] };

/** The answer to `events-at`: the event at each position asked, null past the end of the trace. */
export interface CompareEvents {
  readonly events: (TraceEvent | null)[];
}

/** The answer to `run`: the report, and the prints when they outgrew shared memory. */
export interface CompareRan {
  readonly report: RunReport;
  readonly prints: Uint32Array<ArrayBuffer> | null;
}

let input: RunInput | null = null;
let watch: PrintWatch | null = null;
/** The run's schedulers and how it is held to its wall budget (no clock when not timed); its replays too. */
let timing: RunOptions = {};
/** The user scheduler modules the run imported, whose replays for `events-at` run them again. */
let modules: readonly SchedulerModuleRef[] = [];

// A module's process.exit, from its top-level code on, is the main thread's to say.
forwardStrayExits();

parentPort?.on("message", (job: CompareJob) => {
  // A run's modules are imported first (asynchronously); its `events-at` come once it answered.
  if (job.kind === "run") void threadRegistry(job.modules ?? []).then((schedulers) => run(job, schedulers));
  else answerEventsAt(job.indices);
});

function run(job: Extract<CompareJob, { kind: "run" }>, schedulers: SchedulerRegistry): void {
  // A module's promise or timer that throws outside the simulation is the main thread's to say.
  forwardStrayErrors();
  input = job.input;
  modules = job.modules ?? [];
  watch = job.link === null ? null : new PrintWatch(job.link, job.keep ?? KEPT_EVENTS_MAX);
  // The schedulers go with the clock: a run of a module is held by this thread's guard too.
  timing = { schedulers, ...(job.timed ? { wallClock: () => performance.now() } : {}) };
  const stepWatch = job.stepBoard === undefined ? {} : { stepWatch: new StepBoard(job.stepBoard) };
  const { report } = runWorld(job.input, { ...timing, ...stepWatch, sinks: watch === null ? [] : [watch] });
  const prints = watch?.privatePrints() ?? null;
  const ran: CompareRan = { report, prints };
  // Not while a stray of the run's module is on its way to the main thread: never, then.
  void whenMayGo(() => parentPort?.postMessage(ran, prints === null ? [] : [prints.buffer]));
}

/** Calls `answer` at once for bundled schedulers; for modules, once their strays had their turn (`answerMayGo`). */
async function whenMayGo(answer: () => void): Promise<void> {
  if (modules.length === 0 || (await answerMayGo())) answer();
}

function answerEventsAt(indices: readonly number[]): void {
  if (input === null) throw new Error("compare worker: events-at before run");
  const known = indices.map((index) => watch?.eventAt(index));
  const missing = indices.filter((_, k) => known[k] === undefined);
  const replayed = replayEventsAt(input, timing, missing);
  const answer: CompareEvents = {
    events: indices.map((index, k) => known[k] ?? replayed.get(index) ?? null),
  };
  void whenMayGo(() => parentPort?.postMessage(answer));
}
