// Shows the CLI's V8 tuning stays out of the way of a user who set the same flag, and applies otherwise.
import { describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, INLINING_BUDGET, tuneV8, V8_TUNING } from "../../src/cli/heap.js";

describe("tuneV8", () => {
  it("leaves a user's own flag alone, on the command line or in NODE_OPTIONS, in either spelling", () => {
    expect(tuneV8(["--heap-growing-percent=75"], "")).toEqual([
      `--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`,
    ]);
    expect(tuneV8([], "--max-old-space-size=512 --heap-growing-percent 75")).toEqual([
      `--max-inlined-bytecode-size-cumulative=${INLINING_BUDGET}`,
    ]);
    expect(tuneV8(["--max_inlined_bytecode_size_cumulative=920"], "--heap_growing_percent=75")).toEqual([]);
  });

  it("applies every setting when nothing is set, and a similar flag is not the same flag", () => {
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
    expect(HEAP_GROWING_PERCENT).toBeLessThan(100);
    expect(
      tuneV8(["--enable-source-maps", "--max-inlined-bytecode-size=460"], "--max-old-space-size=512"),
    ).toEqual(V8_TUNING.map(({ flag, value }) => `${flag}=${value}`));
  });
});
