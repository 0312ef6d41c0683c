// Shows that every chaos verb acts as its name says, is traced as fault.injected with a probe count, and that overlapping windows compose.
import { describe, expect, it } from "vitest";
import { causalChain } from "../../src/checks/index.js";
import { faultEndMs } from "../../src/faults/index.js";
import { plainPaint } from "../../src/report/paint.js";
import { renderMetrics } from "../../src/report/terminal.js";
import { at, eventsOf, runDocument, smallDocument } from "./helpers.js";

describe("fault verbs", () => {
  it("kill-worker kills the process (reason killed), the supervisor restarts it, the report counts it", () => {
    const run = runDocument(smallDocument({ faults: [{ at: "+3m", fault: "kill-worker", worker: "w2" }] }));
    const injected = eventsOf(run, "fault.injected", (e) => e.fault === "kill-worker");
    expect(injected).toHaveLength(1);
    expect(injected[0]).toMatchObject({ worker: "w2", probe: 1, t: at(3) });
    const crashed = eventsOf(run, "worker.crashed");
    expect(crashed).toHaveLength(1);
    expect(crashed[0]).toMatchObject({ worker: "w2", reason: "killed", cause: injected[0].seq });
    expect(eventsOf(run, "worker.restarted", (e) => e.worker === "w2")).toHaveLength(1);
    expect(run.report.faults.fired).toEqual({ "kill-worker": 1 });
    expect(run.report.metrics.panicDeaths).toBe(0);
    // The key event names the worker once: its detail (`kill w2`) does already.
    const said = run.report.timeline.map((e) => e.text).filter((t) => t.startsWith("fault "));
    expect(said).toEqual(["fault kill-worker: kill w2"]);
  });

  it("pause-worker longer than a lease lets other workers take its partitions, then resumes it", () => {
    const run = runDocument(
      smallDocument({ faults: [{ at: "+3m", fault: "pause-worker", worker: "w1", duration: "1m" }] }),
    );
    expect(eventsOf(run, "worker.paused", (e) => e.worker === "w1")).toHaveLength(1);
    const resumed = eventsOf(run, "worker.resumed", (e) => e.worker === "w1");
    expect(resumed.map((e) => e.t)).toEqual([at(4)]);
    const takenOver = eventsOf(
      run,
      "lease.acquired",
      (e) => e.previous === "w1" && e.worker !== "w1" && e.t > at(3) && e.t < at(4),
    );
    expect(takenOver.length).toBeGreaterThan(0);
    expect(run.report.metrics.crashes).toBe(0);
    expect(run.report.faults.fired).toEqual({ "pause-worker": 1 });
  });

  it("a pause of a worker while it starts holds its start-up back by the time frozen", () => {
    // The small world restarts a killed worker 5 s later, and it starts for 5 s.
    const readyAfter = (pauseAt: string, duration: string) => {
      const run = runDocument(
        smallDocument({
          faults: [
            { at: "+3m", fault: "kill-worker", worker: "w2" },
            { at: pauseAt, fault: "pause-worker", worker: "w2", duration },
          ],
        }),
      );
      const [started] = eventsOf(run, "worker.started", (e) => e.worker === "w2" && e.t > at(3));
      expect(started.t).toBe(at(3, 5));
      return eventsOf(run, "worker.ready", (e) => e.worker === "w2" && e.t > at(3)).map((e) => e.t);
    };
    // Frozen 2 s of its start-up, resumed before it would have been ready: 2 s later.
    expect(readyAfter("+3m6s", "2s")).toEqual([at(3, 12)]);
    // Frozen a minute after 2 s of its start-up: the 3 s left count from the resume.
    expect(readyAfter("+3m7s", "1m")).toEqual([at(4, 10)]);
  });

  it("a clock-skew of a random worker draws from the fleet, a worker waiting in back-off too", () => {
    const doc = smallDocument();
    const run = runDocument({
      ...doc,
      fleet: { ...doc.fleet, workers: 1 },
      faults: [
        { at: "+3m", fault: "kill-worker", worker: "w1" },
        // w1 waits 5 s in back-off: no worker has a process, but every host has its clock.
        { at: "+3m2s", fault: "clock-skew", worker: "random", skew: "3s", duration: "1m" },
      ],
    });
    expect(eventsOf(run, "fault.skipped")).toEqual([]);
    expect(eventsOf(run, "fault.injected", (e) => e.fault === "clock-skew")).toMatchObject([
      { t: at(3, 2), worker: "w1", durationMs: 60_000 },
    ]);
  });

  it("a second pause of a paused worker does not act: traced as fault.skipped, not fired", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+3m", fault: "pause-worker", worker: "w1", duration: "1m" },
          { at: "+3m30s", fault: "pause-worker", worker: "w1", duration: "10s" },
        ],
      }),
    );
    expect(run.report.faults.fired).toEqual({ "pause-worker": 1 });
    expect(eventsOf(run, "worker.resumed").map((e) => e.t)).toEqual([at(4)]);
    expect(eventsOf(run, "fault.skipped")).toMatchObject([
      { t: at(3, 30), fault: "pause-worker", worker: "w1", reason: "w1 is already paused" },
    ]);
    expect(run.report.faults).toMatchObject({
      skipped: { "pause-worker": 1 },
      planned: { "pause-worker": 2 },
    });
  });

  it("a kill and a pause of a worker waiting in back-off find no process: skipped, said in the report", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+3m", fault: "kill-worker", worker: "w2" },
          { at: "+3m2s", fault: "pause-worker", worker: "w2", duration: "30s" },
          { at: "+3m3s", fault: "kill-worker", worker: "w2" },
        ],
      }),
    );
    const reason = "w2 has no process (waiting in back-off to be restarted)";
    expect(eventsOf(run, "fault.skipped")).toMatchObject([
      { t: at(3, 2), fault: "pause-worker", worker: "w2", reason },
      { t: at(3, 3), fault: "kill-worker", worker: "w2", reason },
    ]);
    expect(eventsOf(run, "worker.paused")).toHaveLength(0);
    expect(run.report.metrics.crashes).toBe(1);
    expect(run.report.faults).toMatchObject({
      fired: { "kill-worker": 1 },
      skipped: { "kill-worker": 1, "pause-worker": 1 },
      planned: { "kill-worker": 2, "pause-worker": 1 },
    });
    expect(run.report.timeline.map((e) => e.text)).toContain(`fault pause-worker on w2 not fired: ${reason}`);
    expect(renderMetrics(run.report, plainPaint)).toMatch(
      /\n {2}faults +3 planned: 1 fired, 2 skipped \(nothing to act on: see key events\)$/,
    );
  });

  it("store-latency slows every store call for its duration only", () => {
    const run = runDocument(
      smallDocument({ faults: [{ at: "+5m", fault: "store-latency", duration: "2m", latency: "3s" }] }),
    );
    const lag = (from: number, to: number) => {
      const acks = eventsOf(run, "delivery.acked", (e) => Number(e.due) >= from && Number(e.due) < to);
      return Math.max(...acks.map((e) => e.t - Number(e.due)));
    };
    expect(lag(at(5), at(7))).toBeGreaterThan(3_000);
    expect(lag(at(1), at(5))).toBeLessThan(3_000);
    expect(lag(at(10), at(19))).toBeLessThan(3_000);
    expect(run.report.faults.fired).toEqual({ "store-latency": 1 });
  });

  it("store-outage stops commits for its duration; overlapping outages last until the last one ends", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+5m", fault: "store-outage", duration: "1m" },
          { at: "+5m30s", fault: "store-outage", duration: "1m" },
        ],
      }),
    );
    const during = eventsOf(run, "task.committed", (e) => e.t > at(5) && e.t < at(6, 30));
    expect(during).toHaveLength(0);
    expect(eventsOf(run, "task.committed", (e) => e.t > at(6, 30) && e.t < at(8)).length).toBeGreaterThan(0);
    expect(run.report.faults.fired).toEqual({ "store-outage": 2 });
    expect(run.report.metrics.deliveries.missed).toBe(0);
  });

  it("clock-skew shifts one worker's clock and is traced with the worker", () => {
    const run = runDocument(
      smallDocument({ faults: [{ at: "+2m", fault: "clock-skew", worker: "w3", skew: "-45s" }] }),
    );
    expect(eventsOf(run, "fault.injected", (e) => e.fault === "clock-skew")[0]).toMatchObject({
      worker: "w3",
      detail: "w3 clock -45000 ms to the end of the run",
    });
    // w3 claims by its own clock, 45 s behind: its fires come 45 s after their due, within the
    // SLO of 1m (test/faults/clock-skew.test.ts shows skews that matter).
    const fired = eventsOf(run, "schedule.fired", (e) => e.worker === "w3" && Number(e.due) >= at(2));
    expect(fired.length).toBeGreaterThan(0);
    for (const e of fired) expect(e.t - Number(e.due)).toBeGreaterThanOrEqual(45_000);
    expect(run.report.metrics.deliveries.missed).toBe(0);
    expect(run.report.metrics.deliveries.late).toBe(0);
  });

  it("inject-panic throws at its named point: recovered with panic-recovery, a death without", () => {
    const fault = {
      at: "+2m",
      fault: "inject-panic" as const,
      point: "before-commit" as const,
      schedule: "sched-b1",
      count: 1,
    };
    const fixed = runDocument(smallDocument({ faults: [fault] }), "fixed");
    const recovered = eventsOf(fixed, "panic.recovered");
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({
      schedule: "sched-b1",
      error: "Error: injected panic at before-commit",
    });
    expect(fixed.report.metrics.panicDeaths).toBe(0);
    expect(fixed.report.faults.fired).toEqual({ "inject-panic": 1 });
    expect(fixed.report.faults.probes["before-commit"]).toBeGreaterThan(0);
    const buggy = runDocument(smallDocument({ faults: [fault] }), "early-return");
    expect(eventsOf(buggy, "worker.crashed")).toHaveLength(1);
    expect(eventsOf(buggy, "worker.crashed")[0]).toMatchObject({ reason: "panic", schedule: "sched-b1" });
  });

  it("fault points are counted while a panic or hang is armed, not after it is spent, nor with none armed", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+3m", fault: "inject-panic", point: "after-account-read", schedule: "sched-b1", count: 3 },
        ],
      }),
    );
    const strikes = eventsOf(run, "fault.injected", (e) => e.fault === "inject-panic");
    expect(strikes).toHaveLength(3);
    // Spent at its third panic: the 17 minutes of tasks after it reach the point unarmed.
    expect(run.report.faults.probes["after-account-read"]).toBe(strikes[2].probe);
    const killOnly = runDocument(
      smallDocument({ faults: [{ at: "+3m", fault: "kill-worker", worker: "w2" }] }),
    );
    expect(killOnly.report.faults.probes).toEqual({});
  });

  it("inject-panic names the task it hit and the action that armed it, and leads to the panic's outcome", () => {
    const fault = {
      at: "+2m",
      fault: "inject-panic" as const,
      point: "before-delivery" as const,
      schedule: "sched-b1",
    };
    for (const variant of ["fixed", "early-return"] as const) {
      const run = runDocument(smallDocument({ faults: [fault] }), variant);
      const armed = eventsOf(run, "operator.action", (e) => e.action === "arm-panic");
      const [injected] = eventsOf(run, "fault.injected", (e) => e.fault === "inject-panic");
      const fire = run.events.find((e) => e.seq === injected.cause);
      expect(fire).toMatchObject({ type: "schedule.fired", schedule: "sched-b1", task: injected.task });
      expect(injected).toMatchObject({ schedule: "sched-b1", armed: armed[0].seq });
      // The recovered panic, or the death, follows from the fault, not straight from the fire.
      const outcome = eventsOf(run, variant === "fixed" ? "panic.recovered" : "worker.crashed");
      expect(outcome.map((e) => e.cause)).toEqual([injected.seq]);
      if (variant === "fixed") continue;
      // `why` of that death: the arming action as its root, the fire, the fault, the death.
      const steps = causalChain(run.events, outcome[0].seq);
      const chain = steps.map((e) => e.seq);
      expect(chain).toEqual([armed[0].seq, fire!.seq, injected.seq, outcome[0].seq]);
      // The arming is the faults entry's, which came due: no action of the timeline.
      expect(steps[0].context).toBe(`the arming of the fault #${injected.seq}, when it came due`);
    }
  });

  it("inject-panic with count 2 on one schedule carries the poison across a handoff (a cascade without panic-recovery)", () => {
    // A back-off longer than the lease: the crashed worker cannot win its own lease back first.
    const doc = smallDocument({
      faults: [
        { at: "+2m", fault: "inject-panic", point: "before-account-read", schedule: "sched-a1", count: 2 },
      ],
    });
    const fleet = { ...doc.fleet, supervisor: { backoffInitial: "40s", backoffMax: "2m" } };
    const run = runDocument({ ...doc, fleet }, "early-return");
    expect(run.report.metrics.cascade).toBe(true);
    expect(run.report.metrics.cascadeWorkers).toHaveLength(2);
    expect(run.report.faults.fired["inject-panic"]).toBe(2);
  });

  it("hang blocks a task before delivery for its duration, then the task delivers late", () => {
    const run = runDocument(
      smallDocument({ faults: [{ at: "+2m", fault: "hang", schedule: "sched-a2", duration: "90s" }] }),
    );
    const hung = eventsOf(run, "fault.injected", (e) => e.fault === "hang");
    expect(hung).toHaveLength(1);
    const acks = eventsOf(run, "delivery.acked", (e) => e.schedule === "sched-a2");
    const hungAck = acks.find((e) => e.t >= hung[0].t + 90_000)!;
    expect(hungAck.due).toBeLessThanOrEqual(hung[0].t);
    // Nothing of the schedule was delivered while its task hung.
    expect(acks.filter((e) => e.t > hung[0].t && e.t < hung[0].t + 90_000)).toHaveLength(0);
    expect(run.report.metrics.deliveries.late).toBeGreaterThan(0);
    expect(run.report.metrics.crashes).toBe(0);
  });

  it("a task that never returns is moved on by the lease, not a crash: once its worker stalls past the lease, another delivers it", () => {
    const hangOnly = runDocument(
      smallDocument({ faults: [{ at: "+2m", fault: "hang", schedule: "sched-a1" }] }),
    );
    // Alone, the hung task holds its schedule: its worker keeps renewing the lease.
    expect(
      eventsOf(hangOnly, "delivery.acked", (e) => e.schedule === "sched-a1" && Number(e.due) >= at(3)),
    ).toHaveLength(0);
    const hungWorker = String(eventsOf(hangOnly, "fault.injected", (e) => e.fault === "hang")[0].worker);
    const moved = runDocument(
      smallDocument({
        faults: [
          { at: "+2m", fault: "hang", schedule: "sched-a1" },
          { at: "+5m", fault: "pause-worker", worker: hungWorker, duration: "1m" },
        ],
      }),
    );
    const acks = eventsOf(moved, "delivery.acked", (e) => e.schedule === "sched-a1" && e.due === at(3));
    expect(acks).toHaveLength(1);
    expect(acks[0].worker).not.toBe(hungWorker);
    expect(moved.report.metrics.crashes).toBe(0);
  });

  it("http-errors and http-timeouts fail deliveries for their windows; under an earlier window that fails every send, a later one never strikes", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+3m", fault: "http-errors", duration: "2m", rate: 1, status: 503 },
          { at: "+4m", fault: "http-errors", duration: "30s", rate: 0.1, status: 500 },
          { at: "+10m", fault: "http-timeouts", duration: "1m", rate: 1 },
        ],
      }),
    );
    // Nothing is delivered while the 100% window lasts: the 10% window neither lowered it nor ended it.
    expect(eventsOf(run, "delivery.acked", (e) => e.t > at(3) && e.t < at(5))).toHaveLength(0);
    // Each window is a fault of its own, drawn in the order they opened: the 100% one strikes every
    // send first, so none fails with the 10% window's 500, and that window never fires.
    expect(eventsOf(run, "delivery.failed", (e) => e.status === 500)).toEqual([]);
    // Every failure names the fault that answered it, and `why` blames that one alone.
    const [first] = eventsOf(run, "fault.injected", (e) => e.fault === "http-errors");
    const overlap = eventsOf(run, "delivery.failed", (e) => e.t >= at(4) && e.t < at(4, 30));
    expect(overlap.length).toBeGreaterThan(0);
    for (const e of overlap) {
      expect(e).toMatchObject({ status: 503, fault: first.seq });
      const blamed = causalChain(run.events, e.seq).filter((x) => x.type === "fault.injected");
      expect(blamed.map((x) => x.seq)).toEqual([first.seq]);
    }
    expect(eventsOf(run, "delivery.acked", (e) => e.t > at(10) && e.t < at(11))).toHaveLength(0);
    // Outside the windows nothing fails, and retries deliver what failed.
    const failed = eventsOf(run, "delivery.failed");
    expect(failed.every((e) => (e.t > at(3) && e.t < at(5, 10)) || (e.t > at(10) && e.t < at(11, 10)))).toBe(
      true,
    );
    expect(run.report.metrics.deliveries.missed).toBe(0);
    expect(run.report.faults.fired).toEqual({ "http-errors": 1, "http-timeouts": 1 });
    expect(run.report.faults.skipped).toEqual({ "http-errors": 1 });
    expect(eventsOf(run, "fault.skipped")).toMatchObject([
      {
        t: at(4, 30),
        fault: "http-errors",
        reason: expect.stringMatching(
          /^it failed none of the \d+ sends in its 30s window \(rate 10%; an HTTP fault that came before it failed \d+ of them first\)$/,
        ),
      },
    ]);
  });

  it("an http-errors or http-timeouts fault given an account fails that account's deliveries alone, beside a fleet-wide one", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+3m", fault: "http-errors", duration: "2m", rate: 1, status: 429, account: "acct-a" },
          { at: "+3m50s", fault: "http-errors", duration: "30s", rate: 0.5, status: 500 },
          { at: "+10m", fault: "http-timeouts", duration: "1m", rate: 1, account: "acct-b" },
        ],
      }),
    );
    const failed = eventsOf(run, "delivery.failed");
    // acct-a's deliveries all fail while its window lasts, with its status (the fleet-wide 50%
    // window beside it, at a lower rate and another status, does not lower it)...
    const aFailed = failed.filter((e) => e.account === "acct-a");
    expect(aFailed.length).toBeGreaterThanOrEqual(4);
    expect(aFailed.every((e) => e.t >= at(3) && e.t < at(5, 10) && e.status === 429)).toBe(true);
    expect(
      eventsOf(run, "delivery.acked", (e) => e.account === "acct-a" && e.t > at(3) && e.t < at(5)),
    ).toEqual([]);
    // ...acct-b's time out in its own, and nobody else's fail but by the 50% window.
    const bFailed = failed.filter((e) => e.account === "acct-b");
    expect(bFailed.length).toBeGreaterThanOrEqual(1);
    expect(bFailed.every((e) => e.t >= at(10) && e.t < at(11, 10) && e.status === 0)).toBe(true);
    const others = failed.filter((e) => e.account !== "acct-a" && e.account !== "acct-b");
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((e) => e.t >= at(3, 50) && e.t < at(4, 30) && e.status === 500)).toBe(true);
    // `why` puts an account's fault behind that account's failures alone.
    const [aFault, fleetFault, bFault] = eventsOf(run, "fault.injected");
    const contextOf = (failure: (typeof failed)[number]) =>
      causalChain(run.events, failure.seq)
        .filter((e) => e.type === "fault.injected" && e.context !== undefined)
        .map((e) => e.seq);
    expect(contextOf(aFailed[0])).toEqual([aFault.seq]);
    expect(contextOf(others[0])).toEqual([fleetFault.seq]);
    // A timeout is an http-timeouts fault's: acct-b's own.
    expect(contextOf(bFailed[0])).toEqual([bFault.seq]);
    expect(
      eventsOf(run, "delivery.acked", (e) => e.account !== "acct-a" && e.t > at(3) && e.t < at(5)).length,
    ).toBeGreaterThan(0);
    expect(
      eventsOf(run, "delivery.acked", (e) => e.account === "acct-b" && e.t > at(10) && e.t < at(11)),
    ).toEqual([]);
    // Retries deliver what failed once the windows end; the fault names its account in the trace.
    expect(run.report.metrics.deliveries.missed).toBe(0);
    expect(eventsOf(run, "fault.injected").map((e) => [e.fault, e.account])).toEqual([
      ["http-errors", "acct-a"],
      ["http-errors", undefined],
      ["http-timeouts", "acct-b"],
    ]);
    expect(eventsOf(run, "operator.action").map((e) => [e.action, e.detail])).toEqual([
      ["arm-http-errors", "100% of deliveries of account acct-a answer 429 for 120000 ms"],
      ["arm-http-errors", "50% of deliveries answer 500 for 30000 ms"],
      ["arm-http-timeouts", "100% of deliveries of account acct-b time out for 60000 ms"],
    ]);
  });

  it("an account's HTTP windows are faults of their own, as the fleet's are, and close apart from a fleet-wide one", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          // acct-a: two windows, the later at a lower rate: the first, at 100%, strikes every send.
          { at: "+3m", fault: "http-errors", duration: "3m", rate: 1, status: 429, account: "acct-a" },
          { at: "+4m", fault: "http-errors", duration: "1m", rate: 0.5, status: 500, account: "acct-a" },
          // Fleet-wide, outlasting acct-a's windows, at a rate that fails nothing (1%: a delivery
          // or two at most) but keeps its own window open after theirs close.
          { at: "+5m30s", fault: "http-errors", duration: "3m", rate: 0.01, status: 503 },
          // A timeout while an http-errors fault is on: `why` names the timeouts' fault alone,
          // though its answer comes after that fault has ended (a 5 s timeout, the window 3 s).
          { at: "+10m", fault: "http-timeouts", duration: "3s", rate: 1 },
          { at: "+10m", fault: "http-errors", duration: "3s", rate: 0.5 },
        ],
      }),
    );
    const aFailed = eventsOf(run, "delivery.failed", (e) => e.account === "acct-a" && e.t < at(9));
    // Every acct-a delivery fails from 3m to 6m with the status of the window that opened first,
    // which strikes each send before the later one draws: 429 throughout, never the later 500.
    const statusAt = (m: number) => aFailed.filter((e) => e.due === at(m)).map((e) => e.status);
    expect(statusAt(3)).toContain(429);
    expect(statusAt(4).length).toBeGreaterThan(0);
    expect(statusAt(4).every((s) => s === 429)).toBe(true);
    expect(statusAt(5)).toContain(429);
    const [first, later] = eventsOf(run, "operator.action", (e) => e.action === "arm-http-errors");
    const aFault = eventsOf(run, "fault.injected", (e) => e.armed === first.seq);
    expect(aFailed.every((e) => e.fault === aFault[0].seq)).toBe(true);
    expect(eventsOf(run, "fault.injected", (e) => e.armed === later.seq)).toEqual([]);
    expect(
      eventsOf(run, "delivery.acked", (e) => e.account === "acct-a" && e.t > at(3) && e.t < at(6)),
    ).toEqual([]);
    // Once its windows close at 6m, acct-a delivers again though the fleet-wide window is open.
    expect(
      eventsOf(run, "delivery.acked", (e) => e.account === "acct-a" && e.t > at(6, 30) && e.t < at(8)).length,
    ).toBeGreaterThan(0);
    const timedOut = eventsOf(run, "delivery.failed", (e) => e.status === 0 && e.t >= at(10));
    expect(timedOut.length).toBeGreaterThan(0);
    const timeouts = eventsOf(run, "fault.injected", (e) => e.fault === "http-timeouts");
    for (const e of timedOut)
      expect(
        causalChain(run.events, e.seq)
          .filter((x) => x.type === "fault.injected")
          .map((x) => x.seq),
      ).toEqual([timeouts[0].seq]);
    // Sent in the window (10m to 10m3s), answered by the timeout after it.
    expect(timedOut.every((e) => e.t >= at(10, 3))).toBe(true);
  });

  it("a fault whose effect lasts carries its durationMs in fault.injected (a clock skew with none, up to the end; a store latency, its window plus the latency); one that acts at once does not", () => {
    const run = runDocument(
      smallDocument({
        faults: [
          { at: "+2m", fault: "pause-worker", worker: "w1", duration: "1m" },
          { at: "+3m", fault: "store-latency", duration: "2m", latency: "1s" },
          { at: "+4m", fault: "store-outage", duration: "30s" },
          { at: "+5m", fault: "http-errors", duration: "40s", rate: 0.5 },
          { at: "+6m", fault: "http-timeouts", duration: "50s", rate: 0.5 },
          { at: "+7m", fault: "hang", schedule: "sched-a2", duration: "20s" },
          { at: "+8m", fault: "kill-worker", worker: "w3" },
          { at: "+9m", fault: "clock-skew", worker: "w2", skew: "500ms" },
          { at: "+10m", fault: "hang", schedule: "sched-b1" },
        ],
      }),
    );
    const events = eventsOf(run, "fault.injected");
    // An HTTP fault fires when it first fails a send, and lasts the rest of its window.
    const http = events.filter((e) => e.fault === "http-errors" || e.fault === "http-timeouts");
    expect(http.map((e) => [e.fault, e.t + Number(e.durationMs)])).toEqual([
      ["http-errors", at(5, 40)],
      ["http-timeouts", at(6, 50)],
    ]);
    expect(http[0].t).toBeGreaterThanOrEqual(at(5));
    expect(http[1].t).toBeGreaterThanOrEqual(at(6));
    const injected = events.map((e) => [e.fault, http.includes(e) ? "rest of its window" : e.durationMs]);
    expect(injected).toEqual([
      ["pause-worker", 60_000],
      ["store-latency", 121_000], // its window and its latency: a call made at its end lands 1 s later
      ["store-outage", 30_000],
      ["http-errors", "rest of its window"],
      ["http-timeouts", "rest of its window"],
      ["hang", 20_000],
      ["kill-worker", undefined],
      ["clock-skew", 11 * 60_000],
      ["hang", undefined],
    ]);
  });

  it("an HTTP fault fires when it first fails a delivery; one that fails none is skipped with its reason, and moves no quiet point", () => {
    const run = runDocument(
      smallDocument({
        timeline: [{ at: "+2m10s", action: "delete-account", account: "acct-b" }],
        faults: [
          // Between two minutes' fires: no delivery is sent while it is on.
          { at: "+3m5s", fault: "http-errors", rate: 1, duration: "50s" },
          // acct-b is gone: none of its deliveries is sent any more.
          { at: "+5m", fault: "http-timeouts", rate: 1, duration: "14m", account: "acct-b" },
          // Of no size: skipped when they come due.
          { at: "+6m", fault: "http-errors", rate: 0, duration: "1m" },
          { at: "+6m", fault: "store-latency", latency: "0ms", duration: "1m" },
          { at: "+6m", fault: "clock-skew", worker: "w2", skew: "0s" },
        ],
      }),
    );
    expect(eventsOf(run, "delivery.failed")).toEqual([]);
    expect(eventsOf(run, "fault.injected")).toEqual([]);
    expect(run.report.faults).toMatchObject({
      fired: {},
      firedFaults: {},
      skipped: { "http-errors": 2, "http-timeouts": 1, "store-latency": 1, "clock-skew": 1 },
    });
    expect(eventsOf(run, "fault.skipped").map((e) => [e.t, e.fault, e.reason])).toEqual([
      [at(3, 55), "http-errors", "no delivery was sent in its 50s window"],
      [at(6), "http-errors", "its rate is 0, so it fails no delivery"],
      [at(6), "store-latency", "it adds 0 ms to store calls, so it changes nothing"],
      [at(6), "clock-skew", "w2's clock is right already: a skew of 0 changes nothing"],
      [at(19), "http-timeouts", "no delivery of account acct-b was sent in its 14m window"],
    ]);
    // Armed but never fired, they disturb nothing: the quiet point is the deletion's.
    const quiet = run.report.verdicts.find((v) => v.property === "deliveries-on-time-after-quiet");
    expect(quiet?.detail).toContain("quiet point: the last operator.action at 09:32:10");
  });

  it("faultEndMs is the end of a fault's effect", () => {
    expect(faultEndMs({ atMs: 1000, fault: "store-outage", durationMs: 500 })).toBe(1500);
    expect(faultEndMs({ atMs: 1000, fault: "kill-worker", worker: "w1" })).toBe(1000);
    expect(faultEndMs({ atMs: 1000, fault: "hang", schedule: "s" })).toBe(1000);
  });
});
