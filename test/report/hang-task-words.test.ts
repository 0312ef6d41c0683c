// Shows a hang fault's task written with its due time as an ISO time in every human rendering of a run, and as its id in the trace.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";

/** The tiny report world with a 90 s hang of the next task of `sched-poison`, due at 09:41. */
const HANG = `${readFileSync(join(import.meta.dirname, "fixtures", "tiny.yaml"), "utf8")}
faults:
  - { at: "+1m", fault: hang, schedule: sched-poison, duration: 90s }
`;

describe("a hang fault's task", () => {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-hang-"));
  const scenario = join(dir, "hang.yaml");
  writeFileSync(scenario, HANG);
  const out = (name: string) => join(dir, name);

  it("is written with its due time as an ISO time in the narration, --markdown and --html", async () => {
    const run = await cli([
      "run",
      scenario,
      "--variant",
      "fixed",
      "--markdown",
      out("run.md"),
      "--html",
      out("run.html"),
    ]);
    const words = /fault hang on w\d: task sched-poison@(\S+) hangs for 1m30s/;
    for (const text of [run.out, readFileSync(out("run.md"), "utf8"), readFileSync(out("run.html"), "utf8")])
      expect(words.exec(text)?.[1]).toBe("2026-05-08T09:41:00Z");
  });

  it("keeps its id in the trace, a contract", async () => {
    await cli(["run", scenario, "--variant", "fixed", "--trace", out("run.jsonl")]);
    const hang = readFileSync(out("run.jsonl"), "utf8")
      .split("\n")
      .filter((line) => line.includes('"fault.injected"'))
      .map((line) => JSON.parse(line))
      .find((e) => e.fault === "hang");
    expect(hang.task).toBe(`sched-poison@${Date.parse("2026-05-08T09:41:00Z")}`);
    expect(hang.detail).toBe(`task ${hang.task} hangs for 90000 ms`);
  });
});
