// Shows that no watch for a step run long is started while an output is written through stderr (`--trace /dev/stderr`), where its notice would land in the middle of that output; and that one is started otherwise.
import { describe, expect, it } from "vitest";
import { StuckStepWatch } from "../../src/cli/stuck-step.js";
import { captureContext } from "../train/helpers.js";

describe("the watch for a step run long", () => {
  it("is not started while an output is written through stderr", () => {
    expect(StuckStepWatch.start({ ...captureContext(), stderrTaken: () => true }, "run", 60_000)).toBeNull();
    const watch = StuckStepWatch.start({ ...captureContext(), stderrTaken: () => false }, "run", 60_000);
    expect(watch).not.toBeNull();
    watch!.stop();
  });
});
