// Shows that the package a user installs holds what its own files point to: the binary, the
// entry points, every file the README, the guides and the example link to, and the schema the
// bundled scenarios name for editors. Read from `npm pack --dry-run` (no scripts run, nothing written).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

function packedFiles(): Set<string> {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  });
  const [pack] = JSON.parse(out) as { files: { path: string }[] }[];
  return new Set(pack.files.map((f) => f.path));
}

/** Relative targets of Markdown links (`[text](target)`) in a file, without their anchors. */
function linksOf(path: string): string[] {
  const targets = [...read(path).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  return targets
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith("#"))
    .map((t) => normalize(join(dirname(path), t.replace(/#.*$/, ""))));
}

describe("the package", () => {
  const files = packedFiles();

  it("holds the binary and the entry points package.json names", () => {
    const pkg = JSON.parse(read("package.json")) as {
      bin: Record<string, string>;
      main: string;
      exports: Record<string, Record<string, string>>;
    };
    const named = [...Object.values(pkg.bin), pkg.main, ...Object.values(pkg.exports["."])];
    expect(named.length).toBeGreaterThan(3);
    expect(named.map((p) => normalize(p)).filter((p) => !files.has(p))).toEqual([]);
  });

  it("holds every file the README, the guides and the example link to", () => {
    const docs = readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`);
    const sources = [
      "README.md",
      ...docs,
      ...readdirSync(join(ROOT, "examples")).map((f) => `examples/${f}`),
    ];
    const linked = sources.flatMap(linksOf);
    // The example names the guide in prose ("listed in docs/ci.md"), not as a link.
    linked.push("docs/ci.md");
    expect(linked.length).toBeGreaterThan(10);
    expect([...new Set(linked)].filter((p) => !files.has(p))).toEqual([]);
  });

  it("exports, by the package's name, every folder of files the README says resolve: the example modules import", async () => {
    const pkg = JSON.parse(read("package.json")) as { exports: Record<string, unknown> };
    const folders = Object.entries(pkg.exports)
      .filter(([key]) => key.endsWith("/*"))
      .map(([key, target]) => [key.slice(2, -2), String(target).slice(2, -2)]);
    expect(folders.map(([key]) => key).sort()).toEqual(["examples", "scenarios", "schema"]);
    for (const [key, folder] of folders) {
      expect(key).toBe(folder);
      expect(
        [...files].some((f) => f.startsWith(`${folder}/`)),
        folder,
      ).toBe(true);
    }
    // By the package's own name, as a user imports it (a variable: TypeScript has no types for it).
    const specifier: string = "aftershock/examples/reintroduced-bug1.mjs";
    const example = (await import(specifier)) as { scheduler?: { name?: unknown } };
    expect(typeof example.scheduler?.name).toBe("string");
  });

  it("holds the JSON Schema the bundled scenarios name for editors", () => {
    const scenarios = readdirSync(join(ROOT, "scenarios")).filter((f) => f.endsWith(".yaml"));
    const named = scenarios.map((f) => {
      const modeline = /^# yaml-language-server: \$schema=(\S+)$/m.exec(read(`scenarios/${f}`));
      expect(modeline, f).not.toBeNull();
      expect(files.has(`scenarios/${f}`), f).toBe(true);
      return normalize(join("scenarios", modeline![1]));
    });
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named)].filter((p) => !files.has(p))).toEqual([]);
  });

  it("holds source maps that carry their TypeScript, since src/ is not in it, and no benchmarks", () => {
    const maps = [...files].filter((f) => f.endsWith(".js.map"));
    expect(maps.length).toBeGreaterThan(100);
    expect([...files].filter((f) => f.startsWith("src/") || f.startsWith("dist/bench/"))).toEqual([]);
    // Every TypeScript file a shipped map names comes with its text: a debugger or
    // `node --enable-source-maps` shows it though the path it names is not installed.
    const bare = maps.flatMap((map) => {
      const { sources, sourcesContent } = JSON.parse(read(map)) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      return sources
        .filter((s, i) => s.endsWith(".ts") && typeof sourcesContent?.[i] !== "string")
        .map((s) => `${map}: ${s}`);
    });
    expect(bare).toEqual([]);
  });
});
