// Shows the facilitator's guide's what-if table (docs/training.md) gives score's numbers for its forks of one what-if each but `deploy fixed`: the other deploys, the rollback and the scale-up, and for its chain of all three quarantines (training-guide.test.ts checks deploy fixed's, the original's and the quarantines of one and two schedules, a chain of two).
import { describe, expect, it } from "vitest";
import { expectGuideTable, LONG_ROWS } from "./guide-table.js";

describe("the training guide's what-if table", () => {
  it("gives the numbers score gives today for the other deploys, the rollback, the scale-up and all three quarantines", {
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
