// Shows how a `why` chain marks its steps (an arrow for a cause link, a dot and a reason for context,
// never a label taken from the target), and how it words a deletion, an armed fault and the worker
// of an injected fault (once).
import { expect, it } from "vitest";
import type { TraceEvent } from "../../src/kernel/index.js";
import { renderCausalChain } from "../../src/report/causal-chain.js";
import { describeEvent } from "../../src/report/event-words.js";
import { plainPaint } from "../../src/report/paint.js";

/** A due time, as task ids (`<schedule>@<due ms>`) and the message ids built from them carry it. */
const DUE = Date.UTC(2026, 4, 8, 9, 30);

const crash = (seq: number, worker: string, extra: Record<string, string | number>): TraceEvent => ({
  t: Date.UTC(2026, 4, 8, 9, 45, seq),
  seq,
  type: "worker.crashed",
  cause: null,
  worker,
  ...extra,
});

it("marks a step no step before it led to with a dot and says why, and an arrow only on a cause link", () => {
  const own = { reason: "panic", task: "poison@1", schedule: "s1", account: "a1", partition: 7 };
  const chain = [
    { ...crash(1, "w1", { reason: "panic", task: "other@1", schedule: "s2", partition: 3 }), cause: 0 },
    {
      ...crash(2, "w2", { reason: "killed" }),
      link: "context",
      context: "not a task: this kill let partition 7 go",
    },
    { ...crash(3, "w3", own), cause: 2, link: "cause" },
  ];
  const lines = renderCausalChain(chain, plainPaint).split("\n");
  // A death of another task that is a cause link is not labelled with the target's partition.
  expect(lines[1]).not.toContain("let partition");
  expect(lines[1]).toContain(" · w1 died");
  expect(lines[2]).toContain(" · w2 was killed (not a task: this kill let partition 7 go) #2");
  expect(lines[3]).toContain(" → w3 died");
  expect(lines[3]).not.toContain("let partition");
});

it("labels no death on a cause walk by the target's task or partition (a retry's chain)", () => {
  const death = { ...crash(1, "w3", { reason: "panic", task: "s-a@1", partition: 10 }), link: "root" };
  const failed: TraceEvent = {
    t: death.t + 1,
    seq: 2,
    type: "delivery.failed",
    cause: 1,
    link: "cause",
    task: "s-b@1/m1#1",
    message: "s-b@1/m1",
    partition: 15,
    status: 503,
    attempt: 1,
  };
  const text = renderCausalChain([death, failed], plainPaint);
  expect(text).not.toContain("another task");
  expect(text).not.toContain("partition 15");
});

it("counts a deletion's schedules in the singular too, and calls an armed panic or hang a fault", () => {
  const event = (seq: number, type: string, extra: Record<string, string | number>): TraceEvent => ({
    t: Date.UTC(2026, 4, 8, 9, 44, seq),
    seq,
    type,
    cause: null,
    ...extra,
  });
  const chain = [
    event(1, "account.deleted", { account: "a1", schedules: 1 }),
    event(2, "account.deleted", { account: "a2", schedules: 3 }),
    event(3, "operator.action", { action: "arm-panic", detail: "panic at before-delivery for 1 task(s)" }),
    event(4, "operator.action", { action: "arm-hang", detail: "next task of s1 hangs" }),
    event(5, "operator.action", { action: "delete-account", detail: "delete-account a1" }),
  ];
  const terminal = renderCausalChain(chain, plainPaint).split("\n").slice(1);
  const words = chain.map((e) => describeEvent(e));
  for (const lines of [terminal, words]) {
    expect(lines[0]).toContain("account a1 deleted (1 schedule left to clean up)");
    expect(lines[1]).toContain("account a2 deleted (3 schedules left to clean up)");
    expect(lines[2]).toContain("fault: panic at before-delivery for 1 task(s)");
    expect(lines[3]).toContain("fault: next task of s1 hangs");
    expect(lines[4]).toContain("operator: delete-account a1");
  }
});

it("narrates every event a chain may hold in words, the terminal and the reports alike", () => {
  const at = (seq: number, type: string, fields: Record<string, unknown>): TraceEvent => ({
    t: Date.UTC(2026, 4, 8, 9, 30, seq),
    seq,
    type,
    cause: null,
    ...fields,
  });
  const chain = [
    at(0, "run.started", { scenario: "q", seed: "7", scheduler: "v2", fixes: [], workers: 8 }),
    at(1, "fault.injected", {
      fault: "inject-panic",
      worker: "w2",
      detail: "panic injected at before-delivery",
    }),
    at(2, "deploy.started", { scheduler: "v2", fixes: ["early-return"], workers: 8, stepDelayMs: 10000 }),
    at(3, "task.quarantined", {
      worker: "w5",
      schedule: "s-c",
      task: `s-c@${DUE}`,
      partition: 36,
      attempts: 3,
    }),
    at(4, "worker.stopped", { worker: "w3", why: "deploy" }),
    at(5, "delivery.acked", { worker: "w7", schedule: "s", message: `s@${DUE}/m1`, status: 200 }),
  ];
  const words = [
    "run started: q, seed 7, v2 (no fixes) on 8 workers",
    "fault: panic injected at before-delivery on w2",
    "deploy of v2 (early-return) started, 8 workers one at a time, each 10s after the one before serves again",
    "w5 quarantined s-c (task s-c@2026-05-08T09:30:00Z) after 3 attempts",
    "w3 stopped (deploy)",
    "s@2026-05-08T09:30:00Z/m1 delivered (HTTP 200)",
  ];
  const terminal = renderCausalChain(chain, plainPaint).split("\n").slice(1);
  words.forEach((w, i) => {
    expect(terminal[i]).toMatch(new RegExp(`^  \\S+ (  |→ )${w.replace(/[()]/g, "\\$&")} #${i}$`));
    expect(describeEvent(chain[i])).toBe(w);
  });
});

