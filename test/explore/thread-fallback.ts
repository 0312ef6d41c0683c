// The shipped example module and a copy of it that will not load on a worker thread, explored as processes of their own (the one that loads on a thread in this process too), for module-thread-fallback.test.ts and its long tier.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { cliBuilt } from "../gate/helpers.js";
import { cli, tmp } from "./cli-helpers.js";

export const dir = tmp();
const example = readFileSync(join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs"), "utf8");
/** The shipped example, and a copy that will not load on a worker thread (Node refuses chdir there). */
export const onAnyThread = join(dir, "example.mjs");
export const mainThreadOnly = join(dir, "chdir.mjs");
writeFileSync(onAnyThread, example);
writeFileSync(mainThreadOnly, `process.chdir(process.cwd());\n${example}`);

/** The arguments of an exploration of `module` into a folder of its own, and `more`. */
function exploreArgs(module: string, more: readonly string[]): string[] {
  const out = join(dir, `out-${more.join("-")}-${module.endsWith("chdir.mjs") ? "chdir" : "example"}`);
  return [
    "explore",
    "--generated",
    "--scheduler",
    module,
    "--runs",
    "12",
    // Seed 2: its fourth run fails, after three that pass on the same thread. Shrunk alike
    // wherever it runs: ten of the shrink's runs show it as well as the default 300.
    "--seed",
    "2",
    "--shrink-runs",
    "10",
    "--out",
    out,
    "--json",
    ...more,
  ];
}

/** `aftershock explore` as a process of its own: a thread's exit reaches it as it would a user's. */
export function explore(module: string, ...more: string[]): { code: number; report: ExploreReport } {
  const r = cliBuilt(exploreArgs(module, more));
  // A process ended by a signal (`code` -1: Node aborting) is a failure too, not an empty report.
  expect([0, 1], r.err).toContain(r.code);
  return { code: r.code, report: JSON.parse(r.out) as ExploreReport };
}

/**
 * `aftershock explore` in this process, for a module that loads on a worker thread: its threads
 * are the pool's, as a process of its own would start them.
 */
export async function exploreHere(
  module: string,
  ...more: string[]
): Promise<{ code: number; report: ExploreReport }> {
  const r = await cli(...exploreArgs(module, more));
  expect([0, 1], r.err).toContain(r.code);
  return { code: r.code, report: JSON.parse(r.out) as ExploreReport };
}

/**
 * What a report found, apart from how it ran: its failures' runs and kinds, and how their shrinks
 * went (not their trace hashes: a run traces its module's name, and the two files' names differ).
 */
export const findings = (report: ExploreReport) =>
  report.failures.map((f) => ({ run: f.run, kind: f.kind, shrink: f.shrink, exact: f.reproducerMismatch }));
