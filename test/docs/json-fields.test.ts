// Shows the fields of the JSON the CI commands print are in the docs: the gate's top level and its `counts`, each top-level field of an explore report, the deliveries of a run's, `merge --json`, and the trace formats and the place of a module's panic, so that a field added to one of them is documented with it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exploreReportSchema } from "../../src/cli/commands/explore-report-schema.js";
import { gateJson } from "../../src/cli/commands/gate.js";
import { runReportSchema } from "../../src/cli/commands/report-schema.js";
import { mergeSpec } from "../../src/cli/commands/specs.js";
import { TRACE_FORMAT, TRACE_FORMAT_CHANGES } from "../../src/world/events.js";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const DOCS = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))]
  .map(read)
  .join("\n");

/** The names of `fields` that the text does not name as code (`counts`, or a path in it, `shards.missing`). */
const unnamed = (fields: readonly string[], text: string) =>
  fields.filter((f) => !text.includes(`\`${f}\``) && !text.includes(`\`${f}.`));

describe("the JSON of the CI commands, in the docs", () => {
  it("gate --json: every top-level field and every count, in docs/ci.md's --json row", () => {
    const ci = read("docs/ci.md");
    const row = ci.split("\n").find((line) => line.startsWith("| `--json` |")) ?? "";
    const counts = { tests: 0, passed: 0, failed: 0, errors: 0, skipped: 0 };
    const json = gateJson({ suites: [], counts, exitCode: 0, golden: [] });
    expect(Object.keys(json.counts).sort()).toEqual(Object.keys(counts).sort());
    expect(unnamed(Object.keys(json), row)).toEqual([]);
    expect(unnamed(Object.keys(json.counts), row)).toEqual([]);
  });

  it("explore --json: every top-level field of its report", () => {
    const fields = Object.keys(exploreReportSchema.shape);
    expect(fields).toContain("kernelEvents");
    expect(unnamed(fields, DOCS)).toEqual([]);
  });

  it("run --json: every field of its metrics.deliveries, in the README's list of them", () => {
    const fields = Object.keys(runReportSchema.shape.metrics.shape.deliveries.shape);
    expect(fields).toContain("unowed");
    const list = read("README.md")
      .replace(/\s*\n\s*/g, " ")
      .split(/(?<=\.) (?=[A-Z`])/)
      .find((sentence) => sentence.includes("`metrics.deliveries` holds"))
      // The list itself, up to its `;`: not the clause after it, which names only some fields.
      ?.split(";")[0];
    expect(list).toBeDefined();
    expect(unnamed(fields, list!)).toEqual([]);
  });

  it("merge: every option its --help lists", () => {
    const flags = mergeSpec.options.map((o) => o.flags.split(" ")[0]);
    expect(flags).toContain("--json");
    // A sentence (or a row of the README's table of commands) that says what merge does with it.
    const said = DOCS.replace(/\s*\n\s*/g, " ")
      .split(/(?<=\.) (?=[A-Z`])|;/)
      .filter((p) => /`aftershock merge`|^\s*Merge\b/.test(p));
    for (const flag of flags) expect(said.some((p) => p.includes(`\`${flag}\``), flag)).toBe(true);
  });

  it("the trace: each format the golden files may record, and the place of a module's panic", () => {
    const ci = read("docs/ci.md");
    for (const format of Object.keys(TRACE_FORMAT_CHANGES).map(Number))
      expect(ci).toContain(`format ${format}`);
    expect(Math.max(...Object.keys(TRACE_FORMAT_CHANGES).map(Number))).toBe(TRACE_FORMAT);
    // The trace's own description names the field, where it is, and the format that added it.
    const trace = read("docs/reports.md");
    expect(trace).toMatch(
      /`location`[\s\S]{0,200}`worker\.crashed`[\s\S]{0,100}`panic\.recovered`[\s\S]{0,300}trace\s+format 4/,
    );
  });
});
