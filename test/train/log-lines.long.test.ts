// Shows every word of w3's panic in logs, why and the chapter at 100 and 120 columns, plain and in colour, as log-lines.test.ts shows at 60, 80 and 160.
import { describe, it } from "vitest";
import { expectEveryPanicWordAt } from "./log-widths.js";

describe("a log line at a known width", () => {
  it("shows every word of w3's panic (the goroutine `deliver` too) in logs, why and the chapter at 100 and 120 columns", () => {
    expectEveryPanicWordAt([100, 120]);
  });
});
