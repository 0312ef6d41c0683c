// Shows the other forms of the module formats module-formats.test.ts loads once each: gate's refusal of an ES module in a CommonJS package, a CommonJS module read on the gate's worker threads (as panic-location.test.ts's gate reads a .cjs one by default), a CommonJS scheduler exported by name or from a .cjs file, and `export default` compiled to a .cjs file or marked `__esModule` by hand.
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
  it("written as an ES module in a .js file of a CommonJS package is refused by gate as by run", () => {
    const dir = project(
      { name: "p", version: "1.0.0", type: "commonjs" },
      { "mine.js": `// mine\nexport const scheduler = ${FACTORY};\n` },
    );
    const r = inProject(dir, ["gate", TINY, "--scheduler", "mods/mine.js"]);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toBe(ES_IN_COMMONJS);
  });

  it("in CommonJS is read by the same rule on the gate's worker threads", () => {
    const dir = project(
      { name: "p", version: "1.0.0", type: "commonjs" },
      { "literal.js": `module.exports = { scheduler: ${FACTORY} };\n` },
    );
    const gate = inProject(dir, ["gate", TINY, "--scheduler", "mods/literal.js", "--jobs", "2"]);
    expect(gate.err).toBe("");
    expect(gate.out).toContain("scheduler mods/literal.js in place of v2");
  });

  it("in CommonJS is the `scheduler` of its exports set by name, or of a .cjs file's", () => {
    const dir = project(
      { name: "p", version: "1.0.0", type: "commonjs" },
      {
        "named.js": `exports.scheduler = ${FACTORY};\n`,
        "literal.cjs": `module.exports = { scheduler: ${FACTORY} };\n`,
      },
    );
    for (const name of ["named.js", "literal.cjs"]) {
      const r = inProject(dir, ["run", TINY, "--scheduler", `mods/${name}`, "--until", "+1m", "--json"]);
      expect(r.err, name).toBe("");
      expect(JSON.parse(r.out).variant.scheduler, name).toMatch(new RegExp(`^module:.*/mods/${name}$`));
    }
  });

  it("compiled from TypeScript's `export default` to a .cjs file, or marked `__esModule` by hand, is refused as the .js one is", () => {
    const dir = project(
      { name: "p", version: "1.0.0", type: "commonjs" },
      {
        "compiled.cjs": COMPILED_DEFAULT,
        "marked.js": `exports.__esModule = true;\nexports.default = ${FACTORY};\n`,
      },
    );
    for (const name of ["compiled.cjs", "marked.js"]) {
      const r = inProject(dir, ["run", TINY, "--scheduler", `mods/${name}`]);
      expect(r.code, name).toBe(2);
      expect(r.err, name).toBe(compiledDefaultRefusal(name));
    }
  });
});
