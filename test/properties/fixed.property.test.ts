// Shows that explore --generated's default worlds judge quarantine-after-retries and poison-task-isolated in a share of runs, every property holding for the fixed v2, and that v2 with both fixes keeps no-panic-death, no-cascade, deleted-schedules-cleaned, deliveries-on-time-after-quiet, no-delivery-after-deletion, no-missed-delivery, quarantine-after-retries, dead-letter-after-retries, retry-after-backoff and poison-task-isolated over generated worlds and fault schedules, that v1 keeps retry-after-backoff and poison-task-isolated too, and v2 with panic-recovery alone poison-task-isolated.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PANIC_RETRY_WAIT_MS_MIN, POISON_PANICS_MAX, qstashBackoffMs } from "../../src/checks/index.js";
import type { ScenarioDocument } from "../../src/explore/generate/document.js";
import {
  fixedChaos,
  fixedChaosForDeletion,
  PROPERTY_SIZED,
  scenarioArbitrary,
  sized,
} from "../../src/explore/generate/index.js";
import { runWorld } from "../../src/explore/run.js";
import { DEFAULT_PROPERTIES, prepareRun, type RunPlan, runOne } from "../../src/explore/run-one.js";
import { CollectSink, type TraceEvent, type TraceSink } from "../../src/kernel/index.js";
import type { RunReport } from "../../src/report/run-report.js";
import { atSize, judgeDoc, Reached, runsOf, seedNote, seedOf } from "./support.js";

/** Counts the commits the store refused (the scheduler logs each), which must roll back. */
class RefusedCommits implements TraceSink {
  count = 0;
  onEvent(e: TraceEvent): void {
    if (e.type === "log" && typeof e.message === "string" && e.message.endsWith("failed: store unavailable"))
      if (e.message.startsWith("commit of ")) this.count++;
  }
}

/** Counts fires whose due time fell inside a lasting fault's window (an outage, a pause, HTTP errors...). */
class DueDuringFault implements TraceSink {
  count = 0;
  private readonly windows: [number, number][] = [];
  onEvent(e: TraceEvent): void {
    if (e.type === "fault.injected" && typeof e.durationMs === "number" && e.durationMs > 0)
      this.windows.push([e.t, e.t + e.durationMs]);
    if (e.type === "schedule.fired" && typeof e.due === "number") {
      const due = e.due;
      if (this.windows.some(([from, to]) => due >= from && due < to)) this.count++;
    }
  }
}

/**
 * Counts message retries pending across their account's deletion: a delivery failed before the
 * deletion and its retry fell due after it, when the scheduler must check the account again.
 */
class RetryAcrossDeletion implements TraceSink {
  count = 0;
  private readonly retryAt = new Map<string, number>();
  onEvent(e: TraceEvent): void {
    if (e.type === "delivery.failed" && typeof e.retryAt === "number" && typeof e.account === "string")
      this.retryAt.set(e.account, Math.max(this.retryAt.get(e.account) ?? 0, e.retryAt));
    if (
      e.type === "account.deleted" &&
      typeof e.account === "string" &&
      (this.retryAt.get(e.account) ?? 0) > e.t
    )
      this.count++;
  }
}

/** Counts dead letters of messages whose schedule allows at least one retry. */
class DeadLetteredAfterRetries implements TraceSink {
  count = 0;
  onEvent(e: TraceEvent): void {
    if (e.type === "delivery.dead-lettered" && typeof e.retries === "number" && e.retries > 0) this.count++;
  }
}

/**
 * Runs `doc` with the fixed v2 and with v1, each with a fresh `sink`, and checks the two retry
 * properties hold for both before `then` counts what the run reached.
 */
function forFixedAndV1<S extends TraceSink>(
  doc: ScenarioDocument,
  sink: () => S,
  then: (variant: "fixed" | "v1", report: RunReport, sink: S) => void,
): void {
  for (const variant of ["fixed", "v1"] as const) {
    const s = sink();
    const report = judgeDoc(doc, variant, [s]);
    expectHolds(report, "retry-after-backoff");
    expectHolds(report, "dead-letter-after-retries");
    then(variant, report, s);
  }
}

