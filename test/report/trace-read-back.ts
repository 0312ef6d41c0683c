// Runs a variant of a scenario (the bundled May 8 one unless told) with a trace and reads the trace back with `report`.
import { basename, join } from "node:path";
import { expect } from "vitest";
import { cli } from "../gate/helpers.js";

/** `run SCENARIO --variant VARIANT --trace` into `dir`, then `report` of that trace: exit 0. */
export async function expectTraceReadBack(
  variant: string,
  dir: string,
  scenario = "qstash-2026-05-08",
): Promise<void> {
  const name = `${basename(scenario, ".yaml")}-${variant}`;
  const trace = join(dir, `${name}.jsonl`);
  const run = await cli(["run", scenario, "--variant", variant, "--trace", trace]);
  expect(run.code, run.err).not.toBe(2);
  const r = await cli(["report", trace, "-o", join(dir, `${name}.md`)]);
  expect(r.code, `${variant}: ${r.err}`).toBe(0);
}
