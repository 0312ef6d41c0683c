// What merge.test.ts and its long tier share: a shard of a scenario file explored and its --json report saved, a scenario written, a refused merge.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { ScenarioDocument } from "../../src/explore/generate/document.js";
import { documentYaml } from "../../src/explore/generate/document-yaml.js";
import { cli, tmp } from "./cli-helpers.js";

/**
 * Explores one shard of the scenario file `file` and saves its --json report; returns the
 * report's path. `codes`: the exit codes expected (a module's runs may fail: exit 1); `extra`:
 * more arguments.
 */
export async function shard(
  file: string,
  which: string,
  report: string,
  codes = [0],
  extra: string[] = [],
): Promise<string> {
  const r = await cli(
    "explore",
    file,
    "--runs",
    "2",
    "--jobs",
    "1",
    "--shard",
    which,
    "--json",
    "--out",
    tmp(),
    ...extra,
  );
  expect(codes, r.err).toContain(r.code);
  writeFileSync(report, r.out);
  return report;
}

export function writeScenario(dir: string, doc: ScenarioDocument): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "s.yaml");
  writeFileSync(file, documentYaml(doc));
  return file;
}

/** Merging the reports `one` and `two` is refused: their scenario content differs (exit 2, nothing printed). */
export async function expectContentDiffers(one: string, two: string): Promise<void> {
  const merged = await cli("merge", one, two);
  expect(merged.code).toBe(2);
  expect(merged.out).toBe("");
  expect(merged.err).toContain(
    `${two} explores something else than ${one}: scenario content, its scheduler modules or the files they import (digest`,
  );
}
