// Runs a variant of the bundled May 8 scenario with a trace and reads the trace back with `report`.
import { join } from "node:path";
import { expect } from "vitest";
import { cli } from "../gate/helpers.js";

/** `run qstash-2026-05-08 --variant VARIANT --trace` into `dir`, then `report` of that trace: exit 0. */
export async function expectMay8TraceReadBack(variant: string, dir: string): Promise<void> {
  const trace = join(dir, `may8-${variant}.jsonl`);
  const run = await cli(["run", "qstash-2026-05-08", "--variant", variant, "--trace", trace]);
  expect(run.code, run.err).not.toBe(2);
  const r = await cli(["report", trace, "-o", join(dir, `may8-${variant}.md`)]);
  expect(r.code, `${variant}: ${r.err}`).toBe(0);
}
