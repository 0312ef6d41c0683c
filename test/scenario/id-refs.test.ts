// Shows that an action naming an account, schedule or worker that is not there when it runs is refused at its line, in run order, and per seed.
import { describe, expect, it } from "vitest";
import { runScenario, runWorld, type Scenario } from "../../src/index.js";
import { CollectSink, type TraceSink } from "../../src/kernel/index.js";
import {
  applyVariant,
  asOwnVariant,
  compileParsedScenario,
  compileScenario,
} from "../../src/scenario/compile.js";
import {
  formatIssues,
  parseScenario,
  type ScenarioIssue,
  type SeedsToRun,
} from "../../src/scenario/index.js";
import { checkIdRefsAtSeed } from "../../src/scenario/ref-world.js";
import { bundledSchedulers } from "../../src/schedulers/index.js";
import { generatedScheduleCount } from "../../src/world/workload-ids.js";
import { World } from "../../src/world/world.js";

const HEAD = `name: edge
description: d
start: 2026-05-08T09:30:00Z
duration: 20m
fleet: { workers: 3, partitions: 6 }
workload:
  accounts: 5
  schedulesPerAccount: { min: 1, max: 2 }
  named: [{ id: acct-n, schedules: [{ id: s-n, cron: "* * * * *" }] }]
timeline:
`;
/** The timeline's entries start on line 11. */

/**
 * Runs a Scenario built in code past the checks `runScenario` makes of its values, as the world
 * would run it: to show what the world does with what the parser refuses.
 */
function runUnchecked(scenario: Scenario, variant: string | undefined, sinks: TraceSink[]): void {
  const compiled = compileParsedScenario(scenario);
  const chosen = variant === undefined ? asOwnVariant(compiled) : applyVariant(compiled, variant);
  if (chosen === null) throw new Error(`no variant ${variant}`);
  runWorld(chosen, { sinks });
}

function issuesOf(timeline: string): readonly ScenarioIssue[] {
  const result = parseScenario(HEAD + timeline, "s.yaml");
  return result.ok ? [] : result.issues;
}

function onlyIssue(timeline: string): ScenarioIssue {
  return onlyIssueOf(HEAD + timeline);
}

/** The one issue of a whole file's text. */
function onlyIssueOf(text: string): ScenarioIssue {
  const result = parseScenario(text, "s.yaml");
  const issues = result.ok ? [] : result.issues;
  expect(issues, formatIssues(issues)).toHaveLength(1);
  return issues[0];
}

