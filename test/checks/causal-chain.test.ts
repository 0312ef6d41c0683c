// Shows `why`: a crash's task back to its first fire, or cause links to a root, with the account deletion as context.
import { describe, expect, it } from "vitest";
import {
  causalChain,
  crashCountText,
  crashRangeText,
  findCrash,
  numberedCrashes,
} from "../../src/checks/index.js";
import type { TraceEvent } from "../../src/kernel/index.js";
import { renderCausalChain } from "../../src/report/causal-chain.js";
import { plainPaint } from "../../src/report/paint.js";
import { at, TraceBuilder, task } from "./trace-builder.js";

function incident() {
  const b = new TraceBuilder();
  b.start({ workers: 2 });
  const action = b.at(at(1)).emit("operator.action", { action: "delete-account", detail: "acct-gone" });
  const deletion = b.emit("account.deleted", { account: "acct-gone", schedules: 1 }, { cause: action });
  const lease = b.at(at(2)).emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
  const fired = b.fired("s1", "acct-gone", at(2), "w1", { cause: lease });
  const crash1 = b.panic("w1", "s1", "acct-gone", at(2), { cause: fired });
  const killed = b.at(at(3)).killed("w2");
  const crash2 = b.at(at(4)).panic("w1", "s1", "acct-gone", at(2), { incarnation: 2 });
  return { b, action, deletion, lease, fired, crash1, killed, crash2 };
}

