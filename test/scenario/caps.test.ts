// Shows that scenarios too big to run are refused before running, with a message naming what to lower, and that one past its own limits.maxEvents is warned of.
import { describe, expect, it } from "vitest";
import { runScenario } from "../../src/index.js";
import { estimateSize, parseScenario, type ScenarioIssue } from "../../src/scenario/index.js";

const HEAD = "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\n";

function issuesOf(text: string, caps = {}): readonly ScenarioIssue[] {
  const result = parseScenario(text, "big.yaml", { caps });
  return result.ok ? [] : result.issues;
}

describe("size caps", () => {
  it("refuses too many schedules, naming the knobs and their values", () => {
    const issues = issuesOf(`${HEAD}duration: 10m\nworkload:\n  accounts: 100000\n`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      line: 6,
      column: 13,
      path: ["workload", "accounts"],
      code: "too-large",
      expected: "at most 200,000 schedules",
      found: "up to 300,000",
    });
    expect(issues[0].message).toContain("lower workload.accounts (now 100,000)");
    expect(issues[0].message).toContain("workload.schedulesPerAccount.max (now 3)");
  });

  it("refuses a run estimated past twice limits.maxEvents: every run would stop at the limit", () => {
    const issues = issuesOf(`${HEAD}duration: 7d\nworkload:\n  accounts: 20000\n`);
    expect(issues.map((i) => [i.code, i.severity])).toEqual([["too-large", undefined]]);
    expect(issues[0].message).toMatch(
      /about [\d,]+ events .* more than 2 times limits\.maxEvents \(50,000,000\), so every run would stop at the limit: lower workload\.accounts/,
    );
  });

  it("warns of, and does not refuse, a run estimated past limits.maxEvents by less than the estimate can be high; a raised limit silences it", () => {
    const text = `${HEAD}duration: 7d\nworkload:\n  accounts: 20000\nlimits: { maxEvents: 1500000000 }\n`;
    const unlimited = parseScenario(text.replace("1500000000", "10000000000"), "big.yaml");
    const estimate = unlimited.ok ? estimateSize(unlimited.scenario).events : 0;
    expect(estimate).toBeGreaterThan(1_500_000_000);
    expect(estimate).toBeLessThanOrEqual(3_000_000_000);
    const result = parseScenario(text, "big.yaml");
    expect(result.ok, result.ok ? "" : result.issues[0].message).toBe(true);
    const warnings = result.ok ? result.warnings : [];
    expect(warnings.map((w) => [w.code, w.severity])).toEqual([["too-large", "warning"]]);
    expect(warnings[0].message).toMatch(
      /about [\d,]+ events .* more than limits\.maxEvents \(1,500,000,000\)/,
    );
    expect(warnings[0].message).toContain("a rough estimate, meant to be on the high side");
    expect(warnings[0].message).toContain("a run that reaches the limit stops early and is not judged");
    expect(warnings[0].message).toContain("raise limits.maxEvents");
    expect(unlimited.ok && unlimited.warnings).toEqual([]);
  });

  it("still refuses a run estimated past the events cap, whatever limits.maxEvents says", () => {
    for (const limit of ["", "limits: { maxEvents: 500 }\n", "limits: { maxEvents: 10000000000 }\n"]) {
      const issues = issuesOf(`${HEAD}duration: 1h\nworkload:\n  accounts: 100\n${limit}`, {
        eventsMax: 1000,
      });
      expect(
        issues.map((i) => [i.code, i.severity]),
        limit,
      ).toEqual([["too-large", undefined]]);
      expect(issues[0].message).toContain("more than the events cap (1,000)");
    }
  });

  it("names what the events come from, and points at and advises on the largest part", () => {
    const day = `${HEAD}duration: 1d\nworkload: { accounts: 1 }\n`;
    const [samples] = issuesOf(day.replace("duration: 1d\n", "duration: 1d\nsampleInterval: 1ms\n"));
    expect(samples).toMatchObject({ line: 5, column: 17, path: ["sampleInterval"] });
    expect(samples.message).toContain(
      "(172,800,000 from metric samples every 1ms and 1 alert checked at each, 414,720 from scheduler loop ticks every 1s,",
    );
    expect(samples.message).toContain("17,280 from 2,880 schedule fires;");
    expect(samples.message).toContain(
      "so every run would stop at the limit: raise sampleInterval (now 1ms) or have fewer alerts, or shorten duration; or raise limits.maxEvents",
    );
    expect(samples.message).not.toContain("workload.accounts");
    const [heartbeat] = issuesOf(day.replace("duration: 1d\n", "duration: 1d\nfleet: { heartbeat: 1ms }\n"));
    expect(heartbeat).toMatchObject({ line: 5, column: 21, path: ["fleet", "heartbeat"] });
    expect(heartbeat.message).toContain("(691,200,000 from heartbeats of 4 workers every 1ms,");
    expect(heartbeat.message).toContain(": raise fleet.heartbeat (now 1ms), or shorten duration;");
    // The schedules' fires, when they are the most, are still what to lower.
    const [fires] = issuesOf(`${HEAD}duration: 7d\nworkload:\n  accounts: 20000\n`);
    expect(fires).toMatchObject({ line: 6, column: 13, path: ["workload", "accounts"] });
    expect(fires.message).toContain("(2,419,200,000 from 403,200,000 schedule fires, ");
  });

  it("points at limits.maxEvents, else at duration, when the largest part is a default the file does not write", () => {
    // The largest part is the scheduler's loop ticks (scheduler.options.tickMs), written nowhere.
    const quiet = `${HEAD}duration: 2h\n`;
    const [limited] = issuesOf(`${quiet}limits:\n  maxEvents: 9000\n`);
    expect(limited.message).toContain("raise scheduler.options.tickMs (now 1000)");
    // Placed where the file writes the limit; its path still names the largest part, for API users.
    const tickMs = ["scheduler", "options", "tickMs"];
    expect(limited).toMatchObject({ line: 6, column: 14, path: tickMs });
    // The warning of a run past the limit by less than the estimate can be high points there too.
    const warned = parseScenario(`${quiet}limits:\n  maxEvents: 40000\n`, "big.yaml");
    expect(warned.ok && warned.warnings).toEqual([
      expect.objectContaining({ line: 6, column: 14, path: tickMs, severity: "warning" }),
    ]);
    // Past the tool's cap the limit is not what refuses it: the duration, which scales every part.
    const [capped] = issuesOf(`${quiet}limits:\n  maxEvents: 9000\n`, { eventsMax: 1000 });
    expect(capped).toMatchObject({ line: 4, column: 11, path: tickMs });
    const [unlimited] = issuesOf(quiet, { eventsMax: 1000 });
    expect(unlimited).toMatchObject({ line: 4, column: 11, path: tickMs });
    expect(unlimited).not.toHaveProperty("placeAt");
  });

  it("counts how often the cron mix fires: a daily schedule is far cheaper than a per-minute one", () => {
    const daily = `${HEAD}duration: 7d\nworkload:\n  accounts: 20000\n  cron: [{ expr: "0 9 * * *" }]\n`;
    expect(issuesOf(daily)).toEqual([]);
  });

  it("takes caps from the caller, each defaulting when left out", () => {
    const text = `${HEAD}duration: 1h\nworkload:\n  accounts: 100\n`;
    expect(issuesOf(text)).toEqual([]);
    expect(issuesOf(text, { schedulesMax: 100 }).map((i) => i.path)).toEqual([["workload", "accounts"]]);
    const events = issuesOf(text, { eventsMax: 1000 });
    expect(events[0].message).toContain("more than the events cap (1,000)");
    const memory = issuesOf(text, { memoryBytesMax: 1024 });
    expect(memory[0].message).toMatch(/GB of memory.*lower workload\.accounts/);
  });

  it("counts a worker's task slots only as far as there are schedules to run in them", () => {
    // Concurrency is a bound on tasks under way, not memory taken up front.
    expect(issuesOf(`${HEAD}duration: 10m\nfleet: { workers: 256, concurrency: 100000 }\n`)).toEqual([]);
    const issues = issuesOf(
      `${HEAD}duration: 10m\nfleet: { workers: 256, concurrency: 100000 }\nworkload: { accounts: 10000, schedulesPerAccount: { min: 1, max: 1 } }\n`,
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      path: ["fleet", "concurrency"],
      line: 5,
      column: 37,
      code: "too-large",
    });
    expect(issues[0].message).toContain("lower fleet.concurrency (now 100,000)");
  });

  it("refuses a text too long to parse before parsing it", () => {
    const issues = issuesOf(`${HEAD}duration: 1h\n# ${"x".repeat(100)}\n`, { textCharsMax: 80 });
    expect(issues).toEqual([expect.objectContaining({ line: 1, column: 1, code: "too-large", path: [] })]);
  });

  it("checks caps only once everything else is right", () => {
    const issues = issuesOf(`${HEAD}duration: 7d\nworkload:\n  accounts: 100000\nslo: 5\n`);
    expect(issues.map((i) => i.code)).toEqual(["wrong-type"]);
  });
});

