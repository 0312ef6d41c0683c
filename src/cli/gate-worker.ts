/**
 * A worker thread of `aftershock gate --jobs N`: rebuilds every scenario and scheduler from the
 * same text and paths as the main thread, then runs what it is sent, one batch at a time.
 */
import { parentPort, workerData } from "node:worker_threads";
import { answerMayGo, forwardStrayErrors, forwardStrayExits } from "../explore/thread-strays.js";
import { CliError, EXIT } from "./errors.js";
import {
  type FromWorker,
  type GateRunnerInit,
  prepareRunnables,
  runHere,
  ThreadRuns,
  type ToWorker,
} from "./gate-runner.js";

const port = (() => {
  if (parentPort === null) throw new Error("gate-worker.js runs as a worker thread only");
  return parentPort;
})();

const send = (message: FromWorker) => port.postMessage(message);
const failed = (id: number | null, error: unknown): FromWorker =>
  error instanceof CliError
    ? { kind: "failed", id, message: error.message, exitCode: error.exitCode, problems: error.problems }
    : {
        kind: "failed",
        id,
        message: `internal error in a gate worker: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        exitCode: EXIT.internal,
      };

// A module's process.exit, from its top-level code on, is the main thread's to say.
forwardStrayExits();
// Loading, without a top-level await: Node 20 aborts the whole process (a V8 check in
// `ExecuteAsyncModule`, nodejs/node#43182) when a thread is terminated while its entry module
// waits at one, and the runner terminates every thread when one fails, some perhaps still loading.
void prepareRunnables(workerData as GateRunnerInit)
  .then(serve)
  .catch((error: unknown) => {
    send(failed(null, onThisThread(error)));
  });

/** Runs what the runner sends, on the scenarios and schedulers built here. */
function serve(runnables: Awaited<ReturnType<typeof prepareRunnables>>): void {
  // A module's promise or timer that throws outside the simulation is the main thread's to say.
  forwardStrayErrors();
  const runs = new ThreadRuns((run) => runHere(runnables, run, () => performance.now()));
  port.on("message", async (message: ToWorker) => {
    // In the batch's order, on this thread's one instance of each module (see threadBatches).
    // The pool sends the next batch once this one is answered: no two batches overlap.
    for (const { id, run } of message.batch) {
      let result: ReturnType<typeof runs.run>;
      try {
        result = runs.run(run);
      } catch (error) {
        send(failed(id, error));
        return;
      }
      // Not while a stray of the run's module is on its way to the main thread.
      if (!(await answerMayGo())) return;
      send({ kind: "result", id, result });
    }
  });
  send({ kind: "ready" });
}

/**
 * A module that loaded on the main thread (the gate checks each there first) but throws as it
 * loads here: a call at its top level that worker threads do not support (`process.chdir`, a
 * native addon that is not context-aware). Said so, with what to do: the gate runs every module
 * on worker threads (a fresh one for the determinism check, and so that a cancel is answered).
 */
function onThisThread(error: unknown): unknown {
  if (
    !(error instanceof CliError) ||
    !/: the scheduler module (threw while loading|threw as its export was read)/.test(error.message)
  )
    return error;
  return new CliError(
    `${error.message} (on a worker thread, where the gate runs scheduler modules, though it loaded on the main thread: a module must not call what worker threads do not support, such as process.chdir)`,
    error.exitCode,
    error.problems,
  );
}
