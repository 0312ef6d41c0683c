// Shows `explore <scenario>`: a property the scenario expects not to hold for the explored variant is left out, and said to be.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderExplore } from "../../src/cli/commands/explore.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { plainPaint } from "../../src/report/paint.js";
import { cli, tmp } from "./cli-helpers.js";

const FIXTURE = "test/gate/fixtures/pass/small-cascade.yaml";

/** small-cascade with only `expect`, explored once as the fixed variant. */
async function explored(expect: string, ...more: string[]) {
  const dir = tmp();
  const file = join(dir, "small.yaml");
  const text = readFileSync(FIXTURE, "utf8").replace(/\nexpect:\n[\s\S]*$/, `\nexpect:\n  - ${expect}\n`);
  writeFileSync(file, text);
  const r = await cli(
    "explore",
    file,
    "--runs",
    "1",
    "--jobs",
    "1",
    "--shrink-runs",
    "0",
    "--json",
    "--out",
    join(dir, "repro"),
    ...more,
  );
  return { ...r, report: r.out === "" ? null : (JSON.parse(r.out) as ExploreReport), file };
}

describe("explore and the scenario's own expectations", () => {
  it("leaves out a property expected not to hold for the variant, with a warning at the expectation", async () => {
    const { err, report, file } = await explored("{ variant: fixed, property: no-cascade, holds: false }");
    expect(report!.target.properties).not.toContain("no-cascade");
    expect(report!.target.properties).toContain("no-panic-death");
    expect(report!.target.propertiesLeftOut).toEqual([
      { property: "no-cascade", index: 0, variant: "fixed" },
    ]);
    expect(err).toContain(
      `${file}:33:5: warning: expect[0] expects no-cascade not to hold for the fixed variant: explore leaves it out`,
    );
    expect(renderExplore(report!, plainPaint)).toMatch(
      /○ no-cascade +left out: expect\[0\] expects no-cascade not to hold for the fixed variant/,
    );
  });

  it("judges it when the scenario expects it to hold, or another variant not to", async () => {
    for (const x of [
      "{ variant: fixed, property: no-cascade, holds: true }",
      "{ variant: buggy, property: no-cascade, holds: false }",
    ]) {
      const { err, report } = await explored(x);
      expect(report!.target.properties).toContain("no-cascade");
      expect(report!.target.propertiesLeftOut).toBeUndefined();
      expect(err).not.toContain("leaves it out");
    }
  });

  it("judges it when --properties names it", async () => {
    const { report } = await explored(
      "{ variant: fixed, property: no-cascade, holds: false }",
      "--properties",
      "no-cascade",
    );
    expect(report!.target.properties).toEqual(["no-cascade"]);
  });
});