describe("size estimate", () => {
  it("grows with accounts, schedules per account, cron frequency and duration", () => {
    const estimate = (body: string) => {
      const result = parseScenario(`${HEAD}${body}`, "e.yaml");
      if (!result.ok) throw new Error(result.issues[0].message);
      return estimateSize(result.scenario);
    };
    const base = estimate(
      "duration: 1h\nworkload: { accounts: 10, schedulesPerAccount: { min: 2, max: 2 } }\n",
    );
    expect(base.schedules).toBe(20);
    expect(base.fires).toBe(20 * 60);
    const longer = estimate(
      "duration: 2h\nworkload: { accounts: 10, schedulesPerAccount: { min: 2, max: 2 } }\n",
    );
    expect(longer.fires).toBe(2 * base.fires);
    expect(longer.events).toBeGreaterThan(base.events);
    const sparse = estimate(
      'duration: 1h\nworkload: { accounts: 10, schedulesPerAccount: { min: 2, max: 2 }, cron: [{ expr: "*/5 * * * *" }] }\n',
    );
    expect(sparse.fires).toBe(base.fires / 5);
    expect(sparse.memoryBytes).toBe(base.memoryBytes);
  });

  it("counts delivery retries, only those that fit before the horizon, and the fleet's timers", () => {
    const body = (faults: string) =>
      `${HEAD}duration: 30m\nfleet: { workers: 3, partitions: 12 }\nworkload: { accounts: 100, schedulesPerAccount: { min: 1, max: 1 }, retries: 20 }\n${faults}`;
    const storm = 'faults: [{ at: "+1m", fault: http-errors, duration: 28m, rate: 1, status: 503 }]\n';
    const sizes = [body(""), body(storm)].map((text) => {
      const result = parseScenario(text, "e.yaml");
      if (!result.ok) throw new Error(result.issues[0].message);
      return {
        estimated: estimateSize(result.scenario).events,
        ran: runScenario(result.scenario).report.run.kernelEvents,
      };
    });
    for (const { estimated, ran } of sizes) {
      // On the high side, and not by so much that a scenario that fits is refused.
      expect(estimated).toBeGreaterThanOrEqual(ran);
      expect(estimated).toBeLessThan(ran * 1.3);
    }
    // 20 retries, but with QStash's back-off only two fit in half an hour.
    expect(sizes[1].estimated - sizes[0].estimated).toBeLessThan(3 * 100 * 28 * 4);
  });

  it("counts the retries of a fault aimed at an account's destination from that account's fires alone", () => {
    const named = '  named: [{ id: acct-x, schedules: [{ id: sx, cron: "* * * * *" }] }]\n';
    const body = (faults: string) =>
      `${HEAD}duration: 30m\nfleet: { workers: 3, partitions: 12 }\nworkload:\n  accounts: 100\n  schedulesPerAccount: { min: 1, max: 1 }\n${named}${faults}`;
    const fault = (aim: string) =>
      `faults: [{ at: "+1m", fault: http-errors, duration: 28m, rate: 1, status: 503${aim} }]\n`;
    const [none, aimed, fleetWide] = [body(""), body(fault(", account: acct-x")), body(fault(""))].map(
      (text) => {
        const result = parseScenario(text, "e.yaml");
        if (!result.ok) throw new Error(result.issues[0].message);
        return {
          estimated: estimateSize(result.scenario).events,
          ran: runScenario(result.scenario).report.run.kernelEvents,
        };
      },
    );
    // On the high side for each.
    for (const { estimated, ran } of [none, aimed, fleetWide]) expect(estimated).toBeGreaterThanOrEqual(ran);
    // The account's one schedule fails: its retries are a hundredth of the fleet-wide fault's.
    const extra = (x: { estimated: number }) => x.estimated - none.estimated;
    expect(extra(aimed)).toBeGreaterThan(0);
    expect(extra(aimed) * 50).toBeLessThan(extra(fleetWide));
  });
});
