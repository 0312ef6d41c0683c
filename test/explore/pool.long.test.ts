// Shows a pool's fallback to this thread over twenty pools of failing threads, for the orders of their failures five pools may not meet; pool.test.ts opens five.
import { describe, expect, it } from "vitest";
import { fallBackTimes } from "../support/failing-pool.js";

describe("openPool", () => {
  it("runs in this thread, saying why, when its worker threads fail to load, twenty times over", async () => {
    expect(await fallBackTimes(20)).toEqual([]);
  });
});
