// Shows compare's side-by-side table has a faults row, as run's metrics and the Markdown and HTML tables do: each run's faults planned, fired and skipped, the skip's reason said under the table.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../explore/cli-helpers.js";

const TINY = readFileSync(join(import.meta.dirname, "fixtures", "tiny.yaml"), "utf8");
const dir = mkdtempSync(join(tmpdir(), "aftershock-compare-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tiny.yaml without its expectations, with `faults` (YAML lines) added. */
function scenario(name: string, faults: string | null): string {
  const file = join(dir, `${name}.yaml`);
  const base = TINY.slice(0, TINY.indexOf("\nexpect:") + 1);
  writeFileSync(file, faults === null ? base : `${base}faults:\n${faults}`);
  return file;
}

/** The side-by-side table's lines, painted nothing. */
async function table(file: string): Promise<string[]> {
  const r = await cli("compare", file, "--variants", "buggy,fixed");
  expect(r.code, r.err).toBe(0);
  const lines = r.out.split("\n").map((l) => l.trimEnd());
  const from = lines.indexOf("Side by side");
  return lines.slice(from, lines.indexOf("", from));
}

describe("compare's side-by-side table", () => {
  it("lists each run's faults, one run's kill skipped (its worker in back-off) and the other's fired", async () => {
    // In the buggy run w1 waits in back-off at 09:46 (the poison task killed it), so the kill finds
    // nothing to act on; in the fixed run w1 is up and is killed.
    const file = scenario(
      "kill",
      [
        '  - { at: "09:46:00", fault: kill-worker, worker: w1 }',
        '  - { at: "09:43:00", fault: store-latency, duration: 30s, latency: 500ms }',
        "",
      ].join("\n"),
    );
    const lines = await table(file);
    const row = lines.find((l) => l.startsWith("  faults "));
    expect(row).toMatch(/^ {2}faults +2 planned: 1 fired, 1 skipped +2 planned: 2 fired, 0 skipped$/);
    // The columns stay aligned: the fixed column starts where its heading does.
    const head = lines[1];
    expect(row!.indexOf("2 planned: 2 fired")).toBe(head.indexOf("fixed"));
    expect(lines[lines.indexOf(row!) + 1]).toMatch(
      /^ {2}a skipped fault found nothing to act on: see key events$/,
    );
    // The JSON says the same of each run.
    const json = JSON.parse((await cli("compare", file, "--variants", "buggy,fixed", "--json")).out) as {
      variants: { faults: { skipped: Record<string, number>; fired: Record<string, number> } }[];
    };
    expect(json.variants.map((v) => v.faults.skipped)).toEqual([{ "kill-worker": 1 }, {}]);
  });

  it("has no faults row for runs without faults, as run's metrics have none", async () => {
    const lines = await table(scenario("none", null));
    expect(lines.some((l) => l.startsWith("  deleted schedules left"))).toBe(true);
    expect(lines.some((l) => l.startsWith("  faults"))).toBe(false);
    expect(lines.some((l) => l.includes("skipped fault"))).toBe(false);
  });
});
