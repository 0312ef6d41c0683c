// Shows the gate's interruptions that interrupt.test.ts's cases represent: Ctrl-C while runs go on threads (--jobs 2), SIGHUP (the terminal closed), and SIGTERM where no report file was left from before (interrupt.test.ts's SIGTERM leaves one), each said in one line with its exit code.
import { describe, expect, it } from "vitest";
import { BUILT, interruptedGate } from "./interrupted-gate.js";

describe.skipIf(!BUILT)("gate sent SIGINT", () => {
  it("says it was interrupted and exits 130 (--jobs 2)", async () => {
    const r = await interruptedGate("2");
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/^aftershock: interrupted after \d+ of \d+ runs; nothing judged or written\n$/);
  });

  it("sent SIGHUP (the terminal closed), says so and exits 129", async () => {
    const r = await interruptedGate("2", "SIGHUP");
    expect(r.status).toBe(129);
    expect(r.stderr).toMatch(
      /^aftershock: interrupted by SIGHUP after \d+ of \d+ runs; nothing judged or written\n$/,
    );
  });

  it("sent SIGTERM (how CI systems cancel a job), says so and exits 143", async () => {
    const r = await interruptedGate("2", "SIGTERM");
    expect(r.status).toBe(143);
    expect(r.stderr).toMatch(
      /^aftershock: interrupted by SIGTERM after \d+ of \d+ runs; nothing judged or written\n$/,
    );
  });
});
