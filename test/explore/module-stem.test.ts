// Shows how a module's file name goes into its reproducers' names: readable letters kept (accents dropped, not the letters), and a short hash of the file name that tells modules apart when letters had to go.
import { describe, expect, it } from "vitest";
import { moduleStem } from "../../src/cli/commands/module-stem.js";
import { asScenarioName } from "../../src/scenario/schema.js";

describe("moduleStem", () => {
  it("spells a file name as a scenario name, without its folder and extension", () => {
    expect(moduleStem("mods/mine.mjs")).toBe("mine");
    expect(moduleStem("/abs/My Bug_v2.mjs")).toBe("my-bug-v2");
  });

  it("keeps the letters of accented names, dropping only the accents", () => {
    expect(moduleStem("Mön Bug_v2.mjs")).toBe("mon-bug-v2");
    expect(moduleStem("crème-brûlée.ts")).toBe("creme-brulee");
    // Composed or decomposed, as macOS writes file names: the same stem.
    expect(moduleStem("Mo\u0308n.mjs")).toBe(moduleStem("M\u00f6n.mjs"));
  });

  it("tells apart names with nothing readable left, stably, and keeps them scenario names", () => {
    const japan = moduleStem("日本.mjs");
    const china = moduleStem("中国.mjs");
    expect(japan).not.toBe(china);
    expect(japan).not.toBe("module");
    expect(moduleStem("other/folder/日本.mjs")).toBe(japan);
    for (const stem of [japan, china]) {
      expect(stem).toMatch(/^[a-z0-9-]+$/);
      expect(asScenarioName(stem)).toBe(stem);
    }
  });

  it("adds the hash when only some letters were lost, so that two such names do not meet", () => {
    const a = moduleStem("日本-v2.mjs");
    const b = moduleStem("中国-v2.mjs");
    expect(a).toMatch(/^v2-[0-9a-f]+$/);
    expect(a).not.toBe(b);
  });

  it("gives the same stem on every machine (a hash of the name, not of the path or the disk)", () => {
    expect(moduleStem("日本.mjs")).toBe("cf2abf0c");
  });
});
