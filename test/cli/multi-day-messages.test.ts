// Shows that the CLI's messages about a run (a stop at a limit, a deploy's dropped fixes) date their times when the run spans more than one UTC day, and only then.
import { describe, expect, it } from "vitest";
import { limitStopMessage } from "../../src/cli/commands/stopped.js";
import { droppedDeployFixes } from "../../src/cli/variant.js";
import { runScenario } from "../../src/index.js";
import { parseScenario } from "../../src/scenario/index.js";

/** Twenty minutes from `start`, with a deploy of v2 and both fixes at `deployAt`. */
function scenarioText(start: string, deployAt: string): string {
  return `
name: twenty-minutes
description: A deploy twenty minutes into a small world.
seed: 1
start: ${start}
duration: 20m
fleet: { workers: 2, partitions: 4 }
scheduler: { version: v2, fixes: [] }
workload:
  accounts: 2
  cron:
    - { expr: "* * * * *", weight: 1 }
timeline:
  - { at: "${deployAt}", action: deploy, scheduler: v2, fixes: [early-return, panic-recovery] }
`;
}

const RUNS = [
  {
    run: "across midnight",
    start: "2026-05-08T23:50:00Z",
    deployAt: "2026-05-09T00:05:00Z",
    stoppedAt: "2026-05-09T00:02:14.000Z",
    deploy: "05-09 00:05:00",
    cover: "05-08 23:50:00 to 05-09 00:02:14",
  },
  {
    run: "within one day",
    start: "2026-05-08T09:00:00Z",
    deployAt: "09:15:00",
    stoppedAt: "2026-05-08T09:12:14.000Z",
    deploy: "09:15:00",
    cover: "09:00:00 to 09:12:14",
  },
];

describe("the CLI's messages about a run", () => {
  it.each(RUNS)(
    "write its times with the run's clock: $run",
    ({ start, deployAt, stoppedAt, deploy, cover }) => {
      const text = scenarioText(start, deployAt);
      const parsed = parseScenario(text, "s.yaml");
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const scenario = parsed.scenario;
      const [warning] = droppedDeployFixes(scenario, scenario.startMs + scenario.durationMs, "mine.mjs", []);
      expect(warning).toContain(`warning: the deploy of v2 at ${deploy} (timeline[0])`);

      const { report } = runScenario(text);
      const run = {
        ...report.run,
        end: stoppedAt,
        stopReason: "max-events",
        detail: "hit the event limit (900 events)",
        judged: false,
      };
      expect(limitStopMessage({ ...report, run }, scenario, "buggy")).toContain(
        `its metrics cover ${cover} only`,
      );
    },
  );
});