describe("actions in run order", () => {
  it("refuses deleting a schedule before the action that creates it", () => {
    const issue =
      onlyIssue(`  - { at: "+2m", action: create-schedule, schedule: s-new, account: acct-n, cron: "* * * * *" }
  - { at: "+1m", action: delete-schedule, schedule: s-new }
`);
    expect(issue).toMatchObject({
      line: 12,
      column: 53,
      path: ["timeline", 1, "schedule"],
      code: "unknown-id",
    });
    expect(issue.message).toBe(
      'timeline[1].schedule: the schedule "s-new" does not exist yet at +1m: create-schedule at +2m (2026-05-08T09:32:00Z, timeline[0]) creates it later',
    );
    expect(issue.expected).toBe("the id of a schedule that exists at +1m");
  });

  it("refuses a worker a later scale-up adds, and one an earlier scale-down removed", () => {
    const early = onlyIssue(`  - { at: "+3m", action: scale, workers: 5 }
  - { at: "+2m", action: kill-worker, worker: w4 }
`);
    expect(early).toMatchObject({
      line: 12,
      column: 47,
      path: ["timeline", 1, "worker"],
      code: "unknown-value",
    });
    expect(early.message).toContain(
      'worker "w4" is not in the fleet yet at +2m: it joins with the scale to 5 at +3m',
    );
    expect(early.expected).toBe("a worker in the fleet at +2m (w1..w3) or random");
    const removed = onlyIssue(`  - { at: "+1m", action: scale, workers: 2 }
  - { at: "+2m", action: kill-worker, worker: w3 }
`);
    expect(removed.message).toContain('worker "w3" is no longer in the fleet at +2m: the scale to 2 at +1m');
    expect(removed.expected).toBe("a worker in the fleet at +2m (w1, w2) or random");
    // With the fleet scaled to nothing, random would find no worker either: it is not offered.
    const none = onlyIssue(`  - { at: "+1m", action: scale, workers: 0 }
  - { at: "+2m", action: kill-worker, worker: w3 }
`);
    expect(none.expected).toBe("no worker action at +2m: the fleet has no worker then");
    // Faults follow the timeline's scaling too.
    const fault = issuesOf(`  - { at: "+1m", action: scale, workers: 2 }
faults:
  - { at: "+2m", fault: pause-worker, worker: w3, duration: 1m }
`);
    expect(fault.map((i) => [i.line, i.path.join(".")])).toEqual([[13, "faults.0.worker"]]);
    expect(
      issuesOf(
        `  - { at: "+1m", action: scale, workers: 5 }\n  - { at: "+2m", action: kill-worker, worker: w4 }\n`,
      ),
    ).toEqual([]);
    // A scale-up after a scale-down adds new numbers: w3 does not come back.
    expect(
      issuesOf(`  - { at: "+1m", action: scale, workers: 2 }
  - { at: "+2m", action: scale, workers: 3 }
  - { at: "+3m", action: restart-worker, worker: w4 }
  - { at: "+3m", action: restart-worker, worker: w3 }
`).map((i) => i.path.join(".")),
    ).toEqual(["timeline.3.worker"]);
  });

  it("refuses a worker id with a leading zero at its place, which the world would look up as written", () => {
    // The world has w1..w3, never "w01": the run would skip the action as if no worker were there.
    const issues = issuesOf(`  - { at: "+1m", action: restart-worker, worker: w03 }
faults:
  - { at: "+2m", fault: kill-worker, worker: w01 }
  - { at: "+2m", fault: clock-skew, worker: w0, skew: 1m }
`);
    expect(issues.map((i) => [i.line, i.column, i.path.join("."), i.suggestion])).toEqual([
      [11, 50, "timeline.0.worker", "w3"],
      [13, 46, "faults.0.worker", "w1"],
      [14, 45, "faults.1.worker", "w1"],
    ]);
    expect(issues[0].message).toBe(
      'timeline[0].worker: worker "w03" is written with a leading zero: workers are w1, w2, …',
    );
    expect(issues[2].message).toBe('faults[1].worker: there is no worker "w0": workers are numbered from w1');
    // A number is the worker's without its `w`: w3 for 3, and no id for 0 or 1.5.
    const numbers = issuesOf(`  - { at: "+1m", action: restart-worker, worker: 3 }
  - { at: "+2m", action: restart-worker, worker: 0 }
  - { at: "+3m", action: restart-worker, worker: 1.5 }
`);
    expect(numbers.map((i) => i.suggestion)).toEqual(["w3", undefined, undefined]);
    // Only a worker the fleet ever has (3 here, 5 after a scale) is suggested; digits are a number.
    const beyond = issuesOf(`  - { at: "+1m", action: restart-worker, worker: 4 }
  - { at: "+2m", action: restart-worker, worker: "2" }
`);
    expect(beyond.map((i) => [i.message, i.suggestion])).toEqual([
      ["timeline[0].worker: there is no worker 4: workers are numbered from w1 to w3", undefined],
      ["timeline[1].worker: not in the expected form", "w2"],
    ]);
    const scaled = issuesOf(`  - { at: "+1m", action: scale, workers: 5 }
  - { at: "+2m", action: restart-worker, worker: 5 }
`);
    expect(scaled.map((i) => i.suggestion)).toEqual(["w5"]);
    // Numbers are never reused: down to 1 and up to 3 again adds w4 and w5.
    const again = issuesOf(`  - { at: "+1m", action: scale, workers: 1 }
  - { at: "+2m", action: scale, workers: 3 }
  - { at: "+3m", action: restart-worker, worker: 5 }
  - { at: "+4m", action: restart-worker, worker: 9 }
`);
    expect(again.map((i) => [i.message, i.suggestion])).toEqual([
      ["timeline[2].worker: wrong type", "w5"],
      [
        "timeline[3].worker: there is no worker 9: the fleet starts with w1 to w3, and its scales add at most 4 more",
        undefined,
      ],
    ]);
  });

  it("says a fault's named worker is not in the fleet when the world has none of that name", () => {
    const parsed = parseScenario(
      `${HEAD}  []
faults:
  - { at: "+1m", fault: kill-worker, worker: w1 }
  - { at: "+2m", fault: pause-worker, worker: w2, duration: 1m }
  - { at: "+3m", fault: clock-skew, worker: w3, skew: 1m }
`,
      "s.yaml",
    );
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    // A scenario built in code is not parsed: the world looks "w01" up as written and finds none.
    const faults = parsed.scenario.faults.map((f) => ({
      ...f,
      worker: `w0${"worker" in f ? f.worker.slice(1) : ""}`,
    }));
    const collect = new CollectSink();
    runUnchecked({ ...parsed.scenario, faults } as typeof parsed.scenario, undefined, [collect]);
    const skipped = collect.events.filter((e) => e.type === "fault.skipped").map((e) => e.reason);
    expect(skipped).toEqual([
      "no worker w01 in the fleet",
      "no worker w02 in the fleet",
      "no worker w03 in the fleet",
    ]);
  });

  it("at one time, takes the faults before the timeline, as the world performs them", () => {
    const scaleAndKill = (
      workers: number,
      worker: string,
    ) => `  - { at: "+1m", action: scale, workers: ${workers} }
faults:
  - { at: "+1m", fault: kill-worker, worker: ${worker} }
`;
    // The kill comes first: the worker the scale adds is not there yet...
    expect(issuesOf(scaleAndKill(5, "w5")).map((i) => i.path.join("."))).toEqual(["faults.0.worker"]);
    // ...and the one the scale removes still is, and dies.
    expect(issuesOf(scaleAndKill(2, "w3"))).toEqual([]);
    const collect = new CollectSink();
    runScenario(HEAD + scaleAndKill(2, "w3"), { sinks: [collect] });
    const killed = collect.events.filter((e) => e.type === "worker.crashed" && e.worker === "w3");
    const scaled = collect.events.find((e) => e.type === "operator.action" && e.action === "scale");
    expect(killed).toHaveLength(1);
    expect(killed[0].t).toBe(scaled?.t);
    expect(killed[0].seq).toBeLessThan(scaled!.seq);
  });

  it("refuses creating what exists, deleting what is gone, and a schedule for a deleted account", () => {
    const duplicate = onlyIssue(
      `  - { at: "+2m", action: create-schedule, schedule: s-n, account: acct-n, cron: "* * * * *" }\n`,
    );
    expect(duplicate).toMatchObject({ path: ["timeline", 0, "schedule"], code: "duplicate-id" });
    expect(duplicate.message).toContain(
      'a schedule with the id "s-n" already exists at +2m (a named schedule',
    );
    expect(onlyIssue(`  - { at: "+2m", action: create-account, account: acct-00002 }\n`).message).toContain(
      "(the workload generates it)",
    );
    const twice = onlyIssue(`  - { at: "+1m", action: delete-account, account: acct-n }
  - { at: "+2m", action: delete-account, account: acct-n }
`);
    expect(twice.message).toContain('the account "acct-n" is already deleted at +2m: delete-account at +1m');
    const orphan = onlyIssue(`  - { at: "+1m", action: delete-account, account: acct-n }
  - { at: "+2m", action: create-schedule, schedule: s-z, account: acct-n, cron: "* * * * *" }
`);
    expect(orphan).toMatchObject({ line: 12, path: ["timeline", 1, "account"] });
    expect(orphan.message).toContain("the API refuses a schedule for an account that is gone");
  });

  it("refuses reusing the id of a deleted account's schedule, saying it stays until a task cleans it up", () => {
    const reuse = (at: string) => `  - { at: "+1m", action: create-account, account: acct-m }
  - { at: "+1m30s", action: delete-account, account: acct-n }
  - { at: "${at}", action: create-schedule, schedule: s-n, account: acct-m, cron: "* * * * *" }
`;
    const late = onlyIssue(reuse("+5m"));
    expect(late).toMatchObject({ line: 13, path: ["timeline", 2, "schedule"], code: "duplicate-id" });
    expect(late.message).toBe(
      'timeline[2].schedule: the id "s-n" still belongs to a schedule of the account "acct-n", deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[1]): a deleted account\'s schedules stay in the store until a task of one of them runs and removes them all, normally at their next fire, 2026-05-08T09:32:00Z, but never with a scheduler lacking the early-return fix (its task panics after the cleanup, which rolls back), so whether this create-schedule is taken or does nothing depends on the variant; give the new schedule an id of its own, or delete-schedule "s-n" no later than 2026-05-08T09:32:00Z, while every scheduler still has it',
    );
    expect(onlyIssue(reuse("+1m45s")).message).toContain(
      'normally at their next fire, 2026-05-08T09:32:00Z: after this create-schedule, which would do nothing; give the new schedule an id of its own, or delete-schedule "s-n" before creating it',
    );
    // Deleting the schedule by its cleanup makes the id free whatever the scheduler.
    expect(issuesOf(`${reuse("+5m")}  - { at: "+2m", action: delete-schedule, schedule: s-n }\n`)).toEqual(
      [],
    );

    // The world indeed takes the create only once the cleanup has committed: with the fixed
    // scheduler, not with the buggy one, whose task panics after cleaning up.
    const parsed = parseScenario(HEAD + reuse("+5m").split("\n").slice(0, 2).join("\n"), "s.yaml");
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    const start = parsed.scenario.startMs;
    const create = {
      action: "create-schedule" as const,
      atMs: start + 5 * 60_000,
      atText: "+5m",
      schedule: "s-n",
      account: "acct-m",
      cron: "* * * * *",
      destination: null,
    };
    const scenario = { ...parsed.scenario, timeline: [...parsed.scenario.timeline, create] };
    // The parser refuses it (above): the world is run past that check.
    expect(() => runScenario(scenario)).toThrow(/still belongs to a schedule of the account "acct-n"/);
    const takenBy = (variant: string) => {
      const collect = new CollectSink();
      runUnchecked(scenario, variant, [collect]);
      return collect.events.some(
        (e) => e.type === "schedule.created" && e.schedule === "s-n" && e.account === "acct-m",
      );
    };
    expect(takenBy("fixed")).toBe(true);
    expect(takenBy("buggy")).toBe(false);
  });

  it("warns of a pause or quarantine of a deleted account's schedule after its cleanup, and runs it", () => {
    const late = (
      at: string,
      action: string,
    ) => `  - { at: "+1m30s", action: delete-account, account: acct-n }
  - { at: "${at}", ${action}, schedule: s-n }
`;
    const quarantine = parseScenario(HEAD + late("+4m", "action: quarantine-schedule"), "s.yaml");
    if (!quarantine.ok) throw new Error(formatIssues(quarantine.issues));
    expect(quarantine.warnings).toHaveLength(1);
    expect(quarantine.warnings[0]).toMatchObject({
      line: 12,
      column: 57,
      path: ["timeline", 1, "schedule"],
      code: "not-applied",
      severity: "warning",
    });
    expect(formatIssues(quarantine.warnings)).toBe(
      's.yaml:12:57: warning: timeline[1].schedule: the schedule "s-n" belongs to the account "acct-n", deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[0]): a deleted account\'s schedules stay in the store until a task of one of them runs and removes them all, normally at their next fire, 2026-05-08T09:32:00Z, but never with a scheduler lacking the early-return fix (its task panics after the cleanup, which rolls back), so whether this quarantine-schedule applies or does nothing depends on the variant; where it is gone, the run traces the action as not applied (found "s-n")',
    );
    for (const action of ["action: pause-schedule", "action: pause-schedule, paused: false"]) {
      const paused = parseScenario(HEAD + late("+4m", action), "s.yaml");
      expect(paused.ok && paused.warnings.map((w) => w.code), action).toEqual(["not-applied"]);
    }
    // Up to the cleanup's fire every scheduler still has it: nothing to warn of.
    for (const at of ["+2m", "+1m30s"]) {
      const early = parseScenario(HEAD + late(at, "action: quarantine-schedule"), "s.yaml");
      expect(early.ok && early.warnings).toEqual([]);
    }
  });

  it("counts no cleanup from a schedule paused or quarantined at its fire, as the world does", () => {
    /** acct-n (one schedule, s-n, every minute) deleted at +1m30s, then `steps`. */
    const deletedThen = (steps: string) =>
      `  - { at: "+1m30s", action: delete-account, account: acct-n }\n${steps}`;
    const parsedOf = (steps: string) => {
      const parsed = parseScenario(HEAD + deletedThen(steps), "s.yaml");
      if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
      return parsed;
    };
    const pausedFirst = '  - { at: "+1m45s", action: pause-schedule, schedule: s-n }\n';
    for (const held of [pausedFirst, '  - { at: "+2m", action: quarantine-schedule, schedule: s-n }\n']) {
      // Paused (or quarantined) at its fire, it never fires: never cleaned up, in any variant. (A
      // second quarantine changes nothing, which is a warning of its own.)
      expect(
        parsedOf(`${held}  - { at: "+5m", action: quarantine-schedule, schedule: s-n }\n`).warnings.filter(
          (w) => !w.message.includes("changes nothing"),
        ),
      ).toEqual([]);
      expect(
        issuesOf(deletedThen(`${held}  - { at: "+5m", action: delete-schedule, schedule: s-n }\n`)),
      ).toEqual([]);
    }
    // Resumed at +3m10s, it fires again at 09:34: the cleanup comes then.
    const resumed = `${pausedFirst}  - { at: "+3m10s", action: pause-schedule, schedule: s-n, paused: false }\n`;
    expect(
      parsedOf(`${resumed}  - { at: "+4m", action: quarantine-schedule, schedule: s-n }\n`).warnings,
    ).toEqual([]);
    const [late] = parsedOf(
      `${resumed}  - { at: "+4m30s", action: quarantine-schedule, schedule: s-n }\n`,
    ).warnings;
    expect(late.message).toContain("normally at their next fire, 2026-05-08T09:34:00Z");
    expect(
      onlyIssue(deletedThen(`${resumed}  - { at: "+4m30s", action: delete-schedule, schedule: s-n }\n`))
        .message,
    ).toContain("delete-schedule it no later than 2026-05-08T09:34:00Z");

    // The world agrees: the fixed scheduler never cleans the paused schedule up, and the operator's delete applies.
    const collect = new CollectSink();
    const paused = parsedOf(`${pausedFirst}  - { at: "+5m", action: delete-schedule, schedule: s-n }\n`);
    runScenario(paused.scenario, { variant: "fixed", sinks: [collect] });
    const deletions = collect.events.filter((e) => e.type === "schedule.deleted" && e.schedule === "s-n");
    expect(deletions.map((e) => [e.t - paused.scenario.startMs, e.by])).toEqual([[5 * 60_000, "operator"]]);
  });

  it("refuses deleting a deleted account's schedule after its cleanup, where only the buggy scheduler still has it", () => {
    const late = (at: string) => `  - { at: "+1m30s", action: delete-account, account: acct-n }
  - { at: "${at}", action: delete-schedule, schedule: s-n }
`;
    const issue = onlyIssue(late("+4m"));
    expect(issue.message).toBe(
      'timeline[1].schedule: the schedule "s-n" belongs to the account "acct-n", deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[0]): a deleted account\'s schedules stay in the store until a task of one of them runs and removes them all, normally at their next fire, 2026-05-08T09:32:00Z, but never with a scheduler lacking the early-return fix (its task panics after the cleanup, which rolls back), so whether this delete-schedule removes it or does nothing depends on the variant; delete-schedule it no later than 2026-05-08T09:32:00Z, while every scheduler still has it, or leave it to the cleanup',
    );
    expect(issue).toMatchObject({
      line: 12,
      column: 53,
      path: ["timeline", 1, "schedule"],
      code: "unknown-id",
      expected: "the id of a schedule that exists at +4m whatever the scheduler",
    });
    // Up to the cleanup's fire, and when none of the account's schedules fires again, every scheduler has it.
    expect(issuesOf(late("+2m"))).toEqual([]);
    expect(issuesOf(late("+1m30s"))).toEqual([]);
    const yearly = HEAD.replace('cron: "* * * * *"', 'cron: "0 0 1 1 *"');
    const never = parseScenario(yearly + late("+4m"), "s.yaml");
    expect(never.ok ? [] : formatIssues(never.issues)).toEqual([]);

    // The world: after the cleanup, the delete removes the schedule only with the buggy scheduler.
    const deletedBy = (minutes: number, variant: string) => {
      const collect = new CollectSink();
      const parsed = parseScenario(HEAD + late("+1m30s").split("\n")[0], "s.yaml");
      if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
      const atMs = parsed.scenario.startMs + minutes * 60_000;
      const remove = { action: "delete-schedule" as const, atMs, atText: `+${minutes}m`, schedule: "s-n" };
      const scenario = { ...parsed.scenario, timeline: [...parsed.scenario.timeline, remove] };
      // Refused at +4m (above): the world is run past that check.
      runUnchecked(scenario, variant, [collect]);
      return collect.events
        .filter((e) => e.type === "schedule.deleted" && e.schedule === "s-n")
        .map((e) => e.by);
    };
    expect(deletedBy(4, "fixed")).toEqual(["cleanup"]);
    expect(deletedBy(4, "buggy")).toEqual(["operator"]);
    expect(deletedBy(2, "fixed")).toEqual(["operator"]);
    expect(deletedBy(2, "buggy")).toEqual(["operator"]);
  });

  /** acct-n (s-n, every minute) deleted at +1m30s (cleanup at its fire, 09:32), made anew at `anew`, then `step` at +4m. */
  const anewThen = (
    anew: string,
    step: string,
  ) => `  - { at: "+1m30s", action: delete-account, account: acct-n }
  - { at: "${anew}", action: create-account, account: acct-n }
  - { at: "+4m", ${step} }
`;
  const quarantine = "action: quarantine-schedule, schedule: s-n";

  it("warns of a quarantine of a deleted account's schedule cleaned up before a create-account made it anew, as the world does", () => {
    const parsed = parseScenario(HEAD + anewThen("+3m", quarantine), "s.yaml");
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(parsed.warnings.map((w) => [w.code, w.line, w.path])).toEqual([
      ["not-applied", 13, ["timeline", 2, "schedule"]],
    ]);
    expect(parsed.warnings[0].message).toContain(
      "deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[0]) and created anew by create-account at +3m (2026-05-08T09:33:00Z, timeline[1]), which does not bring back the schedules its cleanup removed",
    );
    // The same warning before a run at another seed (run, explore and gate say it).
    expect(checkIdRefsAtSeed(parsed.scenario, 9).map((i) => i.code)).toEqual(["not-applied"]);
    // Made anew by the cleanup's fire (the timeline comes first) or before it: no cleanup, the schedule is the account's again.
    for (const anew of ["+2m", "+1m45s"]) {
      const kept = parseScenario(HEAD + anewThen(anew, quarantine), "s.yaml");
      expect(kept.ok && kept.warnings, anew).toEqual([]);
      expect(issuesOf(anewThen(anew, "action: delete-schedule, schedule: s-n")), anew).toEqual([]);
    }
    // A schedule created for the account made anew is not one of the old ones.
    const fresh = 'action: create-schedule, schedule: s-new, account: acct-n, cron: "* * * * *"';
    expect(
      issuesOf(`${anewThen("+3m", fresh)}  - { at: "+6m", action: quarantine-schedule, schedule: s-new }\n`),
    ).toEqual([]);

    // The world: the quarantine after a re-creation applies only where no cleanup came before it.
    const applied = (anew: string, variant: string) => {
      const run = parseScenario(HEAD + anewThen(anew, quarantine), "s.yaml");
      if (!run.ok) throw new Error(formatIssues(run.issues));
      const collect = new CollectSink();
      runScenario(run.scenario, { variant, sinks: [collect] });
      const action = collect.events.find(
        (e) => e.type === "operator.action" && e.action === "quarantine-schedule",
      );
      if (action === undefined) throw new Error("no quarantine-schedule traced");
      return action.applied !== false;
    };
    expect(applied("+3m", "fixed")).toBe(false);
    expect(applied("+3m", "buggy")).toBe(true);
    expect(applied("+2m", "fixed")).toBe(true);
    expect(applied("+1m45s", "fixed")).toBe(true);
  });

  it("refuses deleting, or reusing the id of, a deleted account's schedule cleaned up before a create-account made it anew", () => {
    const cases = [
      ["action: delete-schedule, schedule: s-n", "unknown-id", "this delete-schedule removes it"],
      [
        'action: create-schedule, schedule: s-n, account: acct-n, cron: "* * * * *"',
        "duplicate-id",
        "this create-schedule is taken",
      ],
    ] as const;
    for (const [step, code, action] of cases) {
      const issue = onlyIssue(anewThen("+3m", step));
      expect(issue, step).toMatchObject({ line: 13, path: ["timeline", 2, "schedule"], code });
      expect(issue.message).toContain(
        'the account "acct-n", deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[0]) and created anew by create-account at +3m (2026-05-08T09:33:00Z, timeline[1]), which does not bring back the schedules its cleanup removed',
      );
      expect(issue.message).toContain(`whether ${action} or does nothing depends on the variant`);
    }
  });

  it("accepts actions in run order even when the list is not, and a re-creation after a deletion", () => {
    expect(
      issuesOf(`  - { at: "+3m", action: delete-schedule, schedule: s-new }
  - { at: "+1m", action: create-account, account: acct-new }
  - { at: "+2m", action: create-schedule, schedule: s-new, account: acct-new, cron: "* * * * *" }
  - { at: "+4m", action: create-schedule, schedule: s-new, account: acct-new, cron: "* * * * *" }
  - { at: "+5m", action: delete-account, account: acct-new }
faults:
  - { at: "+1m", fault: hang, schedule: s-new }
`),
    ).toEqual([]);
  });
});

