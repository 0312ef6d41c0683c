// Shows the README's words for a bad rollout that every variant goes through are what compare prints of one: two variants that behave alike before it give the same run.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");

const BAD_ROLLOUT = `name: bad-rollout
description: v2 without fixes rolled out to the whole fleet, then an account deleted.
seed: 1100
start: 2026-05-08T09:30:00Z
duration: 10m
fleet: { workers: 2 }
workload:
  accounts: 5
  named: [{ id: acct-d, schedules: [{ id: sched-d, cron: "* * * * *" }] }]
timeline:
  - { at: "09:32", action: deploy, scheduler: v2, stepDelay: 0s }
  - { at: "09:36", action: delete-account, account: acct-d }
`;

describe("the README on a bad rollout", () => {
  it("quotes what compare says of variants that behave alike before it", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8").replace(/\s*\n\s*/g, " ");
    const quoted =
      /compare` says so under `Divergence`: `([^`]+)`, or with more than two variants `([^`]+)`/.exec(readme);
    expect(quoted, "the README's sentence on a bad rollout").not.toBeNull();
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-bad-rollout-")), "bad-rollout.yaml");
    writeFileSync(file, BAD_ROLLOUT);
    const two = await cli(["compare", file], { NO_COLOR: "1" });
    expect(two.code, two.err).toBe(0);
    expect(two.out).toContain(`Divergence\n  ${quoted![1]}\n`);
    const three = await cli(["compare", file, "--variants", "buggy,fixed,v1"], { NO_COLOR: "1" });
    expect(three.out.split("\n").map((l) => l.trim().replace(/ {2,}/g, "  "))).toContain(quoted![2]);
  });
});
