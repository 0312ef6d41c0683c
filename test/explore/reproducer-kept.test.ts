// Shows that a reproducer whose shrink did not run to its end (interrupted, out of budget, not shrunk) never replaces the same exploration's earlier reproducer of that failure shrunk further: the earlier one is kept, and the report names it.
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type ExploreCommandOptions,
  exploreCommand,
  type InterruptSignal,
} from "../../src/cli/commands/explore.js";
import { sealReproducer } from "../../src/cli/commands/explore-out.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { once } from "../cli/once.js";
import { capturingContext, cli, onFirstErr, tmp } from "./cli-helpers.js";

const buggy = ["explore", "--generated", "--variant", "buggy", "--runs", "4", "--jobs", "1"];
/** A small world whose buggy run cascades, explored by its seeds. */
const TINY = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");

async function explored(...argv: string[]) {
  const r = await cli(...argv, "--json");
  expect(r.code, r.err).toBe(1);
  return { err: r.err, failure: (JSON.parse(r.out) as ExploreReport).failures[0] };
}

/** Explore in this thread, interrupted (SIGTERM, as `timeout` sends) as soon as a run has failed. */
async function interruptedAtFirstFailure(options: ExploreCommandOptions) {
  const { ctx, captured } = capturingContext();
  let fire: (signal?: InterruptSignal) => void = () => {};
  const watched = onFirstErr(ctx, /^aftershock explore: run \d+ \(seed \d+\) failed /m, () =>
    setImmediate(() => fire("SIGTERM")),
  );
  const code = await exploreCommand(watched, undefined, options, (handler) => {
    fire = handler;
    return () => {};
  });
  return captured(code);
}

/** `buggy` explored, shrunk, into a fresh --out: once for the file, copied for each test that reruns over it. */
const firstBuggy = once(async () => {
  const out = tmp();
  return { out, ...(await explored(...buggy, "--out", out)) };
});

/** A fresh --out holding the first exploration of `buggy`, and its failure. */
async function exploredBuggy() {
  const { out: written, failure } = await firstBuggy();
  const out = tmp();
  cpSync(written, out, { recursive: true });
  return { out, first: { failure: { ...failure, reproducer: failure.reproducer!.replace(written, out) } } };
}

describe("a rerun whose shrink did not run to its end", () => {
  it("keeps the earlier reproducer shrunk further, and reports it as the failure's reproducer", async () => {
    const { out, first } = await exploredBuggy();
    const file = first.failure.reproducer!;
    expect(first.failure.shrink?.steps).toBeGreaterThan(0);
    const text = readFileSync(file, "utf8");
    const again = await explored(...buggy, "--out", out, "--shrink-runs", "0");
    expect(again.failure.shrink).toBeNull();
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(again.failure.reproducer).toBe(file);
    expect(again.failure.replay).toBe(`aftershock run ${file}`);
    // What `aftershock run` of the file replays: the earlier reproducer's seed and trace.
    expect(again.failure.reproducerTraceHash).toBe(first.failure.reproducerTraceHash);
    expect(again.failure.reproducerSeed).toBe(first.failure.reproducerSeed);
    expect(again.failure.reproducerKept).toMatch(
      /shrunk further \(\d+ steps; this exploration did not shrink it\)/,
    );
    expect(again.err).toContain(`kept ${file}, `);
    expect(again.err).not.toContain(`replaced ${file}`);
    const human = await cli(...buggy, "--out", out, "--shrink-runs", "0");
    expect(human.out).toContain(`    reproducer ${file}\n`);
    expect(human.out).toContain(
      "    kept: an earlier exploration's reproducer of this failure, shrunk further",
    );
  });

  it("keeps it when Ctrl-C (or SIGTERM) cuts the rerun's shrink short", async () => {
    const out = tmp();
    const options = { generated: true, variant: "buggy", runs: "10", jobs: "1", out, json: true };
    const first = await explored(...buggy.slice(0, -4), "--runs", "10", "--jobs", "1", "--out", out);
    const file = first.failure.reproducer!;
    const text = readFileSync(file, "utf8");
    const r = await interruptedAtFirstFailure(options);
    expect(r.code, r.err).toBe(143);
    const failure = (JSON.parse(r.out) as ExploreReport).failures[0];
    expect(failure.run).toBe(first.failure.run);
    expect(failure.shrink?.cutBy).toBe("interrupted");
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(failure.reproducer).toBe(file);
    expect(failure.reproducerKept).toMatch(/this exploration's shrink was interrupted after 0\)/);
    expect(r.err).not.toContain(`replaced ${file}`);
  });

  it("replaces it when what ran changed since (an edited module): the earlier one is of other code", async () => {
    const dir = tmp();
    const module = join(dir, "mine.mjs");
    copyFileSync(join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs"), module);
    // Seed 3's first generated world fails the planted bug: one run finds the failure.
    const args = [
      "explore",
      "--generated",
      "--scheduler",
      module,
      "--seed",
      "3",
      "--runs",
      "1",
      "--jobs",
      "1",
    ];
    const out = join(dir, "repro");
    const first = await explored(...args, "--shrink-runs", "5", "--out", out);
    // Shrunk further than the rerun's unshrunk failure: kept, were the code the same.
    expect(first.failure.shrink?.steps).toBeGreaterThan(0);
    const file = first.failure.reproducer!;
    writeFileSync(module, `${readFileSync(module, "utf8")}\n// edited\n`);
    const again = await explored(...args, "--shrink-runs", "0", "--out", out);
    expect(again.failure.reproducer).toBe(file);
    expect(again.failure.reproducerKept).toBeNull();
    expect(again.err).toContain(`replaced ${file}`);
  });

  it("replaces a bundled variant's reproducer written by another version of aftershock: other code", async () => {
    const { out, first } = await exploredBuggy();
    const file = first.failure.reproducer!;
    const text = readFileSync(file, "utf8");
    // A bundled variant's code is aftershock's own: its version stands for the exploration's inputs.
    expect(text).toMatch(/^# target digest aftershock@\d+\.\d+\.\d+\S*$/m);
    // A scenario's exploration records its digest and the version both.
    const scenarioRun = await explored(
      "explore",
      TINY,
      "--variant",
      "buggy",
      "--runs",
      "2",
      "--jobs",
      "1",
      "--out",
      out,
    );
    expect(readFileSync(scenarioRun.failure.reproducer!, "utf8")).toMatch(
      /^# target digest sha256:[0-9a-f]{64}\+aftershock@\d+\.\d+\.\d+\S*$/m,
    );
    // As another version wrote it, sealed as it would have sealed it.
    const unsealed = text.replace(/^# digest [^\n]*\n/m, "");
    const older = unsealed.replace(/^# target digest \S+$/m, "# target digest aftershock@0.0.1");
    writeFileSync(file, sealReproducer(older));
    const again = await explored(...buggy, "--out", out, "--shrink-runs", "0");
    expect(again.failure.reproducer).toBe(file);
    expect(again.failure.reproducerKept).toBeNull();
    expect(again.err).toContain(`replaced ${file}`);
  });
});
