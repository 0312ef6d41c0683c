/**
 * JUnit XML of a gate report, in the dialect Jenkins (junit and xUnit plugins), GitLab and the
 * GitHub test-report actions all read: `testsuites` > one `testsuite` per scenario > one
 * `testcase` per check, with `failure`, `error` or `skipped` carrying a message attribute and
 * the details as text. `file` and `line` on a testcase point at the scenario and the line of the
 * expectation (used by annotating reporters). Times and the timestamp are the only parts that
 * change from one run to the next; pass `timings: false` for byte-identical output.
 */
import type { GateCase, GateReport, GateSuite } from "../explore/gate.js";

export interface JUnitConstraints {
  /** When the gate started (ISO 8601); written as each suite's `timestamp`. */
  readonly timestamp?: string;
  readonly hostname?: string;
  /** Write real times (default true); false writes `time="0"` and no timestamp. */
  readonly timings?: boolean;
  /**
   * The gate's wall time, which no suite's exceeds; defaults to the sum of the suites' (which
   * overstates it when suites ran side by side).
   */
  readonly wallMs?: number;
}

/** The `type` attribute of a failure or error, by the kind of case. */
const FAILURE_TYPE: Record<GateCase["kind"], string> = {
  expectation: "expectation",
  determinism: "nondeterminism",
  golden: "golden-trace-hash",
  explore: "property",
  scenario: "scenario",
};

export function renderJUnit(report: GateReport, c: JUnitConstraints = {}): string {
  const timings = c.timings !== false;
  const seconds = (ms: number) => (timings ? (Math.max(0, ms) / 1000).toFixed(3) : "0");
  const totalMs = c.wallMs ?? report.suites.reduce((sum, s) => sum + s.wallMs, 0);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(
    `<testsuites${attrs({
      name: "aftershock gate",
      tests: report.counts.tests,
      failures: report.counts.failed,
      errors: report.counts.errors,
      skipped: report.counts.skipped,
      time: seconds(totalMs),
    })}>`,
  );
  report.suites.forEach((suite, id) => {
    lines.push(...renderSuite(suite, id, c, timings, seconds));
  });
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

function renderSuite(
  suite: GateSuite,
  id: number,
  c: JUnitConstraints,
  timings: boolean,
  seconds: (ms: number) => string,
): string[] {
  const count = (status: GateCase["status"]) => suite.cases.filter((k) => k.status === status).length;
  const out: string[] = [];
  out.push(
    `  <testsuite${attrs({
      name: suite.name,
      tests: suite.cases.length,
      failures: count("failed"),
      errors: count("error"),
      skipped: count("skipped"),
      time: seconds(suite.wallMs),
      timestamp: timings && c.timestamp ? junitTimestamp(c.timestamp) : undefined,
      hostname: c.hostname ?? "localhost",
      id,
      package: "aftershock",
      file: suite.file,
    })}>`,
  );
  out.push("    <properties>");
  out.push(`      <property${attrs({ name: "file", value: suite.file })}/>`);
  // A suite of refused input ran nothing: it has no seed nor scheduler to state.
  if (suite.seed !== null) {
    out.push(`      <property${attrs({ name: "seed", value: suite.seed })}/>`);
    // The scheduler the runs start with; the modules the timeline deploys after it, when it deploys any.
    out.push(`      <property${attrs({ name: "scheduler", value: suite.scheduler ?? "bundled" })}/>`);
    if (suite.deploys !== undefined && suite.deploys.length > 0) {
      out.push(`      <property${attrs({ name: "deploys", value: suite.deploys.join(", ") })}/>`);
    }
  }
  out.push("    </properties>");
  for (const k of suite.cases) out.push(...renderCase(k, suite.file, seconds));
  out.push("  </testsuite>");
  return out;
}

function renderCase(k: GateCase, file: string, seconds: (ms: number) => string): string[] {
  const open = `    <testcase${attrs({
    name: k.name,
    classname: k.classname,
    time: seconds(k.wallMs),
    file,
    line: k.line ?? undefined,
  })}`;
  const body = k.details === "" ? k.message : `${k.message}\n\n${k.details}`;
  switch (k.status) {
    case "passed":
      return [`${open}>`, `      <system-out>${text(k.message)}</system-out>`, "    </testcase>"];
    case "skipped":
      return [`${open}>`, `      <skipped${attrs({ message: k.message })}/>`, "    </testcase>"];
    case "failed":
      return [
        `${open}>`,
        `      <failure${attrs({ message: k.message, type: FAILURE_TYPE[k.kind] })}>${text(body)}</failure>`,
        "    </testcase>",
      ];
    case "error":
      return [
        `${open}>`,
        `      <error${attrs({ message: k.message, type: k.exitCode === 4 ? "internal" : FAILURE_TYPE[k.kind] })}>${text(body)}</error>`,
        "    </testcase>",
      ];
  }
}

/** ISO 8601 without zone or fraction (`2026-05-08T09:46:00`), as Ant's schema wants it; UTC. */
export function junitTimestamp(iso: string): string {
  return iso.slice(0, 19);
}

function attrs(values: Record<string, string | number | undefined>): string {
  let out = "";
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out += ` ${key}="${attribute(String(value))}"`;
  }
  return out;
}

/** Replaces what XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/F) with U+FFFD. */
export function xmlSafe(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
      } else out += "\uFFFD";
    } else if (
      (c >= 0xdc00 && c <= 0xdfff) ||
      c === 0xfffe ||
      c === 0xffff ||
      (c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd)
    ) {
      out += "\uFFFD";
    } else out += s[i];
  }
  return out;
}

/** Escapes text content. */
export function text(s: string): string {
  return xmlSafe(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escapes an attribute value (quotes, and line breaks kept as character references). */
export function attribute(s: string): string {
  return text(s)
    .replace(/"/g, "&quot;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;")
    .replace(/\t/g, "&#9;");
}
