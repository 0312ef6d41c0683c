// Shows that the words of compare's table and of the dashboards that need saying are said under them, a line each.
import { describe, expect, it } from "vitest";
import { newSession, play } from "./helpers.js";

describe("the terms under compare and status", () => {
  it("explain the cascade, its end, affected accounts, full outage and crash-looping", () => {
    const [status, , compare] = play(newSession(), [
      "next",
      "next",
      "next",
      "status",
      "what-if deploy fixed",
      "compare",
    ])
      .slice(3)
      .map((s) => s.text);
    for (const term of ["Cascade: depth n = ", "Cascade ends: ", "Affected accounts: ", "Full outage: "]) {
      const lines = compare.split("\n").filter((l) => l.startsWith(`  ${term}`));
      expect(lines, term).toHaveLength(1);
      // One line each, under the table's 100-column notes.
      expect(lines[0].length, term).toBeLessThanOrEqual(100);
    }
    // In the on-call view, in words that do not tell how the cascade passes from worker to worker.
    expect(compare).toContain("Cascade: depth n = the longest chain of workers that died one after another");
    expect(compare).not.toMatch(/one task|next owner firing/);
    expect(status).toMatch(/crash-looping .* [1-9]\n/);
    expect(status).toContain(
      "  Crash-looping: workers in back-off or restarting after a crash, even a first",
    );
  });
});
