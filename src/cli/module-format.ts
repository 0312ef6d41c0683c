/**
 * Finds, before loading it, a scheduler module written as an ES module (`export`, `import`) in a
 * `.js` file that Node loads as CommonJS: one in a package whose package.json says
 * `"type": "commonjs"` (what `npm init -y` writes with npm 11), or gives no type on a Node that
 * does not detect module syntax. Loading it, Node would print its own warning twice (once for
 * `require`, once for `import`, neither of which can be silenced from here) and then fail with a
 * bare "Unexpected token 'export'" at no place. Found first, it is said once, at its line and
 * column, with what to do. The source is compiled as Node compiles CommonJS; nothing of it runs.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative } from "node:path";
import { compileFunction } from "node:vm";

export interface ModuleFormatProblem {
  readonly place: { readonly line: number; readonly column: number } | null;
  readonly message: string;
}

/** What V8 says compiling ES module syntax as a script, and the syntax it names. */
const ES_MODULE_SYNTAX: readonly [RegExp, string][] = [
  [/^Unexpected token 'export'$/, "export"],
  [/^Cannot use import statement outside a module$/, "import"],
  [/^Cannot use 'import\.meta' outside a module$/, "import.meta"],
];

/** The problem of a `.js` module at `absolute` that is an ES module Node would load as CommonJS, or null. */
export function esModuleLoadedAsCommonJs(absolute: string): ModuleFormatProblem | null {
  if (!absolute.endsWith(".js")) return null;
  const scope = packageScope(dirname(absolute));
  if (scope.type === "module" || scope.type === "unreadable") return null;
  if (scope.type === null && detectsModuleSyntax()) return null;
  let source: string;
  try {
    source = readFileSync(absolute, "utf8");
  } catch {
    return null; // Loading it says why it cannot be read.
  }
  const syntax = esSyntaxError(source, absolute);
  if (syntax === null) return null;
  const file = basename(absolute);
  const renamed = `${file.slice(0, -".js".length)}.mjs`;
  const where = scope.file === null ? null : shownPath(scope.file);
  const why =
    where === null
      ? `no package.json above it says "type": "module"`
      : scope.type === null
        ? `${where} gives no "type"`
        : `${where} says "type": ${JSON.stringify(scope.type)}`;
  const remedy =
    where === null
      ? `rename it to ${renamed}, or put a package.json with "type": "module" in its folder`
      : `rename it to ${renamed}, or set "type": "module" in ${where}`;
  return {
    place: syntax.place,
    message: `the scheduler module is written as an ES module (it uses \`${syntax.keyword}\`), but Node loads this .js file as CommonJS (${why}): ${remedy}`,
  };
}

/** The nearest package.json above a folder, as Node looks for it, and its `type`. */
function packageScope(folder: string): { file: string | null; type: string | null } {
  for (let dir = folder; ; dir = dirname(dir)) {
    // Node stops at a package's own folder under node_modules.
    if (basename(dir) === "node_modules") return { file: null, type: null };
    const file = join(dir, "package.json");
    if (existsSync(file)) {
      try {
        const type = (JSON.parse(readFileSync(file, "utf8")) as { type?: unknown }).type;
        return { file, type: typeof type === "string" ? type : null };
      } catch {
        // Node refuses an unreadable package.json itself, in its own words.
        return { file, type: "unreadable" };
      }
    }
    if (dirname(dir) === dir) return { file: null, type: null };
  }
}

/**
 * Whether this Node loads a `.js` file with module syntax and no package type as an ES module
 * (on by default since Node 20.19 and 22.7, unless switched off).
 */
function detectsModuleSyntax(): boolean {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)];
  if (flags.includes("--no-experimental-detect-module")) return false;
  const [major, minor] = process.versions.node.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 7) || (major === 20 && minor >= 19);
}

/** The ES module syntax CommonJS refuses in `source`, and where V8 places it; null if none. */
function esSyntaxError(
  source: string,
  absolute: string,
): { keyword: string; place: ModuleFormatProblem["place"] } | null {
  try {
    compileFunction(source, ["exports", "require", "module", "__filename", "__dirname"], {
      filename: absolute,
    });
    return null;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return null;
    const keyword = ES_MODULE_SYNTAX.find(([message]) => message.test(error.message))?.[1];
    if (keyword === undefined) return null;
    return { keyword, place: arrowPlace(String(error.stack), absolute) };
  }
}

/**
 * The place in Node's excerpt at the top of a syntax error's stack: `file:line`, the source
 * line, and a line of `^` under the token (with the tabs of the source kept, so that its offset
 * counts characters).
 */
function arrowPlace(stack: string, absolute: string): ModuleFormatProblem["place"] {
  if (!stack.startsWith(`${absolute}:`)) return null;
  const [head, , arrow] = stack.slice(absolute.length + 1).split("\n");
  const at = arrow?.indexOf("^") ?? -1;
  if (!/^\d+$/.test(head) || at < 0) return null;
  return { line: Number(head), column: at + 1 };
}

/** A path as the user would type it: from the working folder when under it, else absolute. */
function shownPath(file: string): string {
  const from = relative(process.cwd(), file);
  return from.startsWith("..") || isAbsolute(from) ? file : from;
}
