// Shows the built gate's module cases in the thread arrangement built.test.ts does not run them in (its cases are the representatives): a module that keeps state fails the determinism check in one thread, one that reads Math.random() as it is imported fails it on worker threads, and a module a timeline deploys is run anew in one thread.
import { describe, it } from "vitest";
import { expectDeployedModuleRunAnew, expectNondeterministic } from "./built-cases.js";
import { BUILT } from "./helpers.js";

describe.skipIf(!BUILT)("the built gate (skipped without dist/: run `npm run build`)", () => {
  it("fails the determinism check of a module that keeps state between runs in one thread", () => {
    expectNondeterministic("test/gate/fixtures/modules/stateful-create.mjs", "nondeterminism", "1");
  });

  it("fails the determinism check of a module that reads Math.random() as it is imported, with --jobs 2", () => {
    expectNondeterministic(
      "test/gate/fixtures/modules/import-random.mjs",
      "a run on a thread that loaded the scheduler module anew gave a different trace",
      "2",
    );
  });

  it("runs a variant a third time on a new thread when the scenario's timeline deploys a module, with --jobs 1", () => {
    expectDeployedModuleRunAnew("1");
  });
});