describe("generated schedules, per seed", () => {
  const named = '  - { at: "+1m", action: delete-schedule, schedule: sched-000010 }\n';

  it("counts the schedules a seed generates as the world does", () => {
    const parsed = parseScenario(`${HEAD}  []\n`, "s.yaml");
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    for (const seed of [1, 2, 3, 17]) {
      const compiled = compileScenario(parsed.scenario);
      const world = new World({ ...compiled.config, seed }, { schedulers: bundledSchedulers() });
      world.start();
      const generated = [...world.store.schedules.keys()].filter((id) => id.startsWith("sched-"));
      const shape = { accounts: 5, schedulesPerAccount: { min: 1, max: 2 }, cronWeights: [1] };
      expect(generatedScheduleCount(shape, seed)).toBe(generated.length);
    }
  });

  it("refuses a generated schedule the scenario's seed does not generate, though another seed might", () => {
    const issue = onlyIssue(named);
    expect(issue).toMatchObject({
      line: 11,
      column: 53,
      path: ["timeline", 0, "schedule"],
      code: "unknown-id",
    });
    expect(issue.message).toBe(
      'timeline[0].schedule: no schedule has the id "sched-000010" with seed 1: that seed generates 8 schedules (sched-000001..sched-000008); how many depends on the seed (every seed generates sched-000001..sched-000005)',
    );
  });

  it("checks a scenario run at another seed, or at many, against what those seeds generate", () => {
    const parsed = parseScenario(
      `${HEAD}  - { at: "+1m", action: delete-schedule, schedule: sched-000008 }\n`,
      "s.yaml",
    );
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(checkIdRefsAtSeed(parsed.scenario, 1)).toEqual([]);
    const [other] = checkIdRefsAtSeed(parsed.scenario, 2);
    expect(other).toMatchObject({ file: "s.yaml", line: 11, column: 53, code: "unknown-id" });
    expect(other.message).toContain("with seed 2: that seed generates 5 schedules");
    const [sweep] = checkIdRefsAtSeed(parsed.scenario, "every-seed");
    expect(sweep.message).toContain('only some seeds generate the schedule "sched-000008"');
    const safe = parseScenario(
      `${HEAD}  - { at: "+1m", action: delete-schedule, schedule: sched-000005 }\n`,
      "s.yaml",
    );
    if (!safe.ok) throw new Error(formatIssues(safe.issues));
    expect(checkIdRefsAtSeed(safe.scenario, "every-seed")).toEqual([]);
  });
});

