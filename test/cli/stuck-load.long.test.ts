// Shows compare, why, explore and train stopping a scheduler module that loops in create() as they load it, at the scenario's wall budget, exit 2: the scheduler registry run builds, whose stop stuck-load.test.ts shows in the default run (with validate's and the gate's).
import { describe, it } from "vitest";
import { expectCreateStopped, loopingLoad } from "./looping-load.js";

const { dir } = loopingLoad();

describe("a scheduler module looping as the CLI loads it", () => {
  const commands: readonly (readonly string[])[] = [
    ["compare", "own.yaml"],
    ["why", "own.yaml", "w1"],
    ["explore", "own.yaml", "--runs", "2", "--jobs", "1", "--out", "repro"],
    ["train", "own.yaml", "--script", "quit.txt"],
  ];
  for (const argv of commands) {
    it(`in create(): ${argv[0]} stops it at the scenario's budget, names the module and the call, exit 2`, async () => {
      await expectCreateStopped(dir(), argv);
    }, 20_000);
  }
});
