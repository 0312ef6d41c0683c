// Shows that validate warns of a fleet whose handoff after a crash (lease TTL, rebalance, start-up, and for a lone worker the back-off its crashes reach) outlasts the quiet bound of deliveries-on-time-after-quiet (code quiet-bound), and of nothing within it.
import { describe, expect, it } from "vitest";
import { QUIET_BOUND_MS_MIN as CHECKS_BOUND_MS_MIN } from "../../src/checks/index.js";
import { parseScenario } from "../../src/scenario/index.js";
import { QUIET_BOUND_MS_MIN } from "../../src/scenario/quiet-bound.js";

const HEAD =
  "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 30m\nworkload: { accounts: 2 }\n";
const KILL = 'faults: [{ at: "09:35", fault: kill-worker, worker: w1 }]\n';

function warnings(settings: string) {
  const result = parseScenario(`${HEAD}${settings}`, "s.yaml");
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
  return result.warnings.filter((w) => w.code === "quiet-bound");
}

describe("a handoff longer than the quiet bound", () => {
  it("is warned of at fleet.leaseTtl, with what the handoff takes and the bound", () => {
    const found = warnings(`fleet: { workers: 3, leaseTtl: 8m }\n${KILL}`);
    expect(found.map((w) => [w.severity, w.path.join("."), w.expected, w.found])).toEqual([
      ["warning", "fleet.leaseTtl", "a handoff of at most 5m", "8m25s"],
    ]);
    expect(found[0].message).toBe(
      "fleet.leaseTtl: a crash's handoff may take 8m25s (leaseTtl 8m + rebalanceInterval 10s + startupTime 15s), " +
        "longer than the quiet bound of deliveries-on-time-after-quiet, max(5m, 2 × slo) = 5m: dues that fall due " +
        "in between may be late with a scheduler that does everything right, and fail the property (raise slo, or shorten fleet.leaseTtl, 8m of it)",
    );
  });

  it("counts the supervisor's back-off for a fleet of one worker: backoffInitial after one crash, and a longer SLO widens the bound", () => {
    expect(warnings(`fleet: { workers: 2 }\n${KILL}`)).toEqual([]);
    // One kill: restarted after backoffInitial (10s), handed off in 1m5s.
    expect(warnings(`fleet: { workers: 1 }\n${KILL}`)).toEqual([]);
    const slow = warnings(`fleet: { workers: 1, supervisor: { backoffInitial: 5m } }\n${KILL}`);
    expect(slow.map((w) => [w.path.join("."), w.found])).toEqual([["fleet", "5m55s"]]);
    expect(slow[0].message).toContain(
      "(leaseTtl 30s + rebalanceInterval 10s + startupTime 15s + the supervisor's backoffInitial 5m, for a fleet of one worker)",
    );
    expect(slow[0].message).toContain("(raise slo, or shorten fleet.supervisor.backoffInitial, 5m of it)");
    expect(warnings(`fleet: { workers: 1, supervisor: { backoffInitial: 5m } }\nslo: 3m\n${KILL}`)).toEqual(
      [],
    );
    expect(warnings(`fleet: { workers: 3, leaseTtl: 4m35s }\n${KILL}`)).toEqual([]);
    expect(warnings(`fleet: { workers: 3, leaseTtl: 4m36s }\n${KILL}`)).toHaveLength(1);
  });

  it("counts the back-off that crashes within resetAfter of each other reach, up to backoffMax", () => {
    const kills = (times: readonly string[]) =>
      `faults: [${times.map((t) => `{ at: "${t}", fault: kill-worker, worker: w1 }`).join(", ")}]\n`;
    // Each kill after the worker is back from the last back-off (a kill during one finds no process).
    const crashLoop = ["09:35", "09:36", "09:37", "09:39", "09:42", "09:47"];
    // The sixth restart waits 10s × 2^5 = 5m20s, capped at backoffMax 5m.
    const capped = warnings(`fleet: { workers: 1 }\n${kills(crashLoop)}`);
    expect(capped.map((w) => w.found)).toEqual(["5m55s"]);
    expect(capped[0].message).toContain(
      "+ the supervisor's backoffMax 5m, reached by 6 crashes within resetAfter 10m of a restart, for a fleet of one worker",
    );
    expect(capped[0].message).toContain("(raise slo, or shorten fleet.supervisor.backoffMax, 5m of it)");
    // Five reach 2m40s: within the bound. An injected panic is a crash each time it throws.
    expect(warnings(`fleet: { workers: 1 }\n${kills(crashLoop.slice(0, 5))}`)).toEqual([]);
    const panics = 'faults: [{ at: "09:35", fault: inject-panic, point: before-delivery, count: 6 }]\n';
    expect(warnings(`fleet: { workers: 1 }\n${panics}`).map((w) => w.found)).toEqual(["5m55s"]);
    // A back-off reset between them: each crash waits backoffInitial again.
    expect(warnings(`fleet: { workers: 1, supervisor: { resetAfter: 50s } }\n${kills(crashLoop)}`)).toEqual(
      [],
    );
    // A restart or a deploy between the kills replaces the process: the supervisor counts anew.
    const timeline = (action: string) =>
      `timeline: [${["09:35:30", "09:36:30", "09:38", "09:40", "09:44"]
        .map((t) => `{ at: "${t}", ${action} }`)
        .join(", ")}]\n`;
    expect(
      warnings(`fleet: { workers: 1 }\n${kills(crashLoop)}${timeline("action: restart-worker, worker: w1")}`),
    ).toEqual([]);
    expect(
      warnings(
        `fleet: { workers: 1 }\n${kills(crashLoop)}${timeline("action: deploy, scheduler: v2, fixes: [early-return]")}`,
      ),
    ).toEqual([]);
    // Kills a minute apart: the fifth comes while the worker waits out its fourth back-off, 1m20s.
    const minutely = ["09:35", "09:36", "09:37", "09:38", "09:39", "09:40", "09:41"];
    expect(warnings(`fleet: { workers: 1 }\n${kills(minutely)}`)).toEqual([]);
  });

  it("takes the checks' own bound", () => {
    expect(QUIET_BOUND_MS_MIN).toBe(CHECKS_BOUND_MS_MIN);
  });

  it("is not warned of in a scenario where nothing may stop a worker", () => {
    expect(warnings("fleet: { workers: 3, leaseTtl: 8m }\n")).toEqual([]);
    const deletion = 'timeline: [{ at: "09:35", action: delete-account, account: acct-00001 }]\n';
    const skew = 'faults: [{ at: "09:35", fault: clock-skew, worker: w1, skew: 1m }]\n';
    expect(warnings(`fleet: { workers: 1 }\n${deletion}${skew}`)).toEqual([]);
    expect(
      warnings(
        `fleet: { workers: 3, leaseTtl: 8m }\ntimeline: [{ at: "09:35", action: restart-worker, worker: w1 }]\n`,
      ),
    ).toHaveLength(1);
  });
});
