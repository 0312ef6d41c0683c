// Shows that every property test draws its worlds from the soak's seed (`seedOf`): under SOAK=1 each gets new worlds, and prints the seed to replay them.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIR = import.meta.dirname;

/** Each test of a property file (`it(` to the next), with its file. */
function propertyTests(): { file: string; body: string }[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".property.test.ts"))
    .flatMap((file) =>
      readFileSync(join(DIR, file), "utf8")
        .split(/\bit(?=(?:\.\w+(?:\([^)]*\))?)?\()/)
        .slice(1)
        .map((body) => ({ file, body })),
    );
}

describe("the property tests under the soak", () => {
  it("take their fast-check seed, and the master seed of the plans they run, from seedOf", () => {
    const tests = propertyTests();
    expect(tests.length).toBeGreaterThan(10);
    // A test that draws worlds (fast-check, or an exploration's runs by index) and a seed fixed
    // in the file would run the same worlds in every nightly soak, and print no seed.
    const draws = tests.filter(({ body }) =>
      /\bfc\.(assert|check)\(|\brunOne\(|\bgeneratedDocument\(/.test(body),
    );
    const fixed = draws.filter(({ body }) => !body.includes("seedOf("));
    expect(fixed.map(({ file, body }) => `${file}: ${body.split("\n")[0]}`)).toEqual([]);
    const literal = tests.filter(({ body }) => /numRuns:[^}]*\bseed: \d/.test(body));
    expect(literal.map(({ file, body }) => `${file}: ${body.split("\n")[0]}`)).toEqual([]);
  });
});
