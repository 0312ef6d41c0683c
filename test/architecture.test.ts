// Shows the layer rules of DESIGN.md hold, there are no import cycles, simulation code never reads the real clock or Math.random, and the words for times and counts are not copied.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const SRC = join(ROOT, "src");

interface SourceFile {
  /** Path relative to src/, with forward slashes: `world/store.ts`. */
  readonly path: string;
  readonly text: string;
}

interface Import {
  readonly from: string;
  readonly specifier: string;
  /** Resolved project path relative to src/, or null for a package. */
  readonly target: string | null;
  readonly typeOnly: boolean;
}

function listSources(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listSources(full));
    else if (name.endsWith(".ts"))
      out.push({ path: relative(SRC, full).split("\\").join("/"), text: readFileSync(full, "utf8") });
  }
  return out;
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`])\/\/.*$/gm, "$1");
}

// `import ... from "x"`, `export ... from "x"`, `import "x"`: the clause never holds a `;`, so a match
// cannot run on from one statement into a string of a later one.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^;]*?\sfrom\s+)?["']([^"']+)["']/g;
// `import("./x.js")` with a literal path: a value import like any other.
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;

function importsOf(file: SourceFile): Import[] {
  const out: Import[] = [];
  const code = stripComments(file.text);
  const add = (specifier: string, typeOnly: boolean) => {
    let target: string | null = null;
    if (specifier.startsWith(".")) {
      const base = file.path.split("/").slice(0, -1).join("/");
      target = join(base, specifier).split("\\").join("/").replace(/\.js$/, ".ts");
    }
    out.push({ from: file.path, specifier, target, typeOnly });
  };
  for (const m of code.matchAll(IMPORT)) add(m[3], m[2] !== undefined);
  for (const m of code.matchAll(DYNAMIC_IMPORT)) add(m[1], false);
  return out;
}

const layerOf = (path: string) => (path.includes("/") ? path.split("/")[0] : path);

const NODE_BUILTIN = /^(node:|fs$|path$|os$|url$|child_process$|worker_threads$|process$|crypto$)/;

/** What each layer may import from the project (DESIGN.md, "Layers"). */
const ALLOWED: Record<string, (target: string, typeOnly: boolean) => boolean> = {
  kernel: (t) => layerOf(t) === "kernel",
  world: (t) => ["kernel", "world"].includes(layerOf(t)),
  schedulers: (t, typeOnly) =>
    layerOf(t) === "schedulers" || (typeOnly && layerOf(t) === "kernel") || t === "world/runtime.ts",
  faults: (t) => ["kernel", "world", "faults"].includes(layerOf(t)),
  checks: (t, typeOnly) =>
    ["kernel", "checks"].includes(layerOf(t)) ||
    t === "world/events.ts" ||
    t === "world/cron.ts" ||
    (typeOnly && layerOf(t) === "world"),
  scenario: (t) => ["kernel", "world", "faults", "schedulers", "scenario"].includes(layerOf(t)),
  explore: (t) => !["cli", "train", "index.ts"].includes(layerOf(t)),
  // Pure renderers: types of anything, their own files, and the kernel's time helpers.
  report: (t, typeOnly) => typeOnly || layerOf(t) === "report" || t === "kernel/time.ts",
  train: (t) => !["cli", "index.ts"].includes(layerOf(t)),
  cli: () => true,
  "index.ts": (t) => layerOf(t) !== "cli",
};

/** Node built-ins allowed per layer: only the CLI touches the machine; explore runs worker threads. */
const NODE_ALLOWED: Record<string, RegExp> = {
  cli: /.*/,
  // vm: its timeout is what stops a run stuck past its wall budget, on a worker thread too.
  explore: /^node:(worker_threads|os|url|path|vm)$/,
};

/**
 * Known departures from the rules, each with its reason; anything else fails. Keep this short:
 * an entry here is a debt, not a rule.
 */
const EXCEPTIONS: Record<string, string> = {
  // DESIGN.md gives fs to cli/ alone; this checks the built worker script exists before starting
  // threads (and runs in-process if not). Moving that check into cli/ would retire the entry.
  "explore/compare-parallel.ts imports node:fs": "looks for its worker script before spawning threads",
};

/** Reading the real clock or real randomness, which simulation code must never do. */
const BANNED: { name: string; pattern: RegExp }[] = [
  { name: "Math.random", pattern: /\bMath\.random\b/ },
  { name: "Date.now", pattern: /\bDate\.now\b/ },
  { name: "new Date() without an argument", pattern: /\bnew\s+Date\s*\(\s*\)/ },
  { name: "new Date without an argument list", pattern: /\bnew\s+Date\b(?!\s*\()/ },
  { name: "Date() called as a function", pattern: /(?<![.\w])(?<!new\s+)Date\s*\(/ },
  { name: "performance.now", pattern: /\bperformance\.now\b/ },
  { name: "setTimeout", pattern: /\bsetTimeout\b/ },
  { name: "setInterval", pattern: /\bsetInterval\b/ },
  { name: "setImmediate", pattern: /\bsetImmediate\b/ },
  { name: "process.hrtime", pattern: /\bprocess\.hrtime\b/ },
  { name: "randomUUID", pattern: /\brandomUUID\b/ },
  { name: "crypto's random values", pattern: /\b(?:getRandomValues|randomBytes|randomInt)\b/ },
];
const SIMULATION_LAYERS = ["kernel", "world", "schedulers", "faults", "checks"];

function layerViolations(files: SourceFile[]): string[] {
  return layerProblems(files).filter((problem) => !excepted(problem));
}

function excepted(problem: string): boolean {
  return Object.keys(EXCEPTIONS).some((key) => problem.startsWith(`${key}: `));
}

function layerProblems(files: SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    const rule = ALLOWED[layer];
    for (const imp of importsOf(file)) {
      if (imp.target === null) {
        if (NODE_BUILTIN.test(imp.specifier)) {
          const allowed = NODE_ALLOWED[layer];
          if (!allowed?.test(imp.specifier))
            problems.push(`${file.path} imports ${imp.specifier}: no Node built-ins in ${layer}/`);
        }
        continue;
      }
      if (rule && !rule(imp.target, imp.typeOnly))
        problems.push(`${file.path} imports ${imp.target}: not allowed for ${layer}/`);
    }
  }
  return problems;
}

function bannedUses(files: SourceFile[]): string[] {
  return usesIn(
    files.filter((file) => SIMULATION_LAYERS.includes(layerOf(file.path))),
    BANNED,
  );
}

/** `path uses name` for each pattern found in a file's code (comments and string contents left out). */
function usesIn(files: SourceFile[], patterns: readonly { name: string; pattern: RegExp }[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const code = codeOf(file.text);
    for (const { name, pattern } of patterns)
      if (pattern.test(code)) problems.push(`${file.path} uses ${name}`);
  }
  return problems;
}

/**
 * A source text's code, read left to right as JavaScript is: comments left out, and the contents of
 * strings, of template literals' text (their `${…}` kept, as code) and of regular expressions
 * emptied, so that an apostrophe in a template's text or a quote in a regular expression starts no
 * string that would hide the code after it.
 */
function codeOf(text: string): string {
  let out = "";
  let last = "";
  let i = 0;
  // For each `${` open, the braces open inside it: its `}` is the one met at none.
  const holes: number[] = [];
  // Past a template's text, from i (after its opening backquote or a `}` ending a `${`).
  const templateText = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        out += "`";
        last = "`";
        return;
      } else if (c === "$" && text[i + 1] === "{") {
        i += 2;
        out += "${";
        last = "{";
        holes.push(0);
        return;
      } else i++;
    }
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 2;
      out += " ";
    } else if (c === '"' || c === "'") {
      i++;
      while (i < text.length && text[i] !== c && text[i] !== "\n") i += text[i] === "\\" ? 2 : 1;
      i++;
      out += '""';
      last = '"';
    } else if (c === "`") {
      i++;
      out += "`";
      templateText();
    } else if (
      c === "/" &&
      (last === "" ||
        /[(,=:[!&|?{};+\-*%<>~^]/.test(last) ||
        /\b(?:return|typeof|case|in|of|void|yield|await)$/.test(out))
    ) {
      i++;
      let inClass = false;
      while (i < text.length && text[i] !== "\n" && (inClass || text[i] !== "/")) {
        if (text[i] === "\\") i++;
        else if (text[i] === "[") inClass = true;
        else if (text[i] === "]") inClass = false;
        i++;
      }
      i++;
      out += "/(?:)/";
      last = "/";
    } else if (holes.length > 0 && c === "}" && holes[holes.length - 1] === 0) {
      holes.pop();
      i++;
      out += "}";
      templateText();
    } else {
      if (holes.length > 0 && c === "{") holes[holes.length - 1]++;
      if (holes.length > 0 && c === "}") holes[holes.length - 1]--;
      out += c;
      if (!/\s/.test(c)) last = c;
      i++;
    }
  }
  return out;
}

