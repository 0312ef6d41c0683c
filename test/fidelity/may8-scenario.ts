// Loads the bundled May 8 scenario for the fidelity tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runWorld } from "../../src/explore/run.js";
import { CollectSink, type TraceEvent } from "../../src/kernel/index.js";
import { type CompiledScenario, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario, type Scenario } from "../../src/scenario/index.js";

export const MAY8_PATH = join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml");

export function loadMay8(): { scenario: Scenario; compiled: CompiledScenario } {
  const parsed = parseScenario(readFileSync(MAY8_PATH, "utf8"), MAY8_PATH);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("\n"));
  return { scenario: parsed.scenario, compiled: compileScenario(parsed.scenario) };
}

export const at = (hhmmss: string) => Date.parse(`2026-05-08T${hhmmss}Z`);

/** Every trace event of the buggy May 8 replay until 10:00: the cascade, without the recovery. */
export function may8CascadeEvents(): TraceEvent[] {
  const { compiled } = loadMay8();
  const config = { ...compiled.config, durationMs: 30 * 60_000 };
  const collect = new CollectSink();
  runWorld({ ...compiled, config }, { sinks: [collect] });
  return collect.events;
}
