// Shows `aftershock compare`'s divergences: each later variant's from the first, each run's own time there and what differs, in the terminal, JSON, Markdown and HTML.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../explore/cli-helpers.js";
import { once } from "./once.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const CRASH_LOOP = join(import.meta.dirname, "..", "..", "scenarios", "single-worker-crash-loop.yaml");

interface JsonDivergence {
  variants: [string, string];
  index: number;
  t: number;
  a: ({ t: number; type: string; task?: string } & Record<string, unknown>) | null;
  b: ({ t: number; type: string } & Record<string, unknown>) | null;
  differs: string[];
}

/**
 * `aftershock <argv>` in this process, run once for the tests that ask for it: a compare prints
 * (and writes) the same each time, its scenario, seed and variants the same.
 */
const shared = once(cli);

const compareJson = async (variants: string, scenario = TINY) => {
  const r = await shared("compare", scenario, "--variants", variants, "--json");
  // A compare that printed no JSON says why (exit code and stderr) rather than fail to parse.
  expect(r.out.length > 0 ? "" : `exit ${r.code}: ${r.err}`).toBe("");
  return JSON.parse(r.out) as { divergence: JsonDivergence | null; divergences: JsonDivergence[] };
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

/** buggy and every other variant. */
const variants = `buggy,${OTHERS.join(",")}`;
/** The compare of every variant, its Markdown and HTML reports written beside its text. */
const withReports = () =>
  shared(
    "compare",
    TINY,
    "--variants",
    variants,
    "--markdown",
    join(dir, "cmp.md"),
    "--html",
    join(dir, "cmp.html"),
  );

describe("compare with more than two variants", () => {
  it("JSON lists each later variant's first divergence from the first, naming the variants", async () => {
    const c = await compareJson(variants);
    expect(c.divergences).toEqual(OTHERS.map((v) => pairs.get(v)));
    expect(c.divergence).toEqual(pairs.get("fixed"));
    expect(c.divergence?.variants).toEqual(["buggy", "fixed"]);
    // v1 parts from buggy long before fixed does: the first two alone would hide it.
    expect(pairs.get("v1")!.index).toBeLessThan(pairs.get("fixed")!.index);
  });

  it("the terminal shows every later variant's divergence", async () => {
    const r = await withReports();
    expect(r.code).toBe(0);
    const section = r.out.slice(r.out.indexOf("First divergence"), r.out.indexOf("Key events"));
    for (const v of OTHERS)
      expect(section).toMatch(new RegExp(`\\n  ${v} +at trace event #${pairs.get(v)!.index}\\n`));
  });

  it("Markdown and HTML reports list every later variant's divergence, also from saved JSON", async () => {
    const md = join(dir, "cmp.md");
    const html = join(dir, "cmp.html");
    expect((await withReports()).code).toBe(0);
    const saved = join(dir, "cmp.json");
    writeFileSync(saved, (await shared("compare", TINY, "--variants", variants, "--json")).out);
    const fromSaved = join(dir, "saved.md");
    expect((await cli("report", saved, "-o", fromSaved)).code).toBe(0);
    for (const file of [md, fromSaved]) {
      const text = readFileSync(file, "utf8");
      for (const v of OTHERS)
        expect(text, file).toMatch(new RegExp(`\\n- ${v}: at trace event #${pairs.get(v)!.index}: `));
    }
    const page = readFileSync(html, "utf8");
    const section = page.slice(
      page.indexOf('<section id="divergence">'),
      page.indexOf('<section id="events">'),
    );
    for (const v of OTHERS) {
      expect(section).toContain(`<h3>${v}</h3>`);
      expect(section).toContain(`up to trace event #${pairs.get(v)!.index},`);
    }
  });
});

describe("what a divergence shows", () => {
  const clock = (t: number) => new Date(t).toISOString().slice(11, 23);

  it("gives each run's own time and says what differs, when only the time does", async () => {
    // On the single worker, v1 fires the same task as buggy, later in the second.
    const d = (await compareJson("buggy,v1", CRASH_LOOP)).divergence!;
    expect(d.a!.type).toBe(d.b!.type);
    expect(d.a!.t).not.toBe(d.b!.t);
    const md = join(dir, "t.md");
    const html = join(dir, "t.html");
    // The terminal's text, and the reports, of one compare.
    const out = (await cli("compare", CRASH_LOOP, "--variants", "buggy,v1", "--markdown", md, "--html", html))
      .out;
    expect(out).toContain(`First divergence at trace event #${d.index}\n`);
    expect(out).toMatch(new RegExp(`\\n  buggy +${clock(d.a!.t)}  ${d.a!.type} `));
    expect(out).toMatch(new RegExp(`\\n  v1 +${clock(d.b!.t)}  ${d.b!.type} `));
    expect(out).toContain("\n  differs: t\n");
    expect(d.differs).toEqual(["t"]);
    expect(readFileSync(md, "utf8")).toMatch(
      new RegExp(`buggy at ${clock(d.a!.t)}: .*; v1 at ${clock(d.b!.t)}: .*\\. Differs: t\\.`),
    );
    const page = readFileSync(html, "utf8");
    expect(page).toContain(`<tr><td>buggy</td><td>${clock(d.a!.t)}</td>`);
    expect(page).toContain(`<tr><td>v1</td><td>${clock(d.b!.t)}</td>`);
    expect(page).toContain('<p class="differs">Differs: t</p>');
  });

  it("shows the second run's own time, not the first's, where its event comes first", async () => {
    const d = (await compareJson("early-return,panic-recovery", CRASH_LOOP)).divergence!;
    expect(d.b!.t).toBeLessThan(d.a!.t);
    const out = (await cli("compare", CRASH_LOOP, "--variants", "early-return,panic-recovery")).out;
    expect(out).toMatch(new RegExp(`\\n  panic-recovery +${clock(d.b!.t)}  ${d.b!.type} `));
    // Events of two kinds: every field that differs, those only one has too, as --json lists them.
    const both = new Set([...Object.keys(d.a!), ...Object.keys(d.b!)]);
    const differing = [...both].filter(
      (f) => !["seq", "cause"].includes(f) && JSON.stringify(d.a![f]) !== JSON.stringify(d.b![f]),
    );
    expect(d.differs).toEqual(["type", ...differing.filter((f) => f !== "type")]);
    expect(d.differs.length).toBeGreaterThan(8);
    const listed = out.match(/\n {2}differs: (.*)\n/)![1];
    expect(listed).toMatch(new RegExp(`^type, t, .* and ${d.differs.length - 8} more$`));
    expect(listed).toContain(
      `due (– vs ${new Date(d.b!.due as number).toISOString().replace(".000Z", "Z")})`,
    );
  });
});

describe("a divergence's tasks", () => {
  it("are written with their due times as ISO times in the terminal, Markdown and HTML; JSON keeps the trace's ids", async () => {
    const d = (await compareJson("buggy,fixed")).divergence!;
    const task = String(d.a!.task);
    expect(task).toMatch(/^sched-poison@\d+$/);
    const readable = "sched-poison@2026-05-08T09:43:00Z";
    const md = join(dir, "tasks.md");
    const html = join(dir, "tasks.html");
    const out = (await cli("compare", TINY, "--markdown", md, "--html", html)).out;
    const section = (text: string, from: string, to: string) => {
      const start = text.indexOf(from);
      expect(start).toBeGreaterThanOrEqual(0);
      return text.slice(start, text.indexOf(to, start));
    };
    const shown = [
      section(out, "First divergence", "Key events"),
      section(readFileSync(md, "utf8"), "**First divergence**", "\n\n"),
      section(readFileSync(html, "utf8"), '<section id="divergence">', "</section>"),
    ];
    for (const text of shown) {
      expect(text).toContain(readable);
      expect(text).not.toContain(task);
    }
  });
});

describe("the compare header", () => {
  // The compare of every variant the tests above read: its JSON, and its text (the reports it
  // writes beside it leave the text as it is).
  it("gives each variant's own trace hash and event count, on a line by its name", async () => {
    const json = JSON.parse((await shared("compare", TINY, "--variants", variants, "--json")).out) as {
      variants: { variant: { name: string }; traceHash: string; events: number }[];
    };
    expect(json.variants).toHaveLength(4);
    expect(new Set(json.variants.map((v) => v.traceHash)).size).toBe(4);
    const text = (await withReports()).out.split("\n");
    for (const v of json.variants) {
      const line = text.find((l) => l.startsWith(`  ${v.variant.name}: `));
      expect(line).toMatch(
        new RegExp(`^  ${v.variant.name}: +${v.events} trace events · trace ${v.traceHash}$`),
      );
    }
  });
});
