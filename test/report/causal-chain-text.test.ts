// Shows how a `why` chain names a death that is not the target's own task: another poison task's
// panic, or a kill, which ran no task at all.
import { expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { renderCausalChain } from "../../src/report/causal-chain.js";
import { plainPaint } from "../../src/report/paint.js";

const crash = (seq: number, worker: string, extra: Record<string, string | number>): TraceEvent => ({
  t: Date.UTC(2026, 4, 8, 9, 45, seq),
  seq,
  type: "worker.crashed",
  cause: null,
  worker,
  ...extra,
});

it("marks another task's death and a kill apart from the target's own task", () => {
  const own = { reason: "panic", task: "poison@1", schedule: "s1", account: "a1", partition: 7 };
  const chain = [
    crash(1, "w1", { reason: "panic", task: "other@1", schedule: "s2", account: "a1", partition: 7 }),
    crash(2, "w2", { reason: "killed" }),
    crash(3, "w3", own),
  ];
  const lines = renderCausalChain(chain, plainPaint).split("\n");
  expect(lines[1]).toContain("(another task; the death let partition 7 go)");
  expect(lines[2]).toContain("(not a task: the kill let partition 7 go)");
  expect(lines[3]).not.toContain("let partition");
});
