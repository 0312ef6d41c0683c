/**
 * Bench row `cli/compare-may8`: the README's main job as a user runs it, the real process
 * `aftershock compare scenarios/qstash-2026-05-08.yaml`, timed from spawn to exit. `wallMs` is
 * the median of several runs (target: within 2 s). Needs the build (`npm run bench` builds first).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export interface CliBenchResult {
  readonly name: string;
  readonly wallMs: number;
  readonly runs: number;
}

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const RUNS = 5;

export function benchCompareMay8(runs = RUNS): CliBenchResult {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      ["bin/aftershock.js", "compare", "scenarios/qstash-2026-05-08.yaml"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    times.push(performance.now() - started);
    if (r.status !== 0) throw new Error(`aftershock compare exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  }
  times.sort((a, b) => a - b);
  return { name: "cli/compare-may8", wallMs: Math.round(times[Math.floor(times.length / 2)]), runs };
}

export const rows = [
  {
    name: "cli/compare-may8",
    run: async () => benchCompareMay8(),
    // Issue 4: within 2 s of wall time, Node's start included.
    targets: [{ field: "wallMs" as const, max: 2000 }],
  },
];