describe("schedules of a deleted generated account", () => {
  /** HEAD with two crons in the mix (line 10) and a seed: at seed 1 acct-00001 has sched-000001 (every 3 minutes) and sched-000002 (every 10), at seed 2 sched-000001 only. */
  const mixed = (seed: number, timeline: string) =>
    HEAD.replace("duration: 20m", `duration: 20m\nseed: ${seed}`).replace(
      "  named:",
      '  cron: [{ expr: "*/10 * * * *" }, { expr: "*/3 * * * *" }]\n  named:',
    ) + timeline;
  const deletion = '  - { at: "+1m30s", action: delete-account, account: acct-00001 }\n';

  it("says whose a reused generated id still is, drawn at the seed as the world draws it, as for a named one", () => {
    const issue = onlyIssueOf(
      mixed(
        1,
        `${deletion}  - { at: "+5m", action: create-schedule, schedule: sched-000002, account: acct-n, cron: "* * * * *" }\n`,
      ),
    );
    // The cleanup comes with sched-000001's fire at 09:33, before sched-000002's own at 09:40.
    expect([issue.line, issue.column, issue.code, issue.message]).toEqual([
      14,
      53,
      "duplicate-id",
      'timeline[1].schedule: the id "sched-000002" still belongs to a schedule of the account "acct-00001", deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[0]): a deleted account\'s schedules stay in the store until a task of one of them runs and removes them all, normally at their next fire, 2026-05-08T09:33:00Z, but never with a scheduler lacking the early-return fix (its task panics after the cleanup, which rolls back), so whether this create-schedule is taken or does nothing depends on the variant; give the new schedule an id of its own, or delete-schedule "sched-000002" no later than 2026-05-08T09:33:00Z, while every scheduler still has it',
    ]);
    // The world draws the same owner and crons.
    const parsed = parseScenario(mixed(1, "  []\n"), "s.yaml");
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    const world = new World(compileScenario(parsed.scenario).config, { schedulers: bundledSchedulers() });
    world.start();
    const row = (id: string) => world.store.schedules.get(id);
    expect([row("sched-000001")?.account, row("sched-000001")?.cron.text]).toEqual([
      "acct-00001",
      "*/3 * * * *",
    ]);
    expect([row("sched-000002")?.account, row("sched-000002")?.cron.text]).toEqual([
      "acct-00001",
      "*/10 * * * *",
    ]);
  });

  it("refuses deleting one after its cleanup, at the seed a command runs", () => {
    // At seed 2, sched-000002 is acct-00002's, which is not deleted.
    const parsed = parseScenario(
      mixed(2, `${deletion}  - { at: "+5m", action: delete-schedule, schedule: sched-000002 }\n`),
      "s.yaml",
    );
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(checkIdRefsAtSeed(parsed.scenario, 2)).toEqual([]);
    const [issue, ...rest] = checkIdRefsAtSeed(parsed.scenario, 1);
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ file: "s.yaml", line: 14, column: 53, code: "unknown-id" });
    expect(issue.message).toContain(
      'the schedule "sched-000002" belongs to the account "acct-00001", deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[0]): a deleted account\'s schedules stay in the store until a task of one of them runs and removes them all, normally at their next fire, 2026-05-08T09:33:00Z,',
    );
  });
});

