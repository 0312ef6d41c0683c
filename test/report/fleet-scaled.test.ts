// Shows the summaries count the workers that served against the fleet as it was, not only as it
// started: after a scale-up, "1 of 3" would read as a fleet of 3.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { minutelyWorld } from "../support/minutely-world.js";

const scenario = (timeline: string) =>
  minutelyWorld({
    name: "scaled",
    seed: 3,
    start: "2026-05-08T09:30:00Z",
    accounts: 20,
    schedulesPerAccount: { min: 1, max: 2 },
    rest: timeline,
  });

describe("the fleet a summary counts against", () => {
  it("says the size it started with and the size it grew to after a scale-up", () => {
    const { report } = runScenario(scenario('timeline:\n  - { at: "+5m", action: scale, workers: 5 }\n'));
    expect(report.lanes).toHaveLength(5);
    const md = renderMarkdown([{ report }]);
    expect(md).toContain(
      `At least ${report.metrics.workersMinUp} workers served at every moment (a fleet of 3 at the start, up to 5).`,
    );
    expect(md).toContain(`| workers min up | ${report.metrics.workersMinUp} of 3 at the start, up to 5 |`);
  });

  it("counts against the largest the fleet was, not every worker that ran, after a scale-down and up", () => {
    // w1..w3, down to w1, then w4 and w5 added: five lanes, never more than three workers at once.
    const { report } = runScenario(
      scenario(
        'timeline:\n  - { at: "+3m", action: scale, workers: 1 }\n  - { at: "+6m", action: scale, workers: 3 }\n',
      ),
    );
    expect(report.lanes).toHaveLength(5);
    const md = renderMarkdown([{ report }]);
    expect(md).toContain(`| workers min up | ${report.metrics.workersMinUp} of 3 |`);
    expect(md).not.toContain("up to 5");
  });

  it("counts a scale-up that lasted less than a sample interval", () => {
    const { report } = runScenario(
      scenario(
        'timeline:\n  - { at: "+3m", action: scale, workers: 5 }\n  - { at: "+3m05s", action: scale, workers: 3 }\n',
      ),
    );
    const md = renderMarkdown([{ report }]);
    expect(md).toContain(`| workers min up | ${report.metrics.workersMinUp} of 3 at the start, up to 5 |`);
  });

  it("says only the size of a fleet that was not scaled up", () => {
    const { report } = runScenario(scenario(""));
    const md = renderMarkdown([{ report }]);
    expect(md).toContain(`At least ${report.metrics.workersMinUp} of 3 workers served at every moment.`);
    expect(md).toContain(`| workers min up | ${report.metrics.workersMinUp} of 3 |`);
  });
});
