// Shows what `aftershock why` says of the run it explains: where a run a limit stopped ended and why, that it takes run's --until, and how it writes a task.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { RunReport } from "../../src/report/run-report.js";
import { type Captured, capturingContext, cli, tmp } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

let dir: string;
beforeAll(() => {
  dir = tmp();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("why on a run a limit stopped", () => {
  /** The tiny world with a wall-clock budget of 1 ms. */
  function limited(): string {
    const file = join(dir, "limited.yaml");
    writeFileSync(file, `${readFileSync(TINY, "utf8")}\nlimits: { wallBudget: 1ms }\n`);
    return file;
  }

  /** `aftershock <argv>` on a clock that moves a second each time it is read: the budget runs out at once. */
  async function fastClock(...argv: string[]): Promise<Captured> {
    const { ctx, captured } = capturingContext();
    let ms = 0;
    return captured(await main(argv, { ...ctx, now: () => (ms += 1000) }));
  }

  it("says it stopped early, when and why, and which limit to raise, with run's exit code", async () => {
    const file = limited();
    const r = await fastClock("why", file, "--variant", "buggy", "w3");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /w3: w3 never crashed in this run \(variant buggy\) before it stopped early at (\d\d:\d\d:\d\d);/,
    );
    expect(r.err).toMatch(
      /\naftershock: tiny-may8 \[buggy \(v2, no fixes\)\]: its trace ends where the run stopped early at \d\d:\d\d:\d\d: hit the wall-clock budget \(1 ms\)\. Raise/,
    );
    expect(r.err).toContain(`Raise limits.wallBudget (1ms, at ${file}:`);
    expect((await fastClock("run", file, "--variant", "buggy", "--quiet")).code).toBe(2);
  });

  it("explains an event the run reached before the limit: the run stops at its target, so no limit stopped it", async () => {
    const r = await fastClock("why", limited(), "--variant", "buggy", "1");
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("#1");
    expect(r.err).not.toContain("stopped early");
  });
});

describe("why stops the run at its target", () => {
  it("explains the same chain as a run to the end, from the events up to the target alone", async () => {
    // A limit far past the target: a run to the end would hit it (exit 2); one stopped at the
    // target does not get there, and gives the chain the whole run gives.
    const whole = await cli("why", TINY, "--variant", "buggy", "w3", "--json");
    expect(whole.code, whole.err).toBe(0);
    const file = join(dir, "events-limit.yaml");
    const ran = JSON.parse((await cli("run", TINY, "--variant", "buggy", "--json")).out) as RunReport;
    // w3 dies at 09:43:00, a quarter of the way in: the last fifth of the run's events come after it.
    const limit = Math.round(ran.run.kernelEvents * 0.8);
    writeFileSync(file, `${readFileSync(TINY, "utf8")}\nlimits: { maxEvents: ${limit} }\n`);
    expect((await cli("run", file, "--variant", "buggy", "--quiet")).code).toBe(2);
    const cut = await cli("why", file, "--variant", "buggy", "w3", "--json");
    expect(cut.code, cut.err).toBe(0);
    expect(cut.out).toBe(whole.out);
  });
});

describe("why --until", () => {
  it("explains the run stopped at that time, as run --until runs it", async () => {
    expect((await cli("why", TINY, "--variant", "buggy", "w3")).code).toBe(0); // w3 dies at 09:43:00
    const r = await cli("why", TINY, "--variant", "buggy", "w3", "--until", "09:42:50");
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "w3: w3 never crashed in this run (variant buggy) up to 09:42:50, where --until ended it; no worker did; give a trace seq",
    );
  });

  it("refuses a time outside the run as run does", async () => {
    const r = await cli("why", TINY, "w3", "--until", "11:00");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--until: 11:00 is after the run ends");
  });
});

