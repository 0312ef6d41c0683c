// Shows that a pool whose worker threads cannot load falls back to this thread and says why, however the threads' failures fall, rather than crash the process with an unhandled error.
import { describe, expect, it } from "vitest";
import { fallBackTimes } from "../support/failing-pool.js";

describe("openPool", () => {
  it("runs in this thread, saying why, when its worker threads fail to load", async () => {
    // Five pools of three threads, each failing at a moment of its own: before the pool gives up
    // on the others, or after (pool.long.test.ts opens twenty).
    expect(await fallBackTimes(5)).toEqual([]);
  });
});
