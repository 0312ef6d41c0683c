// Shows that leases which expire while their holders are up (a stall, the store out of reach) are told as one key event per burst, with who held them and who took them, while expiries a crash caused are left to the crash's own entry.
import { describe, expect, it } from "vitest";
import { computeReport } from "../../src/checks/index.js";
import { at, SEC, TraceBuilder } from "./trace-builder.js";

/** A lease of `worker` on `partition` that ran out at `expiredAt`, found now (cause: `cause`). */
function expired(
  b: TraceBuilder,
  worker: string,
  partition: number,
  expiredAt: number,
  cause: number | null = null,
) {
  return b.emit("lease.expired", { worker, partition, token: partition + 1, expiredAt }, { cause });
}

function acquired(b: TraceBuilder, worker: string, partition: number, previous: string | null = null) {
  return b.emit("lease.acquired", { worker, partition, token: 100 + partition, previous });
}

function keyEvents(b: TraceBuilder): string[] {
  return computeReport(b.events)
    .timeline.filter((e) => e.type === "lease.expired")
    .map((e) => `${e.t.slice(11, 19)} ${e.text}`);
}

describe("leases that expired while their holders were up", () => {
  it("are one entry per burst: when they ran out, whose they were, and who took them", () => {
    const b = new TraceBuilder();
    b.start({ workers: 3, horizonMin: 30 });
    // A store outage: the renewals of w1 and w2 find their leases gone when it ends.
    b.at(at(5, 30));
    expired(b, "w1", 0, at(5, 10));
    expired(b, "w1", 1, at(5, 10) + 40);
    expired(b, "w2", 2, at(5, 12));
    b.at(at(5, 40));
    acquired(b, "w3", 0);
    acquired(b, "w1", 1);
    acquired(b, "w3", 2);
    // w1 stalls again 10 minutes later: a burst of its own.
    b.at(at(15, 31));
    expired(b, "w1", 1, at(15, 25));
    acquired(b, "w2", 1, "w1");
    expect(keyEvents(b)).toEqual([
      "09:05:30 3 leases of 2 workers expired from 09:05:10 to 09:05:12 while they were up (w1 2, w2 1): not renewed in time (a stall, the store unreachable or slow); 2 taken by another worker, 1 taken back by their holder",
      "09:15:31 a lease of w1 expired at 09:15:25 while w1 was up: not renewed in time (a stall, the store unreachable or slow); 1 taken by another worker",
    ]);
  });

  it("leave out an expiry that a crash caused: the crash tells it", () => {
    const b = new TraceBuilder();
    b.start({ workers: 2, horizonMin: 30 });
    b.at(at(3));
    const crash = b.killed("w1");
    b.at(at(3) + 40 * SEC);
    expired(b, "w1", 0, at(3) + 30 * SEC, crash);
    acquired(b, "w2", 0, "w1");
    expect(keyEvents(b)).toEqual([]);
  });
});