describe("why --json", () => {
  it("names the event a seq target is, and keeps crash for a crash only", async () => {
    const death = JSON.parse((await cli("why", TINY, "--variant", "buggy", "w3", "--json")).out);
    expect(death).toMatchObject({ target: "w3", type: "worker.crashed" });
    expect(death.crash).toBe(death.seq);
    const start = JSON.parse((await cli("why", TINY, "0", "--json")).out);
    expect(start).toMatchObject({ target: "0", seq: 0, type: "run.started", crash: null });
    expect(start.chain).toHaveLength(1);
  });
});

describe("why's tasks", () => {
  it("writes a task with its due time as an ISO time; --json keeps the trace's id", async () => {
    const human = await cli("why", TINY, "--variant", "buggy", "w3");
    expect(human.code).toBe(0);
    expect(human.out).toContain("(task sched-poison@2026-05-08T09:43:00Z, attempt 1)");
    expect(human.out).toContain('goroutine "deliver sched-poison@2026-05-08T09:43:00Z"');
    expect(human.out).not.toMatch(/@\d{5,}/);
    const json = JSON.parse((await cli("why", TINY, "--variant", "buggy", "w3", "--json")).out);
    expect(json.chain.at(-1).task).toBe(`sched-poison@${Date.parse("2026-05-08T09:43:00Z")}`);
  });
});

describe("why --json chain links", () => {
  it("marks each chain element as a cause link, a root or context, keeping the trace's fields", async () => {
    const r = await cli("why", TINY, "--variant", "buggy", "w1", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { seq: number; chain: Record<string, unknown>[] };
    expect(out.chain.at(-1)?.seq).toBe(out.seq);
    out.chain.forEach((e, i) => {
      expect(["cause", "root", "context"]).toContain(e.link);
      if (e.link === "cause") expect(e.cause).toBe(out.chain[i - 1].seq);
      if (e.link === "root") expect(e.cause).toBeNull();
      if (e.link === "context") expect(typeof e.context).toBe("string");
    });
    // The deletion is context, from the operator action that made it.
    expect(out.chain.slice(0, 2).map((e) => [e.type, e.link])).toEqual([
      ["operator.action", "root"],
      ["account.deleted", "cause"],
    ]);
  });
});

describe("why's marks", () => {
  it("says under the chain, and in its help, what an arrow and a dot mean", async () => {
    const r = await cli("why", TINY, "--variant", "buggy", "w3");
    const lines = r.out.trimEnd().split("\n");
    // The chain has both marks, and its last line says what each means.
    expect(lines.some((l) => / → /.test(l)) && lines.some((l) => / · /.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^ {2}→ caused by the step before .*; · context, not caused by the step before/,
    );
    const help = await cli("why", "--help");
    expect(help.out).toMatch(/\nMarks: → caused by the step before[\s\S]*· context/);
  });
});

describe("why on a target no run could have", () => {
  it("refuses it before reading the scenario or running it, as a bad argument", async () => {
    // The scenario is not even read: a target no run could have is said first, at once.
    const r = await cli("why", join(dir, "no-such.yaml"), "wx", "--json");
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out)).toEqual({
      exitCode: 2,
      problems: [
        {
          file: null,
          line: null,
          column: null,
          severity: "error",
          message:
            "wx: expected a worker (w3), its nth panic death (w3#2; its nth crash if it never panicked) or a trace seq (a whole number)",
          source: "argument",
          option: "<target>",
        },
      ],
    });
    for (const [target, said] of [
      [
        "w3#0",
        "w3#0: a worker's crashes are counted from 1 (w3#1 names its first crash, if it has one in the run)",
      ],
      [
        "W3#0",
        "W3#0: a worker's crashes are counted from 1 (w3#1 names its first crash, if it has one in the run; worker ids are lower case)",
      ],
      ["-5", "-5: expected a worker (w3)"],
      ["w3#x", "w3#x: expected a worker (w3)"],
    ] as const) {
      const refused = await cli("why", join(dir, "no-such.yaml"), target);
      expect(refused.code, target).toBe(2);
      expect(refused.err, target).toContain(`aftershock: ${said}`);
    }
  });
});
