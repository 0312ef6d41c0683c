// The JUnit writer, Markdown summary and GitHub annotations on a hand-made report: every outcome, hostile text, schema-valid XML; and a suite's time, the span of its runs.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type GateCase, type GateReport, type GateRunResult, suiteWallMs } from "../../src/explore/gate.js";
import {
  gateCountsLine,
  renderGateMarkdown,
  renderGithubAnnotations,
} from "../../src/report/gate-summary.js";
import { attribute, renderJUnit, text } from "../../src/report/junit.js";
import { schemaErrors, XMLLINT } from "./helpers.js";

const HOSTILE =
  'quote " amp & lt < gt > pipe | apos \' tab\t nul\u0000 bell\u0007 lone\uD800 emoji 🙂 cr\r nl\n"]]>';

function kase(status: GateCase["status"], over: Partial<GateCase> = {}): GateCase {
  return {
    name: `s [fixed] ${status}`,
    classname: "s.fixed",
    kind: "expectation",
    variant: "fixed",
    status,
    message: `${status}: ${HOSTILE}`,
    details: status === "passed" || status === "skipped" ? "" : `details ${HOSTILE}`,
    line: 7,
    column: 5,
    exitCode: status === "failed" ? 1 : status === "error" ? 4 : 0,
    wallMs: 1234.5,
    ...over,
  };
}

const report: GateReport = {
  suites: [
    {
      name: "s",
      file: "scenarios/s,1.yaml",
      seed: 7,
      scheduler: null,
      cases: [
        kase("passed"),
        kase("failed"),
        kase("error"),
        kase("skipped"),
        kase("failed", {
          name: "s [fixed] deterministic",
          kind: "determinism",
          exitCode: 3,
          line: null,
          column: null,
        }),
      ],
      wallMs: 4000,
    },
    { name: "empty-suite", file: "scenarios/e.yaml", seed: 1, scheduler: "my.mjs", cases: [], wallMs: 0 },
  ],
  counts: { tests: 5, passed: 1, failed: 2, errors: 1, skipped: 1 },
  exitCode: 4,
  golden: [null, null],
};