/**
 * Counts messages the destination acknowledged whose task's commit the store then refused, so
 * that the message was sent again: once, twice or more, and those dead-lettered in the end.
 */
class DeliveriesUndone implements TraceSink {
  once = 0;
  twice = 0;
  deadLettered = 0;
  /** By message: acknowledgements followed by a refused commit of its task, then a send. */
  private readonly undone = new Map<string, number>();
  /** By task: the message acknowledged last, awaiting its commit. */
  private readonly acked = new Map<string, string>();
  /** Messages whose acknowledgement a refused commit undid, until they are sent again. */
  private readonly pending = new Set<string>();
  onEvent(e: TraceEvent): void {
    if (e.type === "delivery.acked" && typeof e.task === "string" && typeof e.message === "string")
      this.acked.set(e.task, e.message);
    if (e.type === "store.refused" && e.call === "commit" && typeof e.task === "string") {
      const message = this.acked.get(e.task);
      if (message !== undefined) this.pending.add(message);
      this.acked.delete(e.task);
    }
    if (e.type === "delivery.sent" && typeof e.message === "string" && this.pending.delete(e.message)) {
      const n = (this.undone.get(e.message) ?? 0) + 1;
      this.undone.set(e.message, n);
      if (n === 1) this.once++;
      if (n === 2) this.twice++;
    }
    if (e.type === "delivery.dead-lettered" && typeof e.message === "string" && this.undone.has(e.message))
      this.deadLettered++;
  }
}

/**
 * Counts the retries a back-off is judged on,/**
 * Counts the retries a back-off is judged on, and the cases that could fool the judging: a retry
 * sent sooner than its back-off after the attempt before it (a worker's clock ahead claimed it
 * early), and an attempt sent again (a repeat after a crash or a lease lost).
 */
class RetriesSent implements TraceSink {
  retries = 0;
  early = 0;
  repeated = 0;
  /** First send of each attempt, by `message#attempt`. */
  private readonly firstSentAt = new Map<string, number>();
  onEvent(e: TraceEvent): void {
    if (e.type !== "delivery.sent" || typeof e.attempt !== "number") return;
    const key = `${String(e.message)}#${e.attempt}`;
    if (this.firstSentAt.has(key)) {
      this.repeated++;
      return;
    }
    this.firstSentAt.set(key, e.t);
    if (e.attempt === 0) return;
    this.retries++;
    const before = this.firstSentAt.get(`${String(e.message)}#${e.attempt - 1}`);
    if (before !== undefined && e.t - before < qstashBackoffMs(e.attempt)) this.early++;
  }
}

/**
 * Counts what could fool poison-task-isolated: a task that panicked more than v2's three attempts
 * over the run (its streaks were cut by a kill, a handoff, an abandon or an outage, or v2 would
 * have quarantined it), and two panics of a task on one worker with a store outage begun between.
 */
class PanicsOfTasks implements TraceSink {
  manyPanics = 0;
  outageBetween = 0;
  private readonly panics = new Map<string, { count: number; worker: string; t: number }>();
  private outageAt = Number.NEGATIVE_INFINITY;
  onEvent(e: TraceEvent): void {
    if (e.type === "fault.injected" && e.fault === "store-outage") this.outageAt = e.t;
    if (e.type === "task.quarantined" || e.type === "task.committed") this.panics.delete(String(e.task));
    const panicked = e.type === "panic.recovered" || (e.type === "worker.crashed" && e.reason === "panic");
    if (!panicked || typeof e.task !== "string") return;
    const before = this.panics.get(e.task);
    const worker = String(e.worker);
    if (before !== undefined && before.worker === worker && this.outageAt > before.t) this.outageBetween++;
    const count = (before?.count ?? 0) + 1;
    if (count === 4) this.manyPanics++;
    this.panics.set(e.task, { count, worker, t: e.t });
  }
}

function verdict(report: RunReport, property: string) {
  const v = report.verdicts.find((x) => x.property === property);
  if (!v) throw new Error(`no verdict for ${property}`);
  return v;
}

