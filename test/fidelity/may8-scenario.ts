// Loads the bundled May 8 scenario for the fidelity tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type CompiledScenario, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario, type Scenario } from "../../src/scenario/index.js";

export const MAY8_PATH = join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml");

export function loadMay8(): { scenario: Scenario; compiled: CompiledScenario } {
  const parsed = parseScenario(readFileSync(MAY8_PATH, "utf8"), MAY8_PATH);
  if (!parsed.ok) throw new Error(parsed.issues.map((i) => i.message).join("\n"));
  return { scenario: parsed.scenario, compiled: compileScenario(parsed.scenario) };
}

export const at = (hhmmss: string) => Date.parse(`2026-05-08T${hhmmss}Z`);
