/**
 * Module loader hooks (registered with `node:module`'s `register`) that let a user's scheduler
 * module be TypeScript on Node 20, which cannot load `.ts` itself: `.ts` and `.mts` files are
 * stripped of their types by esbuild's `transform` (no type checking, as Node's own type
 * stripping does), and a relative `./helpers.js` import that only exists as `./helpers.ts` (the
 * `nodenext` convention) resolves to the `.ts` file.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions?: readonly string[];
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
interface LoadResult {
  readonly format: string;
  readonly source?: string | ArrayBuffer | Uint8Array;
  readonly shortCircuit?: boolean;
}

const TYPESCRIPT = /\.m?ts$/;

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    // The parent's path, not its whole URL: one imported with a query (`./a.ts?v=2`) is TypeScript too.
    const fromTypeScript = context.parentURL !== undefined && TYPESCRIPT.test(pathOf(context.parentURL));
    if (fromTypeScript && /^\.\.?\//.test(specifier) && /\.m?js$/.test(specifier)) {
      try {
        return await nextResolve(specifier.replace(/js$/, "ts"), context);
      } catch {
        // Report the import as written.
      }
    }
    throw error;
  }
}

/** A module URL's path, without its query or fragment. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

export async function load(
  url: string,
  context: { readonly format?: string | null },
  nextLoad: (url: string, context: { readonly format?: string | null }) => Promise<LoadResult>,
): Promise<LoadResult> {
  if (!url.startsWith("file:") || !TYPESCRIPT.test(pathOf(url))) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = await readFile(file, "utf8");
  const { code } = await transform(source, {
    loader: "ts",
    format: "esm",
    target: "node20",
    sourcefile: file,
    sourcemap: "inline",
  }).catch((error: unknown) => {
    throw syntaxErrorOf(error, file);
  });
  return { format: "module", source: code, shortCircuit: true };
}

/**
 * esbuild's failure as a one-line SyntaxError that starts with the place (`/abs/x.ts:2:14: ...`):
 * its own message spans lines, and crossing from the hooks thread turns its line breaks into
 * literal `\u000a`s.
 */
function syntaxErrorOf(error: unknown, file: string): Error {
  const first = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] })
    .errors?.[0];
  if (first === undefined) return error as Error;
  const at = first.location ? `${file}:${first.location.line}:${first.location.column + 1}: ` : `${file}: `;
  return new SyntaxError(`${at}${first.text}`);
}
