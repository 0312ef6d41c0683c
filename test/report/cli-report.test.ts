// Shows --html, --perfetto, --markdown on run and compare, and `aftershock report` from saved output, with clean errors on bad input.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCommand } from "../../src/cli/commands/report.js";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { HTML_SIGNATURE } from "../../src/report/html.js";
import { MARKDOWN_SIGNATURE } from "../../src/report/markdown.js";
import { plainPaint } from "../../src/report/paint.js";
import { PERFETTO_SIGNATURE } from "../../src/report/perfetto.js";
import { processNames, type TraceEventFile, traceEventProblems } from "./trace-event-format.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const XSS_YAML = join(import.meta.dirname, "fixtures", "xss.yaml");

/** A plain context that drops what it is given. */
function quietContext(): CliContext {
  return {
    out: () => {},
    err: () => {},
    paint: plainPaint,
    paintErr: plainPaint,
    env: {},
    errIsTty: false,
    now: () => 0,
  };
}

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const ctx: CliContext = {
    ...quietContext(),
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  };
  const code = await main(argv, ctx);
  return { code, out, err };
}

/** The JSON embedded in an HTML report for its charts. */
function pageData(html: string): { runs: { name: string; series: { t: number[] } | null }[] } {
  const m = /<script type="application\/json" id="aftershock-data">([^<]*)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]);
}

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-report-"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("report files of run and compare", () => {
  let runJson: string;

  beforeAll(async () => {
    const r = await cli(
      "run",
      TINY,
      "--variant",
      "buggy",
      "--json",
      "--trace",
      at("run.jsonl"),
      "--html",
      at("run.html"),
      "--markdown",
      at("run.md"),
      "--perfetto",
      at("run.trace.json"),
    );
    expect(r.err).toContain("wrote");
    expect(r.code).toBe(0);
    runJson = r.out;
    writeFileSync(at("run.json"), runJson);
  });

  it("keeps --json output one RunReport, and writes the three files whole", () => {
    const report = JSON.parse(runJson);
    expect(report.series.t.length).toBeGreaterThan(10);
    expect(readFileSync(at("run.html"), "utf8")).toMatch(HTML_SIGNATURE);
    expect(readFileSync(at("run.md"), "utf8")).toMatch(MARKDOWN_SIGNATURE);
    const perfetto = readFileSync(at("run.trace.json"), "utf8");
    expect(perfetto).toMatch(PERFETTO_SIGNATURE);
    expect(traceEventProblems(JSON.parse(perfetto))).toEqual([]);
    // No temporary files left beside the outputs.
    expect(readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("puts the run's measured values into the Markdown and its lanes and chain into the HTML", () => {
    const report = JSON.parse(runJson);
    const md = readFileSync(at("run.md"), "utf8");
    expect(md).toContain(`| panic deaths | ${report.metrics.panicDeaths} |`);
    expect(md).toContain(`| trace hash | ${report.traceHash} |`);
    const html = readFileSync(at("run.html"), "utf8");
    expect(html.match(/<g class="lane" /g)).toHaveLength(report.lanes.length);
    expect(html).toContain('<ol class="chain">');
    expect(html).toContain("1 of 1 expectations met");
  });

  it("rebuilds the same report from the trace file alone", async () => {
    const report = JSON.parse(runJson);
    const r = await cli("report", at("run.jsonl"), "-o", at("from-trace.md"));
    expect(r.code).toBe(0);
    const md = readFileSync(at("from-trace.md"), "utf8");
    expect(md).toContain(`| trace hash | ${report.traceHash} |`);
    expect(md).toContain(`| panic deaths | ${report.metrics.panicDeaths} |`);
    expect(md).toContain(`| &nbsp;&nbsp;late | ${report.metrics.deliveries.late} |`);
    // The variant by its name, and the assumptions section saying a trace does not carry them.
    expect(md).toContain("variant: buggy (v2, no fixes)");
    expect(md).toMatch(
      /Assumptions \(ours, not public facts\):\n\nNot known: the assumptions are in the scenario file, not in a trace \(run\.jsonl\)/,
    );
    const html = await cli("report", at("run.jsonl"), "-o", at("from-trace.html"));
    expect(html.code).toBe(0);
    const page = readFileSync(at("from-trace.html"), "utf8");
    expect(pageData(page).runs[0].series!.t).toEqual(report.series.t);
    expect(page).toContain('<ol class="chain">');
    expect(page).toContain("variant buggy (v2, no fixes)");
    expect(page).toMatch(
      /<h3>Assumptions \(ours, not public facts\)<\/h3><p class="muted">Not known: the assumptions are in the scenario file/,
    );
    const perfetto = await cli("report", at("run.jsonl"), "-o", at("from-trace.json"));
    expect(perfetto.code).toBe(0);
    const doc = JSON.parse(readFileSync(at("from-trace.json"), "utf8")) as TraceEventFile;
    expect(traceEventProblems(doc)).toEqual([]);
    // The same file run --perfetto wrote, to the byte: the variant is named as the docs show it.
    expect(doc.otherData?.variants).toBe("buggy");
    expect(readFileSync(at("from-trace.json"), "utf8")).toBe(readFileSync(at("run.trace.json"), "utf8"));
  });

  it("reads a trace or a report saved with a byte-order mark as without it", async () => {
    const bom = "\uFEFF";
    writeFileSync(at("bom.jsonl"), bom + readFileSync(at("run.jsonl"), "utf8"));
    writeFileSync(at("bom.json"), bom + runJson);
    const plain = await cli("report", at("run.jsonl"), "-o", at("plain.md"));
    expect(plain.code).toBe(0);
    const fromTrace = await cli("report", at("bom.jsonl"), "-o", at("bom-trace.md"));
    expect(fromTrace.err).toContain("Markdown summary of the trace");
    expect(fromTrace.code).toBe(0);
    // The same summary as from the trace without the mark, but for the file it names (and the
    // digest of its text, which holds that name).
    const body = (file: string) => readFileSync(at(file), "utf8").replace(/^<!-- digest sha256:\w+/m, "");
    expect(body("bom-trace.md").replaceAll("bom.jsonl", "run.jsonl")).toBe(body("plain.md"));
    const perfetto = await cli("report", at("bom.jsonl"), "-o", at("bom.trace.json"));
    expect(perfetto.code).toBe(0);
    expect(readFileSync(at("bom.trace.json"), "utf8")).toBe(readFileSync(at("run.trace.json"), "utf8"));
    const fromReport = await cli("report", at("bom.json"), "-o", at("bom-report.md"));
    expect(fromReport.code).toBe(0);
    // A mark and nothing else is an empty file.
    writeFileSync(at("bom-only.jsonl"), bom);
    const empty = await cli("report", at("bom-only.jsonl"), "-o", at("bom-only.md"));
    expect(empty.err).toContain("bom-only.jsonl: empty; expected the output of --json or a --trace file");
    expect(empty.code).toBe(2);
  });

  it("writes HTML from a saved RunReport, saying the chain needs the trace", async () => {
    const r = await cli("report", at("run.json"), "-o", at("from-json.html"));
    expect(r.code).toBe(0);
    const html = readFileSync(at("from-json.html"), "utf8");
    expect(html).toContain("The causal chain needs the trace");
    expect(pageData(html).runs).toHaveLength(1);
  });

  it("writes Markdown from a saved RunReport, saying what it cannot show as the HTML does", async () => {
    const report = JSON.parse(runJson);
    expect(report.metrics.crashes).toBeGreaterThan(0);
    const r = await cli("report", at("run.json"), "-o", at("from-json.md"));
    expect(r.code).toBe(0);
    const md = readFileSync(at("from-json.md"), "utf8");
    expect(md).toContain(
      "**Why a worker died** (buggy): The causal chain needs the trace: write this report with `--markdown` on `run` or `compare`, or from a `--trace` file.",
    );
    // `run --json` gives the scenario's expectations of the run with its report: they are shown as run showed them.
    expect(report.expectations.map((e: { name: string; ok: boolean }) => [e.name, e.ok])).toEqual([
      ["no-cascade fails", true],
    ]);
    expect(md).toContain("- ✓ buggy: no-cascade fails (measured fails)");
    expect(md).not.toContain("Not known: the expectations");
    // The report names its scenario, not the file it was read from; not knowing where that file
    // ends its runs, it says where this one ended.
    expect(md).toContain(
      `Reproduce: \`aftershock run <file of the scenario tiny-may8> --seed ${report.seed} --variant buggy --until 09:52\``,
    );
    // A report saved before `run --json` gave them holds none: that they are not known is said.
    const { expectations: _, ...older } = report;
    writeFileSync(at("run-older.json"), JSON.stringify(older));
    expect((await cli("report", at("run-older.json"), "-o", at("from-older.md"))).code).toBe(0);
    expect(readFileSync(at("from-older.md"), "utf8")).toContain(
      "Expectations of the scenario: Not known: the expectations are judged against the scenario file, which this saved output does not hold (a trace, or `--json` output of a version before it gave them)",
    );
    expect((await cli("report", at("run-older.json"), "-o", at("from-json-notes.html"))).code).toBe(0);
    const html = readFileSync(at("from-json-notes.html"), "utf8");
    expect(html).toContain("Not known: the expectations are judged against the scenario file");
    expect(html).toContain(
      `Reproduce: <code>aftershock run &lt;file of the scenario tiny-may8&gt; --seed ${report.seed} --variant buggy --until 09:52</code>`,
    );
  });

  it("names a bundled scenario of a saved comparison in its Reproduce line", async () => {
    const comparison = await cli("compare", "single-worker-crash-loop", "--variants", "buggy,v1", "--json");
    expect(comparison.code).toBe(0);
    writeFileSync(at("crash-loop.json"), comparison.out);
    expect((await cli("report", at("crash-loop.json"), "-o", at("crash-loop.md"))).code).toBe(0);
    const seed = JSON.parse(comparison.out).seed;
    expect(readFileSync(at("crash-loop.md"), "utf8")).toContain(
      `Reproduce: \`aftershock compare single-worker-crash-loop --seed ${seed} --variants buggy,v1\``,
    );
  });

  it("points a saved comparison's Perfetto file to compare --perfetto, which writes it", async () => {
    const comparison = await cli("compare", TINY, "--json", "--perfetto", at("tiny-cmp.trace.json"));
    expect(comparison.code, comparison.err).toBe(0);
    expect(readFileSync(at("tiny-cmp.trace.json"), "utf8")).toMatch(PERFETTO_SIGNATURE);
    writeFileSync(at("tiny-cmp.json"), comparison.out);
    const r = await cli("report", at("tiny-cmp.json"), "-o", at("tiny-cmp.json.trace.json"));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "tiny-cmp.json: a Perfetto trace needs the runs' traces, and a comparison holds none (compare writes no trace); write the Perfetto file with compare --perfetto FILE.json\n",
    );
    expect(r.err).not.toContain("--trace FILE");
  });

  it("does not name the bundled scenario for an edited copy that kept its name", async () => {
    // The crash loop with a second worker: the same name, another world.
    const text = readFileSync(
      join(dirname(TINY), "..", "..", "..", "scenarios", "single-worker-crash-loop.yaml"),
      "utf8",
    );
    const copy = text.replace(/^( {2}workers: )1$/m, "$12");
    expect(copy).not.toBe(text);
    writeFileSync(at("copy.yaml"), copy);
    const run = await cli("run", at("copy.yaml"), "--variant", "buggy", "--json");
    writeFileSync(at("copy.json"), run.out);
    expect((await cli("report", at("copy.json"), "-o", at("copy.md"))).code).toBe(0);
    const seed = JSON.parse(run.out).seed;
    expect(readFileSync(at("copy.md"), "utf8")).toContain(
      `Reproduce: \`aftershock run <file of the scenario single-worker-crash-loop> --seed ${seed} --variant buggy`,
    );
  });

  it("renders a report whose scenario is markup as text", async () => {
    const hostile = { ...JSON.parse(runJson), scenario: "<script>alert(1)</script>" };
    writeFileSync(at("xss.json"), JSON.stringify(hostile));
    expect((await cli("report", at("xss.json"), "-o", at("xss.html"))).code).toBe(0);
    const html = readFileSync(at("xss.html"), "utf8");
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("<h1>aftershock · &lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    const r = await cli("run", XSS_YAML, "--variant", "buggy", "--quiet", "--html", at("xss-yaml.html"));
    expect(r.code).toBe(1);
    const page = readFileSync(at("xss-yaml.html"), "utf8");
    expect(page.match(/<script/g)).toHaveLength(3);
    expect(page).toContain("&lt;/script&gt;&lt;script&gt;alert(&#39;description&#39;)");
  });

  it("keeps a Reproduce line on one line when the scenario it cannot name holds line breaks", async () => {
    const scenario = "x`\n\n<img src=x onerror=alert(1)>\n\n| a |\u001b";
    writeFileSync(at("breaks.json"), JSON.stringify({ ...JSON.parse(runJson), scenario }));
    expect((await cli("report", at("breaks.json"), "-o", at("breaks.md"))).code).toBe(0);
    const md = readFileSync(at("breaks.md"), "utf8");
    expect(md).not.toContain("\u001b");
    // The markup stays inside the code span of one line, where it is text.
    expect(md.split("\n").filter((l) => l.includes("<img"))).toEqual([
      expect.stringMatching(/^Reproduce: ``aftershock run .* --variant buggy --until 09:52``$/),
    ]);
    expect(md).toContain(
      "<file of the scenario x`\\u000a\\u000a<img src=x onerror=alert(1)>\\u000a\\u000a| a |\\u001b> --seed",
    );
  });
});

describe("report of a long trace on a terminal", () => {
  it("says how many trace events it has read as it reads, and clears the line before it says what it wrote", async () => {
    const trace = join(dir, "may8-buggy.jsonl");
    const ran = await cli("run", "qstash-2026-05-08", "--variant", "buggy", "--quiet", "--trace", trace);
    expect(ran.code, ran.err).toBe(0);
    let err = "";
    const ctx: CliContext = {
      ...quietContext(),
      errIsTty: true,
      errColumns: () => 200,
      err: (t) => {
        err += t;
      },
    };
    const code = await main(["report", trace, "-o", join(dir, "may8-buggy.md")], ctx);
    expect(code, err).toBe(0);
    // 119,097 events: redrawn at 50,000 and 100,000, then cleared.
    expect(err).toContain("\r\x1b[Kaftershock report: reading ");
    expect(err).toContain(": 50000 trace events…");
    expect(err).toContain(": 100000 trace events…");
    expect(err).toContain("100000 trace events…\r\x1b[Kaftershock: wrote ");
    // Not a terminal: no status line, and buggy's May 8 trace read back whole (the other variants'
    // in report-input-variants.long.test.ts).
    const plain = await cli("report", trace, "-o", join(dir, "may8-buggy-2.md"));
    expect(plain.code, plain.err).toBe(0);
    expect(plain.err).not.toContain("trace events…");
    // An output written through stderr: nothing drawn in its middle.
    let through = "";
    const code2 = await main(["report", trace, "-o", "/dev/stderr", "--format", "markdown"], {
      ...ctx,
      err: (t) => {
        through += t;
      },
    });
    expect(code2, through).toBe(0);
    expect(through).toContain("| ");
    expect(through).not.toContain("trace events…");
  });
});

describe("Perfetto slices past the cap", () => {
  it("are said dropped alike by run --perfetto and by report from the trace, which write the same file", async () => {
    // One worker running 600 two-second deliveries at once: more task slots than a lane holds.
    const scenario = join(dir, "wide.yaml");
    writeFileSync(
      scenario,
      `name: wide
description: one worker running hundreds of tasks at once
seed: 1
start: 2026-05-08T09:00:00Z
duration: 3m
fleet: { workers: 1, partitions: 4, concurrency: 1000 }
scheduler: { version: v2, fixes: [early-return, panic-recovery] }
workload:
  accounts: 600
  schedulesPerAccount: { min: 1, max: 1 }
  cron: [{ expr: "* * * * *" }]
  destination: { latency: 2s }
`,
    );
    const trace = join(dir, "wide.jsonl");
    const [fromRun, fromReport] = [join(dir, "wide-run.trace.json"), join(dir, "wide-report.trace.json")];
    const ran = await cli("run", scenario, "--quiet", "--trace", trace, "--perfetto", fromRun);
    const dropped = /trace events for Perfetto: \d+, (\d+) dropped past the cap/.exec(ran.err)?.[1];
    expect(Number(dropped)).toBeGreaterThan(0);
    const reported = await cli("report", trace, "-o", fromReport);
    expect(reported.code, reported.err).toBe(0);
    expect(reported.err).toContain(`trace events, ${dropped} dropped past the cap)`);
    expect(readFileSync(fromReport, "utf8")).toBe(readFileSync(fromRun, "utf8"));
  });
});

describe("compare with report files", () => {
  it("shows every variant, and the Perfetto file holds each finished run once", async () => {
    const r = await cli(
      "compare",
      TINY,
      "--html",
      at("cmp.html"),
      "--perfetto",
      at("cmp.json"),
      "--markdown",
      at("cmp.md"),
    );
    expect(r.code).toBe(0);
    const html = readFileSync(at("cmp.html"), "utf8");
    expect(pageData(html).runs.map((x) => x.name)).toEqual(["buggy", "fixed"]);
    expect(html).toContain('<section id="divergence">');
    const doc = JSON.parse(readFileSync(at("cmp.json"), "utf8")) as TraceEventFile;
    expect(traceEventProblems(doc)).toEqual([]);
    const names = [...processNames(doc).values()];
    // compare also replays part of the first run to find the divergence: that partial run is not exported.
    expect(names.filter((n) => n.endsWith("fleet")).sort()).toEqual(["buggy · fleet", "fixed · fleet"]);
    expect(names.filter((n) => n.startsWith("buggy · w"))).toHaveLength(3);
    expect(names.filter((n) => n.startsWith("fixed · w"))).toHaveLength(3);
    expect(readFileSync(at("cmp.md"), "utf8")).toContain("| | buggy | fixed |");
  });
});

describe("bad input: a clear message and exit 2, files untouched", () => {
  const noStack = (err: string) => expect(err).not.toMatch(/\n\s+at /);

  it("checks every output path before the run: a missing folder for --trace is exit 2, nothing run", async () => {
    const r = await cli("run", TINY, "--quiet", "--trace", join(dir, "nodir", "t.jsonl"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--trace \S+nodir\/t\.jsonl: no such folder/);
    expect(r.out).toBe("");
  });

  it.skipIf(!existsSync("/dev/full"))(
    "a file that cannot be written after the run is said after the run's report",
    async () => {
      for (const flag of ["--trace", "--html"]) {
        const r = await cli("run", TINY, "--quiet", flag, "/dev/full");
        expect(r.out, flag).toMatch(/^tiny-may8 \[buggy [^\n]*cascade depth \d+[^\n]*\n$/);
        expect(r.err, flag).toMatch(
          /^aftershock: \/dev\/full: cannot write \(ENOSPC[^\n]*\naftershock: exit 2 rather than 0: an output was not written as asked\n$/,
        );
        expect(r.code, flag).toBe(2);
      }
    },
  );

  it("refuses to replace a file aftershock did not write, unless --force", async () => {
    writeFileSync(at("mine.html"), "my notes");
    const r = await cli("report", at("run.json"), "-o", at("mine.html"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("was not written by aftershock; pass --force");
    expect(readFileSync(at("mine.html"), "utf8")).toBe("my notes");
    const forced = await cli("report", at("run.json"), "-o", at("mine.html"), "--force");
    expect(forced.code).toBe(0);
    expect(readFileSync(at("mine.html"), "utf8")).toMatch(HTML_SIGNATURE);
    // A report it wrote itself is replaced without asking.
    expect((await cli("report", at("run.json"), "-o", at("mine.html"))).code).toBe(0);
  });

  it("names what is wrong", async () => {
    writeFileSync(at("junk.txt"), "not json at all");
    writeFileSync(
      at("bad.jsonl"),
      `${readFileSync(at("run.jsonl"), "utf8").split("\n").slice(0, 3).join("\n")}\n{oops\n`,
    );
    writeFileSync(at("other.json"), JSON.stringify({ hello: "world" }));
    const cases: [string[], RegExp][] = [
      [["report", at("missing.json"), "-o", at("x.html")], /missing\.json: no such file/],
      [["report", at("junk.txt"), "-o", at("x.html")], /junk\.txt:1:2: not JSON/],
      [["report", at("bad.jsonl"), "-o", at("x.html")], /bad\.jsonl:4:2: error: not a JSON line \(/],
      [
        ["report", at("other.json"), "-o", at("x.html")],
        /other\.json: not a RunReport \(run --json\) or a comparison/,
      ],
      [["report", at("run.json"), "-o", at("x.json")], /a Perfetto trace needs the run's trace/],
      [["report", at("run.json"), "-o", at("x.txt")], /cannot tell the format/],
      [["report", at("run.json")], /-o FILE/],
      [["report", at("run.json"), "-o", join(dir, "nope", "x.html")], /no such folder/],
      [["run", TINY, "--html", at("same.out"), "--markdown", at("same.out")], /the same file as --html/],
      [
        ["run", TINY, "--trace", at("same.jsonl"), "--perfetto", at("same.jsonl")],
        /the same file as --trace/,
      ],
    ];
    for (const [argv, message] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.err).toMatch(message);
      noStack(r.err);
    }
    expect(existsSync(at("x.html"))).toBe(false);
    expect(existsSync(at("same.out"))).toBe(false);
  });

  it("says in one line that a JSON file of another kind is not a report, though it shares a field name or three", async () => {
    // A package.json and a JSON Schema carry a `description`; a saved training session has the
    // scenario, seed and variant of its run; none is a RunReport with some fields broken.
    writeFileSync(at("package.json"), JSON.stringify({ name: "x", description: "y", version: "1.0.0" }));
    writeFileSync(
      at("session.json"),
      JSON.stringify({ format: "aftershock-training-session", scenario: "s", seed: 1, variant: "buggy" }),
    );
    const r = await cli("report", at("package.json"), "-o", at("x.html"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `^aftershock: ${at("package.json")}: not a RunReport \\(run --json\\) or a comparison \\(compare --json\\)[^\n]*\n$`,
      ),
    );
    // The session is aftershock's own, and said to be that.
    const session = await cli("report", at("session.json"), "-o", at("x.html"));
    expect(session.code).toBe(2);
    expect(session.err).toBe(
      `aftershock: ${at("session.json")}: a saved training session written by aftershock, not saved output; report takes the output of run --json or compare --json, or a --trace file\n`,
    );
  });

  it("says in one line that a scenario is not saved output, and the run that writes its report", async () => {
    // YAML (with a comment first, or without one), and the same scenario written as JSON.
    const yaml = readFileSync(TINY, "utf8");
    writeFileSync(at("bare.yaml"), yaml.replace(/^(#.*\n)+/, ""));
    writeFileSync(
      at("scenario.json"),
      JSON.stringify({ name: "tiny", start: "2026-05-08T09:30:00Z", duration: "5m" }),
    );
    const takes =
      "not saved output; report takes the output of run --json or compare --json, or a --trace file";
    for (const [scenario, output, flag] of [
      [TINY, "x.html", "--html"],
      [at("bare.yaml"), "x.md", "--markdown"],
      [at("scenario.json"), "x.html", "--html"],
      [TINY, "x.trace.json", "--perfetto"],
    ]) {
      const r = await cli("report", scenario, "-o", at(output));
      expect(r.code, scenario).toBe(2);
      expect(r.err, scenario).toBe(
        `aftershock: ${scenario}: a scenario, ${takes}; to report on a scenario, run it: aftershock run ${scenario} ${flag} ${at(output)}\n`,
      );
      expect(existsSync(at(output))).toBe(false);
    }
  });

  it("says in one line that a golden file of the gate holds trace hashes, not a report, and what report takes", async () => {
    const golden = join(import.meta.dirname, "..", "..", "scenarios", "golden", "quiet-day.json");
    const r = await cli("report", golden, "-o", at("x.html"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^aftershock: \S+quiet-day\.json: the golden trace hashes of `aftershock gate`[^\n]*, not a report; report takes the output of run --json or compare --json, or a --trace file\n$/,
    );
    expect(existsSync(at("x.html"))).toBe(false);
  });

  it("says in one line that a report aftershock wrote is not saved output, and what report takes", async () => {
    const outputs = { "--html": "own.html", "--markdown": "own.md", "--perfetto": "own.trace.json" };
    const written = await cli(
      "run",
      TINY,
      ...Object.entries(outputs).flatMap(([flag, name]) => [flag, at(name)]),
    );
    expect(written.code, written.err).toBe(0);
    const gated = "test/gate/fixtures/pass/small-cascade.yaml";
    const gate = await cli(
      "gate",
      gated,
      "--jobs",
      "1",
      "--junit",
      at("gate.xml"),
      "--markdown",
      at("gate.md"),
    );
    expect(gate.code, gate.err).toBe(0);
    const kinds: [string, string][] = [
      ["own.html", "an HTML report"],
      ["own.md", "a Markdown summary"],
      ["own.trace.json", "a Perfetto trace"],
      ["gate.md", "the gate's Markdown summary"],
      ["gate.xml", "the gate's JUnit report"],
    ];
    for (const [name, kind] of kinds) {
      const r = await cli("report", at(name), "-o", at("x.html"));
      expect(r.code, name).toBe(2);
      expect(r.err, name).toBe(
        `aftershock: ${at(name)}: ${kind} written by aftershock, not saved output; report takes the output of run --json or compare --json, or a --trace file\n`,
      );
    }
    expect(existsSync(at("x.html"))).toBe(false);
  });

  it("refuses a trace cut short, cut at the front, with a gap or a bad run.started line", async () => {
    const lines = readFileSync(at("run.jsonl"), "utf8").trimEnd().split("\n");
    const write = (name: string, kept: string[]) => writeFileSync(at(name), `${kept.join("\n")}\n`);
    write("part.jsonl", lines.slice(0, 40));
    write("started.jsonl", lines.slice(0, 1));
    write("front.jsonl", lines.slice(2));
    write("gap.jsonl", [...lines.slice(0, 5), ...lines.slice(6)]);
    write("seed.jsonl", [lines[0].replace(/"seed":"\d+"/, '"seed":7'), ...lines.slice(1)]);
    write("workers.jsonl", [lines[0].replace(/,"workers":\d+/, ""), ...lines.slice(1)]);
    write("cause.jsonl", [...lines.slice(0, 3), lines[3].replace(/"cause":[^,]*,/, ""), ...lines.slice(4)]);
    write("after.jsonl", [...lines, lines.at(-1)!.replace(/"seq":\d+/, `"seq":${lines.length}`)]);
    const cases: [string, RegExp][] = [
      ["part.jsonl", /part\.jsonl: the trace ends at seq 39 without run\.finished \(cut short\?\)/],
      ["started.jsonl", /started\.jsonl: the trace ends at seq 0 without run\.finished/],
      ["front.jsonl", /front\.jsonl:1:\d+: error: the trace starts with \S+ at seq 2, not run\.started/],
      ["gap.jsonl", /gap\.jsonl:6:\d+: error: seq 6 follows seq 4: 1 event\(s\) missing/],
      ["seed.jsonl", /seed\.jsonl:1:\d+: error: run\.started\.seed: expected a string, found 7/],
      [
        "workers.jsonl",
        /workers\.jsonl:1:\d+: error: run\.started\.workers: expected a number, found nothing/,
      ],
      ["cause.jsonl", /cause\.jsonl:4:\d+: error: not a trace event: `cause` is missing/],
      [
        "after.jsonl",
        new RegExp(
          `after\\.jsonl:${lines.length + 1}:\\d+: error: run\\.finished at seq ${lines.length} comes after run\\.finished`,
        ),
      ],
    ];
    for (const [name, message] of cases) {
      for (const output of ["x.md", "x.json"]) {
        const r = await cli("report", at(name), "-o", at(output));
        expect(r.code, `${name} -o ${output}`).toBe(2);
        expect(r.err).toMatch(message);
        noStack(r.err);
        expect(existsSync(at(output))).toBe(false);
      }
    }
  });

  it("names the partial file a trace refused part-way leaves behind, as a failed write does", async () => {
    const lines = readFileSync(at("run.jsonl"), "utf8").split("\n");
    writeFileSync(at("broken.jsonl"), `${lines.slice(0, 3).join("\n")}\n{oops\n`);
    const out = join(mkdtempSync(join(dir, "left-")), "left.json");
    let err = "";
    const ctx: CliContext = {
      ...quietContext(),
      err: (t) => {
        err += t;
      },
    };
    // The Perfetto file is written as the trace is read: its temporary file is there once the
    // command has started, and a folder with contents in its place cannot be removed.
    const refused = reportCommand(ctx, at("broken.jsonl"), { output: out });
    const tmp = join(dirname(out), readdirSync(dirname(out)).find((n) => n.startsWith(".left.json.tmp-"))!);
    rmSync(tmp);
    mkdirSync(join(tmp, "inside"), { recursive: true });
    await expect(refused).rejects.toThrow(/broken\.jsonl:4:2: error: not a JSON line \(/);
    expect(err).toMatch(new RegExp(`^aftershock: a partial file is left at ${tmp} \\(E[A-Z]+`));
    expect(existsSync(out)).toBe(false);
  });

  it("checks a saved RunReport or comparison whole, naming the bad field", async () => {
    const run = JSON.parse(readFileSync(at("run.json"), "utf8"));
    type Editable = {
      metrics: Record<string, unknown>;
      timeline: unknown[];
      lanes: { segments: { state: string }[] }[];
      run: Record<string, unknown>;
      series: Record<string, unknown>;
    };
    const edited = (name: string, edit: (r: Editable) => void) => {
      const copy = structuredClone(run);
      edit(copy);
      writeFileSync(at(name), JSON.stringify(copy, null, 2));
    };
    edited("no-deliveries.json", (r) => delete r.metrics.deliveries);
    edited("timeline.json", (r) => {
      r.timeline = [{ t: 5 }];
    });
    edited("lane.json", (r) => {
      r.lanes[0].segments[0].state = "asleep";
    });
    edited("stop.json", (r) => {
      r.run.stopReason = "crashed";
    });
    edited("points.json", (r) => {
      r.series.samplesPerPoint = 2 ** 53 + 10;
    });
    writeFileSync(
      at("cmp.json"),
      JSON.stringify({ variants: [run, { ...run, verdicts: "none" }], divergence: null }),
    );
    // A parting that names no pair of these runs: the report would find none and call them alike.
    const parting = {
      variants: ["buggy", "fixed"],
      index: 1,
      t: Date.parse(run.run.start),
      a: null,
      b: null,
    };
    writeFileSync(
      at("parting.json"),
      JSON.stringify({ variants: [run, run], divergence: parting, divergences: [parting] }, null, 2),
    );
    // A parting at a time no run reached: the report would say it as a time of the run.
    const early = { ...parting, variants: ["buggy", "buggy"], t: 1 };
    writeFileSync(
      at("early-parting.json"),
      JSON.stringify({ variants: [run, run], divergence: early, divergences: [early] }, null, 2),
    );
    // A first divergence that is not the first of the divergences: each renderer would read one of the two.
    const alike = { ...parting, variants: ["buggy", "buggy"] };
    writeFileSync(
      at("two-partings.json"),
      JSON.stringify(
        { variants: [run, run], divergence: { ...alike, index: 2 }, divergences: [alike] },
        null,
        2,
      ),
    );
    writeFileSync(
      at("no-first-parting.json"),
      JSON.stringify({ variants: [run, run], divergence: null, divergences: [alike] }, null, 2),
    );
    writeFileSync(
      at("stray-parting.json"),
      JSON.stringify({ variants: [run, run], divergence: alike, divergences: [] }, null, 2),
    );
    // So too a first stop that is not the first of the stops.
    const stop = {
      variants: ["buggy", "buggy"],
      stopped: "buggy",
      reason: "event-limit",
      index: 1,
      t: parting.t,
    };
    writeFileSync(
      at("two-stops.json"),
      JSON.stringify(
        {
          variants: [run, run],
          divergence: null,
          divergences: [],
          stoppedFirst: { ...stop, index: 2 },
          stops: [stop],
        },
        null,
        2,
      ),
    );
    // A stop that names no pair of these runs, or a run not of its pair: the report would find
    // none, or say a run stopped that is not there.
    writeFileSync(
      at("stray-stop.json"),
      JSON.stringify(
        {
          variants: [run, run],
          divergence: null,
          divergences: [],
          stoppedFirst: null,
          stops: [{ ...stop, variants: ["buggy", "fixed"] }],
        },
        null,
        2,
      ),
    );
    const elsewhere = { ...stop, stopped: "banana" };
    writeFileSync(
      at("stopped-elsewhere.json"),
      JSON.stringify(
        {
          variants: [run, run],
          divergence: null,
          divergences: [],
          stoppedFirst: elsewhere,
          stops: [elsewhere],
        },
        null,
        2,
      ),
    );
    // A stop for a reason no run stops early for, or not the one its run stopped for.
    for (const [name, reason] of [
      ["horizon-stop.json", "horizon"],
      ["other-stop.json", "max-events"],
    ]) {
      const odd = { ...stop, reason };
      writeFileSync(
        at(name),
        JSON.stringify(
          { variants: [run, run], divergence: null, divergences: [], stoppedFirst: odd, stops: [odd] },
          null,
          2,
        ),
      );
    }
    // The line and column of a saved comparison's `field` value.
    const divergenceAt = (name: string, field = "divergence") => {
      const lines = readFileSync(at(name), "utf8").split("\n");
      const line = lines.findIndex((l) => l.startsWith(`  "${field}": `));
      return `${line + 1}:${`  "${field}": `.length + 1}`;
    };
    const cases: [string, RegExp][] = [
      [
        "horizon-stop.json",
        /horizon-stop\.json:\d+:\d+: stops\[0\]\.reason: expected a reason a run stops early for \(max-events, wall-budget, stack-overflow, halted\), found "horizon"/,
      ],
      [
        "other-stop.json",
        new RegExp(
          `other-stop\\.json:\\d+:\\d+: stops\\[0\\]\\.reason: expected the reason its run stopped for \\(variants\\[0\\]\\.run\\.stopReason: "${run.run.stopReason}"\\), found "max-events"`,
        ),
      ],
      [
        "stray-stop.json",
        /stray-stop\.json:\d+:\d+: stops\[0\]\.variants: expected the first run's name \("buggy"\) and a later one's \("buggy"\), found a list of 2/,
      ],
      [
        "stopped-elsewhere.json",
        /stopped-elsewhere\.json:\d+:\d+: stops\[0\]\.stopped: expected one of its variants \("buggy", "buggy"\), found "banana"/,
      ],
      [
        "two-stops.json",
        new RegExp(
          `two-stops\\.json:${divergenceAt("two-stops.json", "stoppedFirst")}: stoppedFirst: expected the same as stops\\[0\\] \\(as compare writes it\\), found an object`,
        ),
      ],
      [
        "two-partings.json",
        new RegExp(
          `two-partings\\.json:${divergenceAt("two-partings.json")}: divergence: expected the same as divergences\\[0\\] \\(as compare writes it\\), found an object`,
        ),
      ],
      [
        "no-first-parting.json",
        new RegExp(
          `no-first-parting\\.json:${divergenceAt("no-first-parting.json")}: divergence: expected the same as divergences\\[0\\] \\(as compare writes it\\), found null`,
        ),
      ],
      [
        "stray-parting.json",
        new RegExp(
          `stray-parting\\.json:${divergenceAt("stray-parting.json")}: divergence: expected null, as divergences names no parting of the second run \\("buggy"\\) \\(as compare writes it\\), found an object`,
        ),
      ],
      [
        "early-parting.json",
        /early-parting\.json:\d+:\d+: divergence\.t: expected a time in ms within the runs \(\d+ to \d+, run\.start to run\.end\), found 1/,
      ],
      [
        "parting.json",
        /parting\.json:\d+:\d+: divergences\[0\]\.variants: expected the first run's name \("buggy"\) and a later one's \("buggy"\), found a list of 2/,
      ],
      [
        "no-deliveries.json",
        /no-deliveries\.json:\d+:\d+: metrics\.deliveries: expected an object, found nothing/,
      ],
      ["timeline.json", /timeline\.json:\d+:\d+: timeline\[0\]\.t: expected an ISO time .*, found 5/],
      ["lane.json", /lanes\[0\]\.segments\[0\]\.state: expected one of "serving", .*found "asleep"/],
      [
        "stop.json",
        /stop\.json:\d+:\d+: run\.stopReason: expected one of "horizon", .*"stack-overflow", found "crashed"/,
      ],
      [
        "points.json",
        /points\.json:\d+:\d+: series\.samplesPerPoint: expected at most 9007199254740991, found 9007199254741002/,
      ],
      ["cmp.json", /cmp\.json:1:\d+: variants\[1\]\.verdicts: expected a list, found "none"/],
    ];
    for (const [name, message] of cases) {
      const r = await cli("report", at(name), "-o", at("x.html"));
      expect(r.code, name).toBe(2);
      expect(r.err).toMatch(message);
      noStack(r.err);
      expect(existsSync(at("x.html"))).toBe(false);
    }
  });
});
