// Shows the README's sample of the May 8 replay is the replay the code gives now, by its trace hash.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");

describe("README sample output", () => {
  it("quotes the buggy May 8 run the golden file pins (refresh the sample when it changes)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const golden = JSON.parse(
      readFileSync(join(ROOT, "scenarios", "golden", "qstash-2026-05-08.json"), "utf8"),
    ) as {
      variants: { buggy: { traceHash: string; events: number } };
    };
    const { traceHash, events } = golden.variants.buggy;
    const header = readme.split("\n").find((line) => line.includes("trace events · trace "));
    expect(header, "the README shows the replay's header").toBeDefined();
    expect(header).toContain(`${events} trace events · trace ${traceHash}`);
  });
});
