/**
 * Says where a scheduler module failed to load: a syntax error or an exception thrown while it
 * ran its top level becomes `module:line:column: ...`, as a compiler would print it, never a
 * stack trace. Node names the place of neither in the error's message (nor, for a syntax error
 * in an ES module, in its stack), so the place comes from the stack's frames in the module, or
 * for a syntax error from parsing the source again with esbuild.
 */
import { readFileSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import { thrownMessage } from "../kernel/thrown.js";
import { CliError, EXIT, fileError } from "./errors.js";
import { inputsBuild } from "./module-imports.js";

interface Place {
  readonly line: number;
  readonly column: number;
}

/**
 * The CliError to report for `error`, thrown by importing the module at `absolute` (shown as
 * `shown`): `shown:line:column: message` when the place is known, with that place as data.
 */
export function moduleLoadError(error: unknown, absolute: string, shown: string): CliError {
  let problem: Problem;
  try {
    problem = moduleLoadProblem(error, absolute);
  } catch {
    // A thrown value whose every read throws (a Proxy): said without a place.
    problem = { place: null, what: `threw while loading: ${thrownMessage(error)}` };
  }
  if (problem.file === undefined)
    return placedModuleError(shown, problem.place, `the scheduler module ${problem.what}`);
  // A local file the module imports: said at that file, by its path as the module's is shown.
  const written = relative(dirname(realOrSelf(absolute)), problem.file);
  const file = join(dirname(shown), written);
  const fileShown = shown.startsWith("./") && !file.startsWith(".") && !isAbsolute(file) ? `./${file}` : file;
  return placedModuleError(
    fileShown,
    problem.place,
    `the scheduler module ${shown} imports this file, which ${problem.what}`,
  );
}

/**
 * What went wrong loading the module (`has a syntax error: …`), where, and in which file: the
 * module's own (`file` absent), or a local file it imports, directly or not (`file`, its real path).
 */
interface Problem {
  readonly file?: string;
  readonly place: Place | null;
  readonly what: string;
}

/** The CliError `shown:line:column: message`, with that place as data; `shown: message` without one. */
export function placedModuleError(shown: string, place: Place | null, message: string): CliError {
  if (place === null) return fileError(shown, message);
  return new CliError(`${shown}:${place.line}:${place.column}: ${message}`, EXIT.usage, [
    { place: { file: shown, ...place }, severity: "error", message },
  ]);
}

/** What went wrong loading the module, and where (a place null: nowhere known). */
function moduleLoadProblem(error: unknown, absolute: string): Problem {
  const missing = missingPackage(error, absolute);
  if (missing !== null) return missing;
  // Only an Error carries the place it was thrown at (its stack). For a primitive thrown by an ES
  // module that `require` loads, Node itself has already written an excerpt of its own source
  // (`node:internal/modules/esm/module_job`) to descriptor 2, once per thread, from C++: nothing
  // here can keep it off stderr short of loading the module with `import`, which no guard stops.
  if (!(error instanceof Error)) {
    return { place: null, what: `threw while loading: ${thrownValueText(error)}` };
  }
  const raw = thrownMessage(error);
  // A message spanning lines (esbuild's "Transform failed with 1 error:" and its list) reads as one.
  let message = raw.replace(/\s*\n\s*/g, " ").trim();
  let place: Place | null = null;
  // The TypeScript hooks name the place first (`/abs/mod.ts:2:14: Unexpected ...`).
  const own = placeAtStart(message, absolute);
  if (own !== null) {
    place = own.place;
    message = own.rest;
  }
  const syntax = error instanceof Error && error.name === "SyntaxError";
  place ??= placeInStack(error, absolute) ?? (syntax ? placeOfSyntaxError(absolute) : null);
  const what = syntax && !inStack(error, absolute) ? "has a syntax error" : "threw while loading";
  if (place === null) {
    const imported = importedProblem(error, absolute, syntax, message);
    if (imported !== null) return imported;
  }
  return { place, what: `${what}: ${message}` };
}

/**
 * The problem in a local file the module imports, when it is there and not in the module: a
 * syntax error (Node names no file for an ES module's; esbuild finds it in the module's imports),
 * or the first frame of the stack in one of them. Null when none is found.
 */
function importedProblem(error: Error, absolute: string, syntax: boolean, message: string): Problem | null {
  const bundle = bundleOf(absolute);
  if (bundle === null) return null;
  if ("error" in bundle) {
    if (!syntax) return null;
    const rest = placeAtStart(message, bundle.error.file)?.rest ?? message;
    return { file: bundle.error.file, place: bundle.error.place, what: `has a syntax error: ${rest}` };
  }
  const own = new Set([absolute, realOrSelf(absolute)]);
  const imports = bundle.files.filter((f) => !own.has(f));
  let stack: string;
  try {
    stack = typeof error.stack === "string" ? error.stack : "";
  } catch {
    return null;
  }
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) continue;
    for (const file of imports) {
      const place = placeInStackText(line, file);
      if (place !== null) return { file, place, what: `threw while loading: ${message}` };
    }
  }
  return null;
}

