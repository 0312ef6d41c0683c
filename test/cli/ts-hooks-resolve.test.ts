// The loader hook that lets a TypeScript scheduler module write its imports of .ts files as .js
// (the `nodenext` convention), called directly with a stand-in for Node's own resolution.
import { describe, expect, it } from "vitest";
import { resolve } from "../../src/cli/ts-hooks.js";

/** Node's resolution over a folder that holds only `dep.ts`: any other file is not found. */
async function nodeResolve(specifier: string): Promise<{ url: string }> {
  if (specifier === "./dep.ts") return { url: "file:///mods/dep.ts" };
  throw Object.assign(new Error(`Cannot find module '${specifier}'`), { code: "ERR_MODULE_NOT_FOUND" });
}

describe("the .ts resolve hook", () => {
  it("resolves a .ts module's ./dep.js to ./dep.ts when only the .ts file exists", async () => {
    await expect(resolve("./dep.js", { parentURL: "file:///mods/main.ts" }, nodeResolve)).resolves.toEqual({
      url: "file:///mods/dep.ts",
    });
  });

  it("does so for a parent imported with a query or a fragment too", async () => {
    for (const parentURL of ["file:///mods/main.ts?fresh=2", "file:///mods/main.mts#x"]) {
      await expect(resolve("./dep.js", { parentURL }, nodeResolve), parentURL).resolves.toEqual({
        url: "file:///mods/dep.ts",
      });
    }
  });

  it("leaves a JavaScript parent's ./dep.js not found, as Node says it", async () => {
    for (const parentURL of ["file:///mods/main.js", "file:///mods/main.js?v=1", "file:///mods/ts?x.js"]) {
      await expect(resolve("./dep.js", { parentURL }, nodeResolve), parentURL).rejects.toThrow(
        "Cannot find module './dep.js'",
      );
    }
  });
});
