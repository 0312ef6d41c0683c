/**
 * `npm run bench [-- --json] [-- --only PREFIX]`: runs the bench rows and prints a table, or with
 * `--json` exactly one JSON object on stdout (`{"results":[...]}`; `"errors"` too if a row
 * failed). Progress and any other human text go to stderr.
 *
 * Rows come from every module `rows/<area>.js` next to this file (see `harness.ts`); a module is
 * loaded only if `--only` may select one of its rows. Exit code: 0, or 1 if a row failed, or 2
 * for bad arguments.
 */
import { readdirSync } from "node:fs";
import {
  areaSelected,
  BENCH_USAGE,
  type BenchResult,
  type BenchRow,
  type BenchTarget,
  checkTargets,
  formatTable,
  normaliseResult,
  parseBenchArgs,
  selected,
} from "./harness.js";

/** Areas run first, in this order; any other area follows, alphabetically. */
const AREA_ORDER = ["kernel", "world", "gate"];

interface LoadedRow {
  readonly name: string;
  readonly run: () => unknown;
  readonly targets: readonly BenchTarget[];
  readonly note?: string;
}

function rowAreas(): string[] {
  const files = readdirSync(new URL("./rows/", import.meta.url)).filter((f) => f.endsWith(".js"));
  const areas = files.map((f) => f.slice(0, -".js".length));
  const rank = (area: string): number => {
    const i = AREA_ORDER.indexOf(area);
    return i === -1 ? AREA_ORDER.length : i;
  };
  return areas.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

async function loadRows(area: string): Promise<LoadedRow[]> {
  const module = (await import(`./rows/${area}.js`)) as { rows?: unknown };
  if (!Array.isArray(module.rows)) throw new Error(`bench/rows/${area}: exports no \`rows\` array`);
  return (module.rows as BenchRow[]).map((row) => {
    if (typeof row?.name !== "string" || typeof row.run !== "function") {
      throw new Error(`bench/rows/${area}: a row without a name or a run()`);
    }
    if (!row.name.startsWith(`${area}/`)) {
      throw new Error(`bench/rows/${area}: row ${row.name} must be named ${area}/...`);
    }
    return { name: row.name, run: () => row.run(), targets: row.targets ?? [], note: row.note };
  });
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseBenchArgs(argv);
  if ("message" in options) {
    process.stderr.write(`bench: ${options.message}\n${BENCH_USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${BENCH_USAGE}\n`);
    return 0;
  }
  const rows: LoadedRow[] = [];
  for (const area of rowAreas()) {
    if (!areaSelected(area, options.only)) continue;
    for (const row of await loadRows(area)) if (selected(row.name, options.only)) rows.push(row);
  }
  if (rows.length === 0) {
    process.stderr.write(`bench: no row starts with ${options.only.join(" or ")}\n`);
    return 2;
  }
  if (options.list) {
    process.stdout.write(`${rows.map((r) => r.name).join("\n")}\n`);
    return 0;
  }

  const results: BenchResult[] = [];
  const errors: { name: string; error: string }[] = [];
  const targetLines: string[] = [];
  for (const [i, row] of rows.entries()) {
    process.stderr.write(`[${i + 1}/${rows.length}] ${row.name} ...`);
    const started = performance.now();
    try {
      const result = normaliseResult(row.name, await row.run());
      results.push(result);
      targetLines.push(...checkTargets(result, row.targets));
      const note = row.note === undefined ? "" : ` (${row.note})`;
      process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s${note}\n`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      errors.push({ name: row.name, error: message });
      process.stderr.write(` failed: ${message}\n`);
    }
  }

  if (options.json) {
    const out = errors.length > 0 ? { results, errors } : { results };
    process.stdout.write(`${JSON.stringify(out)}\n`);
    if (targetLines.length > 0) process.stderr.write(`${targetLines.join("\n")}\n`);
  } else {
    process.stdout.write(`${formatTable(results)}\n`);
    if (targetLines.length > 0) process.stdout.write(`\n${targetLines.join("\n")}\n`);
  }
  return errors.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
