// Shows that a scheduler module is loaded, or refused in one clear line at its place (exit 2, nothing of Node's own on stderr), whatever module format its project gives it: ES module syntax in a CommonJS package, a thrown value that is no Error, a CommonJS module's exports. The gate's worker threads read a CommonJS module by the same rule in module-formats.long.test.ts, as panic-location.test.ts's gate reads a .cjs one by default.
import { describe, expect, it } from "vitest";
import { BUILT } from "../gate/helpers.js";
import {
  COMPILED_DEFAULT,
  compiledDefaultRefusal,
  ES_IN_COMMONJS,
  FACTORY,
  inProject,
  project,
  TINY,
} from "./module-project.js";

describe.skipIf(!BUILT)("a scheduler module (the built CLI: run `npm run build`)", () => {
  it("written as an ES module in a .js file of a CommonJS package is refused at its `export`, naming the package.json", () => {
    const dir = project(
      { name: "p", version: "1.0.0", type: "commonjs" },
      {
        "mine.js": `// mine\nexport const scheduler = ${FACTORY};\n`,
        "imp.js": `import { join } from "node:path";\nexport const scheduler = ${FACTORY};\n`,
      },
    );
    const mine = inProject(dir, ["run", TINY, "--scheduler", "mods/mine.js"]);
    expect(mine.code, mine.err).toBe(2);
    expect(mine.err).toBe(ES_IN_COMMONJS);
    const r = inProject(dir, ["run", TINY, "--scheduler", "mods/imp.js"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^aftershock: mods\/imp\.js:1:1: the scheduler module is written as an ES module \(it uses `import`\)/,
    );
    expect(r.err).not.toMatch(/Warning|node:internal/);
  });

  it("in CommonJS is the `scheduler` of its exports however they are written, or its exports themselves", () => {
    const dir = project(
      { name: "p", version: "1.0.0", type: "commonjs" },
      {
        "literal.js": `module.exports = { scheduler: ${FACTORY} };\n`,
        "whole.js": `module.exports = ${FACTORY};\n`,
        "typo.js": `module.exports = { sched: ${FACTORY} };\n`,
      },
    );
    for (const name of ["literal.js", "whole.js"]) {
      // The module's loading is the subject: the run's first minute runs it as well as its whole.
      const r = inProject(dir, ["run", TINY, "--scheduler", `mods/${name}`, "--until", "+1m", "--json"]);
      expect(r.err, name).toBe("");
      expect(JSON.parse(r.out).variant.scheduler, name).toMatch(new RegExp(`^module:.*/mods/${name}$`));
    }
    const typo = inProject(dir, ["run", TINY, "--scheduler", "mods/typo.js"]);
    expect(typo.code).toBe(2);
    expect(typo.err).toBe(
      "aftershock: mods/typo.js: not a scheduler: `name` must be a string; `create(fixes)` must be a function; the export holds `sched`\n",
    );
  });

  it("compiled from TypeScript's `export default` to CommonJS is refused, saying that `module.exports.default` is a scheduler and how to export it", () => {
    const dir = project(
      { name: "p", version: "1.0.0", type: "commonjs" },
      { "compiled.js": COMPILED_DEFAULT, "default.mjs": `export default ${FACTORY};\n` },
    );
    const compiled = inProject(dir, ["run", TINY, "--scheduler", "mods/compiled.js"]);
    expect(compiled.code).toBe(2);
    expect(compiled.err).toBe(compiledDefaultRefusal("compiled.js"));
    // An ES module's own `export default` is read.
    const r = inProject(dir, ["run", TINY, "--scheduler", "mods/default.mjs", "--until", "+1m", "--json"]);
    expect(r.err).toBe("");
    expect(JSON.parse(r.out).variant.scheduler).toMatch(/^module:.*\/mods\/default\.mjs$/);
  });

  it("that throws a value that is no Error while loading is refused with that value shown readably", () => {
    const dir = project(null, {
      "string.mjs": 'throw "x";\nexport const scheduler = {};\n',
      "object.mjs": "throw { code: 7 };\nexport const scheduler = {};\n",
      "create.mjs": `export const scheduler = { ...${FACTORY}, create() { throw { code: 8 }; } };\n`,
    });
    const said = (name: string) => {
      const r = inProject(dir, ["run", TINY, "--scheduler", `mods/${name}`]);
      expect(r.code).toBe(2);
      return r.err;
    };
    const tail = "not an Error, so no line is known: throw an Error to have it said)\n";
    expect(said("object.mjs")).toBe(
      `aftershock: mods/object.mjs: the scheduler module threw while loading: { code: 7 } (an object, ${tail}`,
    );
    // Its `create`, called as the module is checked, alike.
    expect(said("create.mjs")).toBe(
      `aftershock: mods/create.mjs: not a scheduler: create([]) threw: { code: 8 } (an object, ${tail}`,
    );
    // Node itself prints its own excerpt before it for a thrown string (see module-load-error.ts).
    expect(said("string.mjs")).toMatch(
      new RegExp(
        `aftershock: mods/string\\.mjs: the scheduler module threw while loading: "x" \\(a string, ${tail.replace(/[()]/g, "\\$&")}$`,
      ),
    );
  });
});