/**
 * esbuild's bundle of the module from its source, as `moduleInputs` makes it: the local files it
 * reads (real paths), or its first error, placed in the file it is in. Null when esbuild cannot
 * say (no place, or it cannot be loaded).
 */
function bundleOf(
  absolute: string,
): { readonly files: string[] } | { readonly error: { file: string; place: Place } } | null {
  const workdir = dirname(realOrSelf(absolute));
  try {
    // Loaded here, only for a module that failed: commands that load no module never load esbuild.
    const { buildSync } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
    const result = buildSync(inputsBuild(realOrSelf(absolute), workdir));
    return { files: Object.keys(result.metafile?.inputs ?? {}).map((f) => realOrSelf(resolve(workdir, f))) };
  } catch (error) {
    const location = (
      error as { errors?: { location?: { file: string; line: number; column: number } | null }[] }
    ).errors?.[0]?.location;
    if (!location) return null;
    // esbuild counts columns from 0, editors and Node from 1.
    const file = realOrSelf(resolve(workdir, location.file));
    return { error: { file, place: { line: location.line, column: location.column + 1 } } };
  }
}

/** `path` with its links resolved, or as given when that fails. */
function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function placeAtStart(message: string, absolute: string): { place: Place; rest: string } | null {
  if (!message.startsWith(`${absolute}:`)) return null;
  const m = /^:(\d+):(\d+): (.*)$/s.exec(message.slice(absolute.length));
  return m === null ? null : { place: { line: Number(m[1]), column: Number(m[2]) }, rest: m[3] };
}

/**
 * The first frame of the stack inside the module (its own top-level line, or a function it called),
 * or null: none there, no Error, or a stack that cannot be read (a getter that throws).
 */
export function placeInStack(error: unknown, absolute: string): Place | null {
  try {
    if (!(error instanceof Error) || typeof error.stack !== "string") return null;
    return placeInStackText(error.stack, absolute);
  } catch {
    return null;
  }
}

/** The first frame of `stack` (an Error's) inside the module at `absolute`, or null. */
export function placeInStackText(stack: string, absolute: string): Place | null {
  const url = pathToFileURL(absolute).href;
  // Frames only: the message at the top of the stack may itself name the file.
  for (const line of stack.split("\n")) {
    if (!/^\s+at /.test(line)) continue;
    for (const prefix of [url, absolute]) {
      const at = line.indexOf(`${prefix}:`);
      if (at < 0) continue;
      const m = /^:(\d+):(\d+)/.exec(line.slice(at + prefix.length));
      if (m !== null) return { line: Number(m[1]), column: Number(m[2]) };
    }
  }
  return null;
}

