// Runs the CLI in this process with captured output, and checks JUnit files with xmllint.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { plainPaint } from "../../src/report/paint.js";

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

export function cliBuilt(argv: readonly string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const r = spawnSync(process.execPath, [`${ROOT}bin/aftershock.js`, ...argv], {
    cwd: ROOT,
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
