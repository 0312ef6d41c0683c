// Shows that a message retry, and all that follows from it, is caused by the failed delivery that asked for it, so causal chains run from a dead letter back to the schedule's fire.
import { beforeAll, describe, expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { DEFAULT_FLEET } from "../../src/world/config.js";
import { FIXED, MIN, runWorld, START, smallWorldConfig } from "./helpers.js";

const TASK_EVENTS = new Set([
  "delivery.sent",
  "delivery.acked",
  "delivery.failed",
  "delivery.dead-lettered",
  "task.committed",
]);

let events: TraceEvent[] = [];
let bySeq = new Map<number, TraceEvent>();

beforeAll(() => {
  // Half the deliveries fail, long enough for retries to run out (QStash's third retry waits
  // about 30 minutes). w1 dies with retries of its partitions queued, and stays down long enough
  // for the others to take its partitions and run them.
  const config = smallWorldConfig({
    fixes: FIXED,
    accounts: 10,
    deleteAtMs: null,
    durationMs: 40 * MIN,
    destination: { failureRate: 0.5 },
    fleet: { supervisor: { ...DEFAULT_FLEET.supervisor, backoffInitialMs: 5 * MIN } },
    timeline: [{ action: "kill-worker", worker: "w1", atMs: START + 4 * MIN + 500 }],
  });
  events = runWorld(config).events;
  bySeq = new Map(events.map((e) => [e.seq, e]));
}, 60_000);

/** A retry task's id is `<message>#<retry number>`. */
function retryOf(e: TraceEvent): { message: string; retry: number } | null {
  const match = /^(.*)#(\d+)$/.exec(String(e.task));
  return match === null ? null : { message: match[1], retry: Number(match[2]) };
}

describe("the cause of a message retry", () => {
  it("is the delivery.failed of the attempt before it, for its send, answer, failure, dead letter and commit", () => {
    const seen = new Map<string, number>();
    const failedOn = new Map<string, string>(); // message#attempt -> worker whose delivery failed
    const handedOn = new Set<string>();
    for (const e of events) {
      if (e.type === "delivery.failed") failedOn.set(`${e.message}#${e.attempt}`, String(e.worker));
      if (!TASK_EVENTS.has(e.type)) continue;
      const retry = retryOf(e);
      if (retry === null) continue;
      const cause = e.cause === null ? undefined : bySeq.get(e.cause);
      const what = `${e.type} #${e.seq} of ${e.task}, caused by ${cause?.type} #${e.cause}`;
      expect(cause?.type, what).toBe("delivery.failed");
      expect(cause?.message, what).toBe(retry.message);
      // A dead letter may follow from this attempt's own failure rather than the one before.
      if (e.type !== "delivery.dead-lettered") expect(cause?.attempt, what).toBe(retry.retry - 1);
      seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
      if (e.type === "delivery.sent" && failedOn.get(`${retry.message}#${retry.retry - 1}`) !== e.worker)
        handedOn.add(String(e.task));
    }
    for (const type of TASK_EVENTS) expect(seen.get(type) ?? 0, type).toBeGreaterThan(0);
    // Some retries ran on another worker than the one whose delivery failed (w1 died).
    expect(handedOn.size).toBeGreaterThan(0);
  });

  it("chains a dead letter back through every failed attempt to the schedule's fire", () => {
    const deadLetters = events.filter((e) => e.type === "delivery.dead-lettered");
    expect(deadLetters.length).toBeGreaterThan(0);
    for (const dead of deadLetters) {
      const chain: TraceEvent[] = [];
      for (
        let e: TraceEvent | undefined = dead;
        e !== undefined;
        e = e.cause === null ? undefined : bySeq.get(e.cause)
      )
        chain.push(e);
      const fired = chain.find((e) => e.type === "schedule.fired");
      expect(fired?.task, `chain of ${dead.task}`).toBe(`${dead.schedule}@${dead.due}`);
      const failed = chain.filter((e) => e.type === "delivery.failed" && e.message === dead.message);
      const attempts = new Set(failed.map((e) => e.attempt));
      for (let attempt = 0; attempt < Number(dead.attempts) - 1; attempt++)
        expect(attempts.has(attempt), `chain of ${dead.task} has failed attempt ${attempt}`).toBe(true);
      // Between the dead letter and the fire, no link jumps to a process start. (Before the fire,
      // the chain goes on to how the worker got the partition, which may start at a start-up.)
      const toFire = chain.slice(0, chain.indexOf(fired as TraceEvent));
      expect(
        toFire.some((e) => e.type === "worker.started"),
        `chain of ${dead.task}`,
      ).toBe(false);
    }
  });
});
