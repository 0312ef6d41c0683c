// Shows that `aftershock report` refuses a trace or a saved RunReport that is not one consistent run, at its line and field, with exit 2 and no stack trace, and never spends time past the run's end.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli as cliIn } from "../gate/helpers.js";
import { expectTraceReadBack } from "./trace-read-back.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

const cli = (...argv: string[]) => cliIn(argv);

type Event = Record<string, unknown> & { t: number; seq: number; type: string };

let dir: string;
const at = (name: string) => join(dir, name);
let events: Event[];
let limitedEvents: Event[];
let saved: unknown;

const traceText = (list: readonly Event[]) => list.map((e) => `${JSON.stringify(e)}\n`).join("");

/** A copy of the run's trace, edited, written to `name`. */
function editedTrace(name: string, edit: (list: Event[]) => void, from = events): string {
  const copy = structuredClone(from);
  edit(copy);
  writeFileSync(at(name), traceText(copy));
  return at(name);
}

/** A JSON value a test edits anywhere. */
// biome-ignore lint/suspicious/noExplicitAny: the edits reach into any field of the JSON
type Json = any;

/** A copy of the saved RunReport, edited, written to `name`. */
function editedReport(name: string, edit: (r: Json) => void): string {
  const copy = structuredClone(saved);
  edit(copy);
  writeFileSync(at(name), JSON.stringify(copy, null, 2));
  return at(name);
}

/** The line of the saved RunReport, as `editedReport` writes it, where `"key":` is. */
const lineOfKey = (key: string) =>
  JSON.stringify(saved, null, 2)
    .split("\n")
    .findIndex((line) => line.trimStart().startsWith(`"${key}":`)) + 1;

const lineOf = (list: readonly Event[], pick: (e: Event) => boolean) => list.findIndex(pick) + 1;

