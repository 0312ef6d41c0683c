// Shows the gate refusing an output on a descriptor it was not given, once, as descriptor-outputs.test.ts shows for run.
import { join } from "node:path";
import { describe, it } from "vitest";
import { notGivenRefusedOnce } from "./descriptor-run.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

describe.runIf(process.platform === "linux")("outputs on /dev/fd/N", () => {
  it("the gate refuses a descriptor not open for the command, saying how to give it (exit 2, once)", () => {
    notGivenRefusedOnce(["gate", TINY, "--jobs", "1"]);
  });
});
