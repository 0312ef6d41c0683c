import type { TimedFault } from "../faults/schedule.js";
import type { ActionSpec, SchedulerChoice, TimedAction, WorldConfig } from "../world/config.js";
import type { CompiledScenario } from "./compiled.js";
import { jsValueText } from "./issue.js";
import { checkScenarioValues } from "./scenario-values.js";
import type { FaultSpec, Scenario, SchedulerSpec, TimelineAction } from "./types.js";

export {
  applyVariant,
  asOwnVariant,
  type CompiledScenario,
  checkSeed,
  withEnd,
  withSeed,
} from "./compiled.js";

/**
 * The name a user scheduler module is registered under, and that the trace and the report show:
 * `module:` and its path relative to the scenario's folder, as a scenario writes it. The path is
 * normalised (`x.mjs`, `./x.mjs` and `lib/../x.mjs` are all `module:./x.mjs`) so that one file has
 * one name, and with it one trace hash, however it was spelled. An absolute path stays one here:
 * the CLI and the API, which know where the scenario is, first make it relative
 * (`scenarioModuleName` of explore/module-naming.ts).
 */
export function moduleSchedulerName(modulePath: string): string {
  return `module:${normaliseModulePath(modulePath)}`;
}

/** A `/`-separated path without `.` or inner `..` steps; relative ones start with `./` or `../`. */
export function normaliseModulePath(path: string): string {
  const absolute = path.startsWith("/");
  const steps: string[] = [];
  for (const step of path.split("/")) {
    if (step === "" || step === ".") continue;
    if (step === ".." && steps.length > 0 && steps[steps.length - 1] !== "..") steps.pop();
    else if (step !== ".." || !absolute) steps.push(step);
  }
  const joined = steps.join("/");
  if (absolute) return `/${joined}`;
  return steps[0] === ".." ? joined : `./${joined}`;
}

/**
 * The name a scenario's scheduler module is registered and traced under, from its `module` as
 * written. Only the caller knows where the scenario's file is: the CLI and the API name a module
 * by its path from the scenario's folder however it is spelled (an absolute path too),
 * `moduleSchedulerName` (the default) normalises the path as written.
 */
export type ModuleNaming = (module: string) => string;

/** The scheduler choice a scheduler spec stands for. */
export function schedulerChoiceOf(
  spec: SchedulerSpec,
  moduleName: ModuleNaming = moduleSchedulerName,
): SchedulerChoice {
  const name = spec.kind === "builtin" ? spec.version : moduleName(spec.module);
  return { name, fixes: [...spec.fixes] };
}

/** User scheduler modules a scenario names (its own and in deploys), as written. */
export function schedulerModulesOf(scenario: Scenario): string[] {
  const out = new Set<string>();
  if (scenario.scheduler.kind === "module") out.add(scenario.scheduler.module);
  for (const a of scenario.timeline)
    if (a.action === "deploy" && a.scheduler.kind === "module") out.add(a.scheduler.module);
  return [...out];
}

/**
 * Turns a parsed scenario into a world configuration. Timeline actions and faults keep the
 * document's order for equal times (the kernel breaks ties by scheduling order). The Scenario's
 * values are checked first, as a scenario file's are (`checkScenarioValues`: a TypeError or a
 * RangeError naming each bad field), since one varied in code (`{ ...sc, sloMs: 0 }`) has
 * passed no parser.
 */
export function compileScenario(
  scenario: Scenario,
  moduleName: ModuleNaming = moduleSchedulerName,
): CompiledScenario {
  checkParsed(scenario);
  checkScenarioValues(scenario);
  return compileParsedScenario(scenario, moduleName);
}

/**
 * `compileScenario` without checking the values again, for a Scenario `parseScenario` (or
 * `compileDocument`) has just given, whose document passed the same checks: the CLI's and
 * explore's, where a generated world's compile is on the hot path.
 */
export function compileParsedScenario(
  scenario: Scenario,
  moduleName: ModuleNaming = moduleSchedulerName,
): CompiledScenario {
  const s = scenario;
  const config: WorldConfig = {
    name: s.name,
    seed: s.seed,
    startMs: s.startMs,
    durationMs: s.durationMs,
    fleet: {
      workers: s.fleet.workers,
      partitions: s.fleet.partitions,
      leaseTtlMs: s.fleet.leaseTtlMs,
      heartbeatMs: s.fleet.heartbeatMs,
      rebalanceIntervalMs: s.fleet.rebalanceIntervalMs,
      startupTimeMs: s.fleet.startupTimeMs,
      concurrency: s.fleet.concurrency,
      supervisor: { ...s.fleet.supervisor },
      shutdownGraceMs: s.fleet.shutdownGraceMs,
    },
    scheduler: schedulerChoiceOf(s.scheduler, moduleName),
    schedulerOptions: { ...s.scheduler.options },
    store: { latencyMs: s.store.latencyMs, failureRate: s.store.failureRate },
    workload: {
      accounts: s.workload.accounts,
      schedulesPerAccount: { ...s.workload.schedulesPerAccount },
      cron: s.workload.cron.map((c) => ({ expr: c.expr, weight: c.weight })),
      destination: { ...s.workload.destination },
      retries: s.workload.retries,
      named: s.workload.named.map((a) => ({
        id: a.id,
        schedules: a.schedules.map((x) => ({
          id: x.id,
          cron: x.cron,
          destination: x.destination ?? undefined,
        })),
      })),
    },
    timeline: sortByTime(s.timeline).map((a) => compileAction(a, moduleName)),
    sloMs: s.sloMs,
    sampleIntervalMs: s.sampleIntervalMs,
    alerts: s.alerts.map((a) => ({ ...a })),
    limits: { maxEvents: s.limits.maxEvents, wallBudgetMs: s.limits.wallBudgetMs },
  };
  return {
    config,
    faults: sortByTime(s.faults).map(compileFault),
    description: s.description,
    sources: s.sources,
    assumptions: s.assumptions,
    variantName: null,
  };
}

