// Shows a generated document's problems (its not being a mapping too) are said as parseScenario says them of its text, and its YAML's header can carry no text into the document.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { compileDocument, type ScenarioDocument } from "../../src/explore/generate/document.js";
import { documentYaml } from "../../src/explore/generate/document-yaml.js";
import { parseScenario } from "../../src/scenario/index.js";
import { issueText } from "../../src/scenario/issue.js";
import { smallDocument } from "./helpers.js";

describe("compileDocument", () => {
  it("says a problem as parseScenario does: the path once, as people read it, what was expected and found, the nearest", () => {
    const doc = {
      ...smallDocument({ timeline: [{ at: "+1m", action: "delete-account", account: "nope" }] }),
      duration: 5,
      fleeet: 1,
    } as unknown as ScenarioDocument;
    const compiled = compileDocument(doc);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems).toEqual([
      "duration: a duration needs a unit (ms, s, m, h or d) (expected a duration longer than 0, like 30s, found 5) — did you mean 5s?",
      "fleeet: unknown key `fleeet` — did you mean fleet?",
      expect.stringMatching(/^timeline\[0\]\.account: no account has the id "nope": /),
    ]);
    // The same words as the text's issues, which place them by line and column instead.
    const parsed = parseScenario(documentYaml(doc), "doc.yaml");
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    for (const issue of parsed.issues)
      expect(compiled.problems.some((p) => p.endsWith(issueText(issue)))).toBe(true);
  });

  it("says a document that is no mapping as parseScenario says its text, not as a field's value", () => {
    for (const [doc, text] of [
      [null, "null"],
      [5, "5"],
      [[], "[]"],
    ] as const) {
      const compiled = compileDocument(doc);
      const parsed = parseScenario(text, "doc.yaml");
      expect(compiled.ok || parsed.ok).toBe(false);
      if (compiled.ok || parsed.ok) return;
      expect(compiled.problems).toEqual(parsed.issues.map(issueText));
    }
    expect(compileDocument(null)).toEqual({
      ok: false,
      problems: [
        "the document is empty: a scenario needs at least name, description, start and duration (expected a mapping)",
      ],
    });
  });
});

describe("documentYaml", () => {
  it("writes every line of a header entry as a comment", () => {
    const doc = smallDocument({});
    const text = documentYaml(doc, ["found by my test\nname: hijacked", "one\r\ntwo"]);
    expect(text.split("\n").slice(0, 4)).toEqual([
      "# found by my test",
      "# name: hijacked",
      "# one",
      "# two",
    ]);
    expect(parse(text)).toEqual(doc);
  });

  it("refuses what is no document, or a header that is no list of text", () => {
    expect(() => documentYaml(null as unknown as ScenarioDocument)).toThrow(
      new TypeError("doc: expected a scenario document (an object, as scenarioArbitrary gives), found null"),
    );
    expect(() => documentYaml(smallDocument({}), "found" as unknown as string[])).toThrow(TypeError);
  });
});
