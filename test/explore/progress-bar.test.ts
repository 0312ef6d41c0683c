// Shows the progress bar explore draws on a terminal: its first frame already counts the runs of the shard; its time left is the time budget's when that ends first.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tmp } from "./cli-helpers.js";

const BIN = join(import.meta.dirname, "../../bin/aftershock.js");
const BUILT = existsSync(join(import.meta.dirname, "../../dist/bundle/cli/pool-worker.js"));
/** `script` (util-linux) gives the command a terminal, so that explore draws its bar. */
const SCRIPT = spawnSync("script", ["--version"]).status === 0;

describe.skipIf(!BUILT || !SCRIPT)("explore's progress bar on a terminal", () => {
  it("starts at 0 of the shard's runs", () => {
    const command = [process.execPath, BIN, "explore", "quiet-day", "--runs", "40", "--shard", "2/3"]
      .concat(["--jobs", "1", "--time-budget", "1s", "--out", tmp()])
      .join(" ");
    // A terminal outside CI (in CI, or on a dumb terminal, explore prints progress lines instead).
    const env = { ...process.env, CI: "", TERM: "xterm" };
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", timeout: 60_000, env });
    const frames = [...r.stdout.matchAll(/exploring \[[^\]]*\] (\d+)\/(\d+) runs/g)];
    expect(frames.length, r.stdout).toBeGreaterThan(0);
    expect(frames[0].slice(1)).toEqual(["0", "13"]);
    for (const f of frames) expect(f[2]).toBe("13");
  });

  it("counts down the time budget when it ends the exploration before its runs would", () => {
    const command = [
      process.execPath,
      BIN,
      "explore",
      "--generated",
      "--variant",
      "fixed",
      "--runs",
      "100000",
    ]
      .concat(["--jobs", "1", "--time-budget", "1s", "--out", tmp()])
      .join(" ");
    const env = { ...process.env, CI: "", TERM: "xterm", COLUMNS: "160" };
    const r = spawnSync("script", ["-qec", command, "/dev/null"], { encoding: "utf8", timeout: 60_000, env });
    const left = [...r.stdout.matchAll(/ runs · \d+ failing · (\S+) left( \(time budget\))?/g)];
    expect(left.length, r.stdout).toBeGreaterThan(0);
    for (const [, time, budget] of left) {
      expect(budget, time).toBe(" (time budget)");
      expect(["0s", "1s", "2s"]).toContain(time);
    }
  });
});
