// Shows the CLI's V8 tuning stays out of the way of a user who set the same flag, and applies otherwise.
import { describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, INLINING_BUDGET, tuneV8, V8_TUNING, v8Setting } from "../../src/cli/heap.js";

describe("tuneV8", () => {
  it("leaves a user's own flag alone, on the command line or in NODE_OPTIONS, in either spelling", () => {
    const inlining = `--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`;
    const pretenuring = "--no-allocation-site-pretenuring";
    expect(tuneV8(["--heap-growing-percent=75"], "")).toEqual([inlining, pretenuring]);
    expect(tuneV8([], "--max-old-space-size=512 --heap-growing-percent 75")).toEqual([inlining, pretenuring]);
    expect(tuneV8(["--max_inlined_bytecode_size_cumulative=920"], "--heap_growing_percent=75")).toEqual([
      pretenuring,
    ]);
  });

  it("leaves a switch the user set alone, on or off, in any of V8's spellings", () => {
    for (const given of [
      "--allocation-site-pretenuring",
      "--allocation_site_pretenuring",
      "--no-allocation-site-pretenuring",
      "--noallocation-site-pretenuring",
      "--no_allocation_site_pretenuring",
    ])
      expect(
        tuneV8([given, "--heap-growing-percent=75", "--max-inlined-bytecode-size-cumulative=9"], ""),
      ).toEqual([]);
    expect(v8Setting("--allocation-site-pretenuring", false)).toBe("--no-allocation-site-pretenuring");
    expect(v8Setting("--heap-growing-percent", 20)).toBe("--heap-growing-percent=20");
  });

  it("applies every setting when nothing is set, and a similar flag is not the same flag", () => {
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
    expect(HEAP_GROWING_PERCENT).toBeLessThan(100);
    expect(
      tuneV8(["--enable-source-maps", "--max-inlined-bytecode-size=460"], "--max-old-space-size=512"),
    ).toEqual(V8_TUNING.map(({ flag, value }) => v8Setting(flag, value)));
  });
});
