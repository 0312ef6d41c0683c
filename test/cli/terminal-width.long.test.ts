// Shows run's, compare's and explore's colour text laid out as their plain text on a terminal 80 columns wide, as terminal-width.test.ts shows at 60.
import { describe, it } from "vitest";
import { laidOutAsPlain } from "./painted-output.js";

describe("human output on a colour terminal", () => {
  it("is laid out as the plain text is at 80 columns: leads kept, command lines whole, headers fitted", async () => {
    await laidOutAsPlain(80);
  });
});
