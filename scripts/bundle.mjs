/**
 * Bundles the compiled CLI (dist/src, from tsc) into dist/bundle/cli: the command line, its
 * lazily loaded commands and the worker threads' entries, as a few dozen ES modules instead of
 * several hundred: ours and those of the packages we use (zod and yaml the largest); the
 * `inputs` of dist/bundle/meta.json list them all. Node 20 loads each module file on its own: the
 * compare command's module took 0.2 to 0.25 s to load and now takes about 0.1 s, and the whole
 * `aftershock compare` of May 8 went from 2.7 to 2.4 s (median of 8, alternating). The code is
 * the same; `bin/aftershock.js` runs the bundle.
 *
 * The bundle keeps the layout the code relies on: it sits three levels under the package root,
 * as dist/src/cli does (scenarios/ and package.json are found at ../../../), and each worker
 * entry keeps its file name beside the code that starts it. Packages that find files of their
 * own at run time (piscina's worker, esbuild's binary, playwright's browser driver) stay
 * outside the bundle and load from node_modules.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));
const outdir = `${root}dist/bundle/cli`;
/** Which source modules each bundle file holds (esbuild's metafile), for tests of lazy loading. */
const metafile = `${root}dist/bundle/meta.json`;

/** Modules a thread or the loader starts by file name, next to the CLI's own entry. */
const entryPoints = [
  "dist/src/cli/main.js",
  "dist/src/cli/gate-worker.js",
  "dist/src/cli/ts-hooks.js",
  "dist/src/cli/ts-register.js",
  "dist/src/explore/compare-worker.js",
  "dist/src/explore/pool-worker.js",
].map((p) => `${root}${p}`);

// Built beside the bundle and swapped in whole: a process started meanwhile (a test spawning the
// binary while another rebuilds) finds the old bundle or the new one, never half of one.
const fresh = `${outdir}.new`;
const stale = `${outdir}.old`;
rmSync(fresh, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints,
  outdir: fresh,
  entryNames: "[name]",
  chunkNames: "chunk-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  external: ["piscina", "esbuild", "playwright-core"],
  sourcemap: true,
  logLevel: "warning",
  metafile: true,
  // Bundled CommonJS packages (commander, seedrandom, cli-progress) call require() for Node's
  // own modules; an ES module has none, so each file makes one.
  banner: {
    js: 'import { createRequire as __aftershockRequire } from "node:module";\nconst require = __aftershockRequire(import.meta.url);',
  },
});
rmSync(stale, { recursive: true, force: true });
if (existsSync(outdir)) renameSync(outdir, stale);
renameSync(fresh, outdir);
rmSync(stale, { recursive: true, force: true });
// The metafile names the files as built (cli.new/); they are read under their final name.
const meta = JSON.stringify(result.metafile).replaceAll("dist/bundle/cli.new/", "dist/bundle/cli/");
writeFileSync(`${metafile}.new`, `${meta}\n`);
renameSync(`${metafile}.new`, metafile);
