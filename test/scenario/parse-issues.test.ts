// Shows that each kind of bad input is reported at the right line, column and path, with a useful message.
import { describe, expect, it, vi } from "vitest";
import { formatIssues, parseScenario, type ScenarioIssue } from "../../src/scenario/index.js";
import { issueText } from "../../src/scenario/issue.js";
import { VARIANT_NAMES } from "../../src/scenario/variants.js";

const HEAD = "name: x\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 50m\n";
/** Line numbers below count from here: the head takes lines 1 to 4. */

function issuesOf(text: string, file = "s.yaml"): readonly ScenarioIssue[] {
  const result = parseScenario(text, file);
  if (result.ok) throw new Error("expected issues, the scenario parsed");
  return result.issues;
}

function onlyIssue(text: string): ScenarioIssue {
  const issues = issuesOf(text);
  expect(issues, formatIssues(issues)).toHaveLength(1);
  return issues[0];
}

describe("syntax", () => {
  it("reports malformed YAML at its position, and nothing else", () => {
    const issues = issuesOf(`${HEAD}fleet:\n  workers: [1, 2\nslo: 60s\n`);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.code === "syntax" && i.path.length === 0)).toBe(true);
    // yaml notices the unclosed list where the next key starts.
    expect(issues[0]).toMatchObject({ file: "s.yaml", line: 7, column: 1 });
    expect(issues[0].message).toContain("end with a ]");
  });

  it("holds a .json scenario to JSON, at the line and column of its first error", () => {
    const cases: [string, number, number, string][] = [
      ['{name: "x"}', 1, 2, "Expected property name"],
      ['{"name": "x",\n "description": "d",}', 2, 21, "Expected double-quoted property name"],
      ['// note\n{"name": "x"}', 1, 1, "Unexpected token '/'"],
      ['{"name": "x"', 1, 13, "after property value"],
    ];
    for (const [text, line, column, message] of cases) {
      const issues = issuesOf(text, "s.json");
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ file: "s.json", line, column, code: "syntax" });
      expect(issues[0].message).toContain(message);
    }
    // A byte-order mark before valid JSON is no syntax error.
    expect(issuesOf('\uFEFF{"name": "x"}', "s.json").every((i) => i.code !== "syntax")).toBe(true);
    // The same text in a .yaml file is YAML: read, then judged as a scenario.
    expect(issuesOf('{name: "x"}', "s.yaml").every((i) => i.code !== "syntax")).toBe(true);
  });

  it("reports a tab used as indentation", () => {
    const issue = issuesOf(`${HEAD}fleet:\n\tworkers: 2\n`)[0];
    expect(issue).toMatchObject({ code: "syntax", line: 6 });
  });

  it("reports a tab used as indentation without the errors that only follow from it", () => {
    const fleet = "fleet:\n  workers: 6\n\theartbeat: 4s\n  rebalanceInterval: 8s\n  startupTime: 12s\n";
    const alone = issuesOf(`${HEAD}${fleet}`);
    expect(alone, formatIssues(alone)).toHaveLength(1);
    expect(alone[0]).toMatchObject({ code: "syntax", line: 7, column: 1 });
    expect(alone[0].message).toContain("Tabs are not allowed as indentation");
    const items = "cron:\n    - { expr: a }\n\t- { expr: b }\n    - { expr: c }\n";
    expect(issuesOf(`${HEAD}${items}`).map((i) => i.line)).toEqual([7]);
    // An error of its own further on is still reported: every error at once.
    const beside = issuesOf(`${HEAD}${fleet}slo: [60s\nseed: 1\n`);
    expect(
      beside.map((i) => i.line),
      formatIssues(beside),
    ).toEqual([7, 11]);
  });

  it("reports a duplicated key at the second occurrence, naming it and where it first is", () => {
    expect(onlyIssue(`${HEAD}slo: 60s\nslo: 30s\n`)).toMatchObject({
      code: "syntax",
      line: 6,
      column: 1,
      message: "syntax error: Map keys must be unique: `slo` is given twice (first at line 5, column 1)",
    });
    const inFlow = issuesOf(`${HEAD}faults:\n  - { at: "+1m", fault: kill-worker, at: "+2m", worker: w1 }\n`);
    expect(inFlow[0]).toMatchObject({ line: 6, column: 38 });
    expect(inFlow[0].message).toContain("`at` is given twice (first at line 6, column 7)");
    // A first key left without a value: yaml reports the repeat where that empty value ends.
    expect(onlyIssue("name:\nname: a\n")).toMatchObject({
      line: 2,
      column: 1,
      message: "syntax error: Map keys must be unique: `name` is given twice (first at line 1, column 1)",
    });
    expect(onlyIssue("fleet:\n  workers: # none yet\n  workers: 2\n")).toMatchObject({ line: 3, column: 3 });
    const json = issuesOf('{"name": "x",\n "slo": "1m", "slo": "2m"}', "s.json");
    expect(json[0].message).toContain("`slo` is given twice (first at line 2, column 2)");
  });

  it("says a file of several YAML documents holds one scenario, where the second starts", () => {
    expect(onlyIssue(`${HEAD}---\nname: y\n---\nname: z\n`)).toMatchObject({
      code: "syntax",
      line: 5,
      column: 1,
      message: "a scenario file holds one YAML document; found 3 (separated by ---)",
    });
  });

  it("takes an empty document after the scenario, which holds nothing", () => {
    for (const tail of ["---\n", "---", "---\n# the end\n", "...\n---\n", "---\n---\n"]) {
      const result = parseScenario(`${HEAD}${tail}`, "s.yaml");
      expect(result.ok, `${JSON.stringify(tail)}: ${result.ok ? "" : formatIssues(result.issues)}`).toBe(
        true,
      );
    }
    // One that holds something, even a null, is a second document.
    expect(onlyIssue(`${HEAD}---\n~\n`).message).toBe(
      "a scenario file holds one YAML document; found 2 (separated by ---)",
    );
  });

  it("refuses a YAML 1.1 merge key (<<: *anchor) where it is, before the schema misses the keys it meant to merge", () => {
    const note =
      "merge key `<<`: YAML merge keys (`<<: *anchor`) belong to YAML 1.1, and scenario files are read as YAML 1.2, so nothing is merged: write the keys out";
    // In a flow mapping in a list: the schema would say `action` is missing, which the anchor holds.
    const timeline = onlyIssue(
      `${HEAD}timeline:\n  - &k { at: "+5m", action: kill-worker, worker: w2 }\n  - { <<: *k, at: "+6m" }\n`,
    );
    expect(timeline).toMatchObject({ code: "syntax", line: 7, column: 7 });
    expect(timeline.message).toContain(note);
    // In a flow mapping nested in a list in a list.
    const named = onlyIssue(
      `${HEAD}workload:\n  named:\n    - { id: a, schedules: [ &s { id: s1, cron: "* * * * *" } ] }\n    - { id: b, schedules: [ { <<: *s, id: s2 } ] }\n`,
    );
    expect(named).toMatchObject({ code: "syntax", line: 8, column: 31 });
    // In block mappings, merging an alias or a mapping written in place; each is reported.
    const block = issuesOf(
      `${HEAD}fleet:\n  <<: { workers: 2 }\n  partitions: 4\ntimeline:\n  - action: kill-worker\n    <<: &at { at: "+5m" }\n    worker: w2\n  - { action: kill-worker, worker: w1, <<: *at }\n`,
    );
    expect(block.map((i) => [i.code, i.line, i.column])).toEqual([
      ["syntax", 6, 3],
      ["syntax", 10, 5],
      ["syntax", 12, 40],
    ]);
    expect(block.every((i) => i.message.includes(note))).toBe(true);
  });

  it('reads a quoted "<<" as the key it is, which no mapping of a scenario has', () => {
    const quoted = onlyIssue(`${HEAD}fleet: { "<<": { workers: 2 } }\n`);
    expect(quoted).toMatchObject({ code: "unknown-key", line: 5, column: 10 });
    expect(quoted.message).toContain("unknown key `<<`: YAML merge keys (`<<: *anchor`) belong to YAML 1.1");
  });

  it("refuses the YAML 1.1 types (!!omap, !!set, !!pairs, !!binary, !!timestamp) where they are, rather than reading nothing", () => {
    const fleet = onlyIssue(`${HEAD}fleet: !!omap [workers: 2, partitions: 4]\n`);
    expect(fleet).toMatchObject({ code: "syntax", line: 5, column: 8 });
    expect(fleet.message).toBe(
      "`!!omap` is a type of YAML 1.1, and scenario files are read as YAML 1.2, which does not have it: write a plain mapping ({ key: value, ... }) without the tag",
    );
    const cases: [string, string][] = [
      ["fleet: !!set {workers: 2, partitions: 4}", "`!!set` is a type of YAML 1.1"],
      ["sources: !!pairs [a: 1]", "write a plain list ([...]) without the tag"],
      ["sources: [!!binary aGVsbG8=]", "write a plain value without the tag"],
      ["start: !!timestamp 2026-05-08T09:30:00Z", "`!!timestamp` is a type of YAML 1.1"],
    ];
    for (const [line, message] of cases) {
      const issues = issuesOf(`name: x\ndescription: d\nduration: 50m\n${line}\n`);
      expect(issues, formatIssues(issues)).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: "syntax", line: 4 });
      expect(issues[0].message).toContain(message);
    }
  });

  it("says to quote a comparison written bare, which YAML reads as a block of text or a tag", () => {
    const alert = (op: string) =>
      `${HEAD}alerts:\n  - name: a\n    metric: crashesLastMinute\n    op: ${op}\n    threshold: 3\n`;
    const cases: [string, number, string][] = [
      [alert(">="), 9, 'quote the comparison, ">=": YAML reads a bare > as the start of a block of text'],
      [alert("!="), 9, 'quote the comparison, "!=": YAML reads a bare ! as a tag'],
      [`${HEAD}alerts: [{ name: a, metric: crashesLastMinute, op: >=, threshold: 3 }]\n`, 52, '">="'],
      [`${HEAD}alerts: [{ name: a, metric: crashesLastMinute, op: >, threshold: 3 }]\n`, 52, '">"'],
    ];
    for (const [text, column, message] of cases) {
      const issues = issuesOf(text);
      expect(issues, formatIssues(issues)).toHaveLength(1);
      expect(issues[0]).toMatchObject({ code: "syntax", column });
      expect(issues[0].message).toContain(message);
    }
    // A bare `>` alone in block style is an empty folded block, no syntax error: the value found is "".
    const empty = onlyIssue(alert(">"));
    expect(empty).toMatchObject({ line: 8, path: ["alerts", 0, "op"] });
    expect(issueText(empty)).toContain(
      '(`>` unquoted begins a block of text in YAML, empty here: quote it, ">", to mean the character)',
    );
  });

  it("refuses a document nested too deeply where the nesting passes the limit, however deep it goes", () => {
    const flow = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    const block = (n: number) => Array.from({ length: n }, (_, i) => `${" ".repeat(2 * i + 2)}-`).join("\n");
    const message = "nested too deeply (more than 64 levels of lists and mappings): a scenario needs a few";
    for (const [text, line, column] of [
      [`${HEAD}sources: ${flow(20_000)}\n`, 5, 73],
      [`${HEAD}sources: ${flow(64)}\n`, 5, 73],
      [`${HEAD}sources:\n${block(3000)} a\n`, 69, 129],
    ] as const) {
      const issue = onlyIssue(text);
      expect(issue, text.slice(0, 80)).toMatchObject({ code: "too-large", line, column });
      expect(issue.message).toContain(message);
    }
    // At the limit it is read, and judged as a scenario.
    expect(issuesOf(`${HEAD}sources: ${flow(63)}\n`).map((i) => i.code)).toEqual(["wrong-type"]);
  });

  it("reports an alias used before its anchor at the alias, with where the anchor is", () => {
    const text = `${HEAD}timeline:\n  - *later\n  - &later { at: "+1m", action: delete-account, account: a }\n`;
    expect(onlyIssue(text)).toEqual({
      file: "s.yaml",
      line: 6,
      column: 5,
      path: [],
      code: "syntax",
      message:
        "alias *later is used before its anchor &later (line 7, column 5): YAML requires an anchor to come before its aliases; move the anchored value above this line, or write the value out here",
    });
    // Every such alias at once, a key among them; one naming no anchor at all says so.
    const issues = issuesOf(`${HEAD}*k : 1\nsources: [*nope, *k]\nk: &k x\n`);
    expect(issues.map((i) => [i.line, i.column, i.code])).toEqual([
      [5, 1, "syntax"],
      [6, 11, "syntax"],
      [6, 18, "syntax"],
    ]);
    expect(issues[1].message).toContain(
      "alias *nope names no anchor: nothing in the document is marked &nope",
    );
  });

  it("reports a problem in a value reached through an alias at the alias, saying where the value is", () => {
    const text = `${HEAD}slo: &d 90s\nfleet: { workers: 2, partitions: 4, leaseTtl: *d, heartbeat: *d }\n`;
    const issue = onlyIssue(text);
    expect(issue).toMatchObject({ line: 6, column: 62 });
    expect(text.split("\n")[5].slice(issue.column - 1)).toMatch(/^\*d }/);
    expect(issue.note).toBe("the value of &d, at line 5, column 9");
    // Inside an aliased list or mapping, the alias is where the value is used.
    const list = issuesOf(`${HEAD}sources: &s [1]\nassumptions: *s\n`);
    expect(
      list.map((i) => [i.line, i.column, issueText({ ...i, expected: undefined, found: undefined })]),
    ).toEqual([
      [5, 14, "sources[0]: wrong type"],
      [6, 14, "assumptions[0]: wrong type (the value of &s, at line 5, column 13)"],
    ]);
  });

  it("says where an aliased value is written after what is wrong with it, expected and found", () => {
    const text = `${HEAD}x-d: &d 9x\nfleet: { workers: 2, partitions: 4, leaseTtl: *d }\nslo: 2m\n`;
    const issue = issuesOf(text).find((i) => i.path.join(".") === "fleet.leaseTtl")!;
    expect(text.split("\n")[5].slice(issue.column - 1)).toMatch(/^\*d }/);
    expect(formatIssues([issue])).toBe(
      `s.yaml:6:47: error: fleet.leaseTtl: unknown unit "x": units are ms, s, m, h and d (expected a duration longer than 0, like 30s, found "9x") (the value of &d, at line 5, column 9)`,
    );
  });

  it("reports an alias that expands past the alias budget at that alias", () => {
    const ten = (alias: string) => `[${Array(10).fill(alias).join(", ")}]`;
    const text = `${HEAD}sources: &a ${ten("x")}\nassumptions: &b ${ten("*a")}\nx: ${ten("*b")}\n`;
    const issue = onlyIssue(text);
    expect(issue).toMatchObject({ line: 7, code: "syntax" });
    expect(text.split("\n")[6].slice(issue.column - 1)).toMatch(/^\*b/);
    expect(issue.message).toContain("alias *b expands the document past 100 copies of anchored values");
  });

  it("takes 100 aliases of one anchor, and reports the 101st", () => {
    const aliases = (n: number) =>
      `${HEAD}sources: [&a x]\nassumptions: [${Array(n).fill("*a").join(", ")}]\n`;
    const hundred = parseScenario(aliases(100), "s.yaml");
    expect(hundred.ok && hundred.scenario.assumptions).toHaveLength(100);
    const past = onlyIssue(aliases(101));
    expect(past).toMatchObject({ line: 6, column: 15 + 4 * 100, code: "syntax" });
    expect(past.message).toContain("alias *a expands the document past 100 copies of anchored values");
  });

  it("reports an alias whose copies take the document past the size cap at that alias, nested ones counted", () => {
    const big = "y".repeat(1000);
    const caps = { textCharsMax: 4000 };
    const flat = `${HEAD}sources: [&big "${big}"]\nassumptions: [*big, *big, *big, *big]\n`;
    const result = parseScenario(flat, "s.yaml", { caps });
    expect(result.ok).toBe(false);
    const [issue] = result.ok ? [] : result.issues;
    // The file is 1 100 characters; each copy adds 1 000: the third one passes 4 000.
    expect(issue).toMatchObject({ line: 6, column: 27, code: "too-large" });
    expect(issue.message).toBe(
      "alias *big expands the document past 4000 characters, the cap of a scenario file, which guards against alias bombs (the value it copies has 1002); shorten the value anchored &big (line 5, column 11), or use fewer aliases of it",
    );
    // *two copies a list that holds the string twice: the first *two passes the cap (counting
    // *big once it would not be reached before the second).
    const nested = `${HEAD}sources: &two [&big "${big}", *big]\nassumptions: [*two, *two]\n`;
    const deep = parseScenario(nested, "s.yaml", { caps });
    expect(deep.ok ? [] : deep.issues.map((i) => [i.line, i.column, i.message.slice(0, 60)])).toEqual([
      [6, 15, "alias *two expands the document past 4000 characters, the ca"],
    ]);
    const fits = parseScenario(nested, "s.yaml", { caps: { textCharsMax: 8000 } });
    expect(fits.ok ? [] : fits.issues.filter((i) => i.code === "too-large")).toEqual([]);
  });

  it("reports an alias whose anchor sits on a key a scenario cannot hold at the alias", () => {
    expect(onlyIssue(`${HEAD}? &k [a]\n: 1\nsources: *k\n`)).toMatchObject({
      line: 7,
      column: 10,
      code: "syntax",
    });
  });

  it("quotes control characters of the input escaped, never raw", () => {
    const text = formatIssues(
      issuesOf(
        `name: "a\u007fb\u001b[31m\u202e"\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 5m\n`,
      ),
    );
    expect(text).toContain('found "a\\u007fb\\u001b[31m\\u202e"');
    const raw = [...text].filter((c) => c < " " || (c >= "\u007f" && c <= "\u009f") || c === "\u202e");
    expect(raw).toEqual([]);
  });

  it("refuses a control character in any text of the scenario, keys included, saying which and where", () => {
    const concealed = onlyIssue(`${HEAD}assumptions: [ok, "\\x1b[8mhidden"]\n`);
    expect(concealed).toMatchObject({
      line: 5,
      column: 19,
      path: ["assumptions", 1],
      code: "bad-format",
      found: '"\\u001b[8mhidden"',
    });
    expect(concealed.message).toBe(
      "assumptions[1]: the text holds the control character U+001B (escape) at character 1, which would act on the terminal that shows it (start an escape sequence, which can hide, move or clear what follows): write the text without it",
    );
    // Carriage return, DEL and C1 too; tab and line feed are text.
    const chapter = onlyIssue(`${HEAD}chapters:\n  - { at: "+1m", title: "a\\rb" }\n`);
    expect(chapter).toMatchObject({ line: 6, column: 25, path: ["chapters", 0, "title"] });
    expect(chapter.message).toContain("U+000D (carriage return) at character 2");
    expect(onlyIssue(`${HEAD}sources: ["x\u007f"]\n`).message).toContain("U+007F (delete) at character 2");
    expect(onlyIssue(`${HEAD}sources: ["x\u0085"]\n`).message).toContain("U+0085 at character 2");
    expect(parseScenario(`${HEAD.replace("d\n", '"a\\tb\\nc"\n')}`, "s.yaml").ok).toBe(true);
    // A carriage return before a line feed is a Windows line end: text, in a quoted string too.
    expect(parseScenario(`${HEAD.replace("d\n", '"line1\\r\\nline2"\n')}`, "s.yaml").ok).toBe(true);
    expect(onlyIssue(`${HEAD}sources: ["x\\r"]\n`).message).toContain(
      "U+000D (carriage return) at character 2, which would act on the terminal that shows it (go back to the start of the line and write over it)",
    );
    // Counted in characters, an emoji one, as the message says.
    expect(onlyIssue(`${HEAD}sources: ["🔥🔥 \\e"]\n`).message).toContain("U+001B (escape) at character 4");
    // A key is pointed at as the key, and written escaped.
    const key = onlyIssue(`${HEAD}fleet: { "w\\e[2J": 1 }\n`);
    expect(key).toMatchObject({ line: 5, column: 10, path: ["fleet", "w\u001b[2J"] });
    expect(key.message).toMatch(/^fleet: the key "w\\u001b\[2J" holds the control character U\+001B/);
    // Alone: no other message quotes the text.
    expect(issuesOf(`${HEAD}slo: 5\nnam\u009be: x\n`).map((i) => i.path)).toEqual([["nam\u009be"]]);
  });

  it("suggests no id for one that keeps nothing of what was written", () => {
    const issue = onlyIssue(`${HEAD}workload: { named: [{ id: "ü" }] }\n`);
    expect(issue).toMatchObject({ path: ["workload", "named", 0, "id"], code: "bad-format" });
    expect(issue.suggestion).toBeUndefined();
    expect(onlyIssue(`${HEAD}workload: { named: [{ id: "my acct" }] }\n`).suggestion).toBe("my-acct");
  });

  it("suggests no id that drops a letter or digit of what was written (`acct-é` is not `acct`)", () => {
    for (const id of ["acct-é", "acct-日本", "é-acct", "acct-e\u0301", "acct-🔥", "acct-€"]) {
      const issue = onlyIssue(`${HEAD}workload: { named: [{ id: "${id}" }] }\n`);
      expect(issue, id).toMatchObject({ path: ["workload", "named", 0, "id"], code: "bad-format" });
      expect(issue.suggestion, id).toBeUndefined();
    }
    expect(onlyIssue(`${HEAD}workload: { named: [{ id: "acct.1!" }] }\n`).suggestion).toBe("acct-1");
  });

  it("says an id is of ASCII letters, naming the character outside ASCII it holds", () => {
    expect(formatIssues([onlyIssue(`${HEAD}workload: { named: [{ id: acct-délété }] }\n`)])).toBe(
      's.yaml:5:27: error: workload.named[0].id: the id holds "é", which is not an ASCII letter, digit, _ or - (expected an id of ASCII letters, digits, _ and -, found "acct-délété")',
    );
    expect(onlyIssue(`${HEAD}workload: { named: [{ id: "acct 1" }] }\n`)).toMatchObject({
      message: "workload.named[0].id: not in the expected form",
      expected: "an id of ASCII letters, digits, _ and -",
      suggestion: "acct-1",
    });
  });

  it("refuses an empty document and a document that is not a mapping", () => {
    expect(onlyIssue("")).toMatchObject({ code: "not-a-mapping", line: 1, column: 1 });
    expect(onlyIssue("# only a comment\n")).toMatchObject({ code: "not-a-mapping" });
    expect(onlyIssue("- name: x\n")).toMatchObject({ code: "not-a-mapping", found: "a list" });
  });

  it("reads lines ended by a carriage return alone, as YAML 1.2 does, not as one long comment", () => {
    const text = `# a file from an old Mac\n${HEAD}slo: 1x\n`.replaceAll("\n", "\r");
    expect(onlyIssue(text)).toMatchObject({ code: "bad-duration", line: 6, column: 6, path: ["slo"] });
    expect(parseScenario(`${HEAD}`.replaceAll("\n", "\r"), "s.yaml").ok).toBe(true);
    expect(parseScenario(`${HEAD}`.replaceAll("\n", "\r\n"), "s.yaml").ok).toBe(true);
  });
});

