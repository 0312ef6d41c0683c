// Shows that Ctrl-C on gate is not silent: one line on stderr saying how far it got, exit 130. Each gate signalled is a process of the built CLI; the earlier gate whose JUnit file one leaves as it was runs in this process.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";
import { BUILT, interruptedGate, SCENARIOS } from "./interrupted-gate.js";

describe.skipIf(!BUILT)("gate sent SIGINT", () => {
  // In one thread the signal comes between or in the runs made there; with --jobs 2, as in
  // SIGTERM's case below, while threads run them. SIGINT with --jobs 2, SIGHUP, and SIGTERM with
  // no report file left from before, are in the long tier (interrupt.long.test.ts).
  it("says it was interrupted and exits 130 (--jobs 1)", async () => {
    const r = await interruptedGate("1");
    expect(r.status).toBe(130);
    expect(r.stderr).toMatch(/^aftershock: interrupted after \d+ of \d+ runs; nothing judged or written\n$/);
  });

  it("says a report file an earlier gate left is left as it was, not this gate's outcome", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-gate-int-"));
    const junit = join(dir, "gate.xml");
    // The earlier gate's file, written in this process and thread: only the gate interrupted
    // after it is about the process.
    const earlier = await cli(["gate", join(SCENARIOS, "quiet-day.yaml"), "--jobs", "1", "--junit", junit]);
    expect(earlier.code, earlier.err).toBe(0);
    const before = readFileSync(junit, "utf8");
    const r = await interruptedGate("2", "SIGTERM", ["--junit", junit, "--markdown", join(dir, "gate.md")]);
    expect(r.status).toBe(143);
    expect(r.stderr).toMatch(
      /^aftershock: interrupted by SIGTERM after \d+ of \d+ runs; nothing judged or written \(/,
    );
    expect(r.stderr).toContain(
      `nothing judged or written (${junit}, there before this gate, is left as it was: not this gate's outcome)`,
    );
    expect(readFileSync(junit, "utf8")).toBe(before);
  }, 60_000);
});
