// Shows that when one output file cannot be written at the end, the others are still written and said, and the failed one is named: none is skipped in silence.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { CliError } from "../../src/cli/errors.js";
import { cli } from "../gate/helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const GATED = "test/gate/fixtures/pass/small-cascade.yaml";

/** Every write into a folder named `full` fails at the end, as on a full disk. */
vi.mock("../../src/cli/io.js", async (importOriginal) => {
  const io = await importOriginal<typeof import("../../src/cli/io.js")>();
  const full = (path: string) => /[/\\]full[/\\]/.test(path);
  const diskFull = (path: string) => new CliError(`${path}: cannot write (ENOSPC: no space left on device)`);
  class AtomicFile extends io.AtomicFile {
    override commit(): void {
      if (full(this.path)) {
        this.abort();
        throw diskFull(this.path);
      }
      super.commit();
    }
  }
  return {
    ...io,
    AtomicFile,
    writeFileAtomic: (path: string, text: string) => {
      if (full(path)) throw diskFull(path);
      io.writeFileAtomic(path, text);
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), "aftershock-failed-writes-"));
mkdirSync(join(dir, "ok"));
mkdirSync(join(dir, "full"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ok = (name: string) => join(dir, "ok", name);
const full = (name: string) => join(dir, "full", name);

describe("a failed output file", () => {
  it("run: a report file that fails leaves the ones after it written and said", async () => {
    const r = await cli([
      "run",
      TINY,
      "--quiet",
      "--html",
      ok("x.html"),
      "--markdown",
      full("x.md"),
      "--perfetto",
      ok("p.json"),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`aftershock: wrote ${ok("x.html")} (HTML report,`);
    expect(r.err).toContain(`aftershock: wrote ${ok("p.json")} (trace events for Perfetto:`);
    expect(r.err).toContain(`aftershock: ${full("x.md")}: cannot write (ENOSPC`);
    expect(existsSync(ok("x.html")) && existsSync(ok("p.json"))).toBe(true);
  });

  it("run: a --trace that fails at the end does not skip the report files", async () => {
    const r = await cli(["run", TINY, "--quiet", "--trace", full("t.jsonl"), "--html", ok("y.html")]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`aftershock: wrote ${ok("y.html")} (HTML report,`);
    expect(r.err).toContain(`aftershock: ${full("t.jsonl")}: cannot write (ENOSPC`);
    // The run's report comes first, the failure after it.
    expect(r.out).toMatch(/^tiny-may8 /);
  });

  it("gate: a --junit that fails does not skip --markdown, and both failures are said when both fail", async () => {
    const one = await cli(["gate", GATED, "--jobs", "1", "--junit", full("j.xml"), "--markdown", ok("g.md")]);
    expect(one.code).toBe(2);
    expect(one.err).toContain(`aftershock: wrote ${ok("g.md")}\n`);
    expect(one.err).toContain(`aftershock: ${full("j.xml")}: cannot write (ENOSPC`);
    expect(existsSync(ok("g.md"))).toBe(true);
    // The summary, written after, says the gate exits 2 for it, above the checks' pass.
    const summary = readFileSync(ok("g.md"), "utf8");
    expect(summary).toContain(`❌ exit 2: the --junit report \`${full("j.xml")}\` was not written`);
    expect(summary.indexOf("❌ exit 2")).toBeLessThan(summary.indexOf("✅ passed"));
    const both = await cli([
      "gate",
      GATED,
      "--jobs",
      "1",
      "--junit",
      full("j.xml"),
      "--markdown",
      full("g.md"),
    ]);
    expect(both.code).toBe(2);
    expect(both.err).toContain(`aftershock: ${full("j.xml")}: cannot write (ENOSPC`);
    expect(both.err).toContain(`aftershock: ${full("g.md")}: cannot write (ENOSPC`);
  });

  it("gate: the exit code its report says is the process's, with the reports not written named", async () => {
    const json = await cli(["gate", GATED, "--jobs", "1", "--junit", full("j.xml"), "--json"]);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.out) as { exitCode: number; unwritten: unknown[] };
    expect(report.exitCode).toBe(2);
    expect(report.unwritten).toEqual([
      {
        flag: "--junit",
        path: full("j.xml"),
        message: `${full("j.xml")}: cannot write (ENOSPC: no space left on device)`,
      },
    ]);
    // Said by the report itself, so nothing on stderr says it is overridden.
    expect(json.err).not.toContain("rather than");
    const text = await cli(["gate", GATED, "--jobs", "1", "--markdown", full("g.md")]);
    expect(text.code).toBe(2);
    expect(text.out).toMatch(/ · exit 2 \(--markdown not written\)\n/);
    expect(text.out).not.toContain("exit 0");
    const written = await cli(["gate", GATED, "--jobs", "1", "--junit", ok("j.xml"), "--json"]);
    expect(written.code).toBe(0);
    expect(JSON.parse(written.out)).toMatchObject({ exitCode: 0, unwritten: [] });
  });
});