describe("schedules of a deleted generated account, for a sweep of seeds", () => {
  /** HEAD deleting acct-00001 at +1m30s, with a cron mix; the timeline's second entry is on line 14. */
  const mixed = (timeline: string, cron = '[{ expr: "*/10 * * * *" }, { expr: "*/3 * * * *" }]') =>
    `${HEAD.replace("duration: 20m", "duration: 20m\nseed: 1").replace("  named:", `  cron: ${cron}\n  named:`)}  - { at: "+1m30s", action: delete-account, account: acct-00001 }\n${timeline}`;
  /** The issues of `text` read for a command that runs it at `seed`, or at the seeds of a sweep. */
  const issuesAt = (text: string, seed: SeedsToRun): readonly ScenarioIssue[] => {
    const result = parseScenario(text, "s.yaml", { seed });
    return result.ok ? [] : result.issues;
  };
  const reuse = (id: string) =>
    `  - { at: "+5m", action: create-schedule, schedule: ${id}, account: acct-n, cron: "* * * * *" }\n`;

  it("says whose a reused generated id still is, word for word as at one seed, when every seed of the sweep agrees", () => {
    // sched-000001 is acct-00001's at every seed; with one cron, its cleanup comes at 09:32 at every seed.
    const text = mixed(reuse("sched-000001"), '[{ expr: "* * * * *" }]');
    const atOne = issuesAt(text, 1);
    expect(atOne.map((i) => i.message)).toEqual([
      expect.stringContaining(
        'the id "sched-000001" still belongs to a schedule of the account "acct-00001"',
      ),
    ]);
    expect(issuesAt(text, { count: 20 })).toEqual(atOne);
    expect(issuesAt(text, { first: 40, count: 3 })).toEqual(atOne);
  });

  it("says at which seed of the sweep, when whose it is or its cleanup depends on the seed", () => {
    // acct-00001 has sched-000002 at seeds 1 and 3, not at seed 2.
    const text = mixed(reuse("sched-000002"));
    const [sweep, ...rest] = issuesAt(text, { first: 2, count: 2 });
    expect(rest).toEqual([]);
    expect(sweep).toMatchObject({ line: 14, column: 53, code: "duplicate-id" });
    const [atThree] = issuesAt(text, 3);
    expect(sweep.message).toBe(
      atThree.message.replace(
        "timeline[1].schedule: ",
        "timeline[1].schedule: with seed 3 (one of the seeds this command runs), ",
      ),
    );
    expect(sweep.message).toContain('still belongs to a schedule of the account "acct-00001"');
  });

  it("refuses deleting one after its cleanup at any seed of the sweep, and not when no seed makes it one", () => {
    const late = mixed('  - { at: "+5m", action: delete-schedule, schedule: sched-000002 }\n');
    expect(issuesAt(late, 2)).toEqual([]);
    expect(issuesAt(late, { first: 2, count: 1 })).toEqual([]);
    const [issue, ...rest] = issuesAt(late, { first: 2, count: 2 });
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ line: 14, column: 53, code: "unknown-id" });
    expect(issue.message).toContain(
      'timeline[1].schedule: with seed 3 (one of the seeds this command runs), the schedule "sched-000002" belongs to the account "acct-00001", deleted by delete-account at +1m30s (2026-05-08T09:31:30Z, timeline[0])',
    );
    // A parsed scenario checked again for a sweep (gate --explore) says the same.
    const parsed = parseScenario(late, "s.yaml", { seed: 2 });
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(checkIdRefsAtSeed(parsed.scenario, { first: 2, count: 2 })).toEqual([issue]);
  });

  it("keeps the warning of a quarantine after the cleanup at a seed of the sweep, as a warning", () => {
    const late = mixed('  - { at: "+5m", action: quarantine-schedule, schedule: sched-000002 }\n');
    const parsed = parseScenario(late, "s.yaml", { seed: 2 });
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    expect(parsed.warnings).toEqual([]);
    const again = checkIdRefsAtSeed(parsed.scenario, { first: 2, count: 2 });
    expect(again).toEqual([
      expect.objectContaining({ line: 14, column: 57, code: "not-applied", severity: "warning" }),
    ]);
    expect(again[0].message).toContain("with seed 3 (one of the seeds this command runs)");
    // A run at a seed that warns runs: a warning never stops it.
    expect(runScenario(parsed.scenario, { seed: 3, variant: "fixed" }).report.seed).toBe(3);
  });
});

