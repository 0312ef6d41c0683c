// Shows that once Ctrl-C is pressed, explore runs a long world (`longRun`) no more: its failure is written in its original world, marked not replayed, whether the signal came as the search found it or as its shrink began.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ExploreCommandOptions,
  exploreCommand,
  type InterruptSignal,
} from "../../src/cli/commands/explore.js";
import { capturingContext, onFirstErr, tmp } from "./cli-helpers.js";

const ROOT = join(import.meta.dirname, "../..");

/**
 * The Kubernetes-defaults scenario with 20,000 accounts whose schedules fire once a day, never in
 * its 15 minutes: long by `longRun` (50,000 schedules × 15 minutes), yet a run takes under a
 * second, as only the deleted account's schedules fire. Its buggy variant cascades.
 */
function longWorld(dir: string): string {
  const text = readFileSync(join(ROOT, "scenarios/qstash-2026-05-08-k8s-large.yaml"), "utf8")
    .replace(/^ {2}accounts: 400$/m, "  accounts: 20000")
    .replace(/^duration: 35m$/m, "duration: 15m")
    .replace(/^ {2}cron:\n(?: {4}- .*\n)+/m, '  cron:\n    - { expr: "0 0 * * *", weight: 1 }\n')
    .replace(/^ {2}- \{ at: "10:06:00".*\n/m, "");
  expect(text).toContain("accounts: 20000");
  expect(text).toContain('"0 0 * * *"');
  expect(text).not.toContain('"10:06:00"');
  const file = join(dir, "long.yaml");
  writeFileSync(file, text);
  return file;
}

/** Runs explore in this thread and calls its Ctrl-C handler as soon as stderr matches `when`. */
async function interruptWhen(when: RegExp, scenario: string, options: ExploreCommandOptions) {
  const { ctx, captured } = capturingContext();
  let fire: (signal?: InterruptSignal) => void = () => {};
  let fired = false;
  // At once, not on a later turn of the event loop: before the next run begins.
  const watched = onFirstErr(ctx, when, () => {
    fired = true;
    fire("SIGINT");
  });
  const code = await exploreCommand(watched, scenario, options, (handler) => {
    fire = handler;
    return () => {};
  });
  expect(fired).toBe(true);
  return captured(code);
}

function onlyReproducer(out: string): string {
  const files = readdirSync(out).filter((f) => f.endsWith(".yaml"));
  expect(files).toHaveLength(1);
  return readFileSync(join(out, files[0]), "utf8");
}

describe("explore interrupted in a long world", () => {
  // Named: the default list leaves out no-cascade, which the scenario expects buggy to fail.
  const options = { variant: "buggy", jobs: "1", runs: "2", properties: "no-cascade" } as const;

  it("Ctrl-C as the search finds the failure: written in its original world, not replayed", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    const r = await interruptWhen(/ failed no-cascade/, longWorld(dir), { ...options, out });
    expect(r.code, r.err).toBe(130);
    expect(r.out).toContain("not shrunk: interrupted before its shrink began");
    expect(onlyReproducer(out)).toMatch(/^# NOT EXACT: not replayed/m);
  });

  it("Ctrl-C as the shrink begins: the failure's original world is written all the same", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    const r = await interruptWhen(/shrinking the no-cascade failure/, longWorld(dir), { ...options, out });
    expect(r.code, r.err).toBe(130);
    expect(r.out).toContain("not shrunk: interrupted before its shrink began");
    expect(r.out).toContain("reproducer ");
    expect(onlyReproducer(out)).toMatch(/^# NOT EXACT: not replayed/m);
  });
});
