// Shows, in the long tier, the repetitions of the built binary's cases in interrupt.test.ts: Ctrl-C with --json on one job (Ctrl-C there on two, --json on one for SIGTERM), SIGHUP (the same handler as SIGINT's and SIGTERM's there; its exit code in test/cli/interrupt-temp-files.test.ts), and one SIGTERM on two jobs (SIGTERM there twice on one, and in this thread).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { tmp } from "./cli-helpers.js";
import { BUGGY_UNTIL_STOPPED, BUILT, expectWholeReproducers, interrupted } from "./interrupt-binary.js";

describe.skipIf(!BUILT)("the built binary, sent SIGINT", () => {
  const args = BUGGY_UNTIL_STOPPED;

  it("with --json, prints the partial JSON report, with the reproducers written whole, exit 130", async () => {
    const dir = join(tmp(), "ci1");
    const json = await interrupted([...args, "--jobs", "1", "--out", dir, "--json"]);
    expect(json.signalled, json.stderr).toBe(true);
    expect(json.status, json.stderr).toBe(130);
    expectWholeReproducers(JSON.parse(json.stdout) as ExploreReport);
  });

  it("sent SIGHUP (an ssh session dropped, the report going to a file), writes it and the reproducers, exit 129", async () => {
    const dir = join(tmp(), "hup");
    const r = await interrupted([...args, "--jobs", "1", "--out", dir, "--json"], "SIGHUP");
    expect(r.signalled, r.stderr).toBe(true);
    expect(r.status, r.stderr).toBe(129);
    expect(r.stderr).toContain("aftershock: interrupted by SIGHUP");
    const report = JSON.parse(r.stdout) as ExploreReport;
    expect(report.stoppedBy).toBe("interrupted");
    expectWholeReproducers(report);
  });

  it("sent SIGTERM, writes the partial JSON report and the reproducers, exit 143", async () => {
    const dir = join(tmp(), "term");
    const r = await interrupted([...args, "--jobs", "2", "--out", dir, "--json"], "SIGTERM");
    expect(r.signalled, r.stderr).toBe(true);
    expect(r.status, r.stderr).toBe(143);
    const report = JSON.parse(r.stdout) as ExploreReport;
    expect(report.stoppedBy).toBe("interrupted");
    expectWholeReproducers(report);
  });
});
