// Shows `why` on the May 8 replay: each crash's chain follows the one task that killed the worker, in time order.
import { beforeAll, describe, expect, it } from "vitest";
import { causalChain } from "../../src/checks/index.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { may8CascadeEvents } from "../fidelity/may8-scenario.js";

let events: TraceEvent[] = [];

beforeAll(() => {
  events = may8CascadeEvents();
}, 60_000);

/**
 * The first death by sched-deleted-a's task whose chain passes through another poison task's
 * death (that death let the partition go): a task fired many times, over hand-offs of both kinds.
 */
function handedOnCrash(): { crash: TraceEvent; chain: TraceEvent[] } {
  for (const crash of events) {
    if (crash.type !== "worker.crashed" || crash.schedule !== "sched-deleted-a") continue;
    const chain = causalChain(events, crash.seq);
    if (chain.some((e) => e.type === "worker.crashed" && e.task !== crash.task)) return { crash, chain };
  }
  throw new Error("no death of sched-deleted-a's task after another task's death");
}

function checkTaskChain(crash: TraceEvent, chain: readonly TraceEvent[]): void {
  // Context first: the deletion, from the operator's action; then the task, in time order.
  expect(chain.slice(0, 2).map((e) => e.type)).toEqual(["operator.action", "account.deleted"]);
  expect(chain.at(-1)).toMatchObject(crash);
  for (let i = 3; i < chain.length; i++) expect(chain[i].t).toBeGreaterThanOrEqual(chain[i - 1].t);
  const fires = chain.filter((e) => e.type === "schedule.fired");
  expect(fires.length).toBeGreaterThan(0);
  for (const f of fires) {
    expect(f.schedule).toBe(crash.schedule);
    expect(f.task).toBe(crash.task);
  }
  // Every attempt of the task, from the first, none skipped.
  expect(fires.map((f) => f.attempt)).toEqual(fires.map((_, i) => i + 1));
  for (const e of chain.filter((x) => x.type.startsWith("lease."))) expect(e.partition).toBe(crash.partition);
  // A death shown is that of a holder of the partition: a worker dies again only after a new grant.
  const deadSinceGrant = new Set<unknown>();
  for (const e of chain) {
    if (e.type === "lease.acquired") deadSinceGrant.delete(e.worker);
    if (e.type !== "worker.crashed") continue;
    expect(deadSinceGrant.has(e.worker), `${String(e.worker)} died twice without a grant, #${e.seq}`).toBe(
      false,
    );
    deadSinceGrant.add(e.worker);
  }
}

describe("the causal chain of a May 8 crash", () => {
  it("a death by sched-deleted-a follows its task through all its attempts, root first", () => {
    const { crash, chain } = handedOnCrash();
    expect(chain.filter((e) => e.type === "schedule.fired").length).toBeGreaterThan(2);
    checkTaskChain(crash, chain);
    expect(chain.filter((e) => e.type === "schedule.fired")).toHaveLength(Number(chain.at(-2)?.attempt));
  });

  it("holds for every panic death of the cascade", () => {
    const panics = events.filter((e) => e.type === "worker.crashed" && e.reason === "panic");
    expect(panics.length).toBeGreaterThan(20);
    for (const crash of panics) checkTaskChain(crash, causalChain(events, crash.seq));
  });

  it("a hand-off caused by another poison task shows that death, then goes on with this task", () => {
    const { crash, chain } = handedOnCrash();
    const others = chain.filter((e) => e.type === "worker.crashed" && e.task !== crash.task);
    expect(others.length).toBeGreaterThan(0);
    for (const death of others) {
      const i = chain.indexOf(death);
      // The dying worker held the task's partition, and its death expired that lease.
      const held = chain.slice(0, i).findLast((e) => e.type === "lease.acquired");
      expect(held).toMatchObject({ worker: death.worker, partition: crash.partition });
      expect(chain[i + 1]).toMatchObject({ type: "lease.expired", worker: death.worker, cause: death.seq });
    }
  });
});