describe("named ids the workload generates too", () => {
  /** HEAD with the named account and its schedule given other ids (line 10 of the file). */
  const withNamed = (account: string, schedule: string, seed = 1) =>
    `${HEAD.replace("acct-n", account).replace("s-n", schedule).replace("duration: 20m", `duration: 20m\nseed: ${seed}`)}  []\n`;

  it("refuses a named schedule with a generated id at its line, where the run would halt", () => {
    const text = withNamed("acct-n", "sched-000001");
    const result = parseScenario(text, "s.yaml");
    const issues = result.ok ? [] : result.issues;
    expect(issues, formatIssues(issues)).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      line: 10,
      column: 43,
      path: ["workload", "named", 0, "schedules", 0, "id"],
      code: "duplicate-id",
      expected: "an id the workload never generates: not sched-000001..sched-000010",
    });
    expect(issues[0].message).toBe(
      'workload.named[0].schedules[0].id: a schedule with the id "sched-000001" already exists (the workload generates it at every seed): two schedules cannot share an id, so the run would halt when the generated one is created; give the named schedule another id',
    );
    // Refused as bad input, never as the world's broken invariant.
    expect(() => runScenario(text)).toThrow(/already exists \(the workload generates it at every seed\)/);
  });

  it("refuses a named account with a generated id, which the world would merge with the generated one", () => {
    const result = parseScenario(withNamed("acct-00005", "s-n"), "s.yaml");
    const issues = result.ok ? [] : result.issues;
    expect(issues, formatIssues(issues)).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      line: 10,
      column: 17,
      path: ["workload", "named", 0, "id"],
      code: "duplicate-id",
    });
    expect(issues[0].message).toContain(
      'an account with the id "acct-00005" already exists (the workload generates it): the world would make the two one account',
    );
    // acct-00006 is beyond workload.accounts, and acct-5 is not a form the world makes.
    expect(parseScenario(withNamed("acct-00006", "s-n"), "s.yaml").ok).toBe(true);
    expect(parseScenario(withNamed("acct-5", "s-n"), "s.yaml").ok).toBe(true);
  });

  it("says at which seeds a named schedule's id is generated when that depends on the seed", () => {
    // Seed 1 generates 8 schedules, seed 2 five: sched-000007 exists only at some seeds.
    const atOne = parseScenario(withNamed("acct-n", "sched-000007", 1), "s.yaml");
    expect(atOne.ok ? [] : atOne.issues.map((i) => i.message)).toEqual([
      'workload.named[0].schedules[0].id: a schedule with the id "sched-000007" already exists (the workload generates it with seed 1, which draws 8 schedules; every seed draws 5 or more): two schedules cannot share an id, so the run would halt when the generated one is created; give the named schedule another id',
    ]);
    const atTwo = parseScenario(withNamed("acct-n", "sched-000007", 2), "s.yaml");
    if (!atTwo.ok) throw new Error(formatIssues(atTwo.issues));
    expect(checkIdRefsAtSeed(atTwo.scenario, 2)).toEqual([]);
    expect(checkIdRefsAtSeed(atTwo.scenario, 1).map((i) => i.path.join("."))).toEqual([
      "workload.named.0.schedules.0.id",
    ]);
    const [sweep] = checkIdRefsAtSeed(atTwo.scenario, "every-seed");
    expect(sweep).toMatchObject({ file: "s.yaml", line: 10, column: 43, code: "duplicate-id" });
    expect(sweep.message).toContain(
      'a schedule with the id "sched-000007" may already exist (the workload generates it with some seeds, those that draw 7 schedules or more, and this command runs several seeds)',
    );
    expect(() => runScenario(atTwo.scenario, { seed: 1 })).toThrow(/with seed 1, which draws 8 schedules/);
  });

  it("says the same of a create-schedule of an id only some seeds generate", () => {
    const parsed = parseScenario(
      `${HEAD}  - { at: "+1m", action: create-schedule, schedule: sched-000007, account: acct-n, cron: "* * * * *" }\n`.replace(
        "duration: 20m",
        "duration: 20m\nseed: 2",
      ),
      "s.yaml",
    );
    if (!parsed.ok) throw new Error(formatIssues(parsed.issues));
    const [sweep] = checkIdRefsAtSeed(parsed.scenario, "every-seed");
    expect(sweep.message).toBe(
      'timeline[0].schedule: a schedule with the id "sched-000007" may already exist at +1m (the workload generates it with some seeds, those that draw 7 schedules or more, and this command runs several seeds): the create-schedule would do nothing',
    );
    expect(checkIdRefsAtSeed(parsed.scenario, 1)[0].message).toContain(
      "already exists at +1m (the workload generates it with seed 1, which draws 8 schedules; every seed draws 5 or more)",
    );
  });
});

