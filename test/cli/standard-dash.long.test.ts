// Shows report reading saved output piped in for `-` into a file output, as standard-dash.test.ts shows it read into stdout (`report - -o -`) in the default run.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MARKDOWN_SIGNATURE } from "../../src/report/markdown.js";
import { dashFolder } from "./dash-folder.js";

const { at, cli, saved } = dashFolder();

describe("- as report's input", () => {
  it("reads saved output piped in", () => {
    expect(existsSync(at("-"))).toBe(false);
    const r = cli(["report", "-", "-o", "x.md"], saved());
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain("(Markdown summary of the run report");
    expect(readFileSync(at("x.md"), "utf8")).toMatch(MARKDOWN_SIGNATURE);
  });
});
