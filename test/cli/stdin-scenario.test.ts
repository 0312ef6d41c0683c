// Shows validate, run, compare and why reading the scenario from stdin for `-`, naming it `stdin` at the line and column of its issues (exit 2), and gate, train, explore and merge refusing `-`, each saying why and what to give instead. Compare reads it here for a scenario naming a module; stdin-scenario.long.test.ts holds its output checked against the file's, as run's is here, and run and compare --scheduler naming that module, whose notes name the scenario as the bundled variants' do.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStdinScenario } from "../../src/cli/stdin-scenario.js";
import { cli } from "../gate/helpers.js";
import { moduleFolder, piped, shortened, TEXT, TINY } from "./stdin-piped.js";

describe("a scenario read from stdin (-)", () => {
  it("validates, named <stdin>", () => {
    const r = piped(["validate", "-"], TEXT);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe("ok   <stdin> (tiny-may8)\n");
  });

  it("has its issues named <stdin>, at their line and column, exit 2 without a stack", () => {
    const r = piped(["validate", "-"], TEXT.replace("workers: 3", "workers: three"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      '<stdin>:8:19: error: fleet.workers: wrong type (expected a whole number, found "three")',
    );
    expect(r.err).not.toContain("    at ");
    const run = piped(["run", "-"], TEXT.replace("workers: 3", "workers: three"));
    expect(run.code).toBe(2);
    expect(run.err).toContain("<stdin>:8:19: error: fleet.workers: wrong type");
  });

  // The file's run is main's in this process: the words of a run do not depend on its process.
  it("runs as the file does, and says to pipe it in again to replay", async () => {
    const fromFile = await cli(["run", TINY, "--json", "--seed", "3"]);
    const r = piped(["run", "-", "--json", "--seed", "3"], TEXT);
    expect(r.code, r.err).toBe(fromFile.code);
    expect(r.out).toBe(fromFile.out);
    const human = piped(["run", "-", "--seed", "3"], TEXT);
    expect(human.out).toContain("Reproduce: aftershock run - --seed 3");
  });

  it("explains why as the file does", async () => {
    const argv = ["w1", "--variant", "buggy", "--json"];
    const fromFile = await cli(["why", TINY, ...argv]);
    const r = piped(["why", "-", ...argv], TEXT);
    expect(r.code, r.err).toBe(fromFile.code);
    expect(r.out).toBe(fromFile.out);
    expect((JSON.parse(r.out) as { crash: number | null }).crash).not.toBeNull();
  });

  // Refused by its argument, before stdin is read: the words are main's, asked in this process.
  it("is refused by gate, train, explore and merge, each saying why and what to give instead", async () => {
    const gate = await cli(["gate", "-"]);
    expect(gate.code).toBe(2);
    expect(gate.err).toBe(
      "aftershock: gate -: the gate checks each scenario file against the golden trace hashes beside it (golden/NAME.json), which a scenario read from stdin has no place for; save it to a file and gate that (run - and compare - judge its expectations without golden hashes)\n",
    );
    const train = await cli(["train", "-", "--script", TINY]);
    expect(train.code).toBe(2);
    expect(train.err).toBe(
      "aftershock: train -: a training session reads the facilitator's commands from stdin, so it cannot read its scenario there; name a scenario file (validate, run, compare and why read one from stdin)\n",
    );
    const explore = await cli(["explore", "-"]);
    expect(explore.code).toBe(2);
    expect(explore.err).toBe(
      "aftershock: explore -: its reproducers and shard reports name the scenario file explored, to replay and merge from; name a scenario file (validate, run, compare and why read one from stdin)\n",
    );
    // Nor does merge read a shard report there: `-` is not a shard that wrote none.
    const merge = await cli(["merge", "-", "--allow-missing"]);
    expect(merge.code).toBe(2);
    expect(merge.err).toBe(
      "aftershock: merge -: merge reads no report from stdin: it joins the reports of several shards, each read from its own file; name them (explore --shard i/n --json > FILE writes one; ./- names a file called -)\n",
    );
  });

  it("is read once: validate - - is refused before any file is validated, saying stdin holds one scenario", async () => {
    // Refused before any file is validated: no `ok` for the first `-` beside the refusal. Refused
    // by its arguments, before stdin is read: main's words, asked in this process.
    const twice = await cli(["validate", "-", TINY, "-"]);
    expect(twice.code).toBe(2);
    expect(twice.out).toBe("");
    expect(twice.err).toBe("aftershock: validate: - given twice; stdin holds one scenario\n");
  });
});

describe("a scenario read from stdin that names a scheduler module", () => {
  // The module is found from the working folder, as the scenario has no folder of its own.
  const { folder, text } = moduleFolder();

  // What is said of the module comes before the run: its first minute says it as the whole run would.
  const minute = ["--until", "+1m"];

  it("is named <stdin>, never -, when run puts another scheduler in its module's place", () => {
    const r = piped(["run", "-", "--variant", "fixed", "--quiet", ...minute], text, folder);
    expect(r.err).toContain(
      "aftershock: <stdin> names the scheduler module ./mine.mjs; running the bundled variant fixed in its place, as --variant asks\n",
    );
    expect(r.err).not.toContain("aftershock: - ");
  });

  it("that is not there is looked for from the working folder, and said so", () => {
    const r = piped(["run", "-", "--quiet"], text.replace("./mine.mjs", "./gone.mjs"), folder);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `no scheduler module at ${join(folder, "gone.mjs")} (a relative path is from the working folder, for a scenario read from stdin)`,
    );
  });

  it("is named <stdin>, never -, when compare runs the bundled variants", () => {
    // compare has no --until: a world of 3 minutes, the deletion in it, says it as the 12 would.
    const r = piped(["compare", "-", "--json"], shortened(text), folder);
    expect(r.err).toContain(
      "aftershock: <stdin> names the scheduler module ./mine.mjs; comparing the bundled variants buggy, fixed in its place\n",
    );
    expect(r.err).not.toContain("aftershock: - ");
  });
});

describe("stdin a terminal", () => {
  it("is refused rather than waited on, saying how to pipe a scenario in", async () => {
    await expect(readStdinScenario("run", true)).rejects.toThrow(
      "run -: stdin is a terminal; pipe a scenario in (cat may8.yaml | aftershock run -)",
    );
  });
});
