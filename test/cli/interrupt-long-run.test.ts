// Ctrl-C during one long run in this thread (`gate --jobs 1`, `explore --jobs 1`), or on worker threads (`explore --jobs 2`), is answered at once: the run is cut short, not waited for, and the command ends as its Ctrl-C handler says.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/aftershock.js");
const BUILT = existsSync(join(ROOT, "dist/bundle/cli/main.js"));

/**
 * The Kubernetes-defaults scenario with 50 times its accounts for an hour: one run takes many
 * seconds on any machine, far longer than a signal sent half a second into it takes to arrive.
 */
function longScenario(): string {
  const text = readFileSync(join(ROOT, "scenarios/qstash-2026-05-08-k8s-large.yaml"), "utf8")
    .replace(/^ {2}accounts: 400$/m, "  accounts: 20000")
    .replace(/^duration: 35m$/m, "duration: 60m");
  expect(text).toContain("accounts: 20000");
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-long-")), "long.yaml");
  writeFileSync(file, text);
  return file;
}

interface Ended {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the binary and sends SIGINT half a second after `started` first shows on stdout or stderr. */
function interrupted(args: readonly string[], started: RegExp): Promise<Ended> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args]);
    let stdout = "";
    let stderr = "";
    let signalled = false;
    const watch = () => {
      if (signalled || !started.test(stdout + stderr)) return;
      signalled = true;
      setTimeout(() => child.kill("SIGINT"), 500);
    };
    child.stdout.on("data", (d) => {
      stdout += d;
      watch();
    });
    child.stderr.on("data", (d) => {
      stderr += d;
      watch();
    });
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

/** `explore` of the fixed variant over two runs of `scenario` on `jobs` threads, interrupted as it begins. */
function exploreInterrupted(scenario: string, jobs: number): Promise<Ended> {
  const out = mkdtempSync(join(tmpdir(), "aftershock-out-"));
  const args = [
    "explore",
    scenario,
    "--jobs",
    String(jobs),
    "--runs",
    "2",
    "--variant",
    "fixed",
    "--out",
    out,
  ];
  return interrupted(args, /^aftershock explore: exploring/m);
}

describe.skipIf(!BUILT)("Ctrl-C during a long run in this thread", () => {
  const scenario = longScenario();

  it("gate --jobs 1: cut short, said, exit 130 (no run finished)", async () => {
    const r = await interrupted(["gate", scenario, "--jobs", "1"], /^aftershock gate:/m);
    expect(r.status).toBe(130);
    expect(r.stderr).toBe("aftershock: interrupted after 0 of 4 runs; nothing judged or written\n");
  });

  it("explore --jobs 1: the search stops with the run cut short, the report says so, exit 130", async () => {
    const r = await exploreInterrupted(scenario, 1);
    expect(r.status).toBe(130);
    expect(r.stderr).toContain("aftershock: interrupted: stopping the search");
    expect(r.stdout).toMatch(/^0 of 2 runs in .* interrupted after 0 runs$/m);
    expect(r.stdout).toContain("Nothing explored: no run ended.");
    expect(r.stdout).not.toContain("No failure found");
    expect(r.stderr).not.toContain("internal error");
  });

  it("explore --jobs 2: the runs under way on worker threads are cut short too, not waited for", async () => {
    const r = await exploreInterrupted(scenario, 2);
    expect(r.status, r.stderr).toBe(130);
    // Waited for, the two runs under way would have ended and been counted: `after 2 runs`.
    expect(r.stderr).toContain("aftershock: interrupted: stopping the search (runs under way are cut short)");
    expect(r.stdout).toMatch(/^0 of 2 runs in .* interrupted after 0 runs$/m);
    expect(r.stdout).toContain("Nothing explored: no run ended.");
    expect(r.stdout).not.toContain("No failure found");
    expect(r.stderr).not.toContain("internal error");
  });
});
