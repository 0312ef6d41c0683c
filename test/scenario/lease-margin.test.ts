// Shows that validate warns of a lease TTL whose margin over the heartbeat a renewal's store call can use up (code lease-margin), still accepts the scenario, and that the warning's bound is the world's: leases are lost at its limit and kept one ms above it.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";
import { storeLatencyMaxMs } from "../../src/world/config.js";
import { eventsOf, FIXED, MIN, runWorld, smallWorldConfig } from "../world/helpers.js";

const HEAD =
  "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\nworkload: { accounts: 2 }\n";

function warnings(settings: string) {
  const result = parseScenario(`${HEAD}${settings}`, "s.yaml");
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
  return result.warnings.filter((w) => w.code === "lease-margin");
}

describe("a lease barely longer than the heartbeat", () => {
  it("is warned of at fleet.leaseTtl, with the lease that would keep it, and the scenario still runs", () => {
    const found = warnings("fleet: { leaseTtl: 5001ms, heartbeat: 5s }\nstore: { latency: 2ms }\n");
    expect(found.map((w) => [w.severity, w.path.join("."), w.line, w.expected, w.found])).toEqual([
      ["warning", "fleet.leaseTtl", 6, "a leaseTtl longer than 5s3ms", "5s1ms"],
    ]);
    expect(found[0].message).toBe(
      "fleet.leaseTtl: the lease (5s1ms) is only 1ms longer than the heartbeat (5s), and a renewal lands one " +
        "store call after the heartbeat, up to 3ms later (store latency 2ms ±50 %): a lease runs out before its " +
        "renewal whenever that call takes 1ms or more, and is lost (lease.expired, then lease.lost)",
    );
  });

  it("is warned of up to the heartbeat plus the store's slowest call, and not above it", () => {
    const at = (ttl: string, latency: string) =>
      warnings(`fleet: { leaseTtl: ${ttl}, heartbeat: 5s }\nstore: { latency: ${latency} }\n`).length;
    expect([at("5003ms", "2ms"), at("5004ms", "2ms")]).toEqual([1, 0]);
    // 3 ms ±50 % is at most 4 ms a call (4.5 is never reached, so never rounded up to 5).
    expect([at("5004ms", "3ms"), at("5005ms", "3ms")]).toEqual([1, 0]);
    // A store with no latency renews at the heartbeat itself: any lease longer is kept.
    expect(at("5001ms", "0ms")).toBe(0);
  });

  it("points at the heartbeat, or the store's latency, when the lease is the default", () => {
    const path = (settings: string) => warnings(settings).map((w) => w.path.join("."));
    expect(path("fleet: { heartbeat: 29999ms }\n")).toEqual(["fleet.heartbeat"]);
    expect(path("store: { latency: 20s }\n")).toEqual(["store.latency"]);
    // The defaults (30 s lease, 5 s heartbeat, 2 ms store) leave a wide margin.
    expect(path("fleet: { workers: 2 }\n")).toEqual([]);
  });

  it("is not warned of again when the heartbeat is no shorter than the lease, an error of its own", () => {
    const result = parseScenario(`${HEAD}fleet: { leaseTtl: 5s, heartbeat: 5s }\n`, "s.yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => i.code)).toEqual(["conflict"]);
  });
});

describe("the warning's bound", () => {
  const expiredAt = (latencyMs: number, leaseTtlMs: number): number => {
    const config = smallWorldConfig({
      workers: 2,
      accounts: 5,
      fixes: FIXED,
      deleteAtMs: null,
      durationMs: 4 * MIN,
      fleet: { heartbeatMs: 5_000, leaseTtlMs },
      store: { latencyMs },
    });
    return eventsOf(runWorld(config).events, "lease.expired").length;
  };

  it("is where the world starts losing leases at renewals", () => {
    for (const latencyMs of [2, 3]) {
      const limit = 5_000 + storeLatencyMaxMs(latencyMs);
      expect(expiredAt(latencyMs, limit), `${latencyMs} ms, lease ${limit}`).toBeGreaterThan(0);
      expect(expiredAt(latencyMs, limit + 1), `${latencyMs} ms, lease ${limit + 1}`).toBe(0);
    }
  });
});
