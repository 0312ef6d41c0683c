// Shows that a YAML syntax error caused by a line indented to no open block names that line.
import { describe, expect, it } from "vitest";
import { indentationHint as slipNear } from "../../src/scenario/indent-hint.js";
import { parseScenario } from "../../src/scenario/index.js";

const FILE = [
  "name: x", // 1
  "description: >", // 2
  "  Text of a folded block,", // 3
  "     indented as it likes.", // 4
  "fleet: { workers: 5,", // 5
  "   partitions: 40 }", // 6
  "workload:", // 7
  "  accounts: 10", // 8
  "  named:", // 9
  "    - id: a", // 10
  "      schedules:", // 11
  "        - { id: s, cron: '* * * * *' }", // 12
  "    - id: b # the second", // 13
  "", // 14
  "timeline:", // 15
  "- { at: '+1m', action: delete-account, account: a }", // 16
];

/** The hint for a syntax error at `line`, or null. */
function indentationHint(text: string, line: number): string | null {
  return slipNear(text, line)?.hint ?? null;
}

function withLine(n: number, text: string): string {
  return FILE.map((line, i) => (i + 1 === n ? text : line)).join("\n");
}

describe("indentationHint", () => {
  it("finds nothing to say of a file indented consistently", () => {
    for (let line = 1; line <= FILE.length; line++) expect(indentationHint(FILE.join("\n"), line)).toBeNull();
  });

  it("names a list item indented one space short of its siblings", () => {
    expect(indentationHint(withLine(13, "   - id: b"), 13)).toBe(
      "line 13 is indented 3 spaces, which lines up with no block above it (2 or 4 would): check its indentation",
    );
  });

  it("names a key indented deeper than a line that opens no block, near the error yaml reports", () => {
    expect(indentationHint(withLine(9, "   named:"), 8)).toBe(
      "line 9 is indented 3 spaces, which lines up with no block above it (0 or 2 would): check its indentation",
    );
    expect(indentationHint(withLine(7, " workload:"), 7)).toBe(
      "line 7 is indented 1 space, which lines up with no block above it (0 would): check its indentation",
    );
  });

  it("names a list item indented to the content of a flow mapping before it, which opens no block", () => {
    expect(
      indentationHint(
        withLine(
          16,
          "- { at: '+1m', action: scale, workers: 2 }\n  - { at: '+2m', action: scale, workers: 3 }",
        ),
        17,
      ),
    ).toContain("line 17 is indented 2 spaces");
  });

  it("names a key at the column of a list's dashes, where no block a key may go in is", () => {
    // `schedules` of item a, one indent short: level with the dash of `- id: a`.
    const text = withLine(11, "    schedules:");
    expect(indentationHint(text, 11)).toBe(
      "line 11 is indented 4 spaces, which is the column of the list's dashes above it, not of a block a key may go in (2 or 6 would): check its indentation",
    );
    expect(slipNear(text, 11)).toMatchObject({ line: 11, indent: 4 });
  });

  it("offers a key that lines up with no block only the columns a key may go in, not a list's dashes", () => {
    // `action` one space past the dash of its item: at 2, the dashes' column, it is refused too.
    const text = ["timeline:", '  - at: "09:50"', "   action: deploy", "    scheduler: v2"].join("\n");
    expect(indentationHint(text, 3)).toBe(
      "line 3 is indented 3 spaces, which lines up with no block above it (0 or 4 would): check its indentation",
    );
  });

  it("names no line after a slip that fits the blocks as they were before it, nor a slipped key's own lines", () => {
    // `title` slipped one space short of its item's keys; `text` after it is where it belongs.
    const item = ["chapters:", '  - at: "09:44:40"', '   title: "A"', '    text: "t"'].join("\n");
    expect(indentationHint(item, 3)).toContain("line 3 is indented 3 spaces");
    // An error yaml reports on line 4 is the slip's of line 3, not one of line 4's own.
    expect(slipNear(item, 4)?.line).toBe(3);
    // `named` slipped; its list, under it, follows it.
    const key = ["workload:", "  accounts: 10", "   named:", "     - id: a"].join("\n");
    expect(indentationHint(key, 3)).toContain("line 3 is indented 3 spaces");
    expect(slipNear(key, 4)?.line).toBe(3);
  });

  it("takes an item whose key is quoted, or a dash alone above its item's keys, as yaml does", () => {
    const quoted = ["named:", '  - "schedules":', "    - { id: s1 }", '    "id": a', "  - id: b"].join("\n");
    const dash = ["named:", "  -", "    id: a", "    schedules: []", "  - id: b"].join("\n");
    for (const text of [quoted, dash])
      for (let line = 1; line <= 5; line++) expect(indentationHint(text, line), text).toBeNull();
  });

  it("takes a key level with a list written at its key's column, as yaml does", () => {
    const compact = ["workload:", "  named:", "  - id: a", "    schedules: []", "  accounts: 3"].join("\n");
    for (let line = 1; line <= 5; line++) expect(indentationHint(compact, line)).toBeNull();
  });

  it("says nothing of a line far from the error", () => {
    expect(indentationHint(withLine(13, "   - id: b"), 5)).toBeNull();
  });
});

describe("a scenario with an indentation slip", () => {
  it("gets the hint on the error at the slipped line, not on another error just before it", () => {
    const text = [
      "name: x",
      "description: d",
      "start: 2026-05-08T09:30:00Z",
      "duration: 5m",
      "workload:",
      "  named:",
      "    - id: a",
      "      retries: 2",
      "      retries: 3",
      "    schedules: []",
    ].join("\n");
    const result = parseScenario(text, "s.yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byLine = new Map(result.issues.map((i) => [i.line, i]));
    expect(byLine.get(9)?.message).toContain("`retries` is given twice");
    expect(byLine.get(9)?.message).not.toContain("indented");
    expect(byLine.get(10)).toMatchObject({ column: 5 });
    expect(byLine.get(10)?.message).toContain("line 10 is indented 4 spaces");
  });

  it("gets the hint on each syntax error a slip of its own is near, at the slipped line's text", () => {
    const text = [
      "name: x",
      "description: d",
      "start: 2026-05-08T09:30:00Z",
      "duration: 5m",
      "workload:",
      "  named:",
      "    - id: a",
      "    schedules: []",
      "timeline:",
      "  - at: '+1m'",
      "    action: delete-account",
      "  account: a",
    ].join("\n");
    const result = parseScenario(text, "s.yaml");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.line, i.column])).toEqual([
      [8, 5],
      [12, 3],
    ]);
    expect(result.issues[0].message).toContain(
      "line 8 is indented 4 spaces, which is the column of the list's dashes",
    );
    expect(result.issues[1].message).toContain(
      "line 12 is indented 2 spaces, which is the column of the list's dashes",
    );
  });

  it("gets the hint on its first syntax error, and one error per line", () => {
    const result = parseScenario(
      "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 5m\nworkload:\n  accounts: 10\n   named: []\n",
      "s.yaml",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0].message).toContain(
      "— line 7 is indented 3 spaces, which lines up with no block above it (0 or 2 would): check its indentation",
    );
    const lines = result.issues.map((i) => i.line);
    expect(new Set(lines).size).toBe(lines.length);
  });
});
