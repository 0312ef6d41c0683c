// Shows `aftershock compare` with several variants: each one's first divergence from the first, in the terminal, JSON, Markdown and HTML.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

interface JsonDivergence {
  variants: [string, string];
  index: number;
  t: number;
  a: { t: number; type: string } | null;
  b: { t: number; type: string } | null;
}

const compareJson = async (variants: string) =>
  JSON.parse((await cli("compare", TINY, "--variants", variants, "--json")).out) as {
    divergence: JsonDivergence | null;
    divergences: JsonDivergence[];
  };

let dir: string;
/** Each later variant's divergence from buggy, as a compare of that pair alone finds it. */
const pairs = new Map<string, JsonDivergence>();
const OTHERS = ["fixed", "v1", "early-return"];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "aftershock-compare-"));
  for (const v of OTHERS) {
    const d = (await compareJson(`buggy,${v}`)).divergence;
    if (d === null) throw new Error(`buggy and ${v} do not diverge`);
    pairs.set(v, d);
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("compare with more than two variants", () => {
  const variants = `buggy,${OTHERS.join(",")}`;

  it("JSON lists each later variant's first divergence from the first, naming the variants", async () => {
    const c = await compareJson(variants);
    expect(c.divergences).toEqual(OTHERS.map((v) => pairs.get(v)));
    expect(c.divergence).toEqual(pairs.get("fixed"));
    expect(c.divergence?.variants).toEqual(["buggy", "fixed"]);
    // v1 parts from buggy long before fixed does: the first two alone would hide it.
    expect(pairs.get("v1")!.index).toBeLessThan(pairs.get("fixed")!.index);
  });

  it("the terminal shows every later variant's divergence", async () => {
    const r = await cli("compare", TINY, "--variants", variants);
    expect(r.code).toBe(0);
    const section = r.out.slice(r.out.indexOf("First divergence"), r.out.indexOf("Key events"));
    for (const v of OTHERS)
      expect(section).toMatch(new RegExp(`\\n  ${v} +at .*\\(trace event #${pairs.get(v)!.index}\\)`));
  });

  it("Markdown and HTML reports list every later variant's divergence, also from saved JSON", async () => {
    const md = join(dir, "cmp.md");
    const html = join(dir, "cmp.html");
    expect((await cli("compare", TINY, "--variants", variants, "--markdown", md, "--html", html)).code).toBe(
      0,
    );
    const saved = join(dir, "cmp.json");
    writeFileSync(saved, (await cli("compare", TINY, "--variants", variants, "--json")).out);
    const fromSaved = join(dir, "saved.md");
    expect((await cli("report", saved, "-o", fromSaved)).code).toBe(0);
    for (const file of [md, fromSaved]) {
      const text = readFileSync(file, "utf8");
      for (const v of OTHERS)
        expect(text, file).toMatch(new RegExp(`\\n- ${v}: at .*\\(trace event #${pairs.get(v)!.index}\\)`));
    }
    const page = readFileSync(html, "utf8");
    const section = page.slice(
      page.indexOf('<section id="divergence">'),
      page.indexOf('<section id="events">'),
    );
    for (const v of OTHERS) {
      expect(section).toContain(`<h3>${v}</h3>`);
      expect(section).toContain(`(trace event #${pairs.get(v)!.index})`);
    }
  });
});
