// Shows the README's samples are what the code gives now: the May 8 replay by its trace hash, the --quiet line's count of its expectations, and the metrics' faults row as run writes it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { plainPaint } from "../../src/report/paint.js";
import { faultsRow } from "../../src/report/terminal.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { cli } from "../gate/helpers.js";

const ROOT = join(import.meta.dirname, "..", "..");

describe("README sample output", () => {
  it("quotes the May 8 runs the golden file pins (refresh the sample when it changes)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const golden = JSON.parse(
      readFileSync(join(ROOT, "scenarios", "golden", "qstash-2026-05-08.json"), "utf8"),
    ) as {
      variants: Record<"buggy" | "fixed", { traceHash: string; events: number }>;
    };
    for (const name of ["buggy", "fixed"] as const) {
      const { traceHash, events } = golden.variants[name];
      const header = readme.split("\n").find((line) => line.startsWith(`  ${name}: `));
      expect(header, `the README shows ${name}'s trace in the replay's header`).toBeDefined();
      expect(header).toMatch(new RegExp(`^  ${name}: +${events} trace events · trace ${traceHash}$`));
    }
  });

  it("counts the buggy May 8 run's expectations as run --quiet's line does", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const file = join(ROOT, "scenarios", "qstash-2026-05-08.yaml");
    const parsed = parseScenario(readFileSync(file, "utf8"), file);
    if (!parsed.ok) throw new Error("the May 8 scenario does not parse");
    const buggy = parsed.scenario.expect.filter((e) => e.variant === "buggy").length;
    expect(readme).toContain(`\`failed: no-cascade, no-panic-death; expectations: all ${buggy} met\``);
  });

  it("shows compare's side-by-side table as the replay prints it, row for row", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const block = (text: string) => {
      const lines = text.split("\n").map((l) => l.trimEnd());
      const from = lines.indexOf("Side by side");
      expect(from).toBeGreaterThanOrEqual(0);
      const to = lines.indexOf("", from);
      return lines.slice(from, to === -1 ? undefined : to);
    };
    const r = await cli(["compare", join(ROOT, "scenarios", "qstash-2026-05-08.yaml")], { NO_COLOR: "1" });
    expect(r.code).toBe(0);
    const printed = block(r.out);
    // Every delivery count and the outage as run's summary writes it.
    expect(printed.some((l) => /^ {4}duplicate +\d+ +0$/.test(l))).toBe(true);
    expect(printed.some((l) => /^ {2}full outage +\d+m\d\ds +0ms$/.test(l))).toBe(true);
    expect(printed.some((l) => /^ {2}worst p99 lag +\d+m\d\ds +[\d.]+s$/.test(l))).toBe(true);
    expect(block(readme)).toEqual(printed);
  });

  it("quotes the metrics' faults row as run writes it, a skipped fault's note and all", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8").replace(/\s*\n\s*/g, " ");
    const quoted = /the metrics end with `faults {2}([^`]+)`.*?is counted apart: `([^`]+)`/.exec(readme);
    expect(quoted, "the README's sentence on the faults row").not.toBeNull();
    const skipped = {
      fired: { "kill-worker": 4 },
      probes: {},
      skipped: { "kill-worker": 1 },
      planned: { "kill-worker": 5 },
    };
    expect(faultsRow(skipped, plainPaint)).toBe(quoted![1]);
    const unfired = { fired: {}, probes: {}, skipped: {}, planned: { "inject-panic": 1 } };
    expect(faultsRow(unfired, plainPaint)).toBe(quoted![2]);
  });
});
