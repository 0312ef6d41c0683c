/**
 * A worker thread of the parallel compare. It waits for a `run` message, runs that variant and
 * answers with its report and behaviour prints, keeping the run's events (up to a bound); then
 * it answers `event-at` messages from the kept events, or by replaying the run when it kept
 * none, until the compare closes it.
 */
import { parentPort } from "node:worker_threads";
import { EventKeeper, KEPT_EVENTS_MAX, PrintRecorder, replayEventAt } from "./compare.js";
import { type RunInput, runWorld } from "./run.js";

export type CompareJob =
  | {
      readonly kind: "run";
      readonly input: RunInput;
      /** Events to keep at most (default `KEPT_EVENTS_MAX`); 0 replays for every `event-at`. */
      readonly keep?: number;
    }
  | { readonly kind: "event-at"; readonly index: number };

let input: RunInput | null = null;
let keeper: EventKeeper | null = null;

parentPort?.on("message", (job: CompareJob) => {
  if (job.kind === "run") {
    input = job.input;
    keeper = new EventKeeper(job.keep ?? KEPT_EVENTS_MAX);
    const recorder = new PrintRecorder();
    const { report } = runWorld(job.input, { sinks: [recorder, keeper] });
    const prints = recorder.prints.slice(0, recorder.length);
    const times = recorder.times.slice(0, recorder.length);
    parentPort?.postMessage({ report, prints, times }, [prints.buffer, times.buffer]);
    return;
  }
  if (input === null) throw new Error("compare worker: event-at before run");
  const kept = keeper?.events ?? null;
  const event = kept !== null ? (kept[job.index] ?? null) : replayEventAt(input, {}, job.index);
  parentPort?.postMessage({ event });
});
