/**
 * A worker thread of the parallel compare: runs one variant and returns its report with the
 * behaviour prints, or replays it to return the event at one trace position.
 */
import { parentPort, workerData } from "node:worker_threads";
import { PrintRecorder, replayEventAt } from "./compare.js";
import { type RunInput, runWorld } from "./run.js";

export type CompareJob =
  | { readonly kind: "run"; readonly input: RunInput }
  | { readonly kind: "event-at"; readonly input: RunInput; readonly index: number };

const job = workerData as CompareJob;
if (job.kind === "run") {
  const recorder = new PrintRecorder();
  const { report } = runWorld(job.input, { sinks: [recorder] });
  const prints = recorder.prints.slice(0, recorder.length);
  const times = recorder.times.slice(0, recorder.length);
  parentPort?.postMessage({ report, prints, times }, [prints.buffer, times.buffer]);
} else {
  parentPort?.postMessage({ event: replayEventAt(job.input, {}, job.index) });
}
