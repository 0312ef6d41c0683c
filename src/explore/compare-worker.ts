/**
 * A worker thread of the parallel compare. It waits for a `run` message, runs that variant and
 * answers with its report. The threads share their behaviour prints as they run (`PrintWatch`),
 * so each keeps only the events it could not match yet; a thread without a link records
 * nothing. Then it answers `events-at` messages from what it kept, or by replaying the run (once
 * for all the positions it kept nothing at), until the compare closes it.
 */
import { parentPort } from "node:worker_threads";
import type { TraceEvent } from "../kernel/index.js";
import type { RunReport } from "../report/run-report.js";
import { KEPT_EVENTS_MAX, replayEventsAt } from "./compare.js";
import { type PrintLink, PrintWatch } from "./print-link.js";
import { type RunInput, type RunOptions, runWorld } from "./run.js";

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
/** How the run is held to its wall budget (nothing when not timed); its replays too. */
let timing: RunOptions = {};

parentPort?.on("message", (job: CompareJob) => {
  if (job.kind === "run") {
    input = job.input;
    watch = job.link === null ? null : new PrintWatch(job.link, job.keep ?? KEPT_EVENTS_MAX);
    timing = job.timed ? { wallClock: () => performance.now() } : {};
    const { report } = runWorld(job.input, { ...timing, sinks: watch === null ? [] : [watch] });
    const prints = watch?.privatePrints() ?? null;
    const ran: CompareRan = { report, prints };
    parentPort?.postMessage(ran, prints === null ? [] : [prints.buffer]);
    return;
  }
  if (input === null) throw new Error("compare worker: events-at before run");
  const known = job.indices.map((index) => watch?.eventAt(index));
  const missing = job.indices.filter((_, k) => known[k] === undefined);
  const replayed = replayEventsAt(input, timing, missing);
  const answer: CompareEvents = {
    events: job.indices.map((index, k) => known[k] ?? replayed.get(index) ?? null),
  };
  parentPort?.postMessage(answer);
});
