// Shows how durations are read and written: exact units, signs only where allowed, and fixes for near misses.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDurationText, parseDuration } from "../../src/scenario/index.js";

describe("parseDuration", () => {
  it.each([
    ["250ms", 250],
    ["30s", 30_000],
    ["5m", 300_000],
    ["2h", 7_200_000],
    ["1h30m", 5_400_000],
    ["1d", 86_400_000],
    ["1d2h3m4s5ms", 93_784_005],
    ["0s", 0],
    ["90s", 90_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, ms });
  });

  it("reads a sign only when the field allows one", () => {
    expect(parseDuration("-5s", { signed: true })).toEqual({ ok: true, ms: -5000 });
    expect(parseDuration("+5s", { signed: true })).toEqual({ ok: true, ms: 5000 });
    expect(parseDuration("-5s")).toMatchObject({ ok: false, message: "a duration cannot be negative here" });
  });

  it.each([
    ["30", "a duration needs a unit", "30s"],
    ["1.5s", "whole numbers", "1s500ms"],
    ["30 seconds", "units are", "30s"],
    ["2 hrs", "units are", "2h"],
    ["30m1h", "largest first", "1h30m"],
    ["1h 30m", "without spaces", "1h30m"],
    ["30 s", "without spaces", "30s"],
    [" 30s", "without spaces", "30s"],
    ["30s\t", "without spaces", "30s"],
    ["30S", "units are", "30s"],
    ["5x", 'unknown unit "x"', undefined],
    ["1h 30", "every number", "1h30m"],
    ["1h30", "every number", "1h30m"],
    ["5m30", "every number", "5m30s"],
    ["2s500", "every number", "2s500ms"],
    ["1d4", "every number", "1d4h"],
    ["1hr30", "every number", "1h30m"],
    ["500ms3", "every number", undefined],
    ["1 30s", "every number", undefined],
    ["2h 30 5s", "every number", undefined],
    ["30m1h15", "every number", undefined],
    ["soon", "not a duration", undefined],
    ["", "empty", undefined],
  ])("explains %j", (text, message, suggestion) => {
    const result = parseDuration(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain(message);
    expect(result.suggestion).toBe(suggestion);
  });

  it("refuses zero where the field needs a positive duration", () => {
    expect(parseDuration("0s", { positive: true }).ok).toBe(false);
    expect(parseDuration("0s").ok).toBe(true);
  });

  it.each([
    [
      "0.0s",
      { positive: true },
      "write whole numbers per unit, and the duration must be longer than 0",
      undefined,
    ],
    ["0.0s", {}, "write whole numbers per unit", "0s"],
    ["1.0m", {}, "write whole numbers per unit", "1m"],
    ["0.5s", { positive: true }, "write whole numbers per unit", "500ms"],
    ["-0s", { positive: true }, "a duration takes no sign here, and must be longer than 0", undefined],
    ["-0s", {}, "a duration takes no sign here", "0s"],
    ["+5s", {}, "a duration takes no sign here", "5s"],
    ["-5s", {}, "a duration cannot be negative here", "5s"],
  ] as const)("gives the true reason for %j (%j)", (text, constraints, message, suggestion) => {
    expect(parseDuration(text, constraints)).toEqual({ ok: false, message, suggestion });
  });

  it("reads a signed zero as 0, not -0", () => {
    expect(parseDuration("-0s", { signed: true })).toEqual({ ok: true, ms: 0 });
  });

  it.each([
    ["1m30s", 90_000],
    ["90s", 90_000],
  ])("takes %s where the duration must be longer than 0", (text, ms) => {
    expect(parseDuration(text, { positive: true })).toEqual({ ok: true, ms });
  });

  it("refuses durations too long to count in milliseconds exactly", () => {
    expect(parseDuration("999999999999d")).toMatchObject({
      ok: false,
      message: "the duration is too long: at most 104249991d8h59m991ms, the longest counted in whole ms",
    });
  });
});

describe("formatDurationText", () => {
  it("writes the canonical form", () => {
    expect(formatDurationText(5_400_000)).toBe("1h30m");
    expect(formatDurationText(1_500)).toBe("1s500ms");
    expect(formatDurationText(0)).toBe("0s");
    expect(formatDurationText(-5_000)).toBe("-5s");
  });

  it("round-trips through parseDuration for any whole number of ms", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (ms) => {
        const text = formatDurationText(ms);
        expect(parseDuration(text, { signed: true })).toEqual({ ok: true, ms });
        if (ms >= 0) expect(parseDuration(text)).toEqual({ ok: true, ms });
      }),
    );
  });

  it("suggests a fix that itself parses, whenever it suggests one", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const result = parseDuration(text);
        if (!result.ok && result.suggestion !== undefined)
          expect(parseDuration(result.suggestion).ok).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
