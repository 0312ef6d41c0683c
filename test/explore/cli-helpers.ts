// Runs the CLI in this process with captured output, for the explore and merge tests.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { plainPaint } from "../../src/report/paint.js";

export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs `aftershock <argv>` in this process, plain text, stderr not a terminal. */
export async function cli(...argv: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CliContext = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    paint: plainPaint,
    paintErr: plainPaint,
    env: {},
    errIsTty: false,
    now: () => performance.now(),
  };
  const code = await main(argv, ctx);
  return { code, out: out.join(""), err: err.join("") };
}

/** A fresh temporary folder. */
export const tmp = (): string => mkdtempSync(join(tmpdir(), "aftershock-explore-"));
