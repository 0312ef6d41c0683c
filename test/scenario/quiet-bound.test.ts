// Shows that validate warns of a fleet whose handoff after a crash (lease TTL, rebalance, start-up, and back-off for a lone worker) outlasts the quiet bound of deliveries-on-time-after-quiet (code quiet-bound), and of nothing within it.
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
        "in between may be late with a scheduler that does everything right, and fail the property (raise slo, or shorten the lease)",
    );
  });

  it("counts the supervisor's back-off for a fleet of one worker, and a longer SLO widens the bound", () => {
    expect(warnings(`fleet: { workers: 2 }\n${KILL}`)).toEqual([]);
    const alone = warnings(`fleet: { workers: 1 }\n${KILL}`);
    expect(alone.map((w) => [w.path.join("."), w.found])).toEqual([["fleet", "5m55s"]]);
    expect(alone[0].message).toContain("+ the supervisor's backoffMax 5m, for a fleet of one worker");
    expect(warnings(`fleet: { workers: 1 }\nslo: 3m\n${KILL}`)).toEqual([]);
    expect(warnings(`fleet: { workers: 3, leaseTtl: 4m35s }\n${KILL}`)).toEqual([]);
    expect(warnings(`fleet: { workers: 3, leaseTtl: 4m36s }\n${KILL}`)).toHaveLength(1);
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
