// Shows the golden files golden-file.test.ts's unreadable ones represent (a truncated one, a seed in text) refused and rewritten alike: an empty file, a negative seed.
import { describe, it } from "vitest";
import { expectRefusedThenRewritten } from "./golden-refusal.js";

describe("a golden file the gate cannot read", () => {
  it.each([
    ["an empty file", "", [1, 1], "not JSON (Unexpected end of JSON input)"],
    [
      "a negative seed",
      '{\n  "scenario": "small-cascade",\n  "seed": -3\n}\n',
      [3, 3],
      "`seed` must be a whole number, 0 or more (a scenario's seed)",
    ],
  ] as const)(
    "(%s) is exit 2 at its line and column without --update-golden, and rewritten with it",
    async (_what, text, at, reason) => {
      await expectRefusedThenRewritten(text, at, reason);
    },
  );
});
