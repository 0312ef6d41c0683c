// Shows what run, gate and explore say of a scheduler module whose task overflows the JavaScript stack: the run stops there, not judged (exit 2), saying the goroutine and that the recursion must become a loop, where it was traced as a panic whose place depended on the thread and the compiler; the gate compares no traces of such runs.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUILT, cli } from "../gate/helpers.js";

const SCENARIO = join(import.meta.dirname, "fixtures/deep-recursion/deep.yaml");
const OVERFLOWED = "overflowed the JavaScript stack (RangeError: Maximum call stack size exceeded)";

// main, in this process: the module's runs take worker threads (of dist/) where the command gives them.
describe.skipIf(!BUILT)("a scheduler module that overflows the stack (needs dist/)", () => {
  it("run stops, not judged, exit 2, with no panic in its report", async () => {
    const r = await cli(["run", SCENARIO, "--json"]);
    expect(r.code, r.err).toBe(2);
    const report = JSON.parse(r.out);
    expect(report.run).toMatchObject({ stopReason: "stack-overflow", judged: false });
    expect(report.run.detail).toContain("goroutine deliver sched-");
    expect(report.run.detail).toContain(OVERFLOWED);
    expect(report.metrics.panicDeaths).toBe(0);
    expect(r.err).toContain(
      "write the recursion as a loop; its metrics cover 09:30:00 to 09:31:00 only and it is not judged.\n",
    );
  });

  it("gate: an error case saying what to do, and no determinism verdict on such runs", async () => {
    const r = await cli(["gate", SCENARIO, "--json", "--jobs", "1"]);
    expect(r.code, r.err).toBe(2);
    const cases = JSON.parse(r.out).suites[0].cases as { kind: string; status: string; message: string }[];
    const expectation = cases.find((c) => c.kind === "expectation")!;
    expect(expectation.status).toBe("error");
    expect(expectation.message).toContain(OVERFLOWED);
    expect(expectation.message).toMatch(/write the recursion as a loop\): not judged$/);
    const deterministic = cases.find((c) => c.kind === "determinism")!;
    expect(deterministic.status).toBe("skipped");
    expect(deterministic.message).toMatch(/and where a stack overflows is not reproducible$/);
  });

  it("explore of generated worlds says no other advice than the overflow's own", async () => {
    const module = join(import.meta.dirname, "fixtures/deep-recursion/deep.mjs");
    const generated = await cli([
      "explore",
      "--generated",
      "--scheduler",
      module,
      "--runs",
      "1",
      "--jobs",
      "1",
      "--json",
    ]);
    expect(generated.code, generated.err).toBe(2);
    expect(generated.err).toMatch(/write the recursion as a loop\n$/);
    expect(generated.err).not.toContain("The bundled v2 runs these worlds");
  });

  it("explore: every run not judged, exit 2, each said once", async () => {
    const r = await cli(["explore", SCENARIO, "--runs", "2", "--jobs", "1", "--json"]);
    expect(r.code, r.err).toBe(2);
    const report = JSON.parse(r.out);
    expect(report.notJudged.runs).toBe(2);
    expect(report.notJudged.first.limit).toBe("stack");
    expect(report.failures).toEqual([]);
    expect(r.err.split(OVERFLOWED)).toHaveLength(3);
  });
});
