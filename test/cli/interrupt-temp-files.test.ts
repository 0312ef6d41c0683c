// Ctrl-C, SIGTERM or SIGHUP while `run` streams a trace file (or `compare` a Perfetto file): the run is cut short within a second, large or small, no temporary file is left beside it and the output is not written (stderr says which), and the process ends by the signal.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/aftershock.js");
const BUILT = existsSync(join(ROOT, "dist/bundle/cli/main.js"));
const MAY8 = join(ROOT, "scenarios/qstash-2026-05-08.yaml");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-interrupt-tmp-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Ended {
  readonly signal: NodeJS.Signals | null;
  readonly status: number | null;
  readonly stderr: string;
  /** The files in the run's folder once it ended. */
  readonly left: readonly string[];
  /** Milliseconds from the signal to the end of the process. */
  readonly endedAfterMs: number;
}

/** When a signal is sent: `afterMs` after the output's temporary file appears (it is opened before the run starts), or once something is written into it (the run is under way). */
type SendAt = { readonly afterMs: number } | "writing";

/** The temporary file of `output` in `folder`, if there is one. */
function temporaryFile(folder: string, output: string): string | undefined {
  return readdirSync(folder).find((name) => name.startsWith(`.${output}.tmp-`));
}

/** Whether `at` says the signal may go now, the temporary file being `tmp`. */
function readyToSend(folder: string, tmp: string, at: SendAt): boolean {
  if (at !== "writing") return true;
  try {
    return statSync(join(folder, tmp)).size > 0;
  } catch {
    return false; // put in place or removed meanwhile: the process's end says which
  }
}

/**
 * Runs `run <scenario> --trace trace.jsonl --quiet` in a folder of its own and sends `signal`
 * `afterMs` after the trace's temporary file appears (it is opened before the run starts).
 */
function interrupted(scenario: string, signal: NodeJS.Signals, afterMs: number): Promise<Ended> {
  return signalled(["run", scenario, "--trace", "trace.jsonl", "--quiet"], "trace.jsonl", signal, {
    afterMs,
  });
}

/** Runs `aftershock <args>` (which writes `output`) in a folder of its own and sends `signal` at `at`. */
async function signalled(
  args: readonly string[],
  output: string,
  signal: NodeJS.Signals,
  at: SendAt,
): Promise<Ended> {
  const folder = mkdtempSync(join(dir, "run-"));
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: folder,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((end) =>
    child.on("close", (status, signal) => end([status, signal])),
  );
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`${args[0]} ended before it was ready for the signal: ${stderr}`);
    const tmp = temporaryFile(folder, output);
    if (tmp !== undefined && readyToSend(folder, tmp, at)) break;
    await new Promise((next) => setTimeout(next, 2));
  }
  if (at !== "writing") await new Promise((next) => setTimeout(next, at.afterMs));
  const sent = performance.now();
  child.kill(signal);
  const [status, ended] = await closed;
  const endedAfterMs = performance.now() - sent;
  return {
    signal: ended,
    status,
    stderr,
    left: readdirSync(folder).map((name) => join(folder, name)),
    endedAfterMs,
  };
}

describe.skipIf(!BUILT)("a signal while run writes a trace file", () => {
  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s during a small run: cut short at its next turn, nothing left, ended by the signal",
    async (signal) => {
      // Sent as the trace's temporary file appears, before the run: the run gives way to the
      // event loop every 50 ms, so the signal's handler runs then, not once the run is over.
      const r = await interrupted(MAY8, signal, 0);
      expect(r.stderr).toBe(`aftershock: stopped by ${signal}: not written: trace.jsonl\n`);
      expect(r.signal).toBe(signal);
      expect(r.left).toEqual([]);
    },
    60_000,
  );

  it("SIGINT during a large run: cut short, nothing left, ended by the signal", async () => {
    const r = await interrupted(largeScenario(), "SIGINT", 500);
    expect(r.stderr).toBe("aftershock: stopped by SIGINT: not written: trace.jsonl\n");
    expect(r.signal).toBe("SIGINT");
    expect(r.left).toEqual([]);
    // Cut short, not run to its end (a run takes 20 s or more).
    expect(r.endedAfterMs).toBeLessThan(10_000);
  }, 60_000);
});

