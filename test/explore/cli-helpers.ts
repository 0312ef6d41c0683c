// Runs the CLI in this process with captured output, for the explore and merge tests.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { plainPaint } from "../../src/report/paint.js";

export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** A CLI context that captures what a command prints: plain text, stderr not a terminal. */
export function capturingContext(): { ctx: CliContext; captured: (code: number) => Captured } {
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
  return { ctx, captured: (code) => ({ code, out: out.join(""), err: err.join("") }) };
}

/** Runs `aftershock <argv>` in this process, with captured output. */
export async function cli(...argv: string[]): Promise<Captured> {
  const { ctx, captured } = capturingContext();
  return captured(await main(argv, ctx));
}

/**
 * `aftershock explore --generated --scheduler MODULE --json` over 40 runs, shrinking, reproducers
 * into `out`, expected to find a failure (exit 1): its first one.
 */
export async function moduleFailure(
  module: string,
  out: string,
  options: { readonly jobs: number; readonly shrinkRuns: number; readonly seed?: number },
): Promise<ExploreReport["failures"][number]> {
  const r = await cli(
    ...["explore", "--generated", "--scheduler", module, "--runs", "40", "--jobs", String(options.jobs)],
    ...["--shrink-runs", String(options.shrinkRuns), "--out", out, "--json"],
    ...(options.seed === undefined ? [] : ["--seed", String(options.seed)]),
  );
  expect(r.code, r.err).toBe(1);
  return (JSON.parse(r.out) as ExploreReport).failures[0];
}

/** A fresh temporary folder. */
export const tmp = (): string => mkdtempSync(join(tmpdir(), "aftershock-explore-"));

/** `ctx` whose stderr calls `then` once, as soon as a text it is given matches `when`. */
export function onFirstErr(ctx: CliContext, when: RegExp, then: () => void): CliContext {
  let called = false;
  return {
    ...ctx,
    err: (text: string) => {
      ctx.err(text);
      if (called || !when.test(text)) return;
      called = true;
      then();
    },
  };
}