describe("a pause, resume or quarantine the file shows would change nothing", () => {
  it("is warned of at its schedule, as the run traces it not applied; one that changes something is not", () => {
    const result = parseScenario(
      `${HEAD}  - { at: "+1m", action: pause-schedule, schedule: s-n }
  - { at: "+2m", action: pause-schedule, schedule: s-n }
  - { at: "+3m", action: pause-schedule, schedule: s-n, paused: false }
  - { at: "+4m", action: pause-schedule, schedule: s-n, paused: false }
  - { at: "+5m", action: quarantine-schedule, schedule: s-n }
  - { at: "+6m", action: quarantine-schedule, schedule: s-n }
  - { at: "+7m", action: pause-schedule, schedule: s-n, paused: false }
`,
      "s.yaml",
    );
    expect(result.ok).toBe(true);
    const warnings = result.ok ? result.warnings : [];
    expect(warnings.map((w) => [w.line, w.path.join("."), w.code])).toEqual([
      [12, "timeline.1.schedule", "not-applied"],
      [14, "timeline.3.schedule", "not-applied"],
      [16, "timeline.5.schedule", "not-applied"],
      [17, "timeline.6.schedule", "not-applied"],
    ]);
    expect(warnings.map((w) => w.message.replace(/^timeline\[\d\]\.schedule: /, ""))).toEqual([
      'at +2m the schedule "s-n" is paused already, so this pause-schedule changes nothing; the run traces it as not applied',
      'at +4m the schedule "s-n" is not paused, so this pause-schedule changes nothing; the run traces it as not applied',
      'at +6m the schedule "s-n" is quarantined already, so this quarantine-schedule changes nothing; the run traces it as not applied',
      'at +7m the schedule "s-n" is quarantined: a quarantine is for good, and a resume does not lift it, so this pause-schedule changes nothing; the run traces it as not applied',
    ]);
  });

  it("is not warned of for a step after the run ends, which never runs (refused as such)", () => {
    const result = parseScenario(
      `${HEAD}  - { at: "+5m", action: pause-schedule, schedule: s-n }
  - { at: "+25m", action: pause-schedule, schedule: s-n }
`,
      "s.yaml",
    );
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.filter((i) => i.message.includes("changes nothing"))).toEqual([]);
    expect(issues.some((i) => i.message.includes("after the run ends"))).toBe(true);
  });
});