describe.skipIf(!BUILT)("a signal while a goroutine step never yields", () => {
  it("SIGINT held back until the wall budget stops the step, then nothing is written and the signal ends the process", async () => {
    const module = join(dir, "spin.mjs");
    writeFileSync(
      module,
      'export const scheduler = { name: "spin", description: "loops", fixes: [], create() { return { name: "spin", fixes: [], main: function* (rt) { yield rt.sleep(1000); for (;;) {} } }; } };\n',
    );
    const scenario = join(dir, "spin.yaml");
    writeFileSync(
      scenario,
      `name: spin\ndescription: a scheduler that never yields\nstart: 2026-05-08T09:30:00Z\nduration: 5m\nfleet: { workers: 1, partitions: 1 }\nscheduler: { module: ${module} }\nlimits: { wallBudget: 1s }\n`,
    );
    const r = await signalled(
      ["run", scenario, "--trace", "trace.jsonl", "--quiet"],
      "trace.jsonl",
      "SIGINT",
      {
        afterMs: 300,
      },
    );
    expect(r.signal, r.stderr).toBe("SIGINT");
    expect(r.left).toEqual([]);
    expect(r.stderr).not.toContain("stopped early");
    expect(r.stderr).toContain("aftershock: stopped by SIGINT: not written: trace.jsonl\n");
  }, 60_000);
});

/**
 * The Kubernetes-defaults scenario with 5 times its accounts for ten hours: many seconds a run (as
 * many events as 50 times its accounts for an hour, in a world a tenth the size to build, which
 * each process here does before its run).
 */
function largeScenario(): string {
  const text = readFileSync(join(ROOT, "scenarios/qstash-2026-05-08-k8s-large.yaml"), "utf8")
    .replace(/^ {2}accounts: 400$/m, "  accounts: 2000")
    .replace(/^duration: 35m$/m, "duration: 600m");
  expect(text).toContain("accounts: 2000\n");
  expect(text).toContain("duration: 600m\n");
  const scenario = join(dir, "long.yaml");
  writeFileSync(scenario, text);
  return scenario;
}

/**
 * Time from the signal to the end of the process a test accepts: the run gives way to the event
 * loop every 50 ms, so the end comes well within a second on an idle machine; this leaves room
 * for a loaded one, and is still far from the 20 s and more the run would have gone on for.
 */
const ENDS_WITHIN_MS = 5000;

describe.skipIf(!BUILT)("SIGTERM or SIGHUP while a large run writes a file on this thread", () => {
  it.each(["SIGTERM", "SIGHUP"] as const)(
    "run --trace, %s: cut short at once, nothing left, ended by the signal",
    async (signal) => {
      const r = await signalled(
        ["run", largeScenario(), "--trace", "trace.jsonl", "--quiet"],
        "trace.jsonl",
        signal,
        "writing",
      );
      expect(r.stderr).toBe(`aftershock: stopped by ${signal}: not written: trace.jsonl\n`);
      expect(r.signal).toBe(signal);
      expect(r.left).toEqual([]);
      expect(r.endedAfterMs).toBeLessThan(ENDS_WITHIN_MS);
    },
    90_000,
  );

  it("run --html --markdown, SIGTERM: names the reports it would have written after the run too", async () => {
    const r = await signalled(
      ["run", largeScenario(), "--trace", "trace.jsonl", "--html", "r.html", "--markdown", "r.md", "--quiet"],
      "trace.jsonl",
      "SIGTERM",
      "writing",
    );
    expect(r.stderr).toBe("aftershock: stopped by SIGTERM: not written: r.html, r.md, trace.jsonl\n");
    expect(r.signal).toBe("SIGTERM");
    expect(r.left).toEqual([]);
  }, 90_000);

  it("compare --perfetto, SIGTERM: cut short at once, nothing left, ended by the signal", async () => {
    const r = await signalled(
      ["compare", largeScenario(), "--perfetto", "trace.json"],
      "trace.json",
      "SIGTERM",
      // The Perfetto file is opened just before the runs and written as each ends: sent as it
      // appears, the signal comes as the first world is built or its run begins.
      { afterMs: 0 },
    );
    expect(r.stderr).toBe("aftershock: stopped by SIGTERM: not written: trace.json\n");
    expect(r.signal).toBe("SIGTERM");
    expect(r.left).toEqual([]);
    expect(r.endedAfterMs).toBeLessThan(ENDS_WITHIN_MS);
  }, 90_000);

  it("a shell sees the status it expects of a SIGTERM: 143", () => {
    const folder = mkdtempSync(join(dir, "shell-"));
    // The shell sends the signal once the trace's temporary file has something in it.
    const script = `node "${BIN}" run "${largeScenario()}" --trace trace.jsonl --quiet & pid=$!
while ! [ -s "$(ls -A | grep -F .trace.jsonl.tmp- | head -1)" ] 2>/dev/null; do sleep 0.05; done
kill -TERM $pid; wait $pid; echo "status $?"`;
    const r = spawnSync("sh", ["-c", script], { cwd: folder, encoding: "utf8", timeout: 80_000 });
    expect(r.stdout).toBe("status 143\n");
    expect(readdirSync(folder)).toEqual([]);
  }, 90_000);
});
