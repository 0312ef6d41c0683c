// Shows the facilitator's guide's what-if table (docs/training.md) gives score's numbers for its forks of one what-if each but `deploy fixed`: the other deploys, the rollback and the scale-up (training-guide.test.ts checks deploy fixed's, the quarantines' and the original's).
import { describe, expect, it } from "vitest";
import { expectGuideTable, LONG_ROWS } from "./guide-table.js";

describe("the training guide's what-if table", () => {
  it("gives the numbers score gives today for the other deploys, the rollback and the scale-up", {
    timeout: 180_000,
  }, () => {
    let rows = 0;
    expectGuideTable((row) => {
      const long = LONG_ROWS.some((cell) => row.cell.startsWith(cell));
      if (long) rows++;
      return long;
    });
    expect(rows).toBe(LONG_ROWS.length);
  });
});
