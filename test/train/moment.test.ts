// Shows that until and rewind read a time of day as the one inside the run, across midnight and over several days.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";
import { TrainingSession } from "../../src/train/index.js";
import { resolveMoment } from "../../src/train/moment.js";
import { MIDNIGHT, newSession, play } from "./helpers.js";

const at = (iso: string) => Date.parse(iso);
/** The midnight fixture's window (23:50 to 00:10), now at 23:58. */
const window = {
  startMs: at("2026-05-08T23:50:00Z"),
  nowMs: at("2026-05-08T23:58:00Z"),
  horizonMs: at("2026-05-09T00:10:00Z"),
};

describe("until and rewind in a run that crosses midnight", () => {
  it("go to the time of day after midnight, the next day's", () => {
    const session = newSession({}, MIDNIGHT);
    const steps = play(session, [
      "next",
      "next",
      "until 00:02",
      "rewind 00:01",
      "rewind 23:59",
      "until 00:03",
    ]);
    for (const s of steps) expect(s.ok, s.text).toBe(true);
    expect(steps[2].text).toContain("05-08 23:58:00 → 05-09 00:02:00 (4m)");
    expect(steps[3].text).toContain("Rewound to 05-09 00:01:00");
    expect(steps[4].text).toContain("Rewound to 05-08 23:59:00");
    expect(steps[5].text).toContain("05-08 23:59:00 → 05-09 00:03:00 (4m)");
  });

  it("refuse naming the date, and say how to write another moment", () => {
    const refusals: [string, "until" | "rewind", string][] = [
      [
        "23:55",
        "until",
        "until: 23:55 (2026-05-08T23:55:00Z) is not ahead of now (23:58:00 on 2026-05-08); rewind goes back",
      ],
      [
        "00:01",
        "rewind",
        "rewind: 00:01 (2026-05-09T00:01:00Z) is ahead of now (23:58:00 on 2026-05-08); use until",
      ],
      [
        "12:00",
        "until",
        "until: 12:00 does not fall within the run (2026-05-08T23:50:00Z to 2026-05-09T00:10:00Z): a time of day is read as one inside it; write an ISO instant or +offset from the start",
      ],
      [
        "-10m",
        "rewind",
        "rewind: -10m (2026-05-08T23:48:00Z) is before the start of the run (2026-05-08T23:50:00Z to 2026-05-09T00:10:00Z)",
      ],
    ];
    // Each is a time read, but not one to go to from here: a refusal, not a hint on writing times.
    for (const [text, verb, message] of refusals)
      expect(resolveMoment(text, verb, window)).toEqual({ ok: false, message, understood: true });
    expect(resolveMoment("banana", "rewind", window)).toMatchObject({ ok: false, understood: false });
  });

  it("take the next one ahead (until) or the latest one behind (rewind) when a time of day falls on two days", () => {
    const long = { ...window, nowMs: at("2026-05-09T06:00:00Z"), horizonMs: at("2026-05-10T23:00:00Z") };
    const until = resolveMoment("03:00", "until", long);
    expect(until).toMatchObject({ ok: true, atMs: at("2026-05-10T03:00:00Z") });
    expect(until.ok && until.note).toBe(
      "03:00 falls on more than one day of the run: taking 2026-05-10T03:00:00Z, the next one ahead (an ISO instant picks another)",
    );
    const taken: [string, "until" | "rewind", string][] = [
      ["03:00", "rewind", "2026-05-09T03:00:00Z"],
      ["23:55", "rewind", "2026-05-08T23:55:00Z"],
      ["23:55", "until", "2026-05-09T23:55:00Z"],
    ];
    for (const [text, verb, iso] of taken)
      expect(resolveMoment(text, verb, long), `${verb} ${text}`).toMatchObject({ ok: true, atMs: at(iso) });
    // One occurrence only: no note.
    expect(resolveMoment("00:02", "until", window)).toEqual({
      ok: true,
      atMs: at("2026-05-09T00:02:00Z"),
      note: null,
    });
  });

  it("says in the session which day it took", () => {
    const parsed = parseScenario(
      readFileSync(MIDNIGHT, "utf8").replace("duration: 20m", "duration: 30h"),
      MIDNIGHT,
    );
    if (!parsed.ok) throw new Error("the fixture does not parse");
    const session = new TrainingSession({
      scenario: parsed.scenario,
      input: applyVariant(compileScenario(parsed.scenario), "buggy")!,
    });
    const [step] = play(session, ["until 23:52"]);
    expect(step.text).toContain("23:52 falls on more than one day of the run: taking 2026-05-08T23:52:00Z");
    expect(step.text).toContain("05-08 23:50:00 → 05-08 23:52:00 (2m)");
  });
});
