// Shows the three ways to write a time and how each lands on the run's timeline.
import { describe, expect, it } from "vitest";
import { instantText, parseInstant, parseTimeRef, resolveTimeRef } from "../../src/scenario/index.js";

const START = Date.UTC(2026, 4, 8, 9, 30);

function at(text: string): number {
  const parsed = parseTimeRef(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return resolveTimeRef(parsed.value, START);
}

describe("times", () => {
  it("reads ISO instants in UTC, with or without seconds and milliseconds", () => {
    expect(parseInstant("2026-05-08T09:30:00Z")).toEqual({ ok: true, value: START });
    expect(parseInstant("2026-05-08T09:30Z")).toEqual({ ok: true, value: START });
    expect(parseInstant("2026-05-08T09:30:00.5Z")).toEqual({ ok: true, value: START + 500 });
  });

  it("refuses instants that do not exist or are not in UTC, with a fix", () => {
    expect(parseInstant("2026-02-29T00:00:00Z")).toMatchObject({ ok: false });
    expect(parseInstant("2026-05-08T25:00:00Z")).toMatchObject({ ok: false });
    expect(parseInstant("2026-05-08 09:30:00Z")).toMatchObject({ suggestion: "2026-05-08T09:30:00Z" });
    expect(parseInstant("2026-05-08T09:30:00-04:00")).toMatchObject({ suggestion: "2026-05-08T13:30:00Z" });
    expect(parseInstant("2026-05-08")).toMatchObject({ suggestion: "2026-05-08T00:00:00Z" });
  });

  it("places times of day on the start's UTC date, and offsets from the start", () => {
    expect(at("09:44:30")).toBe(Date.UTC(2026, 4, 8, 9, 44, 30));
    expect(at("9:46")).toBe(Date.UTC(2026, 4, 8, 9, 46));
    expect(at("08:00")).toBe(Date.UTC(2026, 4, 8, 8, 0));
    expect(at("+14m30s")).toBe(START + 870_000);
    expect(at("+0s")).toBe(START);
    expect(at("2026-05-09T00:10:00Z")).toBe(Date.UTC(2026, 4, 9, 0, 10));
  });

  it("takes milliseconds in a time of day, as it takes them in an instant", () => {
    expect(at("09:44:30.500")).toBe(Date.UTC(2026, 4, 8, 9, 44, 30, 500));
    expect(at("09:44:30.5")).toBe(Date.UTC(2026, 4, 8, 9, 44, 30, 500));
    expect(at("09:44:30.005")).toBe(Date.UTC(2026, 4, 8, 9, 44, 30, 5));
    // Milliseconds need the seconds before them, and at most three digits, as an instant's do.
    expect(parseTimeRef("09:44.500")).toMatchObject({ ok: false });
    expect(parseTimeRef("09:44:30.5000")).toMatchObject({ ok: false });
    expect(parseTimeRef("23:55:00.500Z")).toMatchObject({ ok: false, suggestion: "23:55:00.500" });
    expect(parseTimeRef("24:00:00.000")).toMatchObject({
      ok: false,
      message: "there is no time of day 24:00:00.000 (use 00:00 to 23:59:59.999)",
    });
  });

  it("explains malformed times", () => {
    expect(parseTimeRef("14m")).toMatchObject({ ok: false, suggestion: "+14m" });
    expect(parseTimeRef("+14 minutes")).toMatchObject({ ok: false, suggestion: "+14m" });
    expect(parseTimeRef("24:00")).toMatchObject({ ok: false });
    expect(parseTimeRef("noon")).toMatchObject({ ok: false });
    for (const [text, fixed] of [
      ["+ 5m", "+5m"],
      ["+\t5m", "+5m"],
      ["+5m ", "+5m"],
      [" 09:44", "09:44"],
    ]) {
      expect(parseTimeRef(text)).toEqual({
        ok: false,
        message: "a time is written without spaces",
        suggestion: fixed,
      });
    }
    // A space between two numbers is not taken out: `+1 30s` is not `+130s`, another offset.
    expect(parseTimeRef("+1 30s")).toEqual({
      ok: false,
      message: "bad offset from the start: every number in a duration needs a unit (ms, s, m, h or d)",
      suggestion: undefined,
    });
    expect(parseInstant(" 2026-05-08T09:30:00Z")).toMatchObject({
      ok: false,
      suggestion: "2026-05-08T09:30:00Z",
    });
  });

  it("reads a 12-hour clock or a Z after a time of day as what was meant, never as an offset", () => {
    const clock = "a time of day is written on the 24-hour clock, in UTC";
    for (const [text, fixed] of [
      ["11pm", "23:00"],
      ["11:55pm", "23:55"],
      ["11:55 PM", "23:55"],
      ["12am", "00:00"],
      ["12:30pm", "12:30"],
      ["9:44:30am", "09:44:30"],
      ["9:45:00.250pm", "21:45:00.250"],
      ["9:45:00.250 PM", "21:45:00.250"],
      ["12:00:00.5am", "00:00:00.5"],
    ]) {
      expect(parseTimeRef(text)).toEqual({ ok: false, message: clock, suggestion: fixed });
    }
    expect(parseTimeRef("23:55Z")).toEqual({
      ok: false,
      message: "a time of day is in UTC already: write it without Z",
      suggestion: "23:55",
    });
  });

  it("says what is wrong with a 12-hour clock time that does not exist, and suggests nothing", () => {
    const clock = "a time of day is written on the 24-hour clock, in UTC";
    for (const text of ["13pm", "0:30am", "00am", "13:15 PM", "13:15:00.250pm"]) {
      expect(parseTimeRef(text)).toEqual({
        ok: false,
        message: `${clock}, and ${text} is no time on a 12-hour clock either: its hour runs 1 to 12`,
      });
    }
    for (const text of ["11:60pm", "9:44:75am", "9:44:75.250am"]) {
      expect(parseTimeRef(text)).toEqual({
        ok: false,
        message: `${clock}, and ${text} is no time on a 12-hour clock either: its minutes and seconds run 00 to 59`,
      });
    }
  });

  it("suggests a time of day without its Z only if that time of day exists", () => {
    for (const text of ["25:00Z", "23:60Z", "24:00:00.000Z"]) {
      const stripped = text.slice(0, -1);
      expect(parseTimeRef(text)).toEqual({
        ok: false,
        message: `there is no time of day ${stripped} (use 00:00 to 23:59:59.999), and a time of day is in UTC already: write it without Z`,
      });
    }
  });

  it("says a negative offset would fall before the start, which no run has", () => {
    for (const text of ["-5m", "-1h30m"]) {
      expect(parseTimeRef(text)).toEqual({
        ok: false,
        message: `an offset counts forward from the start (+5m): ${text} would be before the start, and a run has nothing before it`,
      });
    }
    expect(parseTimeRef("-soon")).toMatchObject({
      ok: false,
      message: expect.stringContaining("a time is an ISO"),
    });
  });

  it("writes instants the way people do", () => {
    expect(instantText(START)).toBe("2026-05-08T09:30:00Z");
    expect(instantText(START + 5)).toBe("2026-05-08T09:30:00.005Z");
  });
});