it("words a retried delivery's failures and its dead letter, and the events once left as raw ids", () => {
  const event = (seq: number, type: string, extra: Record<string, string | number | boolean | null>) =>
    ({ t: Date.UTC(2026, 4, 8, 9, 44, seq), seq, type, cause: seq - 1, ...extra }) as TraceEvent;
  const m = { worker: "w1", schedule: "sz", account: "a1", task: `sz@${DUE}/m1#3`, message: `sz@${DUE}/m1` };
  const chain = [
    event(1, "delivery.failed", { ...m, attempt: 2, status: 500, retryAt: 1_000 }),
    event(2, "delivery.failed", { ...m, attempt: 3, status: 0, retryAt: null }),
    event(3, "delivery.dead-lettered", { ...m, attempts: 4 }),
  ];
  const lines = renderCausalChain(chain, plainPaint).split("\n");
  expect(lines[1]).toContain("sz@2026-05-08T09:30:00Z/m1 failed (HTTP 500, attempt 2)");
  expect(lines[2]).toContain("sz@2026-05-08T09:30:00Z/m1 failed (no answer, attempt 3, no retries left)");
  expect(lines[3]).toContain("sz@2026-05-08T09:30:00Z/m1 dead-lettered after 4 attempts");
  const words = [
    [event(4, "fleet.scaled", { from: 3, to: 5 }), "fleet scaled from 3 to 5 workers"],
    [event(5, "worker.removed", { worker: "w5" }), "w5 removed from the fleet"],
    [event(6, "worker.resumed", { worker: "w2" }), "w2 resumed"],
    [
      event(7, "lease.lost", { worker: "w2", partition: 3, token: 9 }),
      "w2 learned it no longer holds partition 3",
    ],
    [
      event(8, "schedule.paused", { schedule: "s1", account: "a1", paused: false }),
      "schedule s1 of a1 resumed",
    ],
    [event(9, "task.fenced", { ...m, token: 4 }), "w1 could not commit sz@2026-05-08T09:30:00Z/m1#3"],
  ] as const;
  for (const [e, text] of words) expect(renderCausalChain([e], plainPaint)).toContain(text);
});

it("writes a task's due time as an ISO time, never as epoch milliseconds, in the terminal and the reports alike", () => {
  const task = `sched-deleted-a@${DUE}`;
  const readable = "sched-deleted-a@2026-05-08T09:30:00Z";
  const at = (seq: number, type: string, fields: Record<string, unknown>): TraceEvent => ({
    t: DUE + 100 + seq,
    seq,
    type,
    cause: seq === 0 ? null : seq - 1,
    worker: "w3",
    schedule: "sched-deleted-a",
    account: "acct-deleted",
    partition: 10,
    ...fields,
  });
  const chain = [
    at(0, "schedule.fired", { task, attempt: 1 }),
    at(1, "panic.recovered", { task, error: "TypeError: x" }),
    at(2, "task.committed", { task }),
    at(3, "worker.crashed", { task, reason: "panic", error: "TypeError: x", goroutine: `deliver ${task}` }),
    at(4, "task.unknown-kind", { task }),
  ];
  const terminal = renderCausalChain(chain, plainPaint).split("\n").slice(1);
  const words = chain.map((e) => describeEvent(e));
  for (const lines of [terminal, words]) {
    expect(lines[0]).toContain(`w3 fired sched-deleted-a (task ${readable}, attempt 1)`);
    expect(lines[1]).toContain(`w3 recovered a panic in ${readable}: TypeError: x`);
    expect(lines[2]).toContain(`w3 committed task ${readable}`);
    expect(lines[3]).toContain(`goroutine "deliver ${readable}"`);
    for (const line of lines) expect(line).not.toMatch(/@\d{5,}/);
  }
  expect(words[4]).toContain(`task=${readable}`);
  // A goroutine a module named otherwise keeps its name.
  const own = at(5, "worker.crashed", { reason: "panic", error: "E", goroutine: "poll loop" });
  expect(describeEvent(own)).toContain('in goroutine "poll loop"');
});