async function expectRefused(file: string, message: RegExp, output = "x.md"): Promise<void> {
  const r = await cli("report", file, "-o", at(output));
  expect(r.code, `${file}: ${r.err}`).toBe(2);
  expect(r.err).toMatch(message);
  expect(r.err).not.toMatch(/\n\s+at /);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-report-input-"));
  const r = await cli("run", TINY, "--variant", "buggy", "--json", "--trace", at("run.jsonl"));
  expect(r.code).toBe(0);
  writeFileSync(at("run.json"), r.out);
  saved = JSON.parse(r.out);
  events = readFileSync(at("run.jsonl"), "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  // A run stopped by its event limit: its trace ends early, with the limit as the reason.
  limitedEvents = events.slice(0, 1500);
  const lastT = limitedEvents[limitedEvents.length - 1].t;
  limitedEvents.push({
    t: lastT,
    seq: 1500,
    type: "run.finished",
    cause: null,
    reason: "max-events",
    events: 1500,
  });
  writeFileSync(at("limited.jsonl"), traceText(limitedEvents));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("a trace whose horizon and end disagree with its events", () => {
  const DAY_MS = 86_400_000;

  it("reads a pipe or a FIFO as it reads a file: a trace in every format, and a saved RunReport", async () => {
    /** `file` written into a new FIFO by another process, as `<(zcat t.jsonl.gz)` does. */
    const fifoOf = (file: string, name: string) => {
      const fifo = at(name);
      expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
      const writer = spawn("sh", ["-c", 'cat "$1" > "$2"', "sh", file, fifo], { stdio: "ignore" });
      return { fifo, done: new Promise((end) => writer.on("close", end)) };
    };
    for (const [input, output] of [
      ["run.jsonl", "pipe.html"],
      ["run.jsonl", "pipe.md"],
      ["run.jsonl", "pipe.trace.json"],
      ["run.json", "pipe-json.md"],
    ]) {
      const { fifo, done } = fifoOf(at(input), `${output}.fifo`);
      const piped = await cli("report", fifo, "-o", at(output));
      await done;
      expect(piped.err).not.toContain("cannot read");
      expect(piped.code, piped.err).toBe(0);
      const direct = await cli("report", at(input), "-o", at(`direct-${output}`));
      expect(direct.code).toBe(0);
      // The input's name is in the report, and so in the digest of its seal (`src/cli/seal.ts`).
      const unnamed = (f: string) =>
        readFileSync(at(f), "utf8")
          .replaceAll(`${output}.fifo`, input)
          .replace(/^<!-- digest sha256:[0-9a-f]{64} .* -->\n/m, "");
      expect(unnamed(output)).toBe(unnamed(`direct-${output}`));
    }
  });

  it("refuses a saved RunReport that is not UTF-8, at the bad byte's line and column", async () => {
    const text = JSON.stringify(saved, null, 2).replace('"scenario"', '"sc\u0000nario"');
    const bytes = Buffer.from(text, "utf8");
    bytes[bytes.indexOf(0)] = 0xe9; // a Latin-1 é inside the first key, on line 2
    writeFileSync(at("latin1.json"), bytes);
    await expectRefused(at("latin1.json"), /latin1\.json:2:\d+: error: not UTF-8 \(byte 0xe9\)/);
  });

  it("refuses input that never ends and is no trace, with exit 2, instead of reading on and filling memory", () => {
    const bin = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");
    // The timeout only ends a process that reads on (see test/cli/io.test.ts).
    const r = spawnSync(process.execPath, [bin, "report", "/dev/zero", "-o", at("zero.html")], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 60_000,
    });
    expect(r.stderr).toMatch(
      /\/dev\/zero:1:1: error: the file has more than \d+ bytes and does not start as a trace/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(2);
  });

  it("refuses a trace line that never ends at its line number, exit 2, rather than dying on it", () => {
    const bin = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");
    // The first event of a real trace, then zeros with no newline: a string past any bound.
    const line = `(head -n1 '${at("run.jsonl")}'; cat /dev/zero) | '${process.execPath}' '${bin}' report /dev/stdin -o '${at("endless.md")}'`;
    const r = spawnSync("bash", ["-c", line], {
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 60_000,
    });
    expect(r.stderr).toMatch(
      /\/dev\/stdin:2:1: error: the line is longer than \d+ bytes, so it is no trace event/,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(2);
  });

  it("refuses a line that is no JSON at its line and column, and says a trace broken off looks cut short", async () => {
    const text = traceText(events);
    const line = 6;
    const [before, broken] = [
      text
        .split("\n")
        .slice(0, line - 1)
        .join("\n"),
      text.split("\n")[line - 1],
    ];
    // `seq` unquoted: JSON wants its key in double quotes, at the s.
    writeFileSync(
      at("syntax.jsonl"),
      `${before}\n${broken.replace('"seq"', "seq")}\n${text.split("\n").slice(line).join("\n")}`,
    );
    const column = broken.indexOf('"seq"') + 1;
    await expectRefused(
      at("syntax.jsonl"),
      new RegExp(
        `syntax\\.jsonl:${line}:${column}: error: not a JSON line \\(Expected double-quoted property name\\)\n`,
      ),
    );
    // The file ends in the middle of a line, as a copy that stopped or a run still writing leaves it.
    const cut = `${before}\n${broken.slice(0, 40)}`;
    writeFileSync(at("cut.jsonl"), cut);
    await expectRefused(
      at("cut.jsonl"),
      new RegExp(
        `cut\\.jsonl:${line}:41: error: not a JSON line \\(.+\\): the file ends inside this line, without a newline: it looks cut short\n`,
      ),
    );
    // Broken at its end but with its newline, it was written so: not cut short.
    writeFileSync(at("ended.jsonl"), `${cut}\n`);
    await expectRefused(
      at("ended.jsonl"),
      new RegExp(`ended\\.jsonl:${line}:41: error: not a JSON line \\([^)]+\\)\n`),
    );
  });

  it("refuses a run that reached its horizon but finished elsewhere, at the run.finished line", async () => {
    const file = editedTrace("far.jsonl", (list) => {
      list[0].horizon = (list[0].horizon as number) + 30 * DAY_MS;
    });
    await expectRefused(
      file,
      new RegExp(
        `far\\.jsonl:${events.length}:\\d+: error: t: a run that reached its horizon finishes at it`,
      ),
    );
  });

  it("refuses a horizon that is no valid time, or before the start, at line 1", async () => {
    const huge = editedTrace("huge.jsonl", (list) => {
      list[0].horizon = 1e300;
    });
    await expectRefused(
      huge,
      /huge\.jsonl:1:\d+: error: run\.started\.horizon: expected a time in whole ms from 0 to 8640000000000000 \(a valid date\)/,
    );
    const early = editedTrace("early.jsonl", (list) => {
      list[0].horizon = list[0].t - 1;
    });
    await expectRefused(
      early,
      /early\.jsonl:1:\d+: error: run\.started\.horizon: expected a time at or after the run's start/,
    );
  });

  it("refuses an event past the horizon, and an event time that is no valid date", async () => {
    const past = editedTrace("past.jsonl", (list) => {
      list[0].horizon = (list[0].horizon as number) - 60_000;
    });
    const firstPast = lineOf(events, (e) => e.t > (events[0].horizon as number) - 60_000);
    await expectRefused(
      past,
      new RegExp(`past\\.jsonl:${firstPast}:\\d+: error: t: expected a time at or before the run's horizon`),
    );
    const far = editedTrace("far-t.jsonl", (list) => {
      for (const e of list.slice(5)) e.t = 1e300;
    });
    await expectRefused(far, /far-t\.jsonl:6:\d+: error: not a trace event: `t` is not a time in whole ms/);
  });

  it("settles nothing past run.finished, whatever the horizon says", async () => {
    const idle = editedTrace("idle.jsonl", (list) => {
      list[0].horizon = 8e15;
      list[list.length - 1].reason = "idle";
    });
    const started = Date.now();
    const r = await cli("report", idle, "-o", at("idle.md"));
    expect(r.code, r.err).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("refuses a run.finished reason no run stops for, at the reason's line and column", async () => {
    const file = editedTrace("banana.jsonl", (list) => {
      list[list.length - 1].reason = "banana";
    });
    const column = readFileSync(file, "utf8").trimEnd().split("\n").at(-1)!.indexOf('"banana"') + 1;
    await expectRefused(
      file,
      new RegExp(
        `banana\\.jsonl:${events.length}:${column}: error: run\\.finished\\.reason: expected one of "horizon", "paused", "idle", "max-events", "wall-budget", "halted", "stack-overflow", found "banana"`,
      ),
    );
  });

  it("reports a run a limit stopped among the events at its horizon, as a run does stop", async () => {
    // A limit met with events left at the horizon's very millisecond stops the run there.
    const file = editedTrace("limit-at-horizon.jsonl", (list) => {
      list[list.length - 1].reason = "max-events";
    });
    const r = await cli("report", file, "-o", at("limit-at-horizon.md"));
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(at("limit-at-horizon.md"), "utf8")).toContain("stopped early");
  });

  it("still reports a run stopped early by a limit", async () => {
    const r = await cli("report", at("limited.jsonl"), "-o", at("limited.md"));
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(at("limited.md"), "utf8")).toContain("stopped early");
  });
});

describe("a trace of a run a limit stopped", () => {
  it("says why it stopped in the words the run said it, not the reason's code", async () => {
    const scenario = at("limited.yaml");
    writeFileSync(scenario, `${readFileSync(TINY, "utf8")}limits: { maxEvents: 5000 }\n`);
    const run = await cli(
      "run",
      scenario,
      "--trace",
      at("limit-run.jsonl"),
      "--markdown",
      at("limit-run.md"),
    );
    expect(run.err).toContain("hit the event limit (5000 events)");
    const r = await cli("report", at("limit-run.jsonl"), "-o", at("limit-report.md"));
    expect(r.code, r.err).toBe(0);
    const stopped = (file: string) =>
      readFileSync(at(file), "utf8").match(/^- \*\*\w+\*\* stopped early .*$/m)?.[0];
    expect(stopped("limit-report.md")).toContain(": hit the event limit (5000 events);");
    expect(stopped("limit-report.md")).toBe(stopped("limit-run.md"));
  });
});

describe("the times of a saved RunReport", () => {
  const ms = (iso: string) => Date.parse(iso);

  it("refuses a lane time that is no valid date, at its path and position, in every format", async () => {
    for (const from of [-1e18, 1e300, 1.5]) {
      const file = editedReport("lane-time.json", (r) => {
        r.lanes[0].segments[0].from = from;
      });
      for (const output of ["x.html", "x.md"])
        await expectRefused(
          file,
          /lane-time\.json:\d+:\d+: lanes\[0\]\.segments\[0\]\.from: expected a time in whole ms from 0 to 8640000000000000 \(a valid date\), found /,
          output,
        );
    }
  });

  it("refuses times outside the run, and a run that ends before it starts", async () => {
    const cases: [string, (r: Json) => void, RegExp][] = [
      [
        "before.json",
        (r) => {
          r.lanes[0].segments[0].from = ms(r.run.start) - 1;
        },
        /lanes\[0\]\.segments\[0\]\.from: expected a time in ms within the run \(\d+ to \d+, run\.start to run\.end\)/,
      ],
      [
        "mark.json",
        (r) => {
          r.lanes.find((l: Json) => l.marks.length > 0).marks[0].t = ms(r.run.end) + 1;
        },
        /lanes\[\d+\]\.marks\[0\]\.t: expected a time in ms within the run/,
      ],
      [
        "backwards.json",
        (r) => {
          r.lanes[0].segments[0].to = r.lanes[0].segments[0].from - 1;
        },
        /lanes\[0\]\.segments\[0\]\.to: expected a time at or after its from/,
      ],
      [
        "series.json",
        (r) => {
          r.series.t[3] = r.series.t[1];
        },
        /series\.t\[3\]: expected a time at or after the point before/,
      ],
      [
        "alert.json",
        (r) => {
          r.metrics.alertAt = "2001-01-01T00:00:00.000Z";
        },
        /metrics\.alertAt: expected an ISO time within the run/,
      ],
      [
        "start.json",
        (r) => {
          [r.run.start, r.run.end] = [r.run.end, r.run.start];
        },
        /start\.json:\d+:\d+: run\.end: expected a time at or after run\.start/,
      ],
    ];
    for (const [name, edit, message] of cases)
      await expectRefused(editedReport(name, edit), message, "x.html");
  });
});

describe("the other fields of a saved RunReport", () => {
  it("says what each field expects, and refuses values no run writes", async () => {
    const cases: [string, (r: Json) => void, RegExp][] = [
      [
        "ontime.json",
        (r) => {
          r.metrics.deliveries.onTime = 1e20;
        },
        /metrics\.deliveries\.onTime: expected a safe integer ≥ 0 .*, found 100000000000000000000/,
      ],
      [
        "seed.json",
        (r) => {
          r.seed = 1.5;
        },
        /seed\.json:\d+:\d+: seed: expected a safe integer ≥ 0/,
      ],
      [
        "fixes.json",
        (r) => {
          r.variant.fixes = ["bogus"];
        },
        /variant\.fixes\[0\]: expected one of early-return, panic-recovery, found "bogus"/,
      ],
      [
        "v1-fix.json",
        (r) => {
          r.variant.scheduler = "v1";
          r.variant.fixes = ["early-return"];
        },
        /variant\.fixes\[0\]: expected no fix: v1 has none, found "early-return"/,
      ],
      [
        "lane-crashes.json",
        (r) => {
          const lanes = r.lanes as { marks: unknown[]; crashes?: number }[];
          const k = lanes.findIndex((lane) => lane.marks.length > 0);
          expect(k).toBeGreaterThanOrEqual(0);
          lanes[k].crashes = 0;
        },
        /lanes\[\d+\]\.crashes: expected at least the lane's crash marks \(\d+\), found 0/,
      ],
      [
        "lanes-crashes.json",
        (r) => {
          const lanes = r.lanes as { crashes?: number }[];
          lanes[lanes.length - 1].crashes = (r.metrics as { crashes: number }).crashes + 1;
        },
        /lanes\[\d+\]\.crashes: expected a count that, with the lanes before it \(\d+\), is at most metrics\.crashes \(\d+\), found \d+/,
      ],
      [
        "name.json",
        (r) => {
          r.variant.name = "buggy";
          r.variant.scheduler = "v2";
          r.variant.fixes = ["early-return", "panic-recovery"];
        },
        /variant\.name: expected the name of the variant that runs v2 with early-return, panic-recovery \(buggy is v2 with no fixes\), or null, found "buggy"/,
      ],
      [
        "unknown-name.json",
        (r) => {
          r.variant.name = "fixd";
        },
        /variant\.name: expected a variant \(buggy, fixed, early-return, panic-recovery, v1\) or null, found "fixd"/,
      ],
      [
        "v3.json",
        (r) => {
          r.variant.scheduler = "v3";
        },
        /variant\.scheduler: expected a bundled scheduler \(v1, v2\) or a module \(module:PATH\), found "v3"/,
      ],
      [
        "hash.json",
        (r) => {
          r.traceHash = "zz";
        },
        /traceHash: expected a trace hash of 16 lowercase hex digits, found "zz"/,
      ],
      [
        "workers.json",
        (r) => {
          r.run.workers = 1e9;
        },
        /run\.workers: expected a whole number of workers from 1 to 256/,
      ],
      [
        "outage.json",
        (r) => {
          r.metrics.fullOutageMs = 1e300;
        },
        /metrics\.fullOutageMs: expected a safe integer ≥ 0/,
      ],
      ...[0, 0.5, -1, 1e300].map((slo, k): [string, (r: Json) => void, RegExp] => [
        `slo-${k}.json`,
        (r) => {
          r.run.sloMs = slo;
        },
        new RegExp(
          `slo-${k}\\.json:${lineOfKey("sloMs")}:\\d+: run\\.sloMs: expected an SLO in whole ms from 1 to 9007199254740991 \\(a scenario's slo\\), found`,
        ),
      ]),
      ...[0.5, -1, 1e308].map((lag, k): [string, (r: Json) => void, RegExp] => [
        `lag-${k}.json`,
        (r) => {
          r.metrics.lagP99MsMax = lag;
        },
        new RegExp(
          `lag-${k}\\.json:${lineOfKey("lagP99MsMax")}:\\d+: metrics\\.lagP99MsMax: expected a safe integer ≥ 0`,
        ),
      ]),
      [
        "lag-series.json",
        (r) => {
          r.series.lagP99Ms[1] = 1e308;
        },
        /series\.lagP99Ms\[1\]: expected a safe integer ≥ 0/,
      ],
      [
        "late.json",
        (r) => {
          r.metrics.deliveries.late = r.metrics.deliveries.due + 1;
        },
        /metrics\.deliveries\.late: expected at most deliveries\.due \(\d+\)/,
      ],
      [
        "deaths.json",
        (r) => {
          r.metrics.panicDeaths = r.metrics.crashes + 1;
        },
        /metrics\.panicDeaths: expected at most crashes \(\d+\)/,
      ],
      [
        "outage-long.json",
        (r) => {
          r.metrics.fullOutageMs = Date.parse(r.run.end) - Date.parse(r.run.start) + 1;
        },
        /metrics\.fullOutageMs: expected at most the run's length/,
      ],
    ];
    for (const [name, edit, message] of cases) await expectRefused(editedReport(name, edit), message, "x.md");
    expect((await cli("report", at("run.json"), "-o", at("ok.md"))).code).toBe(0);
  });

  it("refuses a saved comparison whose runs are of other scenarios or seeds: one world is compared", async () => {
    const other: Json = structuredClone(saved);
    other.seed = (saved as Json).seed + 1;
    const file = at("two-seeds.json");
    writeFileSync(file, JSON.stringify({ variants: [saved, other], divergence: null }, null, 2));
    await expectRefused(
      file,
      /variants\[1\]\.seed: expected the first variant's seed \(\d+\): a comparison is of one world/,
    );
    writeFileSync(file, JSON.stringify({ variants: [saved, saved], divergence: null }, null, 2));
    expect((await cli("report", file, "-o", at("two.md"))).code).toBe(0);
  });
});

describe("a trace whose events break the fields their type declares", () => {
  const first = (list: readonly Event[], type: string) => list.findIndex((e) => e.type === type);

  it("refuses a missing or mistyped field, at its line and event field", async () => {
    const cases: [string, string, (e: Event) => void, RegExp][] = [
      [
        "no-worker.jsonl",
        "worker.crashed",
        (e) => {
          delete e.worker;
        },
        /worker\.crashed\.worker: expected a string, found nothing/,
      ],
      [
        "reason.jsonl",
        "worker.crashed",
        (e) => {
          e.reason = "oops";
        },
        /worker\.crashed\.reason: expected "panic" or "killed", found "oops"/,
      ],
      [
        "due.jsonl",
        "schedule.fired",
        (e) => {
          e.due = "soon";
        },
        /schedule\.fired\.due: expected a number, found "soon"/,
      ],
      [
        "next.jsonl",
        "task.committed",
        (e) => {
          e.next = "later";
        },
        /task\.committed\.next: expected a number or null, found "later"/,
      ],
      [
        "deleted.jsonl",
        "account.deleted",
        (e) => {
          delete e.account;
        },
        /account\.deleted\.account: expected a string, found nothing/,
      ],
    ];
    for (const [name, type, edit, message] of cases) {
      const index = first(events, type);
      expect(index, type).toBeGreaterThan(0);
      const file = editedTrace(name, (list) => edit(list[index]));
      // At the field's value; at the line's start for a field it lacks.
      const field = message.source.match(/^\w+\\\.\w+\\\.(\w+):/)![1];
      const line = readFileSync(file, "utf8").split("\n")[index];
      const key = line.indexOf(`"${field}":`);
      const column = key < 0 ? 1 : key + field.length + 4;
      await expectRefused(
        file,
        new RegExp(`${name.replace(".", "\\.")}:${index + 1}:${column}: error: ${message.source}`),
      );
    }
  });

  it("refuses an event of a type the world does not write, at the type's line and column", async () => {
    for (const [name, type, written, hint] of [
      ["misspelt.jsonl", "schedule.created", "schXdule.created", " — did you mean schedule\\.created\\?"],
      ["foreign.jsonl", "delivery.acked", "foo.bar", ""],
    ] as const) {
      const index = first(events, type);
      expect(index, type).toBeGreaterThan(0);
      const file = editedTrace(name, (list) => {
        list[index].type = written;
      });
      const column = readFileSync(file, "utf8").split("\n")[index].indexOf(`"${written}"`) + 1;
      await expectRefused(
        file,
        new RegExp(
          `${name.replace(".", "\\.")}:${index + 1}:${column}: error: type: expected an event type of aftershock's trace \\(one of the \\d+ that src/world/events\\.ts declares\\), found "${written.replace(".", "\\.")}"${hint}\n`,
        ),
      );
    }
  });

  it("refuses a cause that is no earlier event: missing, its own seq, a later one", async () => {
    const index = first(events, "worker.crashed");
    const seq = events[index].seq;
    for (const [name, cause] of [
      ["cause-missing.jsonl", 10 ** 9],
      ["cause-own.jsonl", seq],
      ["cause-later.jsonl", seq + 1],
    ] as const) {
      const file = editedTrace(name, (list) => {
        list[index].cause = cause;
      });
      const column = readFileSync(file, "utf8").split("\n")[index].indexOf(`"cause":`) + 9;
      await expectRefused(
        file,
        new RegExp(
          `${name.replace(".", "\\.")}:${index + 1}:${column}: error: cause: expected null or the seq of an earlier event \\(0 to ${seq - 1}\\), found ${cause}`,
        ),
      );
    }
  });
});

describe("the traces the world writes", () => {
  // Buggy's May 8 trace (crashes, alerts, expired leases, deploys), read back by cli-report.test.ts's
  // long trace, and a small world's panic-recovery trace (recovered panics, quarantines, logs) hold
  // between them every event type and field the May 8 variants write: those are read back in the
  // long tier (report-input-variants.long.test.ts).
  it("are all read back: panic-recovery's of a small world", async () => {
    await expectTraceReadBack("panic-recovery", dir, TINY);
  });
});

describe("a trace whose fields a tool reordered", () => {
  it("is reported, with a warning that its hash is of the file's order, not the run's", async () => {
    const sortedKeys = (e: Event) =>
      Object.fromEntries(Object.entries(e).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(at("sorted.jsonl"), traceText(events.map(sortedKeys) as Event[]));
    const sorted = await cli("report", at("sorted.jsonl"), "-o", at("sorted.md"));
    expect(sorted.code, sorted.err).toBe(0);
    expect(sorted.err).toContain(
      `aftershock: ${at("sorted.jsonl")}:1: warning: the event's fields are not in the order aftershock writes them (t, seq, type, cause first), as after a tool that sorts keys (jq -S): the trace hash is of this file's order, not the run's\n`,
    );
    expect(readFileSync(at("sorted.md"), "utf8")).not.toContain((saved as { traceHash: string }).traceHash);
    // The run's own trace: its hash, and no warning.
    const own = await cli("report", at("run.jsonl"), "-o", at("own.md"));
    expect(own.code, own.err).toBe(0);
    expect(own.err).not.toContain("warning");
    expect(readFileSync(at("own.md"), "utf8")).toContain((saved as { traceHash: string }).traceHash);
  });
});
