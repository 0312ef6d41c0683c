// Shows the aftershock binary's refusals that cli-process.test.ts makes once in the default run, in their other forms: its stdout a full device rather than a file a write cut short, an output file that a plain `>` or a hard link makes the file its stdout is redirected to, the trace written into a redirected stdout as the refusal offers (standard-streams.test.ts writes it so by default), and plain text under NO_COLOR, as every process of the default run is run (it checks FORCE_COLOR's colour).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectRedirectsRefused, type RedirectCase, redirectFolder } from "./redirect-cases.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

describe("aftershock as a process", () => {
  it.skipIf(!existsSync("/dev/full"))(
    "says once, with exit 2 as for an output file, that its output could not be written",
    () => {
      const r = spawnSync("bash", ["-c", `'${process.execPath}' '${BIN}' schema > /dev/full`], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.stderr).toMatch(/^aftershock: could not write the output: ENOSPC[^\n]*\n$/);
      expect(r.status).toBe(2);
    },
  );

  // Processes one after another: the time given is a loaded machine's, which starts each slowly.
  it("refuses an output file that its stdout is redirected to with `>` or through a hard link, even with --force, and loses nothing", () => {
    const { dir, sh } = redirectFolder();
    const run = `'${process.execPath}' '${BIN}' run '${TINY}' --quiet --force`;
    const cases: RedirectCase[] = [
      { line: `${run} --trace out.txt > out.txt`, file: "out.txt", stream: "stdout", before: "" },
      // A hard link is the same file under another name.
      {
        line: `${run} --markdown twin.md > log.md`,
        file: "log.md",
        stream: "stdout",
        before: "",
        twin: "twin.md",
      },
    ];
    expectRedirectsRefused(dir, sh, cases);
    expect(readdirSync(dir).sort()).toEqual(["log.md", "out.txt", "twin.md"]);
  }, 120_000);

  it("colours only when asked: plain with NO_COLOR", () => {
    // The process's environment is the claim, not the run's length: its first minute is reported
    // in the same paints as the whole.
    const plain = spawnSync(process.execPath, [BIN, "run", TINY, "--variant", "fixed", "--until", "+1m"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
      timeout: 120_000,
    });
    const ESC = String.fromCharCode(27);
    expect(plain.status, plain.stderr).toBe(0);
    expect(plain.stdout).toContain("Properties");
    expect(plain.stdout.includes(`${ESC}[`)).toBe(false);
  });

  it("writes, as the refusal offers instead, the trace into its redirected stdout and its own text on stderr", () => {
    const { dir, sh } = redirectFolder();
    const r = sh(
      `'${process.execPath}' '${BIN}' run '${TINY}' --quiet --force --trace /dev/stdout > out.txt`,
    );
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toMatch(/^\{"t":\d+,"seq":0,"type":"run\.started"/);
    expect(r.stderr).toMatch(/tiny-may8 \[/);
  }, 120_000);
});
