// Shows the one rule that says which variant the gate judges a module's run as: the variant explore's reproducers name, and one the gate runs the module as, with the same fixes.
import { describe, expect, it } from "vitest";
import { judgedVariantOf, moduleFixesOf, variantSkipReason } from "../../src/explore/gate-scheduler.js";

const module = (fixes: readonly string[]) => ({ path: "mods/mine.mjs", fixes });

describe("judgedVariantOf", () => {
  it("names fixed for a module that lists no fixes: the only variant the gate runs it as", () => {
    expect(judgedVariantOf(module([]), [])).toBe("fixed");
    expect(variantSkipReason(module([]), "buggy")).not.toBeNull();
  });

  it("maps a module that lists v2's fixes as v2: the variant whose fixes are the run's", () => {
    const v2Like = module(["early-return", "panic-recovery"]);
    expect(judgedVariantOf(v2Like, [])).toBe("buggy");
    expect(judgedVariantOf(v2Like, ["early-return"])).toBe("early-return");
    expect(judgedVariantOf(v2Like, ["panic-recovery", "early-return"])).toBe("fixed");
    expect(judgedVariantOf(v2Like, ["early-return", "early-return"])).toBe("early-return");
  });

  it("names a variant the gate runs with those fixes when none has them exactly, and none when no gated run has them", () => {
    // Listing only early-return, the fixed variant gives it early-return too: the exact one comes first.
    expect(judgedVariantOf(module(["early-return"]), ["early-return"])).toBe("early-return");
    expect(judgedVariantOf(module(["early-return"]), [])).toBe("buggy");
    // A fix of the module's own is `fixed`'s, which gives it every fix it lists; `buggy` none.
    expect(judgedVariantOf(module(["slow-path"]), ["slow-path"])).toBe("fixed");
    expect(judgedVariantOf(module(["slow-path"]), [])).toBe("buggy");
    // Beside v2's two: `fixed` gives all three, so v2's two alone are no gated run's.
    const both = module(["early-return", "panic-recovery", "slow-path"]);
    expect(judgedVariantOf(both, ["early-return", "panic-recovery", "slow-path"])).toBe("fixed");
    expect(judgedVariantOf(both, ["early-return", "panic-recovery"])).toBeNull();
    expect(judgedVariantOf(both, ["early-return"])).toBe("early-return");
  });

  it("always names a variant the gate runs the module as, giving it exactly the fixes asked", () => {
    const listings = [
      [],
      ["early-return"],
      ["panic-recovery"],
      ["early-return", "panic-recovery"],
      ["slow-path"],
      ["early-return", "panic-recovery", "slow-path"],
    ];
    const runs = [
      [],
      ["early-return"],
      ["panic-recovery"],
      ["early-return", "panic-recovery"],
      ["slow-path"],
      ["early-return", "panic-recovery", "slow-path"],
    ];
    for (const listed of listings)
      for (const fixes of runs) {
        const variant = judgedVariantOf(module(listed), fixes);
        if (variant === null) continue;
        expect(variantSkipReason(module(listed), variant), `${listed} ${fixes}`).toBeNull();
        expect([...moduleFixesOf(module(listed), variant)].sort()).toEqual([...fixes].sort());
      }
  });
});
