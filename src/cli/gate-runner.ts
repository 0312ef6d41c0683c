/**
 * Where the gate's runs happen: in this thread, or in a pool of worker threads (`--jobs N`).
 * Either way each run is `executeGateRun` on inputs rebuilt from the scenario text, and the
 * results come back in the plan's order, whatever order they finish in.
 */
import { existsSync } from "node:fs";
import { dirname } from "node:path";
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
import type { SchedulerSubstitution } from "../explore/gate-scheduler.js";
import { compileScenario, moduleSchedulerName, schedulerModulesOf } from "../scenario/compile.js";
import { formatIssues, parseScenario } from "../scenario/index.js";
import { bundledSchedulers } from "../schedulers/index.js";
import type { SchedulerFactory } from "../world/runtime.js";
import type { SchedulerRegistry } from "../world/world.js";
import { CliError } from "./errors.js";
import { loadSchedulerModule } from "./load.js";

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
}

export interface Runnables {
  readonly scenarios: readonly RunnableScenario[];
  readonly substitution: SchedulerSubstitution | null;
}

/** Parses every scenario and loads every scheduler module (bad input: CliError, exit 2). */
export async function prepareRunnables(init: GateRunnerInit): Promise<Runnables> {
  let substitute: { sub: SchedulerSubstitution; factory: SchedulerFactory } | null = null;
  if (init.schedulerModule !== null) {
    const factory = await loadSchedulerModule(init.schedulerModule, init.cwd);
    const sub = {
      name: moduleSchedulerName(init.schedulerModule),
      path: init.schedulerModule,
      fixes: [...factory.fixes],
    };
    substitute = { sub, factory };
  }
  const modules = new Map<string, SchedulerFactory>();
  const scenarios: RunnableScenario[] = [];
  for (const { file, text } of init.scenarios) {
    const parsed = parseScenario(text, file);
    if (!parsed.ok) throw new CliError(formatIssues(parsed.issues));
    const schedulers = bundledSchedulers();
    for (const modulePath of schedulerModulesOf(parsed.scenario)) {
      const key = `${dirname(file)}\u0000${modulePath}`;
      let factory = modules.get(key);
      if (!factory) {
        factory = await loadSchedulerModule(modulePath, dirname(file));
        modules.set(key, factory);
      }
      schedulers.set(moduleSchedulerName(modulePath), factory);
    }
    if (substitute) schedulers.set(substitute.sub.name, substitute.factory);
    scenarios.push({
      gs: { file, scenario: parsed.scenario, compiled: compileScenario(parsed.scenario) },
      schedulers,
    });
  }
  return { scenarios, substitution: substitute?.sub ?? null };
}

/** Runs one planned run in this thread. */
export function runHere(r: Runnables, run: GateRun, now: () => number): GateRunResult {
  const target = r.scenarios[run.scenario];
  const input = gateRunInput(target.gs, run, r.substitution);
  return executeGateRun(input, run.role, { schedulers: target.schedulers, wallClock: now }, now);
}

/** Runs a variant twice more, in lockstep, to find where its runs diverge. */
export function locateHere(r: Runnables, scenario: number, variant: string) {
  const target = r.scenarios[scenario];
  const input = gateRunInput(target.gs, { variant, seed: target.gs.compiled.config.seed }, r.substitution);
  return findDivergence(input, { schedulers: target.schedulers });
}

/** The worker entry, when built (running from source there is none: runs stay in this thread). */
export function workerEntry(): URL | null {
  const url = new URL("./gate-worker.js", import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** Messages between the pool and its workers. */
export type ToWorker = { readonly id: number; readonly run: GateRun };
export type FromWorker =
  | { readonly kind: "ready" }
  | { readonly kind: "result"; readonly id: number; readonly result: GateRunResult }
  | {
      readonly kind: "failed";
      readonly id: number | null;
      readonly message: string;
      readonly exitCode: number;
    };

/**
 * Runs the plan on `jobs` worker threads; results in plan order. A run that throws, or a
 * worker that dies, fails the whole gate (an internal error, or bad input found in a worker).
 */
export function runInPool(
  entry: URL,
  init: GateRunnerInit,
  runs: readonly GateRun[],
  jobs: number,
  onDone: (done: number) => void,
): Promise<GateRunResult[]> {
  const results: GateRunResult[] = new Array(runs.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  return new Promise<GateRunResult[]>((resolvePool, rejectPool) => {
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      void Promise.all(workers.map((w) => w.terminate())).then(() =>
        error ? rejectPool(error) : resolvePool(results),
      );
    };
    const feed = (worker: Worker) => {
      if (next >= runs.length) return;
      const id = next++;
      worker.postMessage({ id, run: runs[id] } satisfies ToWorker);
    };
    const count = Math.max(1, Math.min(jobs, runs.length));
    for (let i = 0; i < count; i++) {
      const worker = new Worker(entry, { workerData: init });
      workers.push(worker);
      worker.on("message", (message: FromWorker) => {
        if (message.kind === "ready") {
          feed(worker);
        } else if (message.kind === "result") {
          results[message.id] = message.result;
          done++;
          onDone(done);
          if (done === runs.length) finish(null);
          else feed(worker);
        } else {
          finish(new CliError(message.message, message.exitCode));
        }
      });
      worker.on("error", (error) => finish(error));
      worker.on("exit", (code) => {
        if (!settled && code !== 0) finish(new Error(`a gate worker exited with code ${code}`));
      });
    }
    if (runs.length === 0) finish(null);
  });
}