function expectHolds(report: RunReport, property: string): void {
  const v = verdict(report, property);
  expect(v.ok, `${property}: ${v.detail} (seed ${report.seed})`).toBe(true);
}

/**
 * Whether run `r` of `plan` fails `property` by one of v2's two known gaps alone, read from its
 * trace: every message sent for a deleted account after its deletion was sent by the worker a
 * `hang` struck in that very attempt of the task before the deletion (no fire of the task since:
 * it read the account, then hung across the deletion); every deleted account's schedule left at
 * the end was quarantined after the deletion, having met injected panics after it (its cleanup
 * task, hit by them, set aside).
 */
function knownFinding(plan: RunPlan, r: number, property: string): boolean {
  if (property !== "no-delivery-after-deletion" && property !== "deleted-schedules-cleaned") return false;
  const trace = new CollectSink();
  runWorld(prepareRun(plan, r).input, { watchers: [trace] });
  const deletedAt = new Map<string, number>();
  /** Task -> the strike of a hang in its attempt under way: when, on which worker. */
  const hung = new Map<string, { t: number; worker: string }>();
  const panickedAfterDeletion = new Set<string>();
  const setAsideAfterDeletion = new Set<string>();
  const accountOf = new Map<string, string>();
  const left = new Set<string>();
  let unexplained = 0;
  for (const e of trace.events) {
    const f = e as TraceEvent & Record<string, unknown>;
    const account = accountOf.get(String(f.schedule)) ?? String(f.account);
    const deleted = deletedAt.get(account);
    if (e.type === "account.deleted") deletedAt.set(String(f.account), e.t);
    else if (e.type === "schedule.created") {
      accountOf.set(String(f.schedule), String(f.account));
      left.add(String(f.schedule));
    } else if (e.type === "schedule.deleted") left.delete(String(f.schedule));
    // A fire of the task begins another attempt: a hang of an earlier one excuses none of it.
    else if (e.type === "schedule.fired") hung.delete(String(f.task));
    else if (e.type === "fault.injected" && f.fault === "hang")
      hung.set(String(f.task), { t: e.t, worker: String(f.worker) });
    else if (
      e.type === "fault.injected" &&
      f.fault === "inject-panic" &&
      deleted !== undefined &&
      deleted <= e.t
    )
      panickedAfterDeletion.add(String(f.schedule));
    else if (e.type === "schedule.quarantined" && deleted !== undefined && deleted <= e.t)
      setAsideAfterDeletion.add(String(f.schedule));
    else if (e.type === "delivery.sent" && deleted !== undefined && deleted < e.t) {
      const h = hung.get(String(f.task));
      if (h === undefined || h.t >= deleted || h.worker !== f.worker) unexplained++;
    }
  }
  if (property === "no-delivery-after-deletion") return unexplained === 0;
  const stranded = [...left].filter((schedule) => deletedAt.has(accountOf.get(schedule)!));
  return (
    stranded.length > 0 &&
    stranded.every((schedule) => setAsideAfterDeletion.has(schedule) && panickedAfterDeletion.has(schedule))
  );
}

