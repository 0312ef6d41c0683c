// Shows that the properties judge a user's scheduler module by what the trace shows, not by what the module controls: one that deletes live accounts' schedules (after each delivery, or when an account read fails) fails no-missed-delivery and deleted-schedules-cleaned, and one that posts each message twice as attempts 1 and 0 fails retry-after-backoff.
import { describe, expect, it } from "vitest";
import type { Verdict } from "../../src/checks/index.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";
import { MIN, reportOf, runWorld, smallWorldConfig } from "../world/helpers.js";

/** The schedulers of `fixtures/untrusted-modules.mjs`, imported as `--scheduler` would a module's. */
const { oneShot, wipeOnError, postOne } = (await import(
  new URL("./fixtures/untrusted-modules.mjs", import.meta.url).href
)) as Record<"oneShot" | "wipeOnError" | "postOne", SchedulerFactory>;

/** The report of a ten-minute world (no account deleted) run by `factory`, its store failing `failureRate` of calls. */
function reportWith(factory: SchedulerFactory, failureRate = 0) {
  const config = smallWorldConfig({
    scheduler: factory.name,
    deleteAtMs: null,
    durationMs: 10 * MIN,
    store: { failureRate },
  });
  const { events } = runWorld(config, undefined, [factory]);
  const report = reportOf(events);
  const verdict = (property: string): Verdict => report.verdicts.find((v) => v.property === property)!;
  return { metrics: report.metrics, verdict };
}

describe("a module that deletes live accounts' schedules", () => {
  it("misses their later fires, deleting each schedule after its first delivery", () => {
    const { metrics, verdict } = reportWith(oneShot);
    expect(metrics.deliveries.missed).toBeGreaterThan(metrics.deliveries.onTime);
    const missed = verdict("no-missed-delivery");
    expect(missed.ok, missed.detail).toBe(false);
    expect(missed.detail).toMatch(
      /its schedule deleted by w\d's cleanup at \S+ though its account was not deleted/,
    );
    const cleaned = verdict("deleted-schedules-cleaned");
    expect(cleaned.ok, cleaned.detail).toBe(false);
    expect(cleaned.detail).toMatch(/^the scheduler deleted \d+ schedules of accounts not deleted: /);
  });

  it("is named for each cleanup it ran on a failed account read", () => {
    const { verdict } = reportWith(wipeOnError, 0.05);
    const cleaned = verdict("deleted-schedules-cleaned");
    expect(cleaned.ok, cleaned.detail).toBe(false);
    expect(cleaned.detail).toMatch(/^the scheduler deleted \d+ schedules? of accounts not deleted: /);
    expect(verdict("no-missed-delivery").ok).toBe(false);
  });
});

describe("a module that posts each message as attempt 1, then 0, in one task", () => {
  it("fails retry-after-backoff: the second send is a quick re-send, whatever its number", () => {
    const { metrics, verdict } = reportWith(postOne);
    expect(metrics.deliveries.duplicate).toBe(metrics.deliveries.due);
    const retry = verdict("retry-after-backoff");
    expect(retry.ok, retry.detail).toBe(false);
    expect(retry.detail).toMatch(
      /attempt 0 sent at \S+, [\d.]+ s after attempt 1 was sent, with nothing between/,
    );
  });
});