function inStack(error: unknown, absolute: string): boolean {
  return placeInStack(error, absolute) !== null;
}

/** Where esbuild finds a syntax error in the module's source; null if it finds none. */
function placeOfSyntaxError(absolute: string): Place | null {
  try {
    const source = readFileSync(absolute, "utf8");
    // Loaded here, only for a module that failed: commands that load no module never load esbuild.
    const { transformSync } = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
    transformSync(source, {
      loader: /\.m?ts$/.test(absolute) ? "ts" : "js",
      format: "esm",
      sourcefile: absolute,
    });
    return null;
  } catch (error) {
    const location = (error as { errors?: { location?: { line: number; column: number } | null }[] })
      .errors?.[0]?.location;
    // esbuild counts columns from 0, editors and Node from 1.
    return location ? { line: location.line, column: location.column + 1 } : null;
  }
}

/**
 * A package the module itself imports that is not installed, or a local file it imports that is
 * not there: said at the import, as what it is (the module threw nothing; Node could not resolve
 * a name), with the command that installs a package. What a local file the module imports cannot
 * find is left to Node's words, which name that file.
 */
function missingPackage(error: unknown, absolute: string): Problem | null {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== "ERR_MODULE_NOT_FOUND") return null;
  const m = /^Cannot find (package|module) '([^']+)' imported from (.+)$/.exec(error.message);
  if (m === null) return null;
  const from = m[3].startsWith("file:") ? fileURLToPath(m[3]) : m[3];
  // Imported by a local file the module imports, not in a package: said at that file's import.
  const inImport = from !== absolute && realOrSelf(from) !== realOrSelf(absolute);
  if (inImport && (!isAbsolute(from) || from.split(sep).includes("node_modules"))) return null;
  const file = inImport ? { file: realOrSelf(from) } : {};
  if (m[1] === "package") {
    const name = m[2];
    return {
      ...file,
      place: importPlace(from, name),
      what: `imports "${name}", a package that is not installed (npm install ${name})`,
    };
  }
  // A local file: Node names it by its absolute path, the module by its path from its folder.
  const written = relative(dirname(from), m[2].startsWith("file:") ? fileURLToPath(m[2]) : m[2]);
  const name = written.startsWith(".") ? written : `./${written}`;
  return { ...file, place: importPlace(from, name), what: `imports "${name}", which is not there` };
}

/** Where the import of `name` is in the module's source (null if not found). */
function importPlace(absolute: string, name: string): Place | null {
  return placeOfText(absolute, [`"${name}"`, `'${name}'`]);
}

/** Where the first of `texts` found in the module's source begins, or null. */
function placeOfText(absolute: string, texts: readonly string[]): Place | null {
  let source: string;
  try {
    source = readFileSync(absolute, "utf8");
  } catch {
    return null;
  }
  const found = texts.map((t) => source.indexOf(t)).filter((i) => i >= 0);
  if (found.length === 0) return null;
  const at = Math.min(...found);
  const before = source.slice(0, at).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Longest a thrown value is shown. */
const THROWN_TEXT_MAX = 160;

/**
 * A thrown value that is no Error, readably and short: a string quoted, anything else as
 * `util.inspect` writes it (no code of the value runs: no custom inspect, no getter, no Proxy
 * trap), and what it is, since such a value gives no line to point at.
 */
export function thrownValueText(value: unknown): string {
  const text =
    typeof value === "string"
      ? JSON.stringify(value)
      : inspect(value, { customInspect: false, depth: 2, breakLength: Number.POSITIVE_INFINITY });
  const shown = text.length > THROWN_TEXT_MAX ? `${text.slice(0, THROWN_TEXT_MAX - 1)}…` : text;
  const kind = value === null || value === undefined ? "" : `${valueKind(value)}, `;
  return `${shown} (${kind}not an Error, so no line is known: throw an Error to have it said)`;
}

function valueKind(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}
