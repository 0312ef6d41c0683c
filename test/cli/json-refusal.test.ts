// Shows that a command given --json that refuses its input before it prints anything still prints one JSON object on stdout, the problems as data with their file, line and column (as the gate does), so that a script reading stdout sees the refusal.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { makePaint } from "../../src/cli/paint.js";
import { plainPaint } from "../../src/report/paint.js";
import { cli, cliBuilt } from "../gate/helpers.js";

function folder(): string {
  return mkdtempSync(join(tmpdir(), "aftershock-json-refusal-"));
}

describe("--json when the input is refused", () => {
  it.each([
    ["run", ["run", "no-such-scenario", "--json"]],
    ["compare", ["compare", "no-such-scenario", "--json"]],
    ["why", ["why", "no-such-scenario", "#12", "--json"]],
    ["explore", ["explore", "no-such-scenario", "--json"]],
    ["merge", ["merge", "no-such-report.json", "--json"]],
  ])("%s prints the problems as one JSON object, and says them on stderr too", async (_name, argv) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    const printed = JSON.parse(r.out);
    expect(printed.exitCode).toBe(2);
    expect(printed.problems.length).toBeGreaterThan(0);
    expect(printed.problems[0]).toMatchObject({ severity: "error", file: null, line: null, column: null });
    expect(r.err).toContain(printed.problems[0].message.split("\n")[0]);
  });

  it("gives each problem of a scenario its file, line and column", async () => {
    const file = join(folder(), "bad.yaml");
    writeFileSync(
      file,
      "name: bad\ndescription: d\nstart: 2026-05-08T09:30:00Z\nduration: 10m\nfleet: { workers: three }\n",
    );
    const r = await cli(["run", file, "--json"]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).problems).toEqual([
      {
        file,
        line: 5,
        column: 19,
        severity: "error",
        message: 'fleet.workers: wrong type (expected a whole number, found "three")',
      },
    ]);
  });

  it("prints nothing on stdout without --json, and the refusal of an output path as the others", async () => {
    expect((await cli(["run", "no-such-scenario"])).out).toBe("");
    const missing = join(folder(), "missing", "x.md");
    const r = await cli(["run", "quiet-day", "--json", "--markdown", missing]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).problems[0].message).toContain(`--markdown ${missing}: no such folder`);
  });

  it.runIf(existsSync("/dev/full"))(
    "prints no second object when an output fails after the report",
    async () => {
      const r = await cliBuilt(["run", "quiet-day", "--json", "--markdown", "/dev/full"]);
      expect(r.code).toBe(2);
      expect(JSON.parse(r.out).scenario).toBe("quiet-day");
    },
  );

  it("leaves stdout's colour to stdout: the text moved to stderr by an output on stdout is painted as stderr", async () => {
    let out = "";
    let err = "";
    const ctx: CliContext = {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
      paint: makePaint(true),
      paintErr: plainPaint,
      env: {},
      errIsTty: false,
      now: () => performance.now(),
    };
    const code = await main(["run", "quiet-day", "--markdown", "-"], ctx);
    expect(code).toBe(0);
    expect(out).toContain("| ");
    expect(err).toContain("aftershock · quiet-day");
    expect(err).not.toContain("\u001b[");
  });
});
