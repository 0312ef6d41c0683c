// Shows that a worker thread whose run of a scheduler module left a stray error (a promise rejected that nothing handles) tells the main thread of it and never answers that run: the answer and the stray go on two channels, and an answer that came first let `aftershock gate --jobs 2` end with exit 0 before the stray arrived.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BroadcastChannel, setEnvironmentData } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runInPool } from "../../src/cli/gate-runner.js";
import { CompareThreads } from "../../src/explore/compare-parallel.js";
import { PROPERTY_SIZED, sized } from "../../src/explore/generate/profiles.js";
import { defaultWorkerFile, openPool } from "../../src/explore/pool.js";
import type { RunPlan } from "../../src/explore/run-one.js";
import { STRAY_CHANNEL, STRAYS_HEARD, type StrayError } from "../../src/explore/thread-strays.js";
import { compileScenario, moduleSchedulerName } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/parse.js";
import { BUILT, ROOT } from "../gate/helpers.js";

const dir = mkdtempSync(join(tmpdir(), "aftershock-stray-answer-"));
const MODULE = join(dir, "rejects.mjs");
writeFileSync(
  MODULE,
  `export default { name: "x", fixes: [], create(f) { return { name: "x", fixes: f, main: function* (rt) {
  Promise.reject(new Error("unhandled boom"));
  for (;;) yield rt.sleep(1000);
} } } };
`,
);

/** The strays told on the channel the CLI's main thread hears, from threads started after `beforeAll`. */
const heard: StrayError[] = [];
let channel: BroadcastChannel;
beforeAll(() => {
  // As the binary does once it watches modules: threads started from now on tell of their strays.
  setEnvironmentData(STRAYS_HEARD, true);
  channel = new BroadcastChannel(STRAY_CHANNEL);
  channel.onmessage = (event) => void heard.push((event as { readonly data: StrayError }).data);
});
afterAll(() => {
  setEnvironmentData(STRAYS_HEARD, undefined);
  channel.close();
});

async function strayHeard(): Promise<StrayError> {
  for (let i = 0; i < 200 && heard.length === 0; i++) await new Promise((done) => setTimeout(done, 25));
  expect(heard).toHaveLength(1);
  return heard.splice(0)[0];
}

/** Within this long after the stray, an answer sent beside it would have come: runs take milliseconds. */
async function noAnswerSoon(answer: Promise<unknown>): Promise<void> {
  let answered = false;
  // Closing the thread rejects the run still held.
  answer.then(
    () => {
      answered = true;
    },
    () => {},
  );
  expect((await strayHeard()).text).toBe("Error: unhandled boom");
  await new Promise((done) => setTimeout(done, 1_000));
  expect(answered).toBe(false);
}

describe.skipIf(!BUILT)("a worker thread's run whose module left a stray error", () => {
  it("is never answered by a gate thread: the watchdog, not a result, ends it", async () => {
    const text = readFileSync(join(ROOT, "test/cli/fixtures/tiny.yaml"), "utf8");
    const init = { scenarios: [{ file: join(dir, "tiny.yaml"), text }], schedulerModule: MODULE, cwd: dir };
    const entry = pathToFileURL(join(ROOT, "dist/bundle/cli/gate-worker.js"));
    const runs = [{ scenario: 0, variant: "fixed", seed: 42, role: "first" } as const];
    // The run itself takes milliseconds: a result would come long before the watchdog.
    const results = await runInPool(entry, init, runs, 1, () => {}, { wallBudgetsMs: [1_000], graceMs: 500 });
    expect((await strayHeard()).text).toBe("Error: unhandled boom");
    expect(results[0].report).toBeNull();
    expect(results[0].detail).toContain("its thread was still busy");
  }, 20_000);

  it("is never answered by an exploration thread", async () => {
    const name = moduleSchedulerName(MODULE);
    const plan: RunPlan = {
      mode: "generated",
      variant: "fixed",
      properties: ["no-cascade"],
      constraints: sized(PROPERTY_SIZED),
      seed: 7,
      module: { path: MODULE, fixes: [] },
      schedulerModules: [{ name, url: pathToFileURL(MODULE).href }],
    };
    const pool = await openPool(plan, { jobs: 2, workerFile: defaultWorkerFile() });
    try {
      expect(pool.kind).toBe("worker-threads");
      await noAnswerSoon(pool.run(0));
    } finally {
      await pool.close();
    }
  }, 20_000);

  it("is never answered by a compare thread", async () => {
    const text = readFileSync(join(ROOT, "test/cli/fixtures/tiny.yaml"), "utf8");
    const parsed = parseScenario(text, "tiny.yaml");
    if (!parsed.ok) throw new Error("tiny.yaml does not parse");
    const { config } = compileScenario(parsed.scenario);
    const name = moduleSchedulerName(MODULE);
    const threads = CompareThreads.start(1);
    if (threads === null) throw new Error("no compiled compare worker");
    try {
      await noAnswerSoon(
        threads.threads[0].ask({
          kind: "run",
          input: { config: { ...config, scheduler: { name, fixes: [] } } },
          link: null,
          modules: [{ name, url: pathToFileURL(MODULE).href }],
        }),
      );
    } finally {
      threads.close();
    }
  }, 20_000);
});
