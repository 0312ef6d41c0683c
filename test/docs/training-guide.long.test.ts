// Shows the facilitator's guide's what-if table (docs/training.md) gives score's numbers for the deploys of early-return and of panic-recovery alone, like training-guide.test.ts's `deploy fixed` and the table's other rows.
import { describe, it } from "vitest";
import { expectGuideTable } from "./guide-table.js";

describe("the training guide's what-if table", () => {
  it("gives the numbers score gives today for deploy early-return and deploy panic-recovery", {
    timeout: 180_000,
  }, () => {
    expectGuideTable((row) => ["`deploy early-return`", "`deploy panic-recovery`"].includes(row.cell));
  });
});
