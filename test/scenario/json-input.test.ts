// Shows that JSON scenarios parse like YAML ones, with issues at JSON lines and columns.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseScenario } from "../../src/scenario/index.js";

const YAML_FIXTURE = "test/scenario/fixtures/complete.yaml";

describe("JSON input", () => {
  it("gives the same scenario as the YAML it was converted from", () => {
    const yamlText = readFileSync(YAML_FIXTURE, "utf8");
    const json = JSON.stringify({ $schema: "../schema/scenario.schema.json", ...parse(yamlText) }, null, 2);
    const fromYaml = parseScenario(yamlText, "s.yaml");
    const fromJson = parseScenario(json, "s.json");
    expect(fromYaml.ok && fromJson.ok).toBe(true);
    if (!fromYaml.ok || !fromJson.ok) return;
    const { source: _y, ...yamlScenario } = fromYaml.scenario;
    const { source, ...jsonScenario } = fromJson.scenario;
    expect(jsonScenario).toEqual(yamlScenario);
    const lines = json.split("\n");
    const expectLine = lines.findIndex((l) => l.includes('"expect"')) + 1;
    // The first expectation is the `{` on the line after `"expect": [`.
    expect(source.locate(["expect", 0])).toEqual({ line: expectLine + 1, column: 5 });
  });

  it("reports issues at JSON positions", () => {
    const json = `{
  "name": "x",
  "description": "d",
  "start": "2026-05-08T09:30:00Z",
  "duration": "50m",
  "fleet": { "workers": "8", "leaseTTL": "30s" },
  "faults": [
    { "at": "+1m", "fault": "kil-worker", "worker": "w1" }
  ]
}`;
    const result = parseScenario(json, "s.json");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(
      result.issues.map(({ file, line, column, path, code, suggestion }) => ({
        file,
        line,
        column,
        path,
        code,
        suggestion,
      })),
    ).toEqual([
      {
        file: "s.json",
        line: 6,
        column: 25,
        path: ["fleet", "workers"],
        code: "wrong-type",
        suggestion: undefined,
      },
      {
        file: "s.json",
        line: 6,
        column: 30,
        path: ["fleet", "leaseTTL"],
        code: "unknown-key",
        suggestion: "leaseTtl",
      },
      {
        file: "s.json",
        line: 8,
        column: 29,
        path: ["faults", 0, "fault"],
        code: "unknown-value",
        suggestion: "kill-worker",
      },
    ]);
  });

  it("reads Windows line endings and a byte-order mark, and still counts lines", () => {
    const text =
      "\uFEFFname: x\r\ndescription: d\r\nstart: 2026-05-08T09:30:00Z\r\nduration: 5m\r\nslo: 5\r\n";
    const result = parseScenario(text, "crlf.yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual([expect.objectContaining({ line: 5, column: 6, path: ["slo"] })]);
  });

  it("reports malformed JSON with its position", () => {
    const result = parseScenario('{\n  "name": "x",\n  "seed": 1,,\n}', "bad.json");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ file: "bad.json", line: 3, code: "syntax" });
  });

  it("places a trailing comma in a long file at that comma's token, not at an earlier bracket", () => {
    // V8 quotes the text around the token without its position once the file is long; the same
    // bracket closing an earlier array must not be taken for it.
    const text = [
      "{",
      '  "name": "x",',
      '  "sources": ["a public post-mortem"],',
      '  "timeline": [',
      '    { "at": "+1m", "action": "kill-worker", "worker": "w1" },',
      "  ],",
      '  "slo": "1m"',
      "}",
    ].join("\n");
    const result = parseScenario(text, "trailing.json");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ line: 6, column: 3, code: "syntax" });
    expect(result.issues[0].message).toBe(
      "JSON syntax error: Unexpected token ']' (a .json scenario must be JSON; write YAML in a .yaml file)",
    );
  });
});
