// Writes a project folder with scheduler modules in it, and runs the built CLI there, for the tests of how Node's module formats are loaded.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cliBuilt } from "../gate/helpers.js";

export const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** A project folder with `package.json` (when given) and the module files `mods`: its path. */
export function project(packageJson: object | null, mods: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-format-"));
  if (packageJson !== null) writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson));
  mkdirSync(join(dir, "mods"));
  for (const [name, text] of Object.entries(mods)) writeFileSync(join(dir, "mods", name), text);
  return dir;
}

/** The built CLI run in `cwd` (Node's loading is the subject: vitest's own loader would hide it). */
export function inProject(cwd: string, argv: readonly string[]) {
  return cliBuilt(argv, {}, cwd);
}

/** A scheduler factory's source: one goroutine that sleeps a second at a time. */
export const FACTORY =
  '{ name: "mine", description: "x", fixes: [], create() { return { name: "mine", fixes: [], *main(rt) { for (;;) yield rt.sleep(1000); } }; } }';

/** What `tsc --module commonjs` writes for `const scheduler = {…}; export default scheduler;`. */
export const COMPILED_DEFAULT = `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nconst scheduler = ${FACTORY};\nexports.default = scheduler;\n`;

/** What run says of `mods/NAME`, a CommonJS module whose `module.exports.default` is a scheduler. */
export const compiledDefaultRefusal = (name: string) =>
  `aftershock: mods/${name}: module.exports.default is a scheduler (TypeScript's \`export default\` compiled to CommonJS), but a CommonJS module's scheduler is read from \`module.exports.scheduler\` or \`module.exports\`: export it as \`scheduler\` (\`export const scheduler = …\`), set module.exports to it, or compile the module to an ES module\n`;

/** What run and gate say of `mods/mine.js`, an ES module in a .js file of a CommonJS package. */
export const ES_IN_COMMONJS =
  'aftershock: mods/mine.js:2:1: the scheduler module is written as an ES module (it uses `export`), but Node loads this .js file as CommonJS (package.json says "type": "commonjs"): rename it to mine.mjs, or set "type": "module" in package.json\n';