describe("JUnit XML", () => {
  it("validates against the vendored JUnit schema, whatever the messages contain", () => {
    if (!XMLLINT) {
      console.warn("xmllint not installed (apt-get install -y libxml2-utils): schema validation skipped");
      return;
    }
    const file = join(tmpdir(), `aftershock-junit-${process.pid}.xml`);
    writeFileSync(file, renderJUnit(report, { timestamp: "2026-05-08T09:46:00.123Z", hostname: "ci" }));
    expect(schemaErrors(file)).toBe("");
  });

  it("names the scheduler the runs start with, and beside it the modules the timeline deploys, when it deploys any", () => {
    const deploying: GateReport = {
      ...report,
      suites: [
        { ...report.suites[0], deploys: ["module:./mine.mjs", "module:./other.mjs"] },
        report.suites[1],
      ],
    };
    const xml = renderJUnit(deploying);
    expect(xml).toContain(
      '<property name="scheduler" value="bundled"/>\n      <property name="deploys" value="module:./mine.mjs, module:./other.mjs"/>',
    );
    // A suite that deploys none has no deploys property.
    expect(xml.match(/name="deploys"/g)).toHaveLength(1);
    expect(xml).toContain('<property name="scheduler" value="my.mjs"/>\n    </properties>');
  });

  it("counts, types and times each outcome", () => {
    const xml = renderJUnit(report, { timestamp: "2026-05-08T09:46:00.123Z", hostname: "ci" });
    expect(xml).toContain(
      '<testsuites name="aftershock gate" tests="5" failures="2" errors="1" skipped="1" time="4.000">',
    );
    expect(xml).toContain(
      '<testsuite name="s" tests="5" failures="2" errors="1" skipped="1" time="4.000" timestamp="2026-05-08T09:46:00" hostname="ci" id="0"',
    );
    expect(xml).toContain('type="nondeterminism"');
    expect(xml).toContain('<error message="error: quote &quot; amp &amp;');
    expect(xml).toContain('type="internal"');
    expect(xml).toMatch(/<skipped message="skipped: [^"]*"\/>/);
    expect(xml).toContain('time="1.234"');
    expect(xml.includes("\u0000") || xml.includes("\u0007")).toBe(false);
  });

  it("is byte-identical without timings", () => {
    const a = renderJUnit(report, { timings: false });
    const b = renderJUnit(
      { ...report, suites: report.suites.map((s) => ({ ...s, wallMs: s.wallMs + 99 })) },
      { timings: false },
    );
    expect(a).toBe(b);
    expect(a).not.toContain("timestamp=");
  });

  it("escapes text and attributes", () => {
    expect(text("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
    expect(attribute('say "hi"\nbye')).toBe("say &quot;hi&quot;&#10;bye");
    expect(text("ok\u0000\uD800")).toBe("ok\uFFFD\uFFFD");
    expect(text("🙂")).toBe("🙂");
  });
});

describe("CI summaries", () => {
  it("annotates failures at the scenario file and line, escaping GitHub's workflow-command syntax", () => {
    const lines = renderGithubAnnotations(report).trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^::error file=scenarios\/s%2C1\.yaml,line=7,col=5,title=s \[fixed\] failed::failed: quote/,
    );
    expect(lines[0]).toContain("cr%0D nl%0A");
    expect(lines[2]).toMatch(/^::error file=scenarios\/s%2C1\.yaml,title=s \[fixed\] deterministic::/);
  });

  it("warns of a scenario without expectations and of a golden hash not compared, which pass", () => {
    const unpinned: GateReport = {
      ...report,
      suites: [
        {
          ...report.suites[1],
          cases: [
            kase("skipped", {
              name: "e",
              kind: "scenario",
              line: null,
              column: null,
              message: "no expectations",
            }),
            kase("skipped", {
              name: "e [fixed] golden",
              kind: "golden",
              line: null,
              column: null,
              message:
                "no golden file scenarios/golden/e.json (none recorded yet, or deleted): run aftershock gate scenarios/e.yaml --update-golden to pin it",
            }),
            kase("skipped", {
              name: "e [fixed] ok",
              line: null,
              column: null,
              message: "an expectation skipped",
            }),
          ],
        },
      ],
    };
    expect(renderGithubAnnotations(unpinned).trim().split("\n")).toEqual([
      "::warning file=scenarios/e.yaml,title=e::no expectations",
      "::warning file=scenarios/e.yaml,title=e [fixed] golden::no golden file scenarios/golden/e.json (none recorded yet, or deleted): run aftershock gate scenarios/e.yaml --update-golden to pin it",
    ]);
  });

  it("lists failures first in one Markdown table, one line per case", () => {
    const md = renderGateMarkdown(report);
    expect(md).toContain("❌ failed: 3 of 5 checks (2 failed, 1 not judged) (exit 4, internal error)");
    const rows = md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| |"));
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatch(/^\| ❌ \| s \| fixed \| failed \(`scenarios\/s,1\.yaml:7`\) \| failed: quote/);
    expect(rows.at(-1)).toMatch(/^\| ✅ /);
    expect(rows[0]).toContain("lt &lt; gt &gt; pipe \\| apos"); // no cell breaks the table or turns into HTML
  });

  it("writes a case's file and line as code, whole: a path with `www.` in it copies as it is", () => {
    const suite = report.suites[0];
    const www = { ...report, suites: [{ ...suite, file: "ci/www.example.com/s.yaml" }] };
    const md = renderGateMarkdown(www);
    expect(md).toContain("(`ci/www.example.com/s.yaml:7`)");
    expect(md).not.toContain("\u200B");
    // Seen, on one line: a newline in the name neither breaks the table nor reads as a space.
    const odd = { ...report, suites: [{ ...suite, file: "dir\nwith\u0001/s.yaml" }] };
    expect(renderGateMarkdown(odd)).toContain("(`dir\\u000awith\\u0001/s.yaml:7`)");
  });

  it("sets a message's commands as code, fenced past their backticks, and its text as text", () => {
    const command = "aftershock gate 'a`b|c&d<e>.yaml' --update-golden";
    const parts = ["no hash in a`b*c*/golden/x.json: run ", { command }, " to pin it"];
    const message = `no hash in a\`b*c*/golden/x.json: run \`\`${command}\`\` to pin it`;
    const long = ["x".repeat(290), { command }];
    // Prose past 300 characters is cut; the commands after the cut are kept whole.
    const longer = [
      "y".repeat(250),
      { command },
      "z".repeat(100),
      { command: "aftershock run s.yaml" },
      " end",
    ];
    const stale = { messageParts: parts, message: "rewritten `after` judging" };
    const md = renderGateMarkdown({
      ...report,
      suites: [
        {
          ...report.suites[0],
          cases: [
            kase("skipped", { messageParts: parts, message }),
            kase("skipped", {
              name: "s [fixed] long",
              messageParts: long,
              message: `${"x".repeat(290)}\`\`${command}\`\``,
            }),
            kase("skipped", { name: "s [fixed] stale", ...stale }),
            kase("skipped", {
              name: "s [fixed] longer",
              messageParts: longer,
              message: `${"y".repeat(250)}\`\`${command}\`\`${"z".repeat(100)}\`aftershock run s.yaml\` end`,
            }),
          ],
        },
      ],
    });
    const [first, second, third, fourth] = md.split("\n").filter((l) => l.startsWith("| ⏭️"));
    // In a GFM table a pipe is escaped even inside code; `&` and `<` stay as they are there.
    expect(first).toContain(
      "| no hash in a\\`b\\*c\\*/golden/x.json: run ``aftershock gate 'a`b\\|c&d<e>.yaml' --update-golden`` to pin it |",
    );
    // 290 characters of prose fit: the command after them is whole, however long its path.
    expect(second).toMatch(/\| x{290}``aftershock gate 'a`b\\\|c&d<e>\.yaml' --update-golden`` \|$/);
    expect(fourth).toMatch(
      /\| y{250}``aftershock gate 'a`b\\\|c&d<e>\.yaml' --update-golden``z{47}\.\.\. `aftershock run s\.yaml` \|$/,
    );
    expect(third).toContain("| rewritten \\`after\\` judging |");
  });

  it("says under the table how to replay each failed run, once per command, as code", () => {
    const command = "aftershock run 'my `x`.yaml' --variant buggy";
    const other = "aftershock run s.yaml --variant fixed --seed 8";
    const md = renderGateMarkdown({
      ...report,
      suites: [
        {
          ...report.suites[0],
          cases: [
            kase("failed", { name: "s [buggy] no-cascade", reproduce: command }),
            kase("failed", { name: "s [buggy] cascadeDepth == 1", reproduce: command }),
            kase("error", { name: "s [fixed] explore seed 8", reproduce: other }),
            kase("passed", { name: "s [fixed] no-panic-death", reproduce: "aftershock run passed.yaml" }),
            kase("failed", { name: "s [fixed] golden trace hash", kind: "golden" }),
          ],
        },
      ],
    });
    const after = md.slice(md.indexOf("To replay a failed run:"));
    expect(md).toContain("To replay a failed run:");
    expect(after).toContain(
      `- \`\`${command}\`\` (s \\[buggy\\] no-cascade, s \\[buggy\\] cascadeDepth == 1)`,
    );
    expect(after).toContain(`- \`${other}\` (s \\[fixed\\] explore seed 8)`);
    expect(after).not.toContain("passed.yaml");
    expect(renderGateMarkdown({ ...report, suites: [] })).not.toContain("To replay");
  });

  it("counts cases that could not be judged apart from failed ones, as JUnit does", () => {
    expect(gateCountsLine(report)).toBe("gate: 1 passed, 2 failed, 1 error, 1 skipped");
    const clean = { ...report, counts: { tests: 3, passed: 1, failed: 2, errors: 0, skipped: 0 } };
    expect(gateCountsLine(clean)).toBe("gate: 1 passed, 2 failed, 0 skipped");
    expect(renderGateMarkdown({ ...clean, exitCode: 1 })).toContain("❌ failed: 2 of 3 checks (exit 1)");
  });
});

describe("a suite's time", () => {
  const run = (wallMs: number, endedAtMs?: number): GateRunResult => ({
    traceHash: "h",
    events: 1,
    stopReason: "horizon",
    detail: "",
    report: null,
    wallMs,
    ...(endedAtMs === undefined ? {} : { endedAtMs }),
  });

  it("is the span of its runs when they were placed in time: runs side by side overlap", () => {
    // Two threads: 0-1000 and 0-1200, then 1000-1900 on the first.
    expect(suiteWallMs([run(1000, 1000), run(1200, 1200), run(900, 1900), undefined])).toBe(1900);
  });

  it("is the sum of its runs' times when they were not, and 0 without runs", () => {
    expect(suiteWallMs([run(1000), run(1200, 1200)])).toBe(2200);
    expect(suiteWallMs([undefined])).toBe(0);
  });
});
