// Shows the CLI's heap tuning stays out of the way of a user who set the same V8 flag, and applies otherwise.
import { describe, expect, it } from "vitest";
import { HEAP_GROWING_PERCENT, tuneHeap } from "../../src/cli/heap.js";

describe("tuneHeap", () => {
  it("leaves a user's own --heap-growing-percent alone, on the command line or in NODE_OPTIONS", () => {
    expect(tuneHeap(["--heap-growing-percent=75"], "")).toBe(false);
    expect(tuneHeap([], "--max-old-space-size=512 --heap-growing-percent=75")).toBe(false);
  });

  it("applies a bounded growth when nothing is set", () => {
    expect(HEAP_GROWING_PERCENT).toBeGreaterThan(0);
    expect(HEAP_GROWING_PERCENT).toBeLessThan(100);
    expect(tuneHeap(["--enable-source-maps"], "--max-old-space-size=512")).toBe(true);
  });
});
