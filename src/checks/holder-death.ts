import type { TraceEvent } from "../kernel/trace.js";

/**
 * Whether an event is a worker's death that ends its leases, so that their expiry follows from it
 * rather than from a stall: a crash, a frozen worker killed by a stop (`worker.stopped` with
 * `graceful: false`), or a graceful stop that could not give its leases back in a store outage
 * (`unreleased`). The world decides the same when it traces those expiries (`crashSeqs`), and
 * cannot import checks: keep the two alike.
 */
export function isHolderDeath(e: TraceEvent | undefined): boolean {
  return (
    e?.type === "worker.crashed" ||
    (e?.type === "worker.stopped" && (e.graceful === false || typeof e.unreleased === "number"))
  );
}
