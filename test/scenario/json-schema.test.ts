// Shows that the committed JSON Schema is the one the code generates, and that editors get help text.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from "../../src/scenario/index.js";

const REGENERATE = "AFTERSHOCK_WRITE_SCHEMA=1 npx vitest run test/scenario/json-schema.test.ts";

function generated(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}

describe("scenario JSON Schema", () => {
  it(`is committed up to date in ${SCENARIO_SCHEMA_PATH}`, () => {
    if (process.env.AFTERSHOCK_WRITE_SCHEMA === "1") writeFileSync(SCENARIO_SCHEMA_PATH, generated());
    const committed = existsSync(SCENARIO_SCHEMA_PATH) ? readFileSync(SCENARIO_SCHEMA_PATH, "utf8") : "";
    expect(
      committed === generated(),
      `${SCENARIO_SCHEMA_PATH} is stale; regenerate it with: ${REGENERATE}`,
    ).toBe(true);
  });

  it("describes every field of the top level and of the fleet", () => {
    const schema = scenarioJsonSchema() as {
      properties: Record<
        string,
        { description?: string; properties?: Record<string, { description?: string }> }
      >;
    };
    for (const [key, field] of Object.entries(schema.properties)) {
      expect(field.description, key).toBeTruthy();
    }
    for (const [key, field] of Object.entries(schema.properties.fleet.properties ?? {})) {
      expect(field.description, `fleet.${key}`).toBeTruthy();
    }
  });

  it("shows defaults and refuses unknown keys", () => {
    const schema = scenarioJsonSchema() as {
      additionalProperties: unknown;
      required: string[];
      properties: { fleet: { properties: { leaseTtl: { default: unknown; pattern: string } } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["name", "description", "start", "duration"]);
    expect(schema.properties.fleet.properties.leaseTtl.default).toBe("30s");
    expect(new RegExp(schema.properties.fleet.properties.leaseTtl.pattern).test("1h30m")).toBe(true);
    expect(new RegExp(schema.properties.fleet.properties.leaseTtl.pattern).test("30")).toBe(false);
  });
});