describe("the worlds explore --generated runs by default", () => {
  it("judge quarantine-after-retries and poison-task-isolated in a share of runs, and the fixed v2 holds every property", () => {
    // Run r of `aftershock explore --generated --seed 1` (under SOAK, the soak's seed: another
    // exploration's worlds): the generator's default chaos makes persistent injected panics
    // (poison tasks) on accounts never deleted. Measured at 8 to 10% of runs each; a share under
    // 4% means the coverage fell, as when panics threw at most twice.
    const reached = new Reached("explore's default worlds");
    const { seed } = seedOf(1);
    const plan = {
      mode: "generated" as const,
      variant: "fixed" as const,
      properties: DEFAULT_PROPERTIES,
      constraints: sized(PROPERTY_SIZED),
      seed,
    };
    const runs = runsOf(200, 2000);
    const judged = { quarantine: 0, poison: 0 };
    const at = `explore --generated --seed ${seed}${seedNote()}`;
    let known = 0;
    for (let r = 0; r < runs; r++) {
      reached.case();
      const s = runOne(plan, r);
      const failed = s.verdicts.filter((v) => !v.ok);
      // v2's own two known gaps (README, test/explore/findings.test.ts), rare in these worlds, are
      // told apart from the trace; any other failure fails the test.
      if (failed.length > 0 && failed.every((v) => knownFinding(plan, r, v.property))) {
        known++;
        continue;
      }
      for (const v of s.verdicts) expect(v.ok, `run ${r} of ${at}: ${v.property}: ${v.detail}`).toBe(true);
      const exercised = (p: string) => s.verdicts.some((v) => v.property === p && v.exercised);
      if (exercised("quarantine-after-retries")) judged.quarantine++;
      if (exercised("poison-task-isolated")) judged.poison++;
      reached.hit(
        "a task quarantined (quarantine-after-retries judged)",
        exercised("quarantine-after-retries"),
      );
      reached.hit(
        "a task panicked again in its process (poison-task-isolated judged)",
        exercised("poison-task-isolated"),
      );
    }
    reached.expectAll();
    // About one run in 500 to a few thousand, by seed: more than one in 300 means a new way.
    expect(known, `runs failing by a known gap, in ${at}`).toBeLessThanOrEqual(Math.ceil(runs / 300));
    expect(
      judged.quarantine / runs,
      `share of runs judging quarantine-after-retries, in ${at}`,
    ).toBeGreaterThanOrEqual(0.04);
    expect(
      judged.poison / runs,
      `share of runs judging poison-task-isolated, in ${at}`,
    ).toBeGreaterThanOrEqual(0.04);
  });
});