it("words a panic death, a restart delay and an event without words of its own in each voice, from one function", () => {
  const t = Date.UTC(2026, 4, 8, 9, 46);
  const death: TraceEvent = {
    t,
    seq: 1,
    type: "worker.crashed",
    cause: null,
    worker: "w3",
    reason: "panic",
    error: "TypeError: x",
    goroutine: `deliver s@${DUE}`,
  };
  const backoff: TraceEvent = {
    t: t + 1,
    seq: 2,
    type: "worker.backoff",
    cause: 1,
    worker: "w3",
    delayMs: 12_500,
  };
  const ids = { worker: "w3", account: "a1", partition: 4, task: `s@${DUE}` };
  const unknown: TraceEvent = { t: t + 2, seq: 3, type: "x.unknown", cause: 2, ...ids };
  const words = (e: TraceEvent) => [describeEvent(e), describeEvent(e, plainPaint, "terminal")];
  expect(words(death)).toEqual([
    'w3 died: TypeError: x in goroutine "deliver s@2026-05-08T09:30:00Z" escaped recovery',
    'w3 died: TypeError: x in goroutine "deliver s@2026-05-08T09:30:00Z" escaped recovery',
  ]);
  // A scheduler module's panic says where in the module it came from.
  expect(words({ ...death, location: "./mine.mjs:80:20" })[1]).toBe(
    'w3 died: TypeError: x at ./mine.mjs:80:20 in goroutine "deliver s@2026-05-08T09:30:00Z" escaped recovery',
  );
  const recovered: TraceEvent = {
    ...death,
    type: "panic.recovered",
    task: `s@${DUE}`,
    location: "./mine.mjs:80:20",
  };
  expect(words(recovered)[1]).toBe(
    "w3 recovered a panic in s@2026-05-08T09:30:00Z: TypeError: x at ./mine.mjs:80:20",
  );
  expect(words(backoff)).toEqual(["supervisor: restart w3 in 13 s", "supervisor: restart w3 in 12.5s"]);
  expect(words(unknown)).toEqual([
    "x.unknown worker=w3 account=a1 partition=4 task=s@2026-05-08T09:30:00Z",
    "x.unknown w3 4",
  ]);
  // The terminal's chain is the terminal voice, line for line.
  const chain = [death, backoff, unknown];
  const lines = renderCausalChain(chain, plainPaint, "t").split("\n").slice(1);
  chain.forEach((e, i) => {
    expect(lines[i]).toContain(describeEvent(e, plainPaint, "terminal"));
  });
});

it("names a fault's worker once, whether or not the fault's own detail names it", () => {
  const fault = (seq: number, fields: Record<string, string | number>): TraceEvent => ({
    t: Date.UTC(2026, 4, 8, 9, 50, seq),
    seq,
    type: "fault.injected",
    cause: null,
    probe: 1,
    ...fields,
  });
  const cases: [TraceEvent, string][] = [
    [fault(1, { fault: "kill-worker", worker: "w2", detail: "kill w2" }), "fault: kill w2"],
    [
      fault(2, { fault: "pause-worker", worker: "w2", detail: "pause w2 for 60 s" }),
      "fault: pause w2 for 60 s",
    ],
    [fault(3, { fault: "clock-skew", worker: "w12", detail: "w12 clock -2 s" }), "fault: w12 clock -2 s"],
    [fault(4, { fault: "hang", worker: "w1", detail: "task s1 hangs" }), "fault: task s1 hangs on w1"],
    [fault(5, { fault: "kill-worker", worker: "w1", detail: "kill w12" }), "fault: kill w12 on w1"],
    // The trace's whole milliseconds, as the key events write them.
    [
      fault(6, { fault: "store-outage", detail: "store unavailable for 22000 ms", durationMs: 22000 }),
      "fault: store unavailable for 22s",
    ],
    [
      fault(7, { fault: "pause-worker", worker: "w2", detail: "pause w2 for 180000 ms", durationMs: 180000 }),
      "fault: pause w2 for 3m",
    ],
  ];
  const terminal = renderCausalChain(
    cases.map(([e]) => e),
    plainPaint,
  )
    .split("\n")
    .slice(1);
  for (const [i, [e, w]] of cases.entries()) {
    expect(describeEvent(e)).toBe(w);
    expect(terminal[i]).toContain(` ${w} #${e.seq}`);
  }
});

it("writes the task of an injected panic with its due time, as every other event writes a task", () => {
  const injected: TraceEvent = {
    t: Date.UTC(2026, 4, 8, 9, 30, 2),
    seq: 9,
    type: "fault.injected",
    cause: null,
    fault: "inject-panic",
    worker: "w2",
    detail: `panic injected at before-delivery in task s-c@${DUE}`,
    schedule: "s-c",
    task: `s-c@${DUE}`,
  };
  expect(describeEvent(injected)).toBe(
    "fault: panic injected at before-delivery in task s-c@2026-05-08T09:30:00Z on w2",
  );
});
