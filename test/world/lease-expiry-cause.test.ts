// A lease that expires because its holder died names that death as its cause: the first crash of
// the holder after the grant, not a later death of the same worker restarted (which held no lease).
import { beforeAll, expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { may8CascadeEvents } from "../fidelity/may8-scenario.js";
import { eventsOf, FIXED, MIN, runWorld, START, smallWorldConfig } from "./helpers.js";

let events: TraceEvent[] = [];

beforeAll(() => {
  events = may8CascadeEvents();
}, 60_000);

it("links each expired lease to the death of the incarnation that held it", () => {
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const grants = new Map<string, TraceEvent>(); // `${partition}/${token}` -> lease.acquired
  let checked = 0;
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
  }
  // The cascade hands leases on through deaths (a holder that dies again before its old lease
  // runs out, where the latest death is the wrong cause, is the next test's).
  expect(checked).toBeGreaterThan(10);
});

it("names the first death when the holder, restarted, dies again before its old lease runs out", () => {
  // w2 is killed, restarts after its 10 s back-off and is killed again while starting up, before
  // the leases its first process held (renewed at most 5 s before the first kill, for 30 s) run out.
  const firstKill = START + 3 * MIN + 17;
  const config = smallWorldConfig({
    fixes: FIXED,
    accounts: 10,
    deleteAtMs: null,
    durationMs: 6 * MIN,
    timeline: [
      { action: "kill-worker", worker: "w2", atMs: firstKill },
      { action: "kill-worker", worker: "w2", atMs: firstKill + 12_000 },
    ],
  });
  const { events: run } = runWorld(config);
  const deaths = eventsOf(run, "worker.crashed").filter((d) => d.worker === "w2");
  expect(deaths.map((d) => d.t)).toEqual([firstKill, firstKill + 12_000]);
  const expired = eventsOf(run, "lease.expired").filter((e) => e.worker === "w2");
  expect(expired.length).toBeGreaterThan(0);
  for (const e of expired) {
    expect(e.t).toBeGreaterThan(deaths[1].t);
    expect(e.cause).toBe(deaths[0].seq);
  }
});
