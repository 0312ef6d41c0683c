/**
 * The bench harness's data: what a row is, what it measures, and how results are rendered.
 *
 * A row module is a file `bench/rows/<area>.ts` that exports `rows: readonly BenchRow[]`, each
 * named `<area>/...`; `bench/run.ts` finds the modules by file name, so adding a file adds its
 * rows. Rows measure and return data; only `run.ts` prints.
 */

/** What a row measured. Fields that do not apply are left out. */
export interface BenchResult {
  readonly name: string;
  /** Kernel events executed in the measured run. */
  readonly events?: number;
  readonly eventsPerSec?: number;
  /** The same work done by the row's baseline (a bare loop, say), in the same process. */
  readonly baselineEventsPerSec?: number;
  /** The row against its baseline: `eventsPerSec / baselineEventsPerSec` unless the row says otherwise. */
  readonly ratio?: number;
  /** Peak resident set of the process that did the work (a child process, for memory rows). */
  readonly peakRssMb?: number;
  readonly wallMs?: number;
  readonly runsPerSec?: number;
}

export interface BenchRow {
  readonly name: string;
  run(): Promise<BenchResult> | BenchResult;
  /** What the row should reach; the harness says which were met (it does not fail on a miss). */
  readonly targets?: readonly BenchTarget[];
  /** Said after the row's time in the progress lines (for example, where it was measured). */
  readonly note?: string;
}

/** A bound on one field of a row's result. */
export interface BenchTarget {
  readonly field: ResultField;
  readonly min?: number;
  readonly max?: number;
}

/** One line per target: whether the result met it. */
export function checkTargets(result: BenchResult, targets: readonly BenchTarget[]): string[] {
  return targets.map((target) => {
    const value = result[target.field];
    const bound =
      target.min !== undefined
        ? `>= ${formatBound(target.field, target.min)}`
        : `<= ${formatBound(target.field, target.max ?? Number.NaN)}`;
    if (value === undefined) return `${result.name}: ${HEADERS[target.field]} ${bound}: not measured`;
    const met =
      (target.min === undefined || value >= target.min) && (target.max === undefined || value <= target.max);
    return `${result.name}: ${HEADERS[target.field]} ${formatCell(target.field, value)} (target ${bound}): ${met ? "met" : "MISSED"}`;
  });
}

function formatBound(field: ResultField, value: number): string {
  return formatCell(field, value);
}

/** The fields of a result, in the order of the JSON output and of the table's columns. */
export const RESULT_FIELDS = [
  "events",
  "eventsPerSec",
  "baselineEventsPerSec",
  "ratio",
  "peakRssMb",
  "wallMs",
  "runsPerSec",
] as const;

export type ResultField = (typeof RESULT_FIELDS)[number];

/**
 * Keeps the known numeric fields of what a row returned, in a fixed order. A row that reports
 * `runs` (how many runs it made) and `wallMs` but no `runsPerSec` gets it computed.
 */
export function normaliseResult(name: string, raw: unknown): BenchResult {
  const source = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
  const out: Record<string, number | string> = { name };
  for (const field of RESULT_FIELDS) {
    const value = source[field];
    if (typeof value === "number" && Number.isFinite(value)) out[field] = value;
  }
  const runs = source.runs;
  if (out.runsPerSec === undefined && typeof runs === "number" && typeof out.wallMs === "number") {
    if (out.wallMs > 0) out.runsPerSec = round(runs / (out.wallMs / 1000), 2);
  }
  return out as unknown as BenchResult;
}

export interface BenchOptions {
  readonly json: boolean;
  /** Row-name prefixes; empty means every row. */
  readonly only: readonly string[];
  readonly list: boolean;
  readonly help: boolean;
}

export interface BenchArgsIssue {
  readonly message: string;
}

/** Parses the bench's arguments (after `npm run bench --`). Returns data; prints nothing. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions | BenchArgsIssue {
  let json = false;
  let list = false;
  let help = false;
  const only: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") json = true;
    else if (arg === "--list") list = true;
    else if (arg === "--help" || arg === "-h") help = true;
    else if (arg === "--only") {
      const prefix = argv[i + 1];
      if (prefix === undefined || prefix.startsWith("--"))
        return { message: "--only needs a row-name prefix" };
      only.push(prefix);
      i++;
    } else if (arg.startsWith("--only=")) only.push(arg.slice("--only=".length));
    else return { message: `unknown argument ${JSON.stringify(arg)}` };
  }
  return { json, only, list, help };
}

export const BENCH_USAGE = `usage: npm run bench -- [--json] [--only PREFIX]... [--list]
  --json         print exactly one JSON object on stdout: {"results":[...]}
  --only PREFIX  run only rows whose name starts with PREFIX (repeatable)
  --list         list the rows that would run, without running them`;

/** True when a row named `name` is selected by the prefixes (none selects all). */
export function selected(name: string, only: readonly string[]): boolean {
  return only.length === 0 || only.some((prefix) => name.startsWith(prefix));
}

/** True when a module of `area` may hold a selected row (its rows are all named `<area>/...`). */
export function areaSelected(area: string, only: readonly string[]): boolean {
  const head = `${area}/`;
  return only.length === 0 || only.some((prefix) => prefix.startsWith(head) || head.startsWith(prefix));
}

const HEADERS: Record<ResultField | "name", string> = {
  name: "name",
  events: "events",
  eventsPerSec: "events/s",
  baselineEventsPerSec: "baseline events/s",
  ratio: "ratio",
  peakRssMb: "peak RSS MB",
  wallMs: "wall ms",
  runsPerSec: "runs/s",
};

/** A plain-text table of results, one row per result; empty cells for fields that do not apply. */
export function formatTable(results: readonly BenchResult[]): string {
  const columns = ["name", ...RESULT_FIELDS] as const;
  const cells = results.map((r) => columns.map((c) => (c === "name" ? r.name : formatCell(c, r[c]))));
  const header = columns.map((c) => HEADERS[c]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

function formatCell(field: ResultField, value: number | undefined): string {
  if (value === undefined) return "";
  switch (field) {
    case "events":
      return value.toLocaleString("en-US");
    case "eventsPerSec":
    case "baselineEventsPerSec":
      return `${(value / 1e6).toFixed(2)} M`;
    case "ratio":
      return value.toFixed(2);
    case "peakRssMb":
      return value.toFixed(1);
    case "wallMs":
      return Math.round(value).toLocaleString("en-US");
    case "runsPerSec":
      return value.toFixed(2);
  }
}

export function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
