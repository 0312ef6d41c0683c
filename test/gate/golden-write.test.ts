// --update-golden checks its golden folders before any run, and never reports a hash recorded in a file that was not written.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { CliError } from "../../src/cli/errors.js";
import { cli, type JsonCase } from "./helpers.js";

const PASS = "test/gate/fixtures/pass/small-cascade.yaml";

/** Makes the next writes of golden files fail as a full disk would, after every check passed. */
const diskFull = vi.hoisted(() => ({ on: false }));
vi.mock("../../src/cli/io.js", async (importOriginal) => {
  const io = await importOriginal<typeof import("../../src/cli/io.js")>();
  return {
    ...io,
    writeFileAtomic: (path: string, text: string) => {
      if (diskFull.on && /[/\\]golden[/\\]/.test(path))
        throw new CliError(`${path}: cannot write (ENOSPC: no space left on device)`);
      io.writeFileAtomic(path, text);
    },
  };
});

function scenarioFolder(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-golden-write-"));
  const file = join(dir, "small-cascade.yaml");
  copyFileSync(PASS, file);
  return { dir, file };
}

describe("--update-golden's golden folder", () => {
  it("is refused before any run when a file stands in its place (exit 2, nothing reported)", async () => {
    const { dir } = scenarioFolder();
    writeFileSync(join(dir, "golden"), "hi\n");
    for (const json of [[], ["--json"]]) {
      const r = await cli(["gate", dir, "--update-golden", "--jobs", "1", ...json]);
      expect(r.code).toBe(2);
      // No report: with --json, the refusal's object alone, no suite in it.
      if (json.length === 0) expect(r.out).toBe("");
      else expect((JSON.parse(r.out) as { suites: unknown[] }).suites).toEqual([]);
      expect(r.err).toContain(
        `aftershock: --update-golden: the golden folder ${join(dir, "golden")}: ${join(dir, "golden")} exists and is not a folder`,
      );
      expect(r.err).not.toContain("cannot write");
    }
  });

  it("is refused with every other input problem", async () => {
    const { dir } = scenarioFolder();
    writeFileSync(join(dir, "golden"), "hi\n");
    writeFileSync(join(dir, "bad.yaml"), "name: bad\nfleet:\n  workers: lots\n");
    const r = await cli(["gate", dir, "--update-golden", "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("the golden folder");
    expect(r.err).toContain(`${join(dir, "bad.yaml")}:3:12:`);
  });
});

describe("a golden path not written yet", () => {
  it("is refused as a --junit or --markdown path before any run, with or without --update-golden", async () => {
    const { dir, file } = scenarioFolder();
    mkdirSync(join(dir, "golden"));
    const golden = join(dir, "golden", "small-cascade.json");
    for (const flag of ["--junit", "--markdown"]) {
      for (const update of [["--update-golden"], []]) {
        const r = await cli(["gate", dir, ...update, "--jobs", "1", flag, golden, "--force"]);
        expect(r.code).toBe(2);
        expect(r.out).toBe("");
        expect(r.err).toContain(
          `aftershock: ${flag} ${golden}: the golden hash file of ${file}, which --update-golden writes; write the report elsewhere\n`,
        );
        expect(existsSync(golden)).toBe(false);
      }
    }
  });
});

describe("a golden file that cannot be written at the end", () => {
  it("turns its golden cases into errors that say so, in the JSON and the exit code", async () => {
    const { dir } = scenarioFolder();
    mkdirSync(join(dir, "golden"));
    diskFull.on = true;
    let r: Awaited<ReturnType<typeof cli>>;
    try {
      r = await cli(["gate", dir, "--update-golden", "--json", "--jobs", "1"]);
    } finally {
      diskFull.on = false;
    }
    const golden = join(dir, "golden", "small-cascade.json");
    expect(existsSync(golden)).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`aftershock: ${golden}: cannot write (ENOSPC`);
    expect(r.err).not.toContain("wrote");
    const report = JSON.parse(r.out) as {
      exitCode: number;
      counts: { errors: number };
      suites: { cases: JsonCase[] }[];
    };
    expect(report.exitCode).toBe(2);
    const goldenCases = report.suites[0].cases.filter((k) => k.kind === "golden");
    expect(goldenCases.length).toBe(3);
    expect(report.counts.errors).toBe(3);
    for (const k of goldenCases) {
      expect(k).toMatchObject({ status: "error", exitCode: 2 });
      expect(k.message).toBe(`not recorded: ${golden}: cannot write (ENOSPC: no space left on device)`);
    }
  });
});
