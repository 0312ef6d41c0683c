// Shows that the README's tables of timeline actions and faults name every kind the scenario schema takes, each with every one of its fields, so that an author can write any of them from the README alone; and that its lists of variants and scheduler options, and the gate's in docs/ci.md, name every one the code has; and that the files it names in the repository are there.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VARIANT_NAMES } from "../../src/scenario/variants.js";
import { BUNDLED_SCHEDULER_OPTIONS } from "../../src/schedulers/options.js";

const ROOT = join(import.meta.dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const SCHEMA = JSON.parse(readFileSync(join(ROOT, "schema/scenario.schema.json"), "utf8")) as {
  properties: Record<string, { items: { oneOf: { properties: Record<string, { const?: string }> }[] } }>;
};

/** Each kind of a list's entries (`timeline` by `action`, `faults` by `fault`) with its fields but `at` and the kind. */
function kindsOf(list: string, by: string): [string, string[]][] {
  return SCHEMA.properties[list].items.oneOf.map((entry) => {
    const kind = entry.properties[by].const!;
    return [kind, Object.keys(entry.properties).filter((k) => k !== "at" && k !== by)];
  });
}

/** The README table's row of `kind` under the table headed by `` `by` ``: the text after its name. */
function rowOf(by: string, kind: string): string | undefined {
  const table = README.split(`| \`${by}\` (`)[1]?.split("\n\n")[0] ?? "";
  return table.split("\n").find((line) => line.startsWith(`| \`${kind}\` |`));
}

describe("the README's tables of timeline actions and faults", () => {
  it.each([
    ["timeline", "action"],
    ["faults", "fault"],
  ])("name every kind of %s entry with all its fields", (list, by) => {
    const kinds = kindsOf(list, by);
    expect(kinds.length).toBeGreaterThan(5);
    for (const [kind, fields] of kinds) {
      const row = rowOf(by, kind);
      expect(row, `${by} ${kind} has no row`).toBeDefined();
      for (const field of fields) expect(row, `${by} ${kind}: ${field}`).toContain(`\`${field}\``);
    }
  });
});

describe("the README's lists of variants and scheduler options", () => {
  const CI = readFileSync(join(ROOT, "docs/ci.md"), "utf8");

  it("name every variant where they list them", () => {
    const listed = `(${VARIANT_NAMES.map((v) => `\`${v}\``).join(", ")})`;
    expect(README, "README's metric expectation").toContain(`\`variant\` ${listed}`);
    expect(CI.replace(/\s+/g, " "), "docs/ci.md's gate variants").toContain(`names ${listed}`);
    const flag = `--variant ${VARIANT_NAMES.join("\\|")}`;
    expect(README, "README's run row").toContain(flag);
  });

  it("give every bundled scheduler option with its default", () => {
    for (const [name, option] of Object.entries(BUNDLED_SCHEDULER_OPTIONS))
      expect(README, name).toContain(`| \`${name}\` | ${option.default} |`);
  });
});

describe("the README's places in the repository", () => {
  it("are there: each source, test or script file it names, and each top-level document", () => {
    const paths = [...README.matchAll(/`((?:src|test|scripts|bench|schema|scenarios)\/[\w./-]+)`/g)].map(
      (m) => m[1].replace(/\/$/, ""),
    );
    // Documents it names in prose (it once named DESIGN.md, which the repository does not have).
    const documents = [...README.matchAll(/\b[A-Z]+\.md\b/g)].map((m) => m[0]);
    expect(paths.length).toBeGreaterThan(40);
    expect([...new Set([...paths, ...documents])].filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });
});
