// Shows an output named /dev/stdout or /dev/stderr (or a link to one) written through the command's own stream, in order, when that stream is a file: nothing overwrites anything. Compare's Markdown there is in standard-streams.long.test.ts, as run's trace and report are here.
import { lstatSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";
import { redirected } from "./redirected.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

const dir = mkdtempSync(join(tmpdir(), "aftershock-std-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every line of a trace is a JSON event; nothing else is in the file. */
function expectTraceOnly(text: string): void {
  const lines = text.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^\{"t":\d+,"seq":0,"type":"run\.started"/);
  expect(lines.at(-1)).toMatch(/"type":"run\.finished"/);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
}

describe("an output on the command's own stdout or stderr", () => {
  it("--trace /dev/stdout into a file holds the whole trace alone; the summary goes to stderr", () => {
    const r = redirected(dir, ["run", TINY, "--trace", "/dev/stdout", "--quiet"]);
    expect(r.code).toBe(0);
    expectTraceOnly(r.out);
    expect(r.err).toMatch(
      /^aftershock: wrote \/dev\/stdout \(trace, \d+ events, \d+ kB\)\ntiny-may8 \[.*\] seed \d+: trace [0-9a-f]{16}/,
    );
  });

  it("--html /dev/stderr into a file holds the report whole, the messages after it", () => {
    const r = redirected(dir, ["run", TINY, "--html", "/dev/stderr", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^<!doctype html>/);
    expect(r.err).toMatch(/<\/html>\naftershock: wrote \/dev\/stderr \(HTML report, \d+ kB\)\n$/);
  });

  it("a symbolic link to /dev/stdout is written through like /dev/stdout, even with --force", () => {
    const link = join(dir, "so.jsonl");
    symlinkSync("/dev/stdout", link);
    const r = redirected(dir, ["run", TINY, "--trace", link, "--quiet", "--force"]);
    expect(r.code).toBe(0);
    expect(r.replaced).toBe(false);
    expectTraceOnly(r.out);
    expect(r.err).toMatch(
      /^aftershock: wrote \S+so\.jsonl \(trace, \d+ events, \d+ kB\)\ntiny-may8 \[.*\] seed \d+: trace [0-9a-f]{16}/,
    );
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  // Refused by its arguments, before anything is written: main's words, asked in this process.
  it("takes one output: a second one there, or --json, is two outputs to one file (exit 2)", async () => {
    const json = await cli(["run", TINY, "--json", "--trace", "/dev/stdout"]);
    expect(json.code).toBe(2);
    expect(json.err).toBe(
      "aftershock: --trace /dev/stdout: the same stream as --json (stdout); give each output its own file\n",
    );
    const two = await cli(["run", TINY, "--quiet", "--html", "/dev/stderr", "--markdown", "/dev/fd/2"]);
    expect(two.code).toBe(2);
    expect(two.err).toContain("--markdown /dev/fd/2: the same stream as --html (stderr)");
    expect(two.out).toBe("");
  });
});
