// Shows the named variants and the scheduler and fixes each one runs.
import { describe, expect, it } from "vitest";
import { resolveVariant, VARIANT_NAMES, variantFixes } from "../../src/scenario/index.js";

describe("variants", () => {
  it("maps each name to a scheduler and fixes", () => {
    expect(resolveVariant("buggy")).toEqual({ scheduler: "v2", fixes: [] });
    expect(resolveVariant("fixed")).toEqual({ scheduler: "v2", fixes: ["early-return", "panic-recovery"] });
    expect(resolveVariant("early-return")).toEqual({ scheduler: "v2", fixes: ["early-return"] });
    expect(resolveVariant("panic-recovery")).toEqual({ scheduler: "v2", fixes: ["panic-recovery"] });
    expect(resolveVariant("v1")).toEqual({ scheduler: "v1", fixes: [] });
  });

  it("knows no other names, not even inherited ones", () => {
    expect(resolveVariant("v2")).toBeNull();
    expect(resolveVariant("toString")).toBeNull();
    expect(resolveVariant("Fixed")).toBeNull();
  });

  it("lists exactly the names it resolves, and hands out copies", () => {
    expect([...VARIANT_NAMES]).toEqual(Object.keys(variantFixes));
    const fixes = resolveVariant("fixed")?.fixes;
    fixes?.push("early-return");
    expect(variantFixes.fixed.fixes).toHaveLength(2);
  });
});
