// Shows that --scheduler and --fix give one run per set of fixes, whatever the order or repeats.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkVariant, chooseVariant, withLoadedModule } from "../../src/cli/variant.js";
import { compileScenario } from "../../src/scenario/compile.js";
import { parseScenario } from "../../src/scenario/index.js";
import { VARIANT_NAMES } from "../../src/scenario/variants.js";
import { V2_FIXES } from "../../src/schedulers/v2.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";
import { usageError } from "./usage-error.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

function scenario() {
  const parsed = parseScenario(readFileSync(TINY, "utf8"), TINY);
  if (!parsed.ok) throw new Error("tiny.yaml does not parse");
  return parsed.scenario;
}

function compiled() {
  return compileScenario(scenario());
}

const silent = () => {};

describe("--scheduler and --fix", () => {
  it("put the fixes in the scheduler's own order, once each: the same run as the named variant", () => {
    for (const fix of ["panic-recovery,early-return", "early-return,panic-recovery,early-return"]) {
      const chosen = chooseVariant(compiled(), { scheduler: "v2", fix }, TINY);
      expect(chosen.config.scheduler).toEqual({ name: "v2", fixes: ["early-return", "panic-recovery"] });
      expect(chosen.variantName).toBe("fixed");
    }
    const once = chooseVariant(compiled(), { scheduler: "v2", fix: "early-return,early-return" }, TINY);
    expect(once.config.scheduler.fixes).toEqual(["early-return"]);
    expect(once.variantName).toBe("early-return");
  });

  it("refuse a fix the scheduler does not have, naming the ones it has", () => {
    expect(usageError(() => chooseVariant(compiled(), { scheduler: "v1", fix: "early-return" }, TINY))).toBe(
      '--fix: v1 has no fix "early-return" (v1 has no fixes)',
    );
    expect(usageError(() => chooseVariant(compiled(), { scheduler: "v2", fix: "bogus" }, TINY))).toBe(
      `--fix: v2 has no fix "bogus" (fixes of v2: ${V2_FIXES.join(", ")})`,
    );
    // A misspelt fix is told the one meant, as a misspelt --variant is.
    expect(usageError(() => chooseVariant(compiled(), { scheduler: "v2", fix: "early-retrun" }, TINY))).toBe(
      `--fix: v2 has no fix "early-retrun" (fixes of v2: ${V2_FIXES.join(", ")}) — did you mean early-return?`,
    );
    expect(usageError(() => chooseVariant(compiled(), { scheduler: "v9" }, TINY))).toBe(
      '--scheduler: unknown scheduler "v9" (bundled: v1, v2; or a path to a module)',
    );
    expect(
      usageError(() => chooseVariant(compiled(), { variant: "fixed", fix: "early-return" }, TINY)),
    ).toContain("--fix goes with --scheduler");
  });

  it("order and check a module's fixes once it is loaded, by the fixes it declares", () => {
    const module: SchedulerFactory = {
      name: "mine",
      description: "a user module",
      fixes: ["b", "a"],
      create: () => ({ name: "mine", fixes: [], main: function* () {} }),
    };
    const o = { scheduler: "./mine.js", fix: "a,b,a" };
    const chosen = chooseVariant(compiled(), o, TINY);
    const schedulers = new Map([[chosen.config.scheduler.name, module]]);
    expect(withLoadedModule(chosen, o, schedulers, scenario(), silent).config.scheduler.fixes).toEqual([
      "b",
      "a",
    ]);
    const wrong = { scheduler: "./mine.js", fix: "c" };
    expect(
      usageError(() =>
        withLoadedModule(chooseVariant(compiled(), wrong, TINY), wrong, schedulers, scenario(), silent),
      ),
    ).toBe('--fix: ./mine.js has no fix "c" (fixes of ./mine.js: b, a)');
  });
});

describe("--variant and --variants", () => {
  it("suggest the variant a misspelt name is one typo from, as a scenario's expect does", () => {
    expect(usageError(() => chooseVariant(compiled(), { variant: "fixd" }, TINY))).toBe(
      `--variant: unknown variant "fixd" (known: ${VARIANT_NAMES.join(", ")}) — did you mean fixed?`,
    );
    expect(usageError(() => checkVariant("bugy", "--variants"))).toContain("— did you mean buggy?");
    expect(usageError(() => checkVariant("nope"))).toBe(
      `--variant: unknown variant "nope" (known: ${VARIANT_NAMES.join(", ")})`,
    );
  });
});
