// Runs the CLI in this process with captured output, checks JUnit files with xmllint, and writes scenarios naming a module of the user's.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import type { GateScenario } from "../../src/explore/gate.js";
import { plainPaint } from "../../src/report/paint.js";
import { compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";

export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** One case of `aftershock gate --json`. */
export interface JsonCase {
  name: string;
  status: string;
  message: string;
  details: string;
  line: number | null;
  exitCode: number;
  kind: string;
}

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  let out = "";
  let err = "";
  const ctx: CliContext = {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    paint: plainPaint,
    paintErr: plainPaint,
    env,
    errIsTty: false,
    now: () => performance.now(),
  };
  const code = await main(argv, ctx);
  return { code, out, err };
}

/** The built CLI (the bundle bin/ runs), for what only a real process shows: worker threads, .ts loading. */
export const BUILT =
  existsSync(`${ROOT}dist/bundle/cli/gate-worker.js`) && existsSync(`${ROOT}dist/bundle/cli/ts-hooks.js`);

/** The built CLI run in its own process, from `cwd` (the checkout unless told). */
export function cliBuilt(argv: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): CliRun {
  const r = spawnSync(process.execPath, [`${ROOT}bin/aftershock.js`, ...argv], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "", GITHUB_WORKSPACE: "", ...env },
    encoding: "utf8",
  });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

export const XMLLINT = (() => {
  try {
    execFileSync("xmllint", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** xmllint's verdict on a file against the vendored JUnit schema: "" when valid, else its errors. */
export function schemaErrors(file: string): string {
  const r = spawnSync("xmllint", ["--noout", "--schema", `${FIXTURES}junit.xsd`, file], { encoding: "utf8" });
  return r.status === 0 ? "" : r.stderr;
}

/** A small scenario naming `module` (a file beside it), with its `expect` list and timeline. */
export function ownScenario(
  module: string,
  expectLines: readonly string[],
  timeline: readonly string[] = [],
) {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-own-"));
  copyFileSync("examples/reintroduced-bug1.mjs", join(dir, "reintroduced-bug1.mjs"));
  const file = join(dir, "own.yaml");
  writeFileSync(
    file,
    [
      "name: own",
      "description: a user's own scheduler",
      "seed: 1",
      "start: 2026-05-08T09:00:00Z",
      "duration: 10m",
      "fleet: { workers: 2, partitions: 4 }",
      `scheduler: { module: ./${module} }`,
      "workload:",
      "  accounts: 3",
      "  schedulesPerAccount: { min: 1, max: 1 }",
      '  cron: [{ expr: "* * * * *" }]',
      "expect:",
      ...expectLines.map((l) => `  - ${l}`),
      "timeline:",
      "  - { at: +2m, action: delete-account, account: acct-00001 }",
      ...timeline.map((l) => `  - ${l}`),
      "",
    ].join("\n"),
  );
  return { dir, file };
}

/**
 * `single.mjs` in `dir`: the example module with panic recovery always on, listing no fixes (so
 * a deploy of v2 asking for one deploys it without).
 */
export function writeSingleFixModule(dir: string): void {
  writeFileSync(
    join(dir, "single.mjs"),
    'import { scheduler as base } from "./reintroduced-bug1.mjs";\nexport const scheduler = { ...base, name: "single", fixes: [], create: () => base.create(["panic-recovery"]) };\n',
  );
}

/**
 * The gate's view of a scenario `text` read as `file`, with no golden hashes and no module in
 * v2's place, for tests that plan and judge it without the CLI.
 */
export function gateScenarioOf(file: string, text: string, goldenFile = "golden/test.json"): GateScenario {
  const parsed = parseScenario(text, file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  return {
    file,
    scenario: parsed.scenario,
    compiled: compileScenario(parsed.scenario),
    argument: file,
    golden: null,
    goldenFile,
    substitution: null,
  };
}
