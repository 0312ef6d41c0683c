// Shows when "did you mean" suggests a word, and when it stays quiet.
import { describe, expect, it } from "vitest";
import { closest, editDistance } from "../../src/scenario/suggest.js";

describe("closest", () => {
  it("finds near misses and case slips", () => {
    expect(closest("leaseTTL", ["workers", "leaseTtl", "heartbeat"])).toBe("leaseTtl");
    expect(closest("hearbeat", ["workers", "leaseTtl", "heartbeat"])).toBe("heartbeat");
    expect(closest("kil-worker", ["kill-worker", "pause-worker"])).toBe("kill-worker");
  });

  it("counts two letters typed the wrong way round as one slip, as in the commands typed most", () => {
    const commands = ["next", "help", "logs", "why", "status", "workers", "rewind", "reveal"];
    expect(closest("nxet", commands)).toBe("next");
    expect(closest("hlep", commands)).toBe("help");
    expect(closest("lgos", commands)).toBe("logs");
    expect(closest("nexr", commands)).toBe("next");
    expect(editDistance("nxet", "next")).toBe(1);
    expect(editDistance("ab", "ba")).toBe(1);
  });

  it("stays quiet when nothing is close, or when two are equally close", () => {
    expect(closest("colour", ["workers", "leaseTtl"])).toBeUndefined();
    expect(closest("v3", ["v1", "v2"])).toBeUndefined();
  });

  it("finds a name with a part added at a word boundary, when only one is", () => {
    expect(closest("deliveries.lateCount", ["deliveries.late", "deliveries.due", "crashes"])).toBe(
      "deliveries.late",
    );
    expect(closest("leaseTtlMs", ["leaseTtl", "heartbeat"])).toBe("leaseTtl");
    expect(closest("crashesTotal", ["crashes", "cascade"])).toBe("crashes");
    // Not at a word boundary, too short a name, or two names that fit: no guess.
    expect(closest("crashesandburns", ["crashes"])).toBeUndefined();
    expect(closest("runAway", ["run"])).toBeUndefined();
    expect(closest("deliveries.lateOnTime", ["deliveries.late", "deliveries.lateOn"])).toBeUndefined();
  });

  it("does not offer a word that shares no letter with a short one", () => {
    expect(closest("ü", ["-", "a1"])).toBeUndefined();
    expect(closest("a", ["q"])).toBeUndefined();
    expect(closest("v", ["v1"])).toBeUndefined();
  });

  it("measures edit distance", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("same", "same")).toBe(0);
  });
});