describe("the fixed scheduler (both fixes) under generated chaos", () => {
  it("no-panic-death, no-cascade, deleted-schedules-cleaned, deliveries-on-time-after-quiet, no-missed-delivery", () => {
    const reached = new Reached("fixed");
    fc.assert(
      fc.property(scenarioArbitrary(atSize(fixedChaos())), (doc) => {
        reached.case();
        const inFault = new DueDuringFault();
        const report = judgeDoc(doc, "fixed", [inFault]);
        const panics = report.faults.fired["inject-panic"] ?? 0;
        const faults = Object.values(report.faults.fired).reduce((n, k) => n + k, 0);
        expectHolds(report, "no-panic-death");
        expectHolds(report, "no-cascade");
        expectHolds(report, "deleted-schedules-cleaned");
        // The stated bound: every due from 5 minutes after the last disturbance is on time.
        expectHolds(report, "deliveries-on-time-after-quiet");
        // At-least-once: every fire judged (a calm stretch followed it) was delivered, chaos or not.
        expectHolds(report, "no-missed-delivery");
        expectHolds(report, "quarantine-after-retries");
        expectHolds(report, "dead-letter-after-retries");
        reached.hit("an injected panic fired", panics > 0);
        // Judged, not merely pending: the verdict counts the judged fires due in a disturbance.
        const missed = verdict(report, "no-missed-delivery").detail;
        const judgedInChaos = Number(/\((\d+) due during a disturbance/.exec(missed)?.[1] ?? 0);
        reached.hit(
          "a fire due during a fault, judged by no-missed-delivery",
          inFault.count > 0 && judgedInChaos > 0,
        );
        reached.hit(
          "a deletion with a due schedule",
          verdict(report, "deleted-schedules-cleaned").exercised === true,
        );
        reached.hit(
          "a fault fired, then a quiet period with dues",
          faults > 0 && verdict(report, "deliveries-on-time-after-quiet").exercised === true,
        );
        reached.hit(
          "a worker killed or paused",
          (report.faults.fired["kill-worker"] ?? 0) + (report.faults.fired["pause-worker"] ?? 0) > 0,
        );
      }),
      { numRuns: runsOf(60, 500), ...seedOf(1) },
    );
    reached.expectAll();
  });

  it("quarantine-after-retries, when injected panics outlast v2's retries", () => {
    // fixedChaos caps an injected panic at two throws, below v2's three attempts; here one may
    // throw up to five times, so some tasks panic on every attempt and are quarantined.
    const reached = new Reached("fixed, panics that outlast the retries");
    const base = fixedChaos();
    const profile = {
      ...base,
      faults: {
        ...base.faults,
        mustInjectPanic: true,
        panicCountMax: 5,
        panicTotalMax: Number.POSITIVE_INFINITY,
      },
    };
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), (doc) => {
        reached.case();
        const report = judgeDoc(doc, "fixed");
        expectHolds(report, "quarantine-after-retries");
        expectHolds(report, "no-panic-death");
        expectHolds(report, "no-cascade");
        reached.hit("a task quarantined", verdict(report, "quarantine-after-retries").exercised === true);
        reached.hit(
          "a panic recovered and its task delivered on a retry",
          report.metrics.panicsRecovered > report.metrics.tasksQuarantined,
        );
      }),
      { numRuns: runsOf(60, 300), ...seedOf(4) },
    );
    reached.expectAll();
  });

  it("dead-letter-after-retries, when destinations fail often enough to use up the retries", () => {
    // Destinations that fail up to 90% of the time: some messages fail on every attempt their
    // schedule's budget allows (0 to 3 retries) and go to the dead-letter queue.
    const reached = new Reached("fixed, failing destinations");
    const base = fixedChaos();
    const profile = { ...base, workload: { ...base.workload, destinationFailureRateMax: 0.9 } };
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), (doc) => {
        reached.case();
        const retried = new DeadLetteredAfterRetries();
        const report = judgeDoc(doc, "fixed", [retried]);
        expectHolds(report, "dead-letter-after-retries");
        // A dead-lettered fire counts as delivered only because every attempt was sent.
        expectHolds(report, "no-missed-delivery");
        reached.hit("a message dead-lettered after one retry or more", retried.count > 0);
      }),
      { numRuns: runsOf(40, 300), ...seedOf(7) },
    );
    reached.expectAll();
  });

  it("dead-letter-after-retries, for v2 and v1, when a flaky store undoes deliveries again and again", () => {
    // A store that refuses calls now and then (up to 30%) refuses commits after the destination
    // acknowledged: the task runs again and sends again (at-least-once), and may fail and be
    // dead-lettered then. However many times a delivery is undone, its re-runs are not a
    // scheduler that dead-letters what it delivered.
    const reached = new Reached("fixed and v1, a flaky store");
    const base = fixedChaos();
    const profile = {
      ...base,
      storeFailureRateMax: 0.3,
      workload: { ...base.workload, destinationFailureRateMax: 0.9 },
    };
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), (doc) => {
        reached.case();
        forFixedAndV1(
          doc,
          () => new DeliveriesUndone(),
          (variant, _report, undone) => {
            reached.hit(`${variant}: a delivered message sent again after a refused commit`, undone.once > 0);
            reached.hit(`${variant}: a delivered message undone twice`, undone.twice > 0);
            reached.hit(`${variant}: an undone message dead-lettered`, undone.deadLettered > 0);
          },
        );
      }),
      { numRuns: runsOf(40, 300), ...seedOf(19) },
    );
    reached.expectAll();
  });

  it("retry-after-backoff, for v2 and v1, with failing destinations, skewed clocks and crashes", () => {
    // Destinations that fail up to 90% of the time retry often; skewed clocks claim retries early
    // or late, and kills, pauses and panics make a worker send an attempt again.
    const reached = new Reached("fixed and v1, retries");
    const base = fixedChaos();
    const profile = {
      ...base,
      workload: { ...base.workload, destinationFailureRateMax: 0.9 },
      faults: {
        ...base.faults,
        faultsMax: 6,
        kinds: [
          "clock-skew",
          "kill-worker",
          "pause-worker",
          "inject-panic",
          "store-latency",
          "http-errors",
        ] as const,
      },
    };
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), (doc) => {
        reached.case();
        // v1 dies of a panic: a retry that delivered may run again, fail and be dead-lettered.
        forFixedAndV1(
          doc,
          () => new RetriesSent(),
          (variant, report, retries) => {
            reached.hit(`${variant}: a retry sent`, retries.retries > 0);
            reached.hit(`${variant}: a retry sent early by a clock ahead`, retries.early > 0);
            // The early ones were judged within the allowance read from the skews' events (a skew
            // the property could not read would leave them unjudged, and this unreached).
            reached.hit(
              `${variant}: a retry judged within the clock-skew allowance`,
              verdict(report, "retry-after-backoff").detail.includes("less the clock-skew allowance"),
            );
            reached.hit(`${variant}: an attempt sent again`, retries.repeated > 0);
          },
        );
      }),
      { numRuns: runsOf(150, 600), ...seedOf(8) },
    );
    reached.expectAll();
  });

  it("poison-task-isolated, for v2 fixed, v2 with panic-recovery alone and v1, with panics that outlast the retries", () => {
    // An injected panic may throw up to 12 times, past v2's three attempts and past the property's
    // bound of 10 in a row; a deletion makes a poison task of bug 1 for panic-recovery alone;
    // kills, pauses, outages and skews cut a task's streak or cut its wait short.
    const reached = new Reached("poison tasks");
    const base = fixedChaos();
    const profile = {
      ...base,
      workload: { ...base.workload, namedAccountsMin: 1, namedSchedulesMin: 1 },
      timeline: { ...base.timeline, mustDelete: { atMsMin: 60_000, atMsMax: 12 * 60_000 } },
      faults: {
        ...base.faults,
        mustInjectPanic: true,
        panicCountMax: 12,
        panicTotalMax: Number.POSITIVE_INFINITY,
        faultsMax: 6,
        kinds: [
          "inject-panic",
          "kill-worker",
          "pause-worker",
          "store-outage",
          "clock-skew",
          "store-latency",
        ] as const,
      },
    };
    // v2's attempts anywhere up to the bound, and a back-off from 1 s (v2's) or 20 s: a long one
    // is more often cut by a kill, a pause or an outage, and the task panics again elsewhere.
    const options = fc.record({
      panicAttemptsMax: fc.integer({ min: 1, max: POISON_PANICS_MAX }),
      panicRetryBaseMs: fc.constantFrom(PANIC_RETRY_WAIT_MS_MIN, 20_000),
    });
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), options, (generated, panicOptions) => {
        reached.case();
        const doc = { ...generated, scheduler: { ...generated.scheduler, options: panicOptions } };
        for (const variant of ["fixed", "panic-recovery", "v1"] as const) {
          const panics = new PanicsOfTasks();
          const report = judgeDoc(doc, variant, [panics]);
          const v = verdict(report, "poison-task-isolated");
          expectHolds(report, "poison-task-isolated");
          // v1 recovers no panic in a task (each ends its process, and none is a retry) until a
          // deploy rolls the fixed v2 out to it.
          if (variant === "v1") continue;
          reached.hit(
            `${variant}: a task panicked again in the process that recovered it`,
            v.exercised === true,
          );
          const longest = Number(/\((\d+) at the most\)$/.exec(v.detail)?.[1] ?? 0);
          reached.hit(`${variant}: a task panicked more than three times in a row`, longest > 3);
          // Bug 1's poison never stops panicking: v2's largest attempts allowed are used up.
          if (variant === "panic-recovery")
            reached.hit(
              `${variant}: a task panicked ${POISON_PANICS_MAX} times in a row`,
              longest === POISON_PANICS_MAX,
            );
          reached.hit(
            `${variant}: a task panicked more than three times over the run`,
            panics.manyPanics > 0,
          );
          reached.hit(
            `${variant}: a store outage between two panics of a task on one worker`,
            panics.outageBetween > 0,
          );
        }
      }),
      { numRuns: runsOf(100, 500), ...seedOf(9) },
    );
    reached.expectAll();
  });

  it("no-delivery-after-deletion, with message retries pending when the account is deleted", () => {
    // Destinations that fail often: retries are pending at the deletion, and each must read the
    // account again before it sends. Faults as fixedChaosForDeletion allows (no hangs).
    const reached = new Reached("fixed deletion, retries pending");
    const base = fixedChaosForDeletion();
    const profile = {
      ...base,
      workload: { ...base.workload, destinationFailureRateMax: 0.9 },
    };
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), (doc) => {
        reached.case();
        const pending = new RetryAcrossDeletion();
        const report = judgeDoc(doc, "fixed", [pending]);
        expectHolds(report, "no-delivery-after-deletion");
        expectHolds(report, "deleted-schedules-cleaned");
        reached.hit("a retry pending across its account's deletion", pending.count > 0);
      }),
      { numRuns: runsOf(80, 500), ...seedOf(6) },
    );
    reached.expectAll();
  });

  it("no-delivery-after-deletion and no-missed-delivery, with the deleted account's own endpoint down from just before its deletion", () => {
    // Explore's default chaos (endpointDownPercent) in every world: the account's sends fail from
    // up to 150 s before its deletion, so its retries are pending at the deletion, and each must
    // read the account again and be dropped. A due before the deletion whose retry was dropped is
    // the account's to lose, not a missed delivery.
    const reached = new Reached("fixed deletion, endpoint down");
    const base = fixedChaosForDeletion();
    const profile = { ...base, faults: { ...base.faults, endpointDownPercent: 100 } };
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), (doc) => {
        reached.case();
        const pending = new RetryAcrossDeletion();
        const report = judgeDoc(doc, "fixed", [pending]);
        for (const property of [
          "no-delivery-after-deletion",
          "deleted-schedules-cleaned",
          "no-missed-delivery",
          "retry-after-backoff",
          "dead-letter-after-retries",
          "no-panic-death",
        ] as const)
          expectHolds(report, property);
        reached.hit("a retry pending across its account's deletion", pending.count > 0);
        reached.hit(
          "an endpoint down before the deletion",
          (doc.faults ?? []).some((f) => f.fault === "http-errors" && f.account !== undefined),
        );
      }),
      { numRuns: runsOf(60, 400), ...seedOf(15) },
    );
    reached.expectAll();
  });

  it("loses no due when the store refuses some of its calls: a refused commit rolls back and runs again", () => {
    // Outages in the chaos above rarely meet a commit (claims fail first); a store that refuses
    // up to 3% of all calls meets hundreds. No faults, so the quiet period is the whole run.
    const reached = new Reached("fixed, failing store");
    const profile = { ...fixedChaos(), storeFailureRateMax: 0.03, faults: { faultsMax: 0 } };
    fc.assert(
      fc.property(scenarioArbitrary(atSize(profile)), (doc) => {
        reached.case();
        const refused = new RefusedCommits();
        const report = judgeDoc(doc, "fixed", [refused]);
        expect(report.metrics.deliveries.missed, `missed dues (seed ${report.seed})`).toBe(0);
        expectHolds(report, "deliveries-on-time-after-quiet");
        expectHolds(report, "no-missed-delivery");
        expectHolds(report, "no-panic-death");
        reached.hit("a commit the store refused", refused.count > 0);
      }),
      { numRuns: runsOf(20, 200), ...seedOf(3) },
    );
    reached.expectAll();
  });

  it("no-delivery-after-deletion, with a deletion in every world (no hangs)", () => {
    const reached = new Reached("fixed deletion");
    fc.assert(
      fc.property(scenarioArbitrary(atSize(fixedChaosForDeletion())), (doc) => {
        reached.case();
        const report = judgeDoc(doc, "fixed");
        expectHolds(report, "no-delivery-after-deletion");
        expectHolds(report, "deleted-schedules-cleaned");
        expectHolds(report, "no-panic-death");
        // A fire of the deleted account, due after its deletion, is not owed; one due before it is.
        expectHolds(report, "no-missed-delivery");
        reached.hit(
          "a deletion with a due schedule",
          verdict(report, "deleted-schedules-cleaned").exercised === true,
        );
        reached.hit("an injected panic fired", (report.faults.fired["inject-panic"] ?? 0) > 0);
      }),
      { numRuns: runsOf(40, 300), ...seedOf(2) },
    );
    reached.expectAll();
  });
});