describe("causal chain", () => {
  it("follows the crash's task back to its first fire, with the deletion of its account first", () => {
    const { b, action, deletion, fired, crash1 } = incident();
    const chain = causalChain(b.events, crash1);
    // The deletion from its root (the operator's action), then the task from its first fire, whose
    // own cause (the lease) is not followed and is said to be.
    expect(chain.map((e) => [e.seq, e.link])).toEqual([
      [action, "root"],
      [deletion, "cause"],
      [fired, "context"],
      [crash1, "cause"],
    ]);
    expect(chain[0].context).toContain("the deletion of acct-gone");
    expect(chain[2].context).toBe(
      `the chain follows the task from its first fire; its cause #${chain[2].cause} (lease.acquired) is not followed`,
    );
  });

  it("follows a message's delivery from its fire through each attempt, a retry's included", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1 });
    const lease = b.at(at(2)).lease("w1");
    const fired = b.fired("s1", "acct-1", at(2), "w1", { cause: lease });
    const sent = b.sent("s1", "acct-1", at(2), "w1", { cause: fired });
    const message = `m-s1-${at(2)}`;
    const ofFire = { ...task("w1", "s1", "acct-1", at(2)), message };
    const first = b.emit(
      "delivery.failed",
      { ...ofFire, attempt: 0, status: 500, retryAt: at(2) + 13_000 },
      { cause: fired },
    );
    // The retry is a task of its own; the trace links its send, its failure and the dead letter to
    // the first failure, which scheduled it.
    const retry = { ...ofFire, task: `${message}#1`, attempt: 1 };
    const again = b
      .at(at(2) + 13_000)
      .emit("delivery.sent", { ...retry, destination: "https://example.com/s1" }, { cause: first });
    const second = b.emit("delivery.failed", { ...retry, status: 500, retryAt: null }, { cause: first });
    const dead = b.emit("delivery.dead-lettered", { ...retry, attempts: 2 }, { cause: first });
    // An event of another message is not on its chain.
    b.sent("s2", "acct-1", at(2), "w1", { cause: lease });
    expect(causalChain(b.events, dead).map((e) => e.seq)).toEqual([fired, sent, first, again, second, dead]);
    expect(causalChain(b.events, first).map((e) => e.seq)).toEqual([fired, sent, first]);
  });

  it("shows a quarantine with the sends of its task and their failures, what it answers", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1 });
    const lease = b.at(at(2)).lease("w1");
    const fired = b.fired("s1", "acct-1", at(2), "w1", { cause: lease });
    const sent = b.sent("s1", "acct-1", at(2), "w1", { cause: fired });
    const ofFire = { ...task("w1", "s1", "acct-1", at(2)), message: `m-s1-${at(2)}` };
    const failed = b.emit("delivery.dead-lettered", { ...ofFire, attempts: 1 }, { cause: fired });
    // Another task's send is not on its chain.
    b.sent("s2", "acct-1", at(2), "w1", { cause: lease });
    const quarantined = b.emit(
      "task.quarantined",
      { ...task("w1", "s1", "acct-1", at(2)), attempts: 1 },
      { cause: fired },
    );
    expect(causalChain(b.events, quarantined).map((e) => e.seq)).toEqual([fired, sent, failed, quarantined]);
  });

  it("follows plain cause links for an event of no task", () => {
    const { b, action, deletion, lease } = incident();
    expect(causalChain(b.events, lease).map((e) => e.seq)).toEqual([lease]);
    expect(causalChain(b.events, deletion).map((e) => e.seq)).toEqual([action, deletion]);
  });

  it("does not repeat the deletion when it is already on the chain", () => {
    const { b, action, deletion } = incident();
    expect(causalChain(b.events, deletion).map((e) => e.seq)).toEqual([action, deletion]);
  });

  it("puts the deletion first as the root even when a link of the chain came before it", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1 });
    const lease = b
      .at(at(0))
      .emit("lease.acquired", { worker: "w1", partition: 0, token: 1, previous: null });
    const deletion = b.at(at(1)).emit("account.deleted", { account: "acct-gone", schedules: 1 });
    const fired = b.fired("s1", "acct-gone", at(2), "w1", { cause: lease });
    const cleaned = b.emit(
      "schedule.deleted",
      { schedule: "s1", account: "acct-gone", by: "cleanup", worker: "w1" },
      { cause: fired },
    );
    const chain = causalChain(b.events, cleaned);
    expect(chain.map((e) => e.seq)).toEqual([deletion, lease, fired, cleaned]);
    // The lease did not lead to the deletion, nor the deletion to the lease: two roots, no arrow between.
    const lines = renderCausalChain(chain, plainPaint).split("\n").slice(1);
    expect(lines.map((l) => l.includes("→"))).toEqual([false, false, true, true]);
  });

  it("works on a filtered trace and returns nothing for an unknown seq", () => {
    const { b, lease, fired, crash1 } = incident();
    const partial = b.events.filter((e) => e.seq >= lease);
    expect(causalChain(partial, crash1).map((e) => e.seq)).toEqual([fired, crash1]);
    expect(causalChain(b.events, 9999)).toEqual([]);
  });

  it("finds a crash by worker, by worker#n, or by seq", () => {
    const { b, crash1, crash2, killed } = incident();
    expect(findCrash(b.events, "w1")?.seq).toBe(crash1);
    expect(findCrash(b.events, "w1#2")?.seq).toBe(crash2);
    expect(findCrash(b.events, "w1#3")).toBeUndefined();
    expect(findCrash(b.events, "w2")?.seq).toBe(killed); // never panicked: its first crash
    expect(findCrash(b.events, String(crash2))?.seq).toBe(crash2);
    expect(findCrash(b.events, "w9")).toBeUndefined();
  });

  it("numbers only a worker's panic deaths when it has some, even after it was killed first", () => {
    const b = new TraceBuilder();
    b.start({ workers: 1 });
    const killed = b.at(at(1)).killed("w1");
    const panic = b.at(at(2)).panic("w1", "s1", "acct-gone", at(2), { incarnation: 2 });
    expect(numberedCrashes(b.events, "w1").map((e) => e.seq)).toEqual([panic]);
    expect(findCrash(b.events, "w1")?.seq).toBe(panic);
    expect(findCrash(b.events, "w1#2")).toBeUndefined();
    expect(findCrash(b.events, String(killed))?.seq).toBe(killed);
    expect(crashRangeText("w1#2", b.events)).toBe(
      "w1#2: w1 has 1 panic death, so only #1 (workers that crashed: w1 (1 panic death))",
    );
  });

  it("words a worker's crashes as a count with its noun, one or many", () => {
    expect(crashCountText({ all: 1, panics: 0 })).toBe("1 crash");
    expect(crashCountText({ all: 3, panics: 0 })).toBe("3 crashes");
    expect(crashCountText({ all: 3, panics: 1 })).toBe("1 panic death");
    expect(crashCountText({ all: 3, panics: 2 })).toBe("2 panic deaths");
  });

  it("puts behind a timed-out delivery the http-timeouts fault its send went out under, found by worker and task, a renamed retry by the message it answers", () => {
    const base = { schedule: "s1", account: "a1", partition: 0, due: 0, task: "t1", destination: "d" };
    const trace = (events: readonly Record<string, unknown>[]) =>
      events.map((e, seq) => ({ t: 0, seq, cause: null, type: "", ...e }) as TraceEvent);
    const faultsOf = (events: readonly TraceEvent[], seq: number) =>
      causalChain(events, seq)
        .filter((e) => e.type === "fault.injected")
        .map((e) => e.seq);
    const timeouts = {
      t: 0,
      type: "fault.injected",
      fault: "http-timeouts",
      detail: "",
      probe: 1,
      durationMs: 3000,
    };
    // A retry given a new id: the failure's attempt is the new message's, not the send's.
    const renamed = trace([
      timeouts,
      { t: 1000, type: "delivery.sent", worker: "w1", ...base, message: "m", attempt: 2 },
      {
        t: 31_000,
        type: "delivery.failed",
        worker: "w1",
        ...base,
        message: "m.r",
        attempt: 0,
        status: 0,
        answers: "m",
      },
    ]);
    expect(faultsOf(renamed, 2)).toEqual([0]);
    // w1's send in the window, answered after another worker sent the message again, out of it.
    const resent = trace([
      timeouts,
      { t: 1000, type: "delivery.sent", worker: "w1", ...base, message: "m", attempt: 0 },
      { t: 20_000, type: "delivery.sent", worker: "w2", ...base, message: "m", attempt: 0 },
      { t: 31_000, type: "delivery.failed", worker: "w1", ...base, message: "m", attempt: 0, status: 0 },
    ]);
    expect(faultsOf(resent, 3)).toEqual([0]);
    // A send after the window: no fault behind its timeout.
    const after = trace([
      timeouts,
      { t: 5000, type: "delivery.sent", worker: "w1", ...base, message: "m", attempt: 0 },
      { t: 35_000, type: "delivery.failed", worker: "w1", ...base, message: "m", attempt: 0, status: 0 },
    ]);
    expect(faultsOf(after, 2)).toEqual([]);
  });
});
