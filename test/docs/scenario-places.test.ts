// Shows every place in a bundled scenario that the README and docs/ quote beside the entry it names (`scenarios/qstash-2026-05-08.yaml:122:5 (expect[9])`) is where that entry is written, and that a quoted case is that expectation, so that an edit to a scenario cannot leave the samples pointing at other lines.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";
import type { Scenario } from "../../src/scenario/types.js";

const ROOT = join(import.meta.dirname, "..", "..");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))].filter((f) =>
  f.endsWith(".md"),
);

/** `scenarios/x.yaml:12:5` followed on its line by the entry it is, `(expect[9])` or `(timeline[1])`. */
const PLACE = /(scenarios\/[\w.-]+\.ya?ml):(\d+):(\d+)\b.*?\((expect|timeline)\[(\d+)\]\)/g;

function scenarioOf(file: string): Scenario {
  const parsed = parseScenario(readFileSync(join(ROOT, file), "utf8"), file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return parsed.scenario;
}

describe("the places in the bundled scenarios that the docs quote", () => {
  const quoted = DOCS.flatMap((doc) => {
    const lines = readFileSync(join(ROOT, doc), "utf8").split("\n");
    return lines.flatMap((text, i) =>
      [...text.matchAll(PLACE)].map((m) => ({
        doc: `${doc}:${i + 1}`,
        file: m[1],
        line: Number(m[2]),
        column: Number(m[3]),
        list: m[4] as "expect" | "timeline",
        index: Number(m[5]),
        // The case a gate sample quotes above its details (`expected: <name>` two lines up).
        expected: /^\s+expected: (.+)$/.exec(lines[i - 2] ?? "")?.[1],
      })),
    );
  });

  it("are found (the samples of docs/ci.md and the README name some)", () => {
    expect(quoted.filter((q) => q.list === "expect").length).toBeGreaterThanOrEqual(2);
    expect(quoted.filter((q) => q.list === "timeline").length).toBeGreaterThanOrEqual(1);
  });

  it("point at the entry they name, and a gate case's expectation is that entry", () => {
    for (const q of quoted) {
      const scenario = scenarioOf(q.file);
      expect(scenario.source.locate([q.list, q.index]), q.doc).toEqual({ line: q.line, column: q.column });
      if (q.list !== "expect" || q.expected === undefined) continue;
      const e = scenario.expect[q.index];
      const name = e.kind === "property" ? e.property : `${e.metric} ${e.op}`;
      expect(q.expected.startsWith(name), `${q.doc}: expect[${q.index}] is ${name}`).toBe(true);
    }
  });
});
