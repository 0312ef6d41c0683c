// Shows the kernel's Date-free time text agrees with Date (ISO), formats durations the way a person writes them, and writes task ids with their due time.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clockOf, describeTask, describeTaskIn, formatDuration, isoOf } from "../../src/kernel/index.js";

/** 0000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z: where toISOString uses four-digit years. */
const YEAR_0_MS = -62_167_219_200_000;
const YEAR_10000_MS = 253_402_300_800_000;

describe("time text", () => {
  it("isoOf(t) is new Date(t).toISOString() for any millisecond of years 0 to 9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: YEAR_0_MS, max: YEAR_10000_MS - 1 }), (t) => {
        expect(isoOf(t)).toBe(new Date(t).toISOString());
      }),
      { numRuns: 2000 },
    );
  });

  it("isoOf gets the corners right: epoch, leap days, century rules, the last millisecond", () => {
    for (const iso of [
      "1970-01-01T00:00:00.000Z",
      "1969-12-31T23:59:59.999Z",
      "2000-02-29T12:00:00.000Z",
      "1900-03-01T00:00:00.000Z",
      "2024-02-29T23:59:59.999Z",
      "2026-05-08T09:46:00.000Z",
      "9999-12-31T23:59:59.999Z",
    ]) {
      expect(isoOf(Date.parse(iso))).toBe(iso);
    }
  });

  it("clockOf is the HH:MM:SS of the ISO text", () => {
    expect(clockOf(Date.parse("2026-05-08T09:46:07.250Z"))).toBe("09:46:07");
  });

  it("formatDuration writes durations the way a person reads them", () => {
    const cases: [number, string][] = [
      [0, "0ms"],
      [850, "850ms"],
      [999.4, "999ms"],
      [999.6, "1s"],
      [1000, "1s"],
      [1500, "1.5s"],
      [12_000, "12s"],
      [59_940, "59.9s"],
      [59_960, "1m"],
      [60_000, "1m"],
      [148_000, "2m28s"],
      [119_600, "2m"],
      [3_599_400, "59m59s"],
      [3_599_700, "1h"],
      [3_600_000, "1h"],
      [3_900_000, "1h05m"],
      [86_400_000, "24h"],
    ];
    for (const [ms, text] of cases) expect([ms, formatDuration(ms)]).toEqual([ms, text]);
  });

  it("formatDuration never writes 60 in a seconds or minutes place", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 10 * 86_400_000, noNaN: true }), (ms) => {
        const text = formatDuration(ms);
        expect(text).toMatch(/^(\d+ms|\d+(\.\d)?s|\d+m(\d\ds)?|\d+h(\d\dm)?)$/);
        expect(text).not.toMatch(/m60s|h60m|^60(\.0)?s$|^1000ms$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("describeTask", () => {
  const due = Date.parse("2026-05-08T09:45:00Z");

  it("writes a task id's due time as an ISO time, and the message and redelivery ids built from it", () => {
    expect(describeTask(`sched-a@${due}`)).toBe("sched-a@2026-05-08T09:45:00Z");
    expect(describeTask(`sched-a@${due + 250}`)).toBe("sched-a@2026-05-08T09:45:00.250Z");
    expect(describeTask(`sched-a@${due}/m1`)).toBe("sched-a@2026-05-08T09:45:00Z/m1");
    expect(describeTask(`sched-a@${due}/m1#3`)).toBe("sched-a@2026-05-08T09:45:00Z/m1#3");
    expect(describeTask(`a@b@${due}`)).toBe("a@b@2026-05-08T09:45:00Z");
  });

  it("leaves any other id as it is", () => {
    for (const id of ["deliver", "sched-a", "sched-a@soon", "x@1/m1@2x", `a@${"9".repeat(20)}`])
      expect(describeTask(id)).toBe(id);
    expect(describeTask(undefined, "sched-a")).toBe("sched-a");
    expect(describeTask(undefined)).toBe("an unknown task");
  });
});

describe("describeTaskIn", () => {
  const task = `sched-a@${Date.parse("2026-05-08T09:45:00Z")}`;

  it("writes the task's due time wherever the task stands in a detail", () => {
    expect(describeTaskIn(`panic injected at after-account-read in task ${task}`, task)).toBe(
      "panic injected at after-account-read in task sched-a@2026-05-08T09:45:00Z",
    );
    expect(describeTaskIn(`task ${task} hangs for 90000 ms`, task)).toBe(
      "task sched-a@2026-05-08T09:45:00Z hangs for 90000 ms",
    );
    expect(describeTaskIn(`${task}/m1 (${task}).`, task)).toBe(
      "sched-a@2026-05-08T09:45:00Z/m1 (sched-a@2026-05-08T09:45:00Z).",
    );
  });

  it("leaves an id that only starts or ends with the task's, and a detail without a task", () => {
    for (const other of [`${task}1`, `x${task}`, `${task}@2`])
      expect(describeTaskIn(`task ${other}`, task)).toBe(`task ${other}`);
    expect(describeTaskIn(`task ${task}`, undefined)).toBe(`task ${task}`);
  });
});
