// A lease that expires because its holder died names that death as its cause: the first crash of
// the holder after the grant, not a later death of the same worker restarted (which held no lease).
import { beforeAll, expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { may8CascadeEvents } from "../fidelity/may8-scenario.js";

let events: TraceEvent[] = [];

beforeAll(() => {
  events = may8CascadeEvents();
}, 60_000);

it("links each expired lease to the death of the incarnation that held it", () => {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const grants = new Map<string, TraceEvent>(); // `${partition}/${token}` -> lease.acquired
  let checked = 0;
  let laterDeathBeforeExpiry = 0;
  for (const e of events) {
    if (e.type === "lease.acquired") grants.set(`${e.partition}/${e.token}`, e);
    if (e.type !== "lease.expired" || e.cause === null) continue;
    const cause = bySeq.get(e.cause);
    if (cause?.type !== "worker.crashed") continue;
    const grant = grants.get(`${e.partition}/${e.token}`);
    expect(grant, `grant of partition ${e.partition} token ${e.token}`).toBeDefined();
    if (grant === undefined) continue;
    const deaths = events.filter(
      (d) => d.type === "worker.crashed" && d.worker === e.worker && d.seq > grant.seq && d.seq < e.seq,
    );
    expect(cause.worker).toBe(e.worker);
    expect(cause.seq).toBe(deaths[0]?.seq);
    checked++;
    if (deaths.length > 1) laterDeathBeforeExpiry++;
  }
  // The cascade hands leases on through deaths, and some holders die again before their old
  // lease runs out: the case where the latest death is the wrong cause.
  expect(checked).toBeGreaterThan(10);
  expect(laterDeathBeforeExpiry).toBeGreaterThan(0);
});
