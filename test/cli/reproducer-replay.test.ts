// Shows that `run` of a reproducer explore wrote says whether it replayed the failure exactly: the trace its header records, or a warning that it did not.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, tmp } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** A reproducer's header over tiny.yaml's world, recording `hash` as the trace its replay gives. */
function reproducer(dir: string, name: string, hash: string, signature = true): string {
  const file = join(dir, name);
  const header = [
    ...(signature ? ["# aftershock explore reproducer: no-cascade (run 1, seed 5)"] : ["# my notes"]),
    `# trace hash ${hash}`,
    `# replay: aftershock run ${name}`,
  ];
  writeFileSync(file, `${header.join("\n")}\n${readFileSync(TINY, "utf8")}`);
  return file;
}

describe("run of an explore reproducer", () => {
  let dir: string;
  let traceHash: string;
  let quietLine: string;
  beforeAll(async () => {
    dir = tmp();
    const r = await cli("run", TINY, "--quiet");
    expect(r.code).toBe(0);
    traceHash = /trace (\w+),/.exec(r.out)![1];
    quietLine = r.out;
  });

  it("says it replayed exactly when it gives the trace its header records", async () => {
    const file = reproducer(dir, "exact.yaml", traceHash);
    const r = await cli("run", file);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toContain(`Replays the reproducer exactly: trace ${traceHash}, as its header records`);
    // Its Reproduce line names the variant: run as it says, it is still the reproducer's replay.
    const asSaid = await cli("run", file, "--variant", "buggy", "--seed", "5");
    expect(asSaid.out).toContain(`Replays the reproducer exactly: trace ${traceHash}`);
  });

  it("warns, whatever the output, when it gives another trace, and keeps the run's exit code", async () => {
    const file = reproducer(dir, "stale.yaml", "0123456789abcdef");
    const warning = `aftershock: ${file}: warning: the reproducer's header records trace 0123456789abcdef, and this run gave ${traceHash}: it does not replay the failure exactly`;
    const terminal = await cli("run", file);
    expect(terminal.err).toContain(warning);
    expect(terminal.out).not.toContain("Replays the reproducer exactly");
    expect(terminal.code).toBe(0);
    const quiet = await cli("run", file, "--quiet");
    expect(quiet.err).toContain(warning);
    expect(quiet.out).toBe(quietLine);
    const json = await cli("run", file, "--json");
    expect(json.err).toContain(warning);
    expect(JSON.parse(json.out).traceHash).toBe(traceHash);
  });

  it("says nothing of the header when the run is not the reproducer's replay, a limit stopped it, or the file is no reproducer", async () => {
    const file = reproducer(dir, "other.yaml", "0123456789abcdef");
    for (const args of [
      ["--seed", "6"],
      ["--variant", "fixed"],
      ["--until", "09:45"],
    ]) {
      const r = await cli("run", file, ...args);
      expect(r.err, args.join(" ")).not.toContain("does not replay");
      expect(r.out, args.join(" ")).not.toContain("Replays the reproducer");
    }
    // A run a limit stopped is told which to raise, not that the file changed.
    const limited = join(dir, "limited.yaml");
    writeFileSync(limited, `${readFileSync(file, "utf8")}limits: { maxEvents: 4500 }\n`);
    const stopped = await cli("run", limited, "--quiet");
    expect(stopped.code).toBe(2);
    expect(stopped.err).toContain("Raise limits.maxEvents");
    expect(stopped.err).not.toContain("does not replay");
    const notes = reproducer(dir, "notes.yaml", "0123456789abcdef", false);
    const r = await cli("run", notes);
    expect(r.err).toBe("");
    expect(r.out).not.toContain("Replays the reproducer");
  });
});