/**
 * Throws a TypeError unless `scenario` is a parsed Scenario (what `parseScenario` gives as
 * `scenario`): from JavaScript, its result whole or a scenario document (a file's data, as the
 * generators make) are easy slips, said as such rather than as a field missing in the compiler.
 */
export function checkParsed(
  scenario: unknown,
  field = "scenario",
  expected = "a parsed Scenario",
): asserts scenario is Scenario {
  if (scenario !== null && typeof scenario === "object" && "source" in scenario && "startMs" in scenario)
    return;
  throw new TypeError(`${field}: expected ${expected}, found ${givenText(scenario)}`);
}

/** What was given for a scenario, and what to pass in its place. */
function givenText(given: unknown): string {
  // Quoted and cut short, as explore says a plan's base: a whole file pasted would bury the message.
  if (typeof given === "string")
    return `text (${jsValueText(given)}): parse it (parseScenario), or run it with runScenario`;
  if (given === null || typeof given !== "object") return jsValueText(given);
  if (given instanceof Uint8Array)
    return `${jsValueText(given)}: read the file as text, readFileSync(path, "utf8")`;
  // compileDocument's result has a `scenario` too: it is told apart by its `compiled` (or `problems`).
  if ("ok" in given && ("compiled" in given || "problems" in given))
    return "compileDocument's result: pass its `scenario` (when `ok`)";
  if ("ok" in given && ("scenario" in given || "issues" in given))
    return "parseScenario's result: pass its `scenario` (when `ok`)";
  if ("config" in given) return "a compiled scenario: run it (runWorld), it is compiled already";
  if ("start" in given || "fleet" in given)
    return "a scenario document (a file's data): pass generators.compileDocument(doc).scenario (when `ok`), or parseScenario of its text";
  return `an object with ${
    Object.keys(given)
      .slice(0, 6)
      .map((k) => `\`${k}\``)
      .join(", ") || "no fields"
  }`;
}

function sortByTime<T extends { readonly atMs: number }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => a.item.atMs - b.item.atMs || a.index - b.index)
    .map((x) => x.item);
}

function compileAction(a: TimelineAction, moduleName: ModuleNaming): TimedAction {
  return { ...actionOf(a, moduleName), atMs: a.atMs };
}

function actionOf(a: TimelineAction, moduleName: ModuleNaming): ActionSpec {
  switch (a.action) {
    case "delete-account":
    case "create-account":
      return { action: a.action, account: a.account };
    case "create-schedule":
      return {
        action: "create-schedule",
        schedule: a.schedule,
        account: a.account,
        cron: a.cron,
        destination: a.destination ?? undefined,
      };
    case "delete-schedule":
    case "quarantine-schedule":
      return { action: a.action, schedule: a.schedule };
    case "pause-schedule":
      return { action: "pause-schedule", schedule: a.schedule, paused: a.paused };
    case "deploy": {
      const choice = schedulerChoiceOf(a.scheduler, moduleName);
      const { options } = a.scheduler;
      return {
        action: "deploy",
        scheduler: choice.name,
        fixes: choice.fixes,
        stepDelayMs: a.stepDelayMs,
        ...(Object.keys(options).length > 0 ? { options: { ...options } } : {}),
        ...(a.bundled === true ? { bundled: true } : {}),
      };
    }
    case "kill-worker":
    case "restart-worker":
      return { action: a.action, worker: a.worker };
    case "pause-worker":
      return { action: "pause-worker", worker: a.worker, durationMs: a.durationMs };
    case "scale":
      return { action: "scale", workers: a.workers };
  }
}

function compileFault(f: FaultSpec): TimedFault {
  switch (f.fault) {
    case "kill-worker":
      return { atMs: f.atMs, fault: f.fault, worker: f.worker };
    case "pause-worker":
      return { atMs: f.atMs, fault: f.fault, worker: f.worker, durationMs: f.durationMs };
    case "store-latency":
      return { atMs: f.atMs, fault: f.fault, durationMs: f.durationMs, latencyMs: f.latencyMs };
    case "store-outage":
      return { atMs: f.atMs, fault: f.fault, durationMs: f.durationMs };
    case "clock-skew":
      return {
        atMs: f.atMs,
        fault: f.fault,
        worker: f.worker,
        skewMs: f.skewMs,
        durationMs: f.durationMs ?? undefined,
      };
    case "inject-panic":
      return {
        atMs: f.atMs,
        fault: f.fault,
        point: f.point,
        schedule: f.schedule ?? undefined,
        account: f.account ?? undefined,
        probability: f.probability,
        count: f.count,
      };
    case "hang":
      return { atMs: f.atMs, fault: f.fault, schedule: f.schedule, durationMs: f.durationMs ?? undefined };
    case "http-errors":
      return {
        atMs: f.atMs,
        fault: f.fault,
        durationMs: f.durationMs,
        rate: f.rate,
        status: f.status,
        account: f.account ?? undefined,
      };
    case "http-timeouts":
      return {
        atMs: f.atMs,
        fault: f.fault,
        durationMs: f.durationMs,
        rate: f.rate,
        account: f.account ?? undefined,
      };
  }
}
