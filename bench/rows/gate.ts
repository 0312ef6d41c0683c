/**
 * Bench row `gate/bundled`: the wall time of `aftershock gate scenarios/` as CI runs it (a fresh
 * process, every bundled scenario, each gated variant run twice, worker threads on every core).
 * The target is 10 s on CI's 2-core machine. Needs the build (`npm run bench` builds first).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface GateBenchRow {
  readonly name: "gate/bundled";
  /** Wall time of the whole command, start-up included. */
  readonly wallMs: number;
  /** Runs the gate made (scenarios × gated variants × 2). */
  readonly runs: number;
}

/** Runs the gate once on the bundled scenarios; throws if it does not pass. */
export function benchGateBundled(root: string = rootDir()): GateBenchRow {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["bin/aftershock.js", "gate", "scenarios/", "--json"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "" },
    maxBuffer: 64 << 20,
  });
  const wallMs = performance.now() - started;
  if (r.status !== 0)
    throw new Error(`gate/bundled: the gate exited ${r.status}: ${r.stderr.slice(0, 2000)}`);
  const report = JSON.parse(r.stdout) as { suites: { cases: { kind: string }[] }[] };
  const runs = report.suites.reduce(
    (n, s) => n + 2 * s.cases.filter((k) => k.kind === "determinism").length,
    0,
  );
  return { name: "gate/bundled", wallMs: Math.round(wallMs), runs };
}

/** The package root, whether this file runs from bench/ (source) or dist/bench/ (built). */
function rootDir(): string {
  const here = fileURLToPath(new URL(".", import.meta.url));
  const marker = "/dist/bench/";
  return here.includes(marker)
    ? here.slice(0, here.indexOf(marker) + 1)
    : fileURLToPath(new URL("../../", import.meta.url));
}

export const rows = [
  {
    name: "gate/bundled",
    run: () => benchGateBundled(),
    // Issue 6: the bundled scenarios gated within 10 s of wall time.
    targets: [{ field: "wallMs" as const, max: 10_000 }],
  },
];
