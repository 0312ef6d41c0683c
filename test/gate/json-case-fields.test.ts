// Shows that each case of `gate --json` gives as data what its message and details say in words: the measured value, the run's trace hash, the golden hash and the command that replays the run.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, FIXTURES, type JsonCase } from "./helpers.js";

interface CaseData extends JsonCase {
  variant: string | null;
  measured?: unknown;
  traceHash?: string;
  golden?: string | null;
  reproduce?: string;
}

describe("gate --json's cases", () => {
  let cases: CaseData[];
  let pinned: Record<string, { traceHash: string }>;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-gate-fields-"));
    const file = join(dir, "small-false.yaml");
    copyFileSync(join(FIXTURES, "fail", "small-false.yaml"), file);
    expect((await cli(["gate", file, "--update-golden", "--jobs", "1"])).code).toBe(1);
    // The fixed variant's golden hash, changed as an edit of its behaviour would change it.
    const goldenFile = join(dir, "golden", "small-false.json");
    const golden = JSON.parse(readFileSync(goldenFile, "utf8"));
    golden.variants.fixed.traceHash = "0123456789abcdef";
    writeFileSync(goldenFile, JSON.stringify(golden));
    pinned = golden.variants;
    const r = await cli(["gate", file, "--json", "--jobs", "1"]);
    expect(r.code).toBe(1);
    cases = JSON.parse(r.out).suites[0].cases;
  });

  const find = (kind: string, variant: string, name = "") =>
    cases.find((k) => k.kind === kind && k.variant === variant && k.name.includes(name))!;

  it("gives a failed expectation's measured value, its run's trace hash and the command that replays it", () => {
    const failed = find("expectation", "buggy", "cascadeDepth <= 1");
    expect(failed).toMatchObject({ status: "failed", measured: 4, traceHash: pinned.buggy.traceHash });
    expect(failed.message).toMatch(/^expected cascadeDepth <= 1, measured 4 /);
    expect(failed.reproduce).toMatch(/^aftershock run .*small-false\.yaml --variant buggy$/);
    expect(failed.details.endsWith(`reproduce: ${failed.reproduce}`)).toBe(true);
  });

  it("gives whether a property held, for a property expectation met either way", () => {
    expect(find("expectation", "buggy", "no-cascade fails")).toMatchObject({
      status: "passed",
      measured: false,
    });
    expect(find("expectation", "fixed", "no-cascade")).toMatchObject({ status: "passed", measured: true });
    expect(find("expectation", "fixed", "no-cascade").reproduce).toBeUndefined();
  });

  it("gives a golden case both hashes: the run's and the one pinned", () => {
    expect(find("golden", "buggy")).toMatchObject({
      status: "passed",
      traceHash: pinned.buggy.traceHash,
      golden: pinned.buggy.traceHash,
    });
    const changed = find("golden", "fixed");
    expect(changed).toMatchObject({ status: "failed", golden: "0123456789abcdef" });
    expect(changed.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(changed.traceHash).not.toBe("0123456789abcdef");
    expect(changed.details).toContain(`now:    ${changed.traceHash}`);
    expect(changed.reproduce).toMatch(/--variant fixed --trace new\.jsonl$/);
  });

  it("gives a determinism case the trace hash its runs agreed on", () => {
    const det = find("determinism", "fixed");
    expect(det.message).toContain(`gave the same trace (${det.traceHash},`);
    expect(det.measured).toBeUndefined();
  });
});
