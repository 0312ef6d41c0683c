// Shows that the facilitator's guide (docs/training.md) states what today's run gives: its
// what-if table is replayed on the bundled May 8 scenario and its numbers checked against `score`
// (those of its other deploys, the rollback, the scale-up and the chain of all three quarantines
// in training-guide.long.test.ts).
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import { runWorld } from "../../src/explore/run.js";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";
import { BUNDLED, captureContext, newSession, pipedIo, play } from "../train/helpers.js";
import { expectGuideTable, LONG_ROWS } from "./guide-table.js";

const GUIDE = join(import.meta.dirname, "..", "..", "docs", "training.md");

describe("the training guide's what-if table", () => {
  it("gives the numbers score gives today on the bundled scenario: the original, deploy fixed and the quarantines of one and two schedules", {
    timeout: 180_000,
  }, () => {
    expectGuideTable((row) => !LONG_ROWS.some((cell) => row.cell.startsWith(cell)));
  });
});

/** The bundled scenario with `line` added to its timeline, run as `run --json` runs it. */
function runWithTimelineLine(line: string) {
  const text = readFileSync(BUNDLED, "utf8").replace(/^timeline:\n/m, (t) => `${t}${line}\n`);
  const parsed = parseScenario(text, BUNDLED);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const input = applyVariant(compileScenario(parsed.scenario), "buggy");
  if (input === null) throw new Error("no buggy variant");
  // Its recoveredAt and trace hash are read: no worker lanes nor series are recorded.
  return runWorld(input, { judgeOnly: true }).report;
}

describe("the training guide's recovered", () => {
  it("of a fork is the recoveredAt and trace hash of the scenario line it gives", {
    timeout: 120_000,
  }, () => {
    const guide = readFileSync(GUIDE, "utf8");
    const claim =
      /after `(deploy [^`]+)` at (\d\d:\d\d)[\s\S]*?that fork is recovered at (\d\d:\d\d:\d\d)[\s\S]*?```yaml\n(.*)\n```[\s\S]*?a slower rollout that is recovered at (\d\d:\d\d:\d\d)/.exec(
        guide,
      );
    expect(claim, "the guide's paragraph on recovered").not.toBeNull();
    const [, whatIf, minute, recovered, line, slower] = claim!;
    const at = /at: "(\d\d:\d\d:\d\d)"/.exec(line)?.[1] ?? "";
    expect(at.startsWith(minute), line).toBe(true);
    const session = newSession({}, BUNDLED);
    play(session, ["next", "next", "next"]);
    expect(session.prompt()).toBe(`${at} original> `);
    const [fork, compare] = play(session, [`what-if ${whatIf}`, "compare"]);
    expect(fork.ok, fork.text).toBe(true);
    const shown = /\n {2}recovered\s+\S+\s+(\S+)/.exec(compare.text)?.[1];
    expect(shown, compare.text).toBe(recovered);
    const outcome = session.record().forks[0].outcome!;
    const report = runWithTimelineLine(line);
    expect(report.metrics.recoveredAt?.slice(11, 19)).toBe(recovered);
    expect(outcome.traceHash).toBe(report.traceHash);
    // Without its stepDelay, the line is a timeline deploy at the default pace: another world.
    const paced = runWithTimelineLine(line.replace(/, stepDelay: \w+/, ""));
    expect(paced.metrics.recoveredAt?.slice(11, 19)).toBe(slower);
  });
});

describe("the training guide's quoted lines", () => {
  const guide = () => readFileSync(GUIDE, "utf8").replace(/\s+/g, " ");
  const quoted = (pattern: RegExp) => {
    const m = pattern.exec(guide());
    expect(m, String(pattern)).not.toBeNull();
    return m!;
  };

  it("are what the bundled scenario's on-call view prints: the panic, the refusal, the restart count", {
    timeout: 120_000,
  }, () => {
    const [, panic] = quoted(/last exit is the same panic \(`([^`]+)`\)/);
    const [, refusal, id] = quoted(/\(`(the on-call view has shown no schedule "([^"]+)")`\)/);
    const [, restarts] = quoted(/`(restarts 0 since the deploy replaced it at \d\d:\d\d:\d\d)`/);
    const session = newSession({}, BUNDLED);
    const [, , , workers, logs, refused] = play(session, [
      "next",
      "next",
      "next",
      "workers",
      "logs",
      `what-if quarantine ${id}`,
    ]);
    const crashed = workers.text.split("\n").filter((l) => l.includes("last exit"));
    expect(crashed.length, workers.text).toBeGreaterThanOrEqual(3);
    for (const row of crashed) expect(row).toContain(`panic (${panic})`);
    expect(logs.text).toContain(`panic: ${panic} [goroutine "deliver"]`);
    expect(refused.refused, refused.text).toBe(true);
    expect(refused.text).toContain(refusal);
    // To the end of the run, past the fix's rollout.
    const end = play(session, [...Array(5).fill("next"), "workers"]).at(-1)!;
    expect(end.text).toContain(restarts);
  });

  it("say the resumed line as a resume prints it", { timeout: 120_000 }, async () => {
    const [, resumed, commands, answers, forks, at, line] = quoted(
      /`(Resumed debrief\.json: replayed (\d+) commands \((\d+) answers, (\d+) forks\); now at (\S+) on ([\w-]+)\.)`/,
    );
    const dir = mkdtempSync(join(tmpdir(), "aftershock-guide-"));
    const file = join(dir, "debrief.json");
    // A session of that many commands, answers and forks, left at that moment on that line.
    const steps = [
      "next",
      "next",
      "next",
      ...Array.from({ length: Number(answers) }, (_, i) => `answer ${i}`),
    ];
    for (let i = 0; i < Number(forks); i++) steps.push("switch original", `what-if scale ${12 + 4 * i}`);
    steps.push(`switch ${line}`);
    while (steps.length < Number(commands)) steps.push("status");
    expect(steps.length).toBe(Number(commands));
    const first = captureContext();
    expect(await trainCommand(first, BUNDLED, { save: file }, pipedIo(`${steps.join("\n")}\n`))).toBe(0);
    const ctx = captureContext();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await trainCommand(ctx, BUNDLED, { resume: "debrief.json" }, pipedIo(""))).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    expect(ctx.stdout().replace(/\s+/g, " ")).toContain(resumed);
    expect(at).toBe("09:46:00");
  });
});
