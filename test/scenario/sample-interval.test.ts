// Shows that validate warns of a sampleInterval longer than the run (code no-effect), where no metrics sample is taken: no alert rule is judged and lagP99MsMax reads 0, with nothing said. The scenario still runs.
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";

const HEAD = "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nworkload: { accounts: 2 }\n";

function warnings(settings: string) {
  const result = parseScenario(`${HEAD}${settings}`, "s.yaml");
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join("\n"));
  return result.warnings.filter((w) => w.code === "no-effect");
}

describe("a sampler whose first sample comes after the run's end", () => {
  it("is warned of at sampleInterval, with the longest interval that samples", () => {
    const found = warnings("duration: 5m\nsampleInterval: 10m\n");
    expect(found.map((w) => [w.severity, w.path.join("."), w.line, w.expected, w.found])).toEqual([
      ["warning", "sampleInterval", 6, "a sampleInterval of at most 5m (the run's duration)", "10m"],
    ]);
    expect(found[0].message).toContain("no metrics sample is taken");
    expect(found[0].message).toContain("lagP99MsMax");
  });

  it("is warned of at duration when the default interval is longer than the run", () => {
    expect(warnings("duration: 5s\n").map((w) => [w.path.join("."), w.found])).toEqual([["duration", "10s"]]);
  });

  it("is not warned of when a sample falls at the run's end or before it", () => {
    expect(warnings("duration: 5m\nsampleInterval: 5m\n")).toEqual([]);
    expect(warnings("duration: 10s\n")).toEqual([]);
  });
});
