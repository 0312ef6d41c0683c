// Shows `why` on a later attempt of a task: the earlier attempt's delivery and the refused commit
// that left the task due again are in its chain, and a lease expiry says when the lease ran out.
import { describe, expect, it } from "vitest";
import { causalChain } from "../../src/checks/index.js";
import { renderCausalChain } from "../../src/report/causal-chain.js";
import { plainPaint } from "../../src/report/paint.js";
import { at, TraceBuilder, task } from "./trace-builder.js";

/** s1 due at 09:02 delivered by w1, its commit refused in a store outage; the lease runs out, w1 takes it back and delivers again. */
function deliveredTwice() {
  const b = new TraceBuilder();
  b.start({ workers: 1 });
  const lease = b.at(at(1)).lease("w1");
  const fire1 = b.at(at(2)).fired("s1", "a", at(2), "w1", { cause: lease });
  const ack1 = b.ack("s1", "a", at(2), "w1", { cause: fire1 });
  const outage = b.at(at(2, 1)).outage(45_000);
  const refused = b.emit(
    "store.refused",
    { ...task("w1", "s1", "a", at(2)), call: "commit" },
    { cause: fire1 },
  );
  const expired = b
    .at(at(2, 40))
    .emit("lease.expired", { worker: "w1", partition: 0, token: 1, expiredAt: at(2, 20) }, { cause: lease });
  const again = b.lease("w1", 0, 2, "w1");
  b.events[again] = { ...b.events[again], cause: expired };
  const fire2 = b
    .at(at(2, 41))
    .emit("schedule.fired", { ...task("w1", "s1", "a", at(2)), attempt: 2 }, { cause: again });
  const sent2 = b.sent("s1", "a", at(2), "w1", { cause: fire2 });
  const ack2 = b.ack("s1", "a", at(2), "w1", { cause: fire2 });
  return { b, fire1, ack1, outage, refused, expired, fire2, sent2, ack2 };
}

describe("causal chain of a later attempt", () => {
  it("shows the earlier attempt's delivery and its refused commit", () => {
    const { b, fire1, ack1, refused, expired, fire2, sent2, ack2 } = deliveredTwice();
    const chain = causalChain(b.events, ack2, { leaseTtlMs: 15_000 });
    const seqs = chain.map((e) => e.seq);
    expect(seqs).toContain(ack1);
    expect(seqs).toContain(refused);
    // In time order, before the second fire that they left due.
    expect(seqs.indexOf(fire1)).toBeLessThan(seqs.indexOf(ack1));
    expect(seqs.indexOf(refused)).toBeLessThan(seqs.indexOf(expired));
    expect(seqs.slice(-3)).toEqual([fire2, sent2, ack2]);
    const refusal = chain.find((e) => e.seq === refused)!;
    expect(refusal.link).toBe("context");
    expect(refusal.context).toBe(
      "attempt 1's commit was refused: its effects rolled back, the task stayed due and fired again",
    );
  });

  it("shows no outcome of the target's own attempt as an earlier one's", () => {
    const { b, fire1, ack1, refused, fire2 } = deliveredTwice();
    expect(causalChain(b.events, ack1).map((e) => e.seq)).toEqual([fire1, ack1]);
    // The refusal is its own attempt's end: the chain of the second fire names it, once.
    const chain = causalChain(b.events, fire2);
    expect(chain.filter((e) => e.seq === refused)).toHaveLength(1);
    expect(causalChain(b.events, refused).map((e) => [e.seq, e.context])).toEqual([
      [fire1, expect.any(String)],
      [refused, undefined],
    ]);
  });

  it("says when an expired lease ran out beside when it was noticed", () => {
    const { b, ack2, expired } = deliveredTwice();
    const chain = causalChain(b.events, ack2);
    const text = renderCausalChain(chain, plainPaint);
    const line = text.split("\n").find((l) => l.endsWith(`#${expired}`))!;
    expect(line).toContain(
      "lease on partition 0 held by w1 expired: it ran out at 09:02:20.000, noticed 20s later",
    );
  });
});
