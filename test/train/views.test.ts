// Shows the on-call views of a session counting and naming what they show: pages, not rows.
import { describe, expect, it } from "vitest";
import { newSession, play } from "./helpers.js";

describe("training views", () => {
  it("alerts counts the pages (alerts fired), not their resolutions", () => {
    const session = newSession();
    const [alerts] = play(session, [...Array(8).fill("next"), "alerts"]).slice(-1);
    const fired = alerts.text.match(/\bFIRED\b/g)?.length ?? 0;
    const resolved = alerts.text.match(/\bRESOLVED\b/g)?.length ?? 0;
    expect(fired).toBeGreaterThan(0);
    expect(resolved).toBeGreaterThan(0);
    expect(alerts.text).toContain(`Alerts (${fired} page${fired === 1 ? "" : "s"}, ${resolved} resolved)`);
  });
});
