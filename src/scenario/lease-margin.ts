import { storeLatencyMaxMs } from "../world/config.js";
import { HEARTBEAT_DEFAULT, LEASE_TTL_DEFAULT, STORE_LATENCY_DEFAULT } from "./defaults.js";
import { formatDurationText, schemaDefaultMs } from "./duration.js";
import type { PathKey, UnplacedIssue } from "./issue.js";
import { where } from "./issue.js";
import { durationOr, field } from "./raw-fields.js";

/**
 * A lease TTL too close to the heartbeat, warned of (a run accepts it: a user may model a bad
 * setting on purpose). A worker's heartbeat waits `heartbeat`, then asks the store, which renews
 * the leases when the call lands, one store latency later (jittered ±50 %); the store takes a
 * lease for run out at its expiry (`expiresAt <= now`). So a renewal lands up to `heartbeat` plus
 * the store's worst latency after the one before, and a lease renewed to `leaseTtl` after that
 * runs out before it unless `leaseTtl` is longer than both: with a TTL of 5001 ms, a heartbeat of
 * 5 s and a store of 2 ms (1 to 3 ms a call), leases are lost at almost every renewal though
 * every property holds. A `store-latency` fault adds its latency to every renewal in its window,
 * and a refused renewal (`store.failureRate`) leaves the next a whole heartbeat later: those are
 * disturbances a scenario sets up on purpose, and not warned of.
 */
export function checkLeaseMargin(data: unknown): UnplacedIssue[] {
  const fleet = field(data, "fleet");
  const leaseTtl = durationOr(field(fleet, "leaseTtl"), schemaDefaultMs(LEASE_TTL_DEFAULT));
  const heartbeat = durationOr(field(fleet, "heartbeat"), schemaDefaultMs(HEARTBEAT_DEFAULT));
  const latency = durationOr(field(field(data, "store"), "latency"), schemaDefaultMs(STORE_LATENCY_DEFAULT));
  if (leaseTtl === null || heartbeat === null || latency === null) return [];
  // A heartbeat no shorter than the lease is an error of its own (`conflict`).
  if (heartbeat >= leaseTtl) return [];
  const worstMs = storeLatencyMaxMs(latency);
  const renewalMs = heartbeat + worstMs;
  if (leaseTtl > renewalMs) return [];
  const path: PathKey[] =
    field(fleet, "leaseTtl") !== undefined
      ? ["fleet", "leaseTtl"]
      : field(fleet, "heartbeat") !== undefined
        ? ["fleet", "heartbeat"]
        : ["store", "latency"];
  const text = formatDurationText;
  return [
    {
      severity: "warning",
      path,
      code: "lease-margin",
      message:
        `${where(path)}the lease (${text(leaseTtl)}) is only ${text(leaseTtl - heartbeat)} longer than the heartbeat ` +
        `(${text(heartbeat)}), and a renewal lands one store call after the heartbeat, up to ${text(worstMs)} later ` +
        `(store latency ${text(latency)} ±50 %): a lease runs out before its renewal whenever that call takes ` +
        `${text(leaseTtl - heartbeat)} or more, and is lost (lease.expired, then lease.lost)`,
      expected: `a leaseTtl longer than ${text(renewalMs)}`,
      found: text(leaseTtl),
    },
  ];
}
