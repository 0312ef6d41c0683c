// Shows the quiet day's gate catching a scheduler module that delivers every message twice: no property judges duplicates (at-least-once allows some), so the scenario's `deliveries.duplicate == 0` expectation is what fails it.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tmp } from "../explore/cli-helpers.js";
import { plantedModule } from "../explore/planted-module.js";
import { cli, ROOT } from "./helpers.js";

const twice = plantedModule(tmp(), "twice.mjs", (text) =>
  text.replace(
    "  const response = yield* rt.http.post(tx, message, attempt);",
    "  yield* rt.http.post(tx, message, attempt);\n  const response = yield* rt.http.post(tx, message, attempt);",
  ),
);

describe("a module that delivers every message twice", () => {
  it("fails the quiet day's duplicate expectation in the gate, and the fixed v2 passes it", async () => {
    const quietDay = join(ROOT, "scenarios", "quiet-day.yaml");
    const r = await cli(["gate", quietDay, "--scheduler", twice, "--jobs", "1"]);
    expect(r.code, r.err).toBe(1);
    expect(r.out).toMatch(
      /✗ \[fixed\] deliveries\.duplicate == 0 +expected deliveries\.duplicate == 0, measured [1-9]\d*/,
    );
    const fixed = await cli(["gate", quietDay, "--jobs", "1"]);
    expect(fixed.out).toMatch(/✓ \[fixed\] deliveries\.duplicate == 0/);
    expect(fixed.code, fixed.err).toBe(0);
  });
});
