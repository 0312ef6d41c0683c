import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { TraceEvent } from "../kernel/index.js";
import type { RunReport } from "../report/run-report.js";
import { type Comparison, compareRuns, type Divergence, firstDifference } from "./compare.js";
import type { CompareJob } from "./compare-worker.js";
import type { RunInput, RunOptions } from "./run.js";

/** The compiled worker module, from where this module runs (dist/ when run from source). */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(".js")) return join(dirname(here), "compare-worker.js");
  return resolve(dirname(here), "../../dist/src/explore/compare-worker.js");
}

function inWorker<T>(file: string, job: CompareJob): Promise<T> {
  return new Promise((done, fail) => {
    const worker = new Worker(file, { workerData: job });
    worker.once("message", (message: T) => {
      done(message);
      void worker.terminate();
    });
    worker.once("error", fail);
    worker.once("exit", (code) => {
      if (code !== 0) fail(new Error(`compare worker exited with code ${code}`));
    });
  });
}

/**
 * `compareRuns` with each variant on its own worker thread: the same reports and divergence,
 * in about the time of the slowest run. Only for bundled schedulers and no extra sinks (a
 * sink lives in this thread); otherwise, or when the compiled worker is missing, it runs here.
 */
export async function compareRunsParallel(
  inputs: readonly RunInput[],
  options: RunOptions = {},
): Promise<Comparison> {
  const file = workerFile();
  const custom =
    options.schedulers !== undefined && [...options.schedulers.keys()].some((k) => k !== "v1" && k !== "v2");
  if (inputs.length < 2 || (options.sinks?.length ?? 0) > 0 || custom || !existsSync(file)) {
    return compareRuns(inputs, options);
  }
  type Ran = { report: RunReport; prints: Uint32Array; times: Float64Array };
  const runs = await Promise.all(inputs.map((input) => inWorker<Ran>(file, { kind: "run", input })));
  const reports = runs.map((r) => r.report);
  const index = firstDifference(runs[0].prints, runs[1].prints);
  if (index < 0) return { reports, divergence: null };
  const eventAt = (k: number) =>
    index < runs[k].prints.length
      ? inWorker<{ event: TraceEvent | null }>(file, { kind: "event-at", input: inputs[k], index }).then(
          (m) => m.event,
        )
      : Promise.resolve(null);
  const [a, b] = await Promise.all([eventAt(0), eventAt(1)]);
  const t = index < runs[0].times.length ? runs[0].times[index] : runs[1].times[index];
  const divergence: Divergence = { index, t, a, b };
  return { reports, divergence };
}
