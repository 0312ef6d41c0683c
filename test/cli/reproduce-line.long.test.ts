// Shows that a printed command pasted into a shell gives back its arguments for a folder whose name holds a space, as reproduce-line.test.ts shows for one holding a single quote: run, compare and the Markdown report, the gate, and explore's replay.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, it } from "vitest";
import { tmp } from "../explore/cli-helpers.js";
import { A_SPACE, exploreReadBack, gateReadBack, runAndCompareReadBack } from "./pasted-commands.js";

let dir: string;
beforeAll(() => {
  dir = tmp();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("a printed command pasted into a shell gives back its arguments", () => {
  it.each([A_SPACE])("run, compare and the Markdown report: a path with %s", (_, folder, name, module) =>
    runAndCompareReadBack(dir, folder, name, module),
  );

  it.each([A_SPACE])(
    "gate: a failed case, with and without --scheduler, and the golden update: %s",
    (_, folder, name, module) => gateReadBack(dir, folder, name, module),
  );

  it.each([A_SPACE])("explore: the replay of a reproducer in a folder with %s", (_, folder) =>
    exploreReadBack(dir, folder),
  );
});
