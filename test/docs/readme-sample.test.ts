// Shows the README's sample of the May 8 replay is the replay the code gives now, by its trace hash.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

describe("README sample output", () => {
  it("quotes the May 8 runs the golden file pins (refresh the sample when it changes)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const golden = JSON.parse(
      readFileSync(join(ROOT, "scenarios", "golden", "qstash-2026-05-08.json"), "utf8"),
    ) as {
      variants: Record<"buggy" | "fixed", { traceHash: string; events: number }>;
    };
    for (const name of ["buggy", "fixed"] as const) {
      const { traceHash, events } = golden.variants[name];
      const header = readme.split("\n").find((line) => line.startsWith(`  ${name}: `));
      expect(header, `the README shows ${name}'s trace in the replay's header`).toBeDefined();
      expect(header).toMatch(new RegExp(`^  ${name}: +${events} trace events · trace ${traceHash}$`));
    }
  });
});