/**
 * What reads the machine's locale, in any layer: every output (reports, the terminal, the trace)
 * must be the same on every machine, so text is compared by code unit and numbers and dates are
 * formatted by the project's own code or with a named locale.
 */
const LOCALE_DEPENDENT: { name: string; pattern: RegExp }[] = [
  { name: "localeCompare", pattern: /\.localeCompare\s*\(/ },
  { name: "toLocale*String", pattern: /\.toLocale(?:Date|Time)?String\s*\(/ },
  {
    name: "an Intl formatter without a named locale",
    pattern: /\bIntl\.\w+\s*\(\s*(?:undefined|\)|\[\s*\])/,
  },
];

function localeUses(files: SourceFile[]): string[] {
  return usesIn(files, LOCALE_DEPENDENT);
}

function cycles(files: SourceFile[]): string[][] {
  const graph = new Map<string, string[]>();
  for (const f of files)
    graph.set(
      f.path,
      importsOf(f).flatMap((i) => (i.target && !i.typeOnly ? [i.target] : [])),
    );
  const state = new Map<string, "visiting" | "done">();
  const found: string[][] = [];
  const stack: string[] = [];
  const visit = (node: string) => {
    if (state.get(node) === "done") return;
    if (state.get(node) === "visiting") {
      found.push([...stack.slice(stack.indexOf(node)), node]);
      return;
    }
    state.set(node, "visiting");
    stack.push(node);
    for (const next of graph.get(node) ?? []) if (graph.has(next)) visit(next);
    stack.pop();
    state.set(node, "done");
  };
  for (const node of [...graph.keys()].sort()) visit(node);
  return found;
}

/**
 * Functions defined again outside kernel/time.ts under the name of one it exports: the words for
 * times and counts (`plural`, `describeTask`, ...) are one helper each, so that every output says
 * them alike.
 */
function copiedTimeHelpers(files: SourceFile[]): string[] {
  const time = files.find((f) => f.path === "kernel/time.ts");
  const names = [...(time?.text ?? "").matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  const problems: string[] = [];
  for (const file of files) {
    if (file.path === "kernel/time.ts") continue;
    const code = stripComments(file.text);
    for (const name of names)
      if (new RegExp(`\\bfunction ${name}\\b|\\b(?:const|let) ${name}\\s*=`).test(code))
        problems.push(`${file.path} defines ${name} again (kernel/time.ts has it)`);
  }
  return problems;
}

/**
 * A count written with its noun inline (`${n} worker${n === 1 ? "" : "s"}`) where `plural` of
 * kernel/time.ts says it: one line each, so that a new one is seen where it is written.
 */
function inlinePlurals(files: SourceFile[]): string[] {
  const inline = /\$\{([^{}]+)\} ?(?:\w+|\$\{\w+\})\$\{\1 === 1 \? "" : "e?s"\}/g;
  return files.flatMap((file) =>
    file.path === "kernel/time.ts"
      ? []
      : [...stripComments(file.text).matchAll(inline)].map((m) => `${file.path}: ${m[0]} (use plural)`),
  );
}

const FILES = listSources(SRC);

describe("architecture", () => {
  it("finds the source files and their imports", () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(
      importsOf(FILES.find((f) => f.path === "world/world.ts")!).some((i) => i.target === "kernel/index.ts"),
    ).toBe(true);
  });

  it("follows the layer rules of DESIGN.md", () => {
    expect(layerViolations(FILES)).toEqual([]);
  });

  it("lists only exceptions that still apply (a paid debt leaves the list)", () => {
    const problems = layerProblems(FILES);
    for (const key of Object.keys(EXCEPTIONS)) {
      expect([key, problems.some((p) => p.startsWith(`${key}: `))]).toEqual([key, true]);
    }
  });

  it("has no import cycles (value imports)", () => {
    expect(cycles(FILES).map((c) => c.join(" -> "))).toEqual([]);
  });

  it("never reads the real clock or real randomness in kernel, world, schedulers, faults or checks", () => {
    expect(bannedUses(FILES)).toEqual([]);
  });

  it("reads the machine's locale nowhere, so that every output is the same on every machine", () => {
    expect(localeUses(FILES)).toEqual([]);
    const bad: SourceFile[] = [
      { path: "report/a.ts", text: "xs.sort((a, b) => a.localeCompare(b));" },
      { path: "report/b.ts", text: "const s = n.toLocaleString();" },
      { path: "train/c.ts", text: 'const g = new Intl.Segmenter(undefined, { granularity: "grapheme" });' },
      {
        path: "report/ok.ts",
        text: 'const f = new Intl.DateTimeFormat("en-US", { timeZone: "UTC" }); // a.localeCompare(b)',
      },
    ];
    expect(localeUses(bad)).toEqual([
      "report/a.ts uses localeCompare",
      "report/b.ts uses toLocale*String",
      "train/c.ts uses an Intl formatter without a named locale",
    ]);
  });

  it("defines the words for times and counts once, in kernel/time.ts", () => {
    expect(copiedTimeHelpers(FILES)).toEqual([]);
    const copies: SourceFile[] = [
      {
        path: "kernel/time.ts",
        text: "export function plural(n: number) {}\nexport function formatDuration() {}",
      },
      {
        path: "checks/x.ts",
        text: "function plural(n: number, one: string) {}\nfunction formatDuration() {}",
      },
      { path: "train/y.ts", text: "// function plural() in a comment is fine\nconst plural = () => '';" },
    ];
    expect(copiedTimeHelpers(copies)).toEqual([
      "checks/x.ts defines plural again (kernel/time.ts has it)",
      "checks/x.ts defines formatDuration again (kernel/time.ts has it)",
      "train/y.ts defines plural again (kernel/time.ts has it)",
    ]);
  });

  it("writes a count and its noun with plural, never inline", () => {
    expect(inlinePlurals(FILES)).toEqual([]);
    // Source text with `#{` for a template's `${`.
    const code = (text: string) => text.replaceAll("#{", "${");
    const inline: SourceFile[] = [
      { path: "report/a.ts", text: code('const a = `#{n} worker#{n === 1 ? "" : "s"}`;') },
      { path: "report/b.ts", text: code('const b = `#{c.n} crash#{c.n === 1 ? "" : "es"}`;') },
      { path: "cli/c.ts", text: code('const c = `#{n} #{noun}#{n === 1 ? "" : "s"}`;') },
      {
        path: "cli/d.ts",
        text: code('const d = `shard#{k === 1 ? "" : "s"} #{list}`; // no count before it'),
      },
    ];
    expect(inlinePlurals(inline)).toEqual([
      code('report/a.ts: #{n} worker#{n === 1 ? "" : "s"} (use plural)'),
      code('report/b.ts: #{c.n} crash#{c.n === 1 ? "" : "es"} (use plural)'),
      code('cli/c.ts: #{n} #{noun}#{n === 1 ? "" : "s"} (use plural)'),
    ]);
  });

  it("sees a clock read after an apostrophe in a template's text or a quote in a regular expression", () => {
    const hidden: SourceFile[] = [
      { path: "checks/a.ts", text: "const m = `the worker's lease`;\nconst t = Date.now();\nconst s = 'x';" },
      { path: "world/b.ts", text: 'const q = /["\']/g;\nconst r = Math.random();\nconst s = "x";' },
      {
        path: "kernel/c.ts",
        text: "const u = `${n}'s ${`it's`}`; const v = crypto.getRandomValues(new Uint32Array(1)); 'x';",
      },
      { path: "faults/d.ts", text: 'const g = "src/*.ts";\nconst t = new Date;\n/* a comment */' },
      {
        path: "checks/ok.ts",
        text: "const m = `Date.now() in a template's text is not a read`;\nconst h = 'Math.random()';",
      },
    ];
    expect(bannedUses(hidden)).toEqual([
      "checks/a.ts uses Date.now",
      "world/b.ts uses Math.random",
      "kernel/c.ts uses crypto's random values",
      "faults/d.ts uses new Date without an argument list",
    ]);
  });

  it("catches violations (the checks above can fail)", () => {
    const bad: SourceFile[] = [
      { path: "kernel/bad.ts", text: 'import { World } from "../world/world.js";\nconst t = Date.now();' },
      { path: "world/clock.ts", text: "export const t = () => new Date();\nexport const r = Math.random();" },
      {
        path: "schedulers/x.ts",
        text: 'import { Store } from "../world/store.js";\nimport fs from "node:fs";',
      },
      { path: "checks/ok.ts", text: "// Date.now() in a comment is fine\nconst d = new Date(1000);" },
      { path: "faults/f.ts", text: "const s = Date();" },
      { path: "report/r.ts", text: 'import { run } from "../explore/run.js";' },
      { path: "a/x.ts", text: 'import { y } from "./y.js";' },
      { path: "a/y.ts", text: 'import { x } from "./x.js";' },
      {
        path: "world/lazy.ts",
        text: 'export async function f() {\n  return import("../scenario/parse.js");\n}',
      },
      {
        path: "report/k.ts",
        text: 'import { Simulation } from "../kernel/index.js";\nimport { isoOf } from "../kernel/time.js";',
      },
      {
        path: "explore/files.ts",
        text: 'import { readFileSync } from "node:fs";\nimport { cpus } from "node:os";',
      },
      { path: "explore/compare-parallel.ts", text: 'import { existsSync } from "node:fs";' },
      {
        path: "checks/s.ts",
        text: 'export const s = "not an import from \\"../world/store.js\\"";\nimport type { Store } from "../world/store.js";',
      },
    ];
    expect(layerViolations(bad)).toEqual([
      "kernel/bad.ts imports world/world.ts: not allowed for kernel/",
      "schedulers/x.ts imports world/store.ts: not allowed for schedulers/",
      "schedulers/x.ts imports node:fs: no Node built-ins in schedulers/",
      "report/r.ts imports explore/run.ts: not allowed for report/",
      "world/lazy.ts imports scenario/parse.ts: not allowed for world/",
      "report/k.ts imports kernel/index.ts: not allowed for report/",
      "explore/files.ts imports node:fs: no Node built-ins in explore/",
    ]);
    expect(bannedUses(bad)).toEqual([
      "kernel/bad.ts uses Date.now",
      "world/clock.ts uses Math.random",
      "world/clock.ts uses new Date() without an argument",
      "faults/f.ts uses Date() called as a function",
    ]);
    expect(cycles(bad).map((c) => c.join(" -> "))).toEqual(["a/x.ts -> a/y.ts -> a/x.ts"]);
  });
});