describe("types and values", () => {
  it("points at a value of the wrong type", () => {
    expect(onlyIssue(`${HEAD}fleet:\n  workers: eight\n`)).toEqual({
      file: "s.yaml",
      line: 6,
      column: 12,
      path: ["fleet", "workers"],
      code: "wrong-type",
      message: "fleet.workers: wrong type",
      expected: "a whole number",
      found: '"eight"',
    });
  });

  it("says an empty text is empty, not a value too small", () => {
    const issues = issuesOf(
      'name: x\ndescription: ""\nstart: 2026-05-08T09:30:00Z\nduration: 50m\nchapters: [{ at: "+1m", title: "", text: t }]\n',
    );
    expect(issues.map(issueText)).toEqual([
      'description: empty (expected text of at least 1 character, found "")',
      'chapters[0].title: empty (expected text of at least 1 character, found "")',
    ]);
  });

  it("reports a missing required key at the mapping that lacks it", () => {
    const issues = issuesOf("name: x\ndescription: d\nduration: 5m\n");
    expect(issues).toEqual([
      {
        file: "s.yaml",
        line: 1,
        column: 1,
        path: ["start"],
        code: "missing-key",
        message: "missing required key `start`",
        expected: "an ISO instant in UTC like 2026-05-08T09:30:00Z",
      },
    ]);
    expect(onlyIssue(`${HEAD}timeline:\n  - { at: "+1m", action: delete-account }\n`)).toMatchObject({
      line: 6,
      column: 5,
      path: ["timeline", 0, "account"],
      code: "missing-key",
      message: "timeline[0]: missing required key `account`",
    });
    // A key that takes one of a list of words is missing too, not an unknown word "nothing".
    expect(
      issuesOf(`${HEAD}faults:\n  - { at: "+1m", fault: inject-panic, schedule: sched-000001 }\n`).find(
        (i) => i.path.join(".") === "faults.0.point",
      ),
    ).toMatchObject({
      path: ["faults", 0, "point"],
      code: "missing-key",
      message: "faults[0]: missing required key `point`",
      expected: expect.stringMatching(/^one of before-account-read, /),
    });
  });

  it("gives a whole number out of range its own range, however far out it is", () => {
    const cases: [string, string][] = [
      ["seed: -1e20", "a whole number from 0 to 9007199254740991"],
      ["seed: 1e300", "a whole number from 0 to 9007199254740991"],
      ["fleet: { workers: -1e20, partitions: 4 }", "a whole number from 1 to 256"],
      ["fleet: { workers: 2, partitions: 1e20 }", "a whole number from 1 to 4096"],
      ["workload: { retries: -1e300 }", "a whole number from 0 to 20"],
      ["workload: { retries: 1e300 }", "a whole number from 0 to 20"],
    ];
    for (const [line, expected] of cases) expect(onlyIssue(`${HEAD}${line}\n`).expected, line).toBe(expected);
  });

  it("gives a fraction or a weight out of range its whole range and what was written", () => {
    const fault = (fields: string) => `${HEAD}faults:\n  - { at: "+1m", ${fields} }\n`;
    const weight = (value: string) => `${HEAD}workload:\n  cron: [{ expr: "* * * * *", weight: ${value} }]\n`;
    const cases: [string, string, string][] = [
      [fault("fault: http-errors, duration: 1m, rate: 1.5"), "a number from 0 to 1", "1.5"],
      [fault("fault: http-timeouts, duration: 1m, rate: -0.25"), "a number from 0 to 1", "-0.25"],
      [fault("fault: inject-panic, point: before-commit, probability: 2"), "a number from 0 to 1", "2"],
      [weight("0"), "a number above 0, at most 1000000", "0"],
      [weight("-3"), "a number above 0, at most 1000000", "-3"],
      [weight("2000000"), "a number above 0, at most 1000000", "2000000"],
    ];
    for (const [text, expected, found] of cases) {
      expect(onlyIssue(text), text).toMatchObject({ code: "out-of-range", expected, found });
    }
  });

  it("quotes a number out of range as written, not as the float it was read into", () => {
    const seed = onlyIssue(`${HEAD}seed: 123456789012345678901234\n`);
    expect(seed).toMatchObject({ line: 5, column: 7, found: "123456789012345678901234" });
    expect(issueText(seed)).toBe(
      "seed: too large (expected a whole number from 0 to 9007199254740991, found 123456789012345678901234)",
    );
    const json = issuesOf(
      `{"name": "x", "description": "d", "start": "2026-05-08T09:30:00Z", "duration": "50m", "seed": 1.0e400}`,
      "s.json",
    );
    expect(json[0]?.found).toBe("1.0e400");
    // What an issue found of its own (a count the cap estimates) is not the number as written.
    const capped = issuesOf(`${HEAD}workload: { accounts: 3e5, schedulesPerAccount: { min: 1, max: 1 } }\n`);
    expect(capped.find((i) => i.path.join(".") === "workload.accounts")?.found).toBe("up to 300,000");
  });

  it("refuses a cron weight so large that the weights' sum would overflow, saying why", () => {
    const text = `${HEAD}workload:\n  cron: [{ expr: "* * * * *", weight: 1e308 }, { expr: "*/2 * * * *", weight: 1e308 }]\n`;
    const issues = issuesOf(text);
    expect(issues.map((i) => [i.line, i.column, i.path.join(".")])).toEqual([
      [6, 39, "workload.cron.0.weight"],
      [6, 79, "workload.cron.1.weight"],
    ]);
    expect(issues[0]).toMatchObject({
      code: "out-of-range",
      expected: "a number above 0, at most 1000000",
      found: "1e308",
    });
    expect(issues[0].message).toBe(
      "workload.cron[0].weight: too large: weights only set the proportions of the mix, and past 1000000 their sum loses precision or overflows, which skews the draw; scale them down together",
    );
    expect(
      parseScenario(`${HEAD}workload:\n  cron: [{ expr: "* * * * *", weight: 1000000 }]\n`, "s.yaml").ok,
    ).toBe(true);
  });

  it("names an unknown key at the key, with did-you-mean", () => {
    expect(onlyIssue(`${HEAD}fleet:\n  workers: 2\n  leaseTTL: 30s\n`)).toMatchObject({
      line: 7,
      column: 3,
      path: ["fleet", "leaseTTL"],
      code: "unknown-key",
      message: "fleet: unknown key `leaseTTL`",
      suggestion: "leaseTtl",
    });
    expect(onlyIssue(`${HEAD}sampleIntervall: 10s\n`)).toMatchObject({
      line: 5,
      column: 1,
      path: ["sampleIntervall"],
      suggestion: "sampleInterval",
    });
  });

  it("names a list, mapping or null key at the key itself, in words, without a runtime warning", () => {
    const warn = vi.spyOn(process, "emitWarning");
    try {
      const issues = issuesOf(
        `${HEAD}? [a, b]\n: 3\nfleet:\n  workers: 3\n  ? [a]\n  : 1\n  ~: 2\n  ? { x: 1 }\n  : 4\n`,
      );
      expect(issues.map((i) => [i.line, i.column, i.path.join("."), i.code, i.message, i.found])).toEqual([
        [5, 3, "", "unknown-key", "a key that is not a plain name", "[a, b]"],
        [9, 5, "fleet", "unknown-key", "fleet: a key that is not a plain name", "[a]"],
        [11, 3, "fleet", "unknown-key", "fleet: a null key", "~"],
        [12, 5, "fleet", "unknown-key", "fleet: a key that is not a plain name", "{ x: 1 }"],
      ]);
      expect(issues[1].expected).toContain("leaseTtl");
      expect(onlyIssue(`${HEAD}null: 3\n`)).toMatchObject({ line: 5, column: 1, message: "a null key" });
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it("reads a deploy's `version`, as the top level's scheduler spells it, as the `scheduler` it meant", () => {
    const issues = issuesOf(
      `${HEAD}timeline:\n  - { at: "+1m", action: deploy, version: v1, stepDelay: 10s }\n`,
    );
    const version = issues.find((i) => i.code === "unknown-key");
    expect(version).toMatchObject({ path: ["timeline", 0, "version"], suggestion: "scheduler: v1" });
    expect(issueText(version!)).toMatch(
      /^timeline\[0\]: unknown key `version` \(.*\) — did you mean scheduler: v1\?$/,
    );
    // Elsewhere `version` is no deploy's: the top level's scheduler takes it, a fault does not.
    const fault = issuesOf(
      `${HEAD}faults:\n  - { at: "+1m", fault: kill-worker, worker: w1, version: v2 }\n`,
    );
    expect(fault.find((i) => i.code === "unknown-key")?.suggestion).toBeUndefined();
  });

  it("says a top-level scheduler written as a deploy names one (`scheduler: v2`) is a mapping, suggesting { version: v2 }", () => {
    const named = onlyIssue(`${HEAD}scheduler: v2\n`);
    expect(named).toMatchObject({ path: ["scheduler"], code: "wrong-type", suggestion: "{ version: v2 }" });
    expect(named.message).toBe(
      "scheduler: wrong type: the scenario's scheduler is a mapping (a deploy's is a name)",
    );
    // Any other value is told the mapping it needs, with no suggestion.
    const other = onlyIssue(`${HEAD}scheduler: 5\n`);
    expect(other).toMatchObject({ code: "wrong-type", message: "scheduler: wrong type" });
    expect(other.suggestion).toBeUndefined();
    expect(other.expected).toBe("a mapping: { version: v2, fixes: [...] } or { module: ./mine.mjs }");
  });

  it("keeps the top level's `version` under `scheduler`, and suggests a deploy's `scheduler` only for a version it takes and a deploy that names none", () => {
    // At the top level `version` belongs under `scheduler: { version: v2 }`, not `scheduler: v2`.
    const top = onlyIssue(`${HEAD}version: v2\n`);
    expect(top.suggestion).toBeUndefined();
    expect(top.message).toBe(
      "unknown key `version`: `version` is a key of `scheduler`, so it may belong indented under it",
    );
    const unknownOf = (deploy: string) =>
      issuesOf(`${HEAD}timeline:\n  - { at: "+1m", action: deploy, ${deploy} }\n`).find(
        (i) => i.code === "unknown-key",
      );
    // No v3 to deploy, and a deploy that names its scheduler or module needs no other.
    for (const deploy of ["version: v3", "version: v2, scheduler: v1", "version: v2, module: ./x.mjs"]) {
      const issue = unknownOf(deploy);
      expect(issue?.path, deploy).toEqual(["timeline", 0, "version"]);
      expect(issue?.suggestion, deploy).toBeUndefined();
    }
    expect(unknownOf("version: v2")).toMatchObject({ suggestion: "scheduler: v2" });
  });

  it("says which block beside it an unknown key belongs to, as when it slipped out of that block", () => {
    expect(onlyIssue(`${HEAD}fleet: { workers: 3 }\npartitions: 12\n`).message).toBe(
      "unknown key `partitions`: `partitions` is a key of `fleet`, so it may belong indented under it",
    );
    expect(onlyIssue(`${HEAD}workload:\n  accounts: 3\n  timeout: 5s\n`).message).toBe(
      "workload: unknown key `timeout`: `timeout` is a key of `destination`, so it may belong indented under it",
    );
    expect(onlyIssue(`${HEAD}colour: blue\n`).message).toBe("unknown key `colour`");
  });

  it("gives no suggestion for an unknown key unlike any other", () => {
    const issue = onlyIssue(`${HEAD}fleet: { colour: blue }\n`);
    expect(issue.code).toBe("unknown-key");
    expect(issue.suggestion).toBeUndefined();
    expect(issue.expected).toContain("leaseTtl");
    // At the top too, where the keys are many: with nothing close, the list is all there is to go on.
    const top = onlyIssue(`${HEAD}colour: blue\n`);
    expect(top.suggestion).toBeUndefined();
    expect(top.expected).toBe(
      "one of name, description, sources, assumptions, onCallAssumptions, seed, start, duration, fleet, scheduler, store, workload, timeline, faults, slo, sampleInterval, alerts, chapters, expect, limits",
    );
    // With a key close to one, the suggestion says it, and the long list is left out.
    const close = onlyIssue(`${HEAD}slos: 1m\n`);
    expect([close.suggestion, close.expected]).toEqual(["slo", undefined]);
  });

  it("refuses an unknown scheduler version", () => {
    expect(onlyIssue(`${HEAD}scheduler:\n  version: v3\n`)).toMatchObject({
      line: 6,
      column: 12,
      path: ["scheduler", "version"],
      code: "unknown-value",
      message: 'scheduler.version: unknown scheduler version "v3"',
      expected: "one of v1, v2",
      found: '"v3"',
    });
    expect(onlyIssue(`${HEAD}scheduler: { version: V2 }\n`).suggestion).toBe("v2");
  });

  it("refuses an unknown fault kind and an unknown action, with did-you-mean", () => {
    expect(onlyIssue(`${HEAD}faults:\n  - { at: "+1m", fault: kil-worker, worker: w1 }\n`)).toMatchObject({
      line: 6,
      column: 25,
      path: ["faults", 0, "fault"],
      code: "unknown-value",
      message: 'faults[0]: unknown fault "kil-worker"',
      suggestion: "kill-worker",
    });
    expect(
      onlyIssue(`${HEAD}timeline:\n  - at: "+1m"\n    action: delete-acount\n    account: a\n`),
    ).toMatchObject({
      line: 7,
      column: 13,
      path: ["timeline", 0, "action"],
      message: 'timeline[0]: unknown action "delete-acount"',
      suggestion: "delete-account",
    });
  });

  it("names a misspelt kind key at that key, with the key it stands for", () => {
    const cases: [string, number, number, string, string][] = [
      ['timeline:\n  - { at: "+1m", acton: delete-account, account: a }\n', 6, 18, "acton", "action"],
      ['faults:\n  - at: "+1m"\n    faults: kill-worker\n    worker: w1\n', 7, 5, "faults", "fault"],
    ];
    for (const [text, line, column, written, key] of cases) {
      const section = text.startsWith("timeline") ? "timeline" : "faults";
      expect(onlyIssue(`${HEAD}${text}`)).toMatchObject({
        line,
        column,
        path: [section, 0, written],
        code: "unknown-key",
        message: `${section}[0]: unknown key \`${written}\`, and no \`${key}\``,
        suggestion: key,
      });
    }
    // With no key near it, the kind key is missing, as before.
    expect(onlyIssue(`${HEAD}timeline:\n  - { at: "+1m", account: a }\n`)).toMatchObject({
      code: "missing-key",
      message: "timeline[0]: missing required key `action`",
    });
  });

  it("checks the fields of a known fault", () => {
    expect(
      onlyIssue(`${HEAD}faults:\n  - { at: "+1m", fault: http-errors, duration: 1m, rate: 1.5 }\n`),
    ).toMatchObject({
      path: ["faults", 0, "rate"],
      code: "out-of-range",
      expected: "a number from 0 to 1",
      found: "1.5",
    });
    expect(
      onlyIssue(`${HEAD}faults:\n  - { at: "+1m", fault: inject-panic, point: mid-flight }\n`),
    ).toMatchObject({
      path: ["faults", 0, "point"],
      code: "unknown-value",
      message: 'faults[0].point: unknown panic point "mid-flight"',
    });
  });

  it("refuses an unknown variant, metric and property in expectations", () => {
    expect(
      onlyIssue(`${HEAD}expect:\n  - { variant: fixd, metric: cascadeDepth, op: "==", value: 0 }\n`),
    ).toMatchObject({
      line: 6,
      column: 16,
      path: ["expect", 0, "variant"],
      code: "unknown-value",
      message: 'expect[0].variant: unknown variant "fixd"',
      expected: `one of ${VARIANT_NAMES.join(", ")}`,
      suggestion: "fixed",
    });
    expect(
      onlyIssue(`${HEAD}expect:\n  - { variant: fixed, metric: cascadeDept, op: "==", value: 0 }\n`),
    ).toMatchObject({
      path: ["expect", 0, "metric"],
      suggestion: "cascadeDepth",
    });
    expect(onlyIssue(`${HEAD}expect:\n  - { variant: fixed, property: no-cascad }\n`)).toMatchObject({
      path: ["expect", 0, "property"],
      suggestion: "no-cascade",
    });
    // A list or mapping is not an unknown name: it is the wrong type.
    for (const written of ["[a]", "{ a: 1 }"]) {
      const issue = onlyIssue(
        `${HEAD}expect:\n  - { variant: fixed, metric: ${written}, op: "==", value: 0 }\n`,
      );
      expect(issue, written).toMatchObject({ path: ["expect", 0, "metric"], code: "wrong-type" });
      expect(issue.message, written).toBe("expect[0].metric: wrong type");
    }
  });

  it("says the lists a report shows are not gated, and what to gate instead", () => {
    const metric = (name: string) =>
      onlyIssue(`${HEAD}expect:\n  - { variant: buggy, metric: ${name}, op: "==", value: 5 }\n`);
    expect(metric("cascadeWorkers")).toMatchObject({
      path: ["expect", 0, "metric"],
      code: "unknown-value",
      message:
        "expect[0].metric: cascadeWorkers is a list the reports show, not a metric to gate: gate how many workers the cascade reached with cascadeDepth",
      suggestion: "cascadeDepth",
    });
    const poison = metric("poisonSchedules");
    expect(poison.message).toBe(
      "expect[0].metric: poisonSchedules is a list the reports show, not a metric to gate: gate panicDeaths, cascadeDepth or tasksQuarantined",
    );
    expect(poison.suggestion).toBeUndefined();
  });

  it("judges an expectation as the kind its key names, with one issue for keys of the other kind", () => {
    const entry = (text: string) => `${HEAD}expect:\n  - ${text}\n`;
    // A property with a metric's op and value: zod alone settles on the property option and the
    // walker on the metric one, which listed `op` as unknown and as allowed at once.
    expect(onlyIssue(entry('{ variant: fixed, property: no-cascade, op: "==", value: true }'))).toEqual({
      file: "s.yaml",
      line: 6,
      column: 45,
      path: ["expect", 0, "op"],
      code: "unknown-key",
      message: "expect[0]: a property expectation takes `holds: true|false`, not `op`/`value`",
      expected: "one of variant, property, holds",
    });
    // A metric with a property's holds: the missing op and value are that same issue.
    expect(onlyIssue(entry("{ variant: buggy, metric: cascadeDepth, holds: true }"))).toMatchObject({
      path: ["expect", 0, "holds"],
      code: "unknown-key",
      message: "expect[0]: a metric expectation takes `op` and `value`, not `holds`",
      expected: "one of variant, metric, op, value",
    });
    expect(onlyIssue(entry("{ variant: fixed, property: no-cascade, value: true }"))).toMatchObject({
      path: ["expect", 0, "value"],
      message: "expect[0]: a property expectation takes `holds: true|false`, not `value`",
    });
    expect(onlyIssue(entry('{ variant: buggy, op: ">=", value: 2 }'))).toMatchObject({
      path: ["expect", 0],
      code: "missing-key",
      message:
        "expect[0]: an expectation names a `metric` (with `op` and `value`) or a `property` (with `holds`)",
    });
    // A misspelt kind key is named at that key, with the kind key it stands for.
    expect(onlyIssue(entry('{ variant: fixed, metrc: deliveries.late, op: ">", value: 0 }'))).toMatchObject({
      path: ["expect", 0, "metrc"],
      code: "unknown-key",
      message: "expect[0]: unknown key `metrc`, and no `metric` or `property`",
      suggestion: "metric",
    });
    expect(onlyIssue(entry("{ variant: fixed, proprety: no-cascade }")).suggestion).toBe("property");
    expect(
      onlyIssue(entry('{ variant: buggy, metric: crashes, property: no-cascade, op: ">=", value: 2 }')),
    ).toMatchObject({
      path: ["expect", 0, "property"],
      code: "conflict",
      message: "expect[0]: an expectation names a `metric` or a `property`, not both",
    });
    // Suggestions come from the keys of the kind named; other issues of the entry stay.
    expect(
      issuesOf(entry("{ variant: bugy, property: no-cascade, hold: false }")).map((i) => i.message),
    ).toEqual(['expect[0].variant: unknown variant "bugy"', "expect[0]: unknown key `hold`"]);
    expect(onlyIssue(entry("{ variant: fixed, property: no-cascade, hold: false }")).suggestion).toBe(
      "holds",
    );
    expect(onlyIssue(entry("{ variant: buggy, metric: cascadeDepth, value: 2 }"))).toMatchObject({
      path: ["expect", 0, "op"],
      code: "missing-key",
    });
    expect(onlyIssue(entry("3"))).toMatchObject({
      code: "wrong-type",
      expected: "a mapping with `metric`, `op` and `value`, or with `property` and `holds`",
    });
  });

  it("checks that an expectation's value fits its metric", () => {
    expect(
      onlyIssue(`${HEAD}expect:\n  - { variant: fixed, metric: cascade, op: "==", value: 3 }\n`),
    ).toMatchObject({
      path: ["expect", 0, "value"],
      code: "wrong-type",
      expected: "true or false",
      found: "3",
    });
    // A time metric's value that never came is null, not a word; one that is no time says what is.
    expect(
      onlyIssue(`${HEAD}expect:\n  - { variant: fixed, metric: alertAt, op: "==", value: never }\n`),
    ).toMatchObject({
      path: ["expect", 0, "value"],
      message: "expect[0].value: a time that never came is null, unquoted",
      expected: 'a time like "09:50", "+20m" or an ISO instant, or null when it never happened',
      found: '"never"',
      suggestion: "null",
    });
    expect(
      onlyIssue(`${HEAD}expect:\n  - { variant: fixed, metric: alertAt, op: "<", value: soonish }\n`),
    ).toMatchObject({ message: "expect[0].value: not a time", found: '"soonish"' });
    expect(
      onlyIssue(`${HEAD}expect:\n  - { variant: fixed, metric: alertAt, op: "<", value: null }\n`),
    ).toMatchObject({
      path: ["expect", 0, "op"],
      code: "conflict",
    });
    expect(
      onlyIssue(`${HEAD}expect:\n  - { variant: fixed, metric: crashes, op: "=", value: 0 }\n`),
    ).toMatchObject({
      path: ["expect", 0, "op"],
      suggestion: "==",
    });
  });

  it("says how to write an empty list when a key is left without a value", () => {
    expect(onlyIssue(`${HEAD}faults:\n  # - { at: "+1m", fault: kill-worker, worker: w1 }\n`)).toMatchObject({
      path: ["faults"],
      code: "wrong-type",
      message: "faults: has no value: write [] or {} for an empty one, or leave the key out",
      found: "null",
    });
  });

  it("refuses worker ids no worker can have", () => {
    expect(onlyIssue(`${HEAD}faults:\n  - { at: "+1m", fault: kill-worker, worker: w0 }\n`)).toMatchObject({
      line: 6,
      column: 46,
      path: ["faults", 0, "worker"],
      code: "bad-format",
      message: 'faults[0].worker: there is no worker "w0": workers are numbered from w1',
      suggestion: "w1",
    });
    const scaled = `${HEAD}fleet: { workers: 2 }\ntimeline:\n  - { at: "+1m", action: scale, workers: 3 }\n`;
    expect(parseScenario(`${scaled}  - { at: "+2m", action: kill-worker, worker: w3 }\n`, "s.yaml").ok).toBe(
      true,
    );
    expect(onlyIssue(`${scaled}  - { at: "+2m", action: kill-worker, worker: w4 }\n`).path).toEqual([
      "timeline",
      1,
      "worker",
    ]);
  });

  it("says only that a fleet of no workers is too small, not that each worker it names is missing", () => {
    const issue = onlyIssue(
      `${HEAD}fleet: { workers: 0 }\nfaults:\n  - { at: "+1m", fault: kill-worker, worker: w1 }\n`,
    );
    expect(issue.path).toEqual(["fleet", "workers"]);
  });

  it("suggests a name that would be valid", () => {
    expect(onlyIssue(HEAD.replace("name: x", "name: My Scenario"))).toMatchObject({
      line: 1,
      column: 7,
      code: "bad-format",
      suggestion: "my-scenario",
    });
  });
});

describe("durations", () => {
  it("refuses a bare number with a hint to write a unit", () => {
    expect(onlyIssue(`${HEAD}fleet:\n  leaseTtl: 30\n`)).toEqual({
      file: "s.yaml",
      line: 6,
      column: 13,
      path: ["fleet", "leaseTtl"],
      code: "wrong-type",
      message: "fleet.leaseTtl: a duration needs a unit (ms, s, m, h or d)",
      expected: "a duration longer than 0, like 30s",
      found: "30",
      suggestion: "30s",
    });
    expect(onlyIssue(`${HEAD}store: { latency: 2 }\n`).suggestion).toBe("2ms");
    expect(onlyIssue(`${HEAD}slo: "60"\n`)).toMatchObject({ code: "bad-duration", suggestion: "60s" });
  });

  it("reads a bare number of whole seconds in milliseconds as milliseconds, not as hours of seconds", () => {
    // `slo: 60000` is a minute in the unit of the RunReport and the trace (ms); 60000s would be 16 h 40 min.
    expect(onlyIssue(`${HEAD}slo: 60000\n`)).toMatchObject({
      message: "slo: a duration needs a unit (ms, s, m, h or d); 60000 reads as milliseconds",
      suggestion: "1m",
    });
    expect(onlyIssue(`${HEAD}slo: "300000"\n`)).toMatchObject({ code: "bad-duration", suggestion: "5m" });
    expect(onlyIssue(`${HEAD}fleet:\n  leaseTtl: 90\n`).suggestion).toBe("90s");
    expect(onlyIssue(`${HEAD}fleet:\n  leaseTtl: 3600\n`).suggestion).toBe("3600s");
    expect(onlyIssue(`${HEAD}store: { latency: 2000 }\n`).suggestion).toBe("2000ms");
  });

  it("completes a duration whose last number has no unit with the unit after the one before it", () => {
    expect(formatIssues([onlyIssue(HEAD.replace("duration: 50m", "duration: 1h30"))])).toBe(
      's.yaml:4:11: error: duration: every number in a duration needs a unit (ms, s, m, h or d) (expected a duration longer than 0, like 30s, found "1h30") — did you mean 1h30m?',
    );
    const fault = `${HEAD}faults:\n  - { at: "+5m30", fault: kill-worker, worker: w1 }\n`;
    expect(onlyIssue(fault)).toMatchObject({ line: 6, suggestion: "+5m30s" });
  });

  it("refuses a negative duration where only clock skew may be negative", () => {
    expect(onlyIssue(`${HEAD}fleet:\n  heartbeat: -5s\n`)).toMatchObject({
      line: 6,
      column: 14,
      path: ["fleet", "heartbeat"],
      code: "bad-duration",
      message: "fleet.heartbeat: a duration cannot be negative here",
      found: '"-5s"',
    });
    const ok = parseScenario(
      `${HEAD}faults:\n  - { at: "+1m", fault: clock-skew, worker: w1, skew: -5s }\n`,
      "s.yaml",
    );
    expect(ok.ok).toBe(true);
  });

  it("refuses zero where a positive duration is needed, and explains malformed ones", () => {
    expect(onlyIssue(HEAD.replace("50m", "0s"))).toMatchObject({ path: ["duration"], code: "bad-duration" });
    expect(onlyIssue(`${HEAD}slo: 1.5m\n`)).toMatchObject({ suggestion: "1m30s" });
    expect(onlyIssue(`${HEAD}slo: 30 seconds\n`)).toMatchObject({ suggestion: "30s" });
    expect(onlyIssue(`${HEAD}slo: 1h 30m\n`)).toMatchObject({ suggestion: "1h30m" });
    expect(onlyIssue(`${HEAD}slo: 30x\n`).message).toContain('unknown unit "x"');
    // No suggestion that would be refused in turn: zero is no positive duration, however written.
    for (const zero of ["-0s", "0", "-0"]) {
      const issue = onlyIssue(`${HEAD}slo: ${zero}\n`);
      expect(issue.suggestion, zero).toBeUndefined();
    }
  });

  it("says YAML's .nan and .inf as written, and not that they need a unit", () => {
    const nan = onlyIssue(`${HEAD}slo: .nan\n`);
    expect(nan).toMatchObject({ code: "wrong-type", found: ".nan" });
    expect(nan.message).toBe("slo: .nan is not a duration");
    expect(onlyIssue(`${HEAD}slo: -.inf\n`).found).toBe("-.inf");
    expect(onlyIssue(`${HEAD}seed: .inf\n`).found).toBe(".inf");
    expect(onlyIssue(`${HEAD}fleet: { workers: .NaN }\n`).found).toBe(".nan");
  });

  it("requires the heartbeat to be shorter than the lease", () => {
    expect(onlyIssue(`${HEAD}fleet:\n  leaseTtl: 10s\n  heartbeat: 10s\n`)).toMatchObject({
      line: 7,
      column: 14,
      path: ["fleet", "heartbeat"],
      code: "conflict",
    });
  });

  it("refuses a backoff that starts above its cap, at backoffMax, or at backoffInitial when the cap is the default", () => {
    const over = onlyIssue(`${HEAD}fleet:\n  supervisor: { backoffInitial: 31s, backoffMax: 30s }\n`);
    expect(over).toMatchObject({ line: 6, path: ["fleet", "supervisor", "backoffMax"], code: "conflict" });
    expect(over.message).toBe("fleet.supervisor: backoffInitial (31s) is longer than backoffMax (30s)");
    const overDefault = onlyIssue(`${HEAD}fleet:\n  supervisor: { backoffInitial: 10m }\n`);
    expect(overDefault).toMatchObject({ path: ["fleet", "supervisor", "backoffInitial"], code: "conflict" });
    expect(overDefault.message).toBe("fleet.supervisor: backoffInitial (10m) is longer than backoffMax (5m)");
  });

  it("refuses schedules per account whose min is above their max, at the one written, saying which is the default", () => {
    const range = (written: string) => onlyIssue(`${HEAD}workload:\n  schedulesPerAccount: { ${written} }\n`);
    expect(range("max: 0")).toMatchObject({
      line: 6,
      column: 31,
      path: ["workload", "schedulesPerAccount", "max"],
      code: "conflict",
      message: "workload.schedulesPerAccount: min (1, the default) is larger than max (0)",
      expected: "at least 1",
      found: "0",
    });
    expect(range("min: 5")).toMatchObject({
      path: ["workload", "schedulesPerAccount", "min"],
      message: "workload.schedulesPerAccount: min (5) is larger than max (3, the default)",
    });
    expect(range("min: 5, max: 4")).toMatchObject({
      column: 31,
      path: ["workload", "schedulesPerAccount", "min"],
      message: "workload.schedulesPerAccount: min (5) is larger than max (4)",
    });
  });
});

describe("cron", () => {
  it("refuses a bad cron expression with croner's reason", () => {
    const issue = onlyIssue(`${HEAD}workload:\n  cron:\n    - { expr: "61 * * * *", weight: 1 }\n`);
    expect(issue).toMatchObject({
      line: 7,
      column: 15,
      path: ["workload", "cron", 0, "expr"],
      code: "bad-cron",
    });
    expect(issue.message).toMatch(/^workload\.cron\[0\]\.expr: bad cron expression: .*61/);
  });

  it("refuses seconds and unknown time zones", () => {
    expect(
      onlyIssue(
        `${HEAD}workload:\n  named:\n    - id: a\n      schedules: [{ id: s, cron: "* * * * * *" }]\n`,
      ),
    ).toMatchObject({ path: ["workload", "named", 0, "schedules", 0, "cron"], code: "bad-cron" });
    expect(
      onlyIssue(`${HEAD}workload:\n  cron: [{ expr: "CRON_TZ=Mars/Olympus 0 9 * * *" }]\n`).message,
    ).toContain("unknown time zone");
  });

  it("says each problem once, with an example or a fix only where it adds something", () => {
    const line = (expr: string) =>
      formatIssues(issuesOf(`${HEAD}workload:\n  cron:\n    - { expr: "${expr}", weight: 1 }\n`, "c.yaml"));
    const where = "c.yaml:7:15: error: workload.cron[0].expr: bad cron expression:";
    expect(line("* * * *")).toBe(
      `${where} 4 fields, not 5 (expected minute hour day-of-month month day-of-week, like "*/5 * * * *", found "* * * *")`,
    );
    expect(line("CRON_TZ=Europe/Berlin")).toBe(
      `${where} no fields after CRON_TZ=Europe/Berlin: the five fields come after the zone (expected minute hour day-of-month month day-of-week, like "CRON_TZ=Europe/Paris 0 9 * * *", found "CRON_TZ=Europe/Berlin")`,
    );
    expect(line("0 0 * 13 *")).toBe(`${where} month 13 is out of range (1-12) (found "0 0 * 13 *")`);
    expect(line("0 0 30 2 *")).toBe(`${where} never fires: February has no 30th (found "0 0 30 2 *")`);
    expect(line("TZ=Europe/Paris 0 9 * * *")).toBe(
      `${where} the time-zone prefix is CRON_TZ=, not TZ= (found "TZ=Europe/Paris 0 9 * * *") — did you mean "CRON_TZ=Europe/Paris 0 9 * * *"?`,
    );
    expect(line("CRON_TZ=Mars/Olympus 0 9 * * *")).toBe(
      `${where} unknown time zone "Mars/Olympus" after CRON_TZ= (expected an IANA zone name, like Europe/Paris or America/New_York, found "CRON_TZ=Mars/Olympus 0 9 * * *")`,
    );
    expect(line("CRON_TZ=Europe/Berln 0 9 * * *")).toContain(
      '— did you mean "CRON_TZ=Europe/Berlin 0 9 * * *"?',
    );
    expect(line("0 */5 * * * *")).toContain('— did you mean "*/5 * * * *"?');
    // A value that is not text at all still says what a cron expression looks like.
    expect(
      formatIssues(issuesOf(`${HEAD}workload:\n  cron:\n    - { expr: 5, weight: 1 }\n`, "c.yaml")),
    ).toBe(
      'c.yaml:7:15: error: workload.cron[0].expr: wrong type (expected a cron expression like "*/5 * * * *", found 5)',
    );
  });

  it("refuses an expression that never fires, saying why, at its line and column", () => {
    const named = (cron: string) =>
      `${HEAD}workload:\n  named:\n    - id: a\n      schedules: [{ id: s, cron: "${cron}" }]\n`;
    expect(onlyIssue(named("0 0 30 2 *"))).toMatchObject({
      line: 8,
      column: 34,
      path: ["workload", "named", 0, "schedules", 0, "cron"],
      code: "bad-cron",
    });
    expect(onlyIssue(named("0 0 30 2 *")).message).toContain("never fires: February has no 30th");
    expect(onlyIssue(named("0 0 31 4 *")).message).toContain("never fires: April has no 31st");
  });

  it("says to write CRON_TZ= for a TZ= prefix, and takes the nicknames croner knows", () => {
    expect(
      onlyIssue(`${HEAD}workload:\n  cron: [{ expr: "TZ=America/New_York 0 0 * * *" }]\n`),
    ).toMatchObject({
      message: "workload.cron[0].expr: bad cron expression: the time-zone prefix is CRON_TZ=, not TZ=",
      suggestion: '"CRON_TZ=America/New_York 0 0 * * *"',
    });
    const nicknames = [
      "@hourly",
      "@daily",
      "@weekly",
      "@monthly",
      "@yearly",
      "@annually",
      "CRON_TZ=Europe/Paris @daily",
    ];
    for (const expr of nicknames)
      expect(parseScenario(`${HEAD}workload:\n  cron: [{ expr: "${expr}" }]\n`, "s.yaml").ok, expr).toBe(
        true,
      );
  });
});

describe("times", () => {
  it("refuses a run, fault or action that would end after the latest time a scenario can write", () => {
    const far = "name: x\ndescription: d\nstart: 2026-05-08T09:00:00Z\nduration: 100000000d\n";
    expect(onlyIssue(far)).toEqual({
      file: "s.yaml",
      line: 4,
      column: 11,
      path: ["duration"],
      code: "out-of-range",
      message:
        "duration: the run would end after 9999-12-31T23:59:59.999Z, the latest time a scenario can write",
      expected: "a duration of at most 2912315d14h59m59s999ms from this start",
      found: "100000000d",
    });
    const late = "name: x\ndescription: d\nstart: 9999-12-31T23:00:00Z\nduration: 59m\n";
    expect(parseScenario(late, "s.yaml").ok).toBe(true);
    expect(onlyIssue(late.replace("59m", "1h"))).toMatchObject({ path: ["duration"], code: "out-of-range" });
    const fault = `${late}faults:\n  - { at: "+2m", fault: store-outage, duration: 100000000d }\n`;
    expect(onlyIssue(fault)).toMatchObject({
      line: 6,
      column: 49,
      path: ["faults", 0, "duration"],
      code: "out-of-range",
      message:
        "faults[0].duration: it would end after 9999-12-31T23:59:59.999Z, the latest time a scenario can write",
      expected: "a duration of at most 57m59s999ms from its start",
    });
  });

  it("refuses a time after the run, saying the window", () => {
    expect(onlyIssue(`${HEAD}timeline:\n  - { at: "+2h", action: scale, workers: 2 }\n`)).toEqual({
      file: "s.yaml",
      line: 6,
      column: 11,
      path: ["timeline", 0, "at"],
      code: "time-outside-run",
      message: "timeline[0].at: +2h is after the run ends",
      expected: "a time between 2026-05-08T09:30:00Z and 2026-05-08T10:20:00Z",
      found: "2026-05-08T11:30:00Z",
    });
  });

  it("refuses a time of day before the start rather than rolling it to the next day", () => {
    const issue = onlyIssue(`${HEAD}chapters:\n  - { at: "09:00", title: t, text: x }\n`);
    expect(issue).toMatchObject({ code: "time-outside-run", found: "2026-05-08T09:00:00Z" });
    expect(issue.message).toContain("before the start");
  });

  it("refuses a time before the start in the same pass as a duration of its own problem", () => {
    const head = HEAD.replace("duration: 50m", "duration: 50 min");
    const issues = issuesOf(
      `${head}timeline:\n  - { at: "09:00", action: scale, workers: 2 }\n  - { at: "+40m", action: scale, workers: 3 }\n`,
    );
    expect(issues.map((i) => i.path.join("."))).toEqual(["duration", "timeline.0.at"]);
    expect(issues[1]).toMatchObject({
      line: 6,
      column: 11,
      code: "time-outside-run",
      expected: "a time at or after 2026-05-08T09:30:00Z",
      found: "2026-05-08T09:00:00Z",
    });
    expect(issues[1].message).toContain("before the start");
  });

  it("reads a number of whole seconds in milliseconds where a time goes as an offset from the start", () => {
    expect(
      onlyIssue(`${HEAD}faults:\n  - { at: 720000, fault: store-outage, duration: 1m }\n`),
    ).toMatchObject({
      path: ["faults", 0, "at"],
      message: expect.stringContaining("720000 reads as milliseconds from the start"),
      suggestion: "+12m",
    });
    // A small or uneven number says only how to write a time.
    expect(
      onlyIssue(`${HEAD}faults:\n  - { at: 944, fault: store-outage, duration: 1m }\n`).suggestion,
    ).toBeUndefined();
  });

  it("explains malformed times", () => {
    expect(onlyIssue(`${HEAD}faults:\n  - { at: 14m, fault: store-outage, duration: 1m }\n`)).toMatchObject({
      path: ["faults", 0, "at"],
      code: "bad-time",
      suggestion: "+14m",
    });
    expect(onlyIssue(`${HEAD}chapters:\n  - { at: "24:10", title: t, text: x }\n`).code).toBe("bad-time");
    expect(onlyIssue(HEAD.replace("09:30:00Z", "09:30:00"))).toMatchObject({
      path: ["start"],
      suggestion: "2026-05-08T09:30:00Z",
    });
    expect(onlyIssue(HEAD.replace("09:30:00Z", "11:30:00+02:00"))).toMatchObject({
      suggestion: "2026-05-08T09:30:00Z",
    });
    expect(onlyIssue(HEAD.replace("2026-05-08T", "2026-02-30T")).message).toContain("no such instant");
    // What is expected is said once, not in the message and again after it.
    const unreadable = onlyIssue(HEAD.replace("2026-05-08T09:30:00Z", '"abc"'));
    expect(formatIssues([unreadable])).toBe(
      's.yaml:3:8: error: start: expected an ISO instant in UTC like 2026-05-08T09:30:00Z (found "abc")',
    );
  });
});

describe("several problems at once", () => {
  it("reports every problem in one pass, sorted by position", () => {
    const issues = issuesOf(`name: x
description: d
start: 2026-05-08T09:30:00Z
duration: 50m
fleet:
  workers: 0
  leaseTTL: 30s
scheduler: { version: v3 }
timeline:
  - { at: "+2h", action: scale, workers: 2 }
  - { at: "+1m", action: kil-worker, worker: w1 }
expect:
  - { variant: fixd, property: no-cascade }
`);
    expect(issues.map((i) => [i.line, i.code, i.path.join(".")])).toEqual([
      [6, "out-of-range", "fleet.workers"],
      [7, "unknown-key", "fleet.leaseTTL"],
      [8, "unknown-value", "scheduler.version"],
      [10, "time-outside-run", "timeline.0.at"],
      [11, "unknown-value", "timeline.1.action"],
      [13, "unknown-value", "expect.0.variant"],
    ]);
  });

  it("formats issues compiler-style", () => {
    const text = formatIssues(
      issuesOf(`${HEAD}fleet:\n  leaseTtl: 30\n  leaseTTL: 30s\n`, "scenarios/x.yaml"),
    );
    expect(text).toBe(
      [
        "scenarios/x.yaml:6:13: error: fleet.leaseTtl: a duration needs a unit (ms, s, m, h or d) (expected a duration longer than 0, like 30s, found 30) — did you mean 30s?",
        "scenarios/x.yaml:7:3: error: fleet: unknown key `leaseTTL` (expected one of workers, partitions, leaseTtl, heartbeat, rebalanceInterval, startupTime, concurrency, supervisor, shutdownGrace) — did you mean leaseTtl?",
      ].join("\n"),
    );
  });
});

describe("ids", () => {
  it("refuses an account or schedule id used twice", () => {
    const issues = issuesOf(`${HEAD}workload:
  named:
    - { id: a, schedules: [{ id: s, cron: "* * * * *" }] }
    - { id: a, schedules: [{ id: s, cron: "* * * * *" }] }
`);
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([
      ["duplicate-id", "workload.named.1.id"],
      ["duplicate-id", "workload.named.1.schedules.0.id"],
    ]);
    expect(issues[0].message).toContain("already used at workload.named[0].id");
  });

  it("refuses an account or schedule id that nothing defines, with the closest known id", () => {
    const named = `workload:\n  accounts: 50\n  named: [{ id: acct-deleted, schedules: [{ id: sched-a, cron: "* * * * *" }] }]\n`;
    expect(
      onlyIssue(
        `${HEAD}${named}timeline:\n  - { at: "+1m", action: delete-account, account: acct-delted }\n`,
      ),
    ).toMatchObject({
      line: 9,
      column: 51,
      path: ["timeline", 0, "account"],
      code: "unknown-id",
      found: '"acct-delted"',
      suggestion: "acct-deleted",
    });
    const schedule = onlyIssue(
      `${HEAD}${named}timeline:\n  - { at: "+1m", action: quarantine-schedule, schedule: nosched }\n`,
    );
    expect(schedule).toMatchObject({ path: ["timeline", 0, "schedule"], code: "unknown-id" });
    expect(schedule.message).toContain("not a generated id (seed 1 generates sched-000001..sched-0");
    expect(
      onlyIssue(`${HEAD}${named}faults:\n  - { at: "+1m", fault: hang, schedule: sched-b }\n`),
    ).toMatchObject({ path: ["faults", 0, "schedule"], code: "unknown-id", suggestion: "sched-a" });
    for (const fault of ["http-errors", "http-timeouts"])
      expect(
        onlyIssue(
          `${HEAD}${named}faults:\n  - { at: "+1m", fault: ${fault}, duration: 1m, rate: 1, account: acct-delted }\n`,
        ),
      ).toMatchObject({ path: ["faults", 0, "account"], code: "unknown-id", suggestion: "acct-deleted" });
  });

  it("accepts generated ids within the generated count, and ids created earlier in the timeline", () => {
    const ok = parseScenario(
      `${HEAD}workload: { accounts: 50, schedulesPerAccount: { min: 2, max: 2 } }
timeline:
  - { at: "+1m", action: delete-account, account: acct-00050 }
  - { at: "+1m", action: delete-schedule, schedule: sched-000100 }
  - { at: "+2m", action: create-account, account: new-a }
  - { at: "+3m", action: create-schedule, schedule: new-s, account: new-a, cron: "* * * * *" }
  - { at: "+4m", action: pause-schedule, schedule: new-s }
  - { at: "+5m", action: delete-account, account: new-a }
faults:
  - { at: "+1m", fault: inject-panic, point: before-commit, account: new-a, schedule: sched-000001 }
  - { at: "+1m", fault: http-errors, duration: 1m, rate: 1, account: new-a }
  - { at: "+6m", fault: http-timeouts, duration: 1m, rate: 0.5, account: acct-00050 }
`,
      "s.yaml",
    );
    expect(ok.ok ? [] : formatIssues(ok.issues)).toEqual([]);
  });

  it("refuses a generated id past the generated count, and an id used before it is created", () => {
    const issues = issuesOf(`${HEAD}workload: { accounts: 50, schedulesPerAccount: { max: 2 } }
timeline:
  - { at: "+1m", action: delete-account, account: acct-00051 }
  - { at: "+1m", action: delete-schedule, schedule: sched-000101 }
  - { at: "+1m", action: delete-account, account: acct-7 }
  - { at: "+2m", action: delete-account, account: new-a }
  - { at: "+3m", action: create-account, account: new-a }
`);
    expect(issues.map((i) => [i.line, i.code, i.suggestion])).toEqual([
      [7, "unknown-id", undefined],
      [8, "unknown-id", undefined],
      [9, "unknown-id", "acct-00007"],
      [10, "unknown-id", undefined],
    ]);
  });

  it("refuses a fix the chosen built-in scheduler does not have: v1 has none", () => {
    const issues = issuesOf(`${HEAD}scheduler: { version: v1, fixes: [early-return] }
timeline:
  - { at: "+1m", action: deploy, scheduler: v2, fixes: [panic-recovery, early-return] }
  - { at: "+2m", action: deploy, scheduler: v1, fixes: [panic-recovery] }
`);
    expect(issues.map((i) => [i.line, i.column, i.path.join("."), i.expected])).toEqual([
      [5, 35, "scheduler.fixes.0", "no fix: v1 has none"],
      [8, 57, "timeline.1.fixes.0", "no fix: v1 has none"],
    ]);
    expect(issues[0].message).toBe('scheduler.fixes[0]: v1 has no fix "early-return"');
  });

  it("refuses a deploy that names no scheduler, or two", () => {
    expect(onlyIssue(`${HEAD}timeline:\n  - { at: "+1m", action: deploy }\n`)).toMatchObject({
      path: ["timeline", 0, "scheduler"],
      code: "missing-key",
    });
    expect(
      onlyIssue(`${HEAD}timeline:\n  - { at: "+1m", action: deploy, scheduler: v2, module: ./x.js }\n`),
    ).toMatchObject({ path: ["timeline", 0, "module"], code: "conflict" });
  });

  it("lists the scheduler modules of entries without issues beside the issues, for the caller to look for", () => {
    const result = parseScenario(
      `${HEAD}slo: soon
scheduler: { module: ./mine.mjs }
timeline:
  - { at: "+1m", action: deploy, module: ./next.mjs }
  - { at: "+2m", action: deploy, module: ./bad.mjs, stepDelay: 5q }
  - { at: "+3m", action: deploy, scheduler: v2, module: ./both.mjs }
`,
      "s.yaml",
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.modules).toEqual([
      { module: "./mine.mjs", path: ["scheduler", "module"], line: 6, column: 22 },
      { module: "./next.mjs", path: ["timeline", 0, "module"], line: 8, column: 42 },
    ]);
  });
});
