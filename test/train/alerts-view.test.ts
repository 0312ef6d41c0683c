// Shows that `alerts` gives the history under one "Alerts" title and what is firing now under a title of its own, not a second "Alerts".
import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { BUNDLED, newSession, play } from "./helpers.js";

describe("alerts", () => {
  it("titles the history and what fires now apart", () => {
    const steps = play(newSession({}, BUNDLED), ["next", "next", "next", "alerts"]);
    const lines = stripVTControlCharacters(steps[3].text).split("\n");
    expect(lines.filter((l) => l.startsWith("Alerts"))).toEqual(["Alerts (1 page)"]);
    const now = lines.indexOf("Now");
    expect(now).toBeGreaterThan(1);
    expect(lines[now + 1]).toMatch(/^ {2}FIRING worker-crash-rate since 09:45:40: /);
    // The dashboards' own block keeps its title.
    expect(
      stripVTControlCharacters(play(newSession({}, BUNDLED), ["next", "next", "next", "status"])[3].text),
    ).toMatch(/\nAlerts\n {2}FIRING worker-crash-rate/);
  });
});
