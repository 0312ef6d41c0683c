// Shows that the committed JSON Schema is the one the code generates, and that editors get help text.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  parseDuration,
  parseInstant,
  parseTimeRef,
  SCENARIO_SCHEMA_PATH,
  scenarioJsonSchema,
} from "../../src/scenario/index.js";

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

  it("accepts exactly the durations and times the parser accepts, spaces refused by both", () => {
    const patterns = fieldPatterns(scenarioJsonSchema());
    const agree = (field: string, parse: (text: string) => { ok: boolean }, texts: readonly string[]) => {
      const pattern = new RegExp(patterns.get(field)!, "u");
      for (const text of texts) {
        expect(pattern.test(text), `${field} ${JSON.stringify(text)}: the schema`).toBe(parse(text).ok);
      }
    };
    const durations = [
      "30s",
      "250ms",
      "1h30m",
      "1d2h3m4s5ms",
      "0s",
      "30",
      "30 s",
      " 30s",
      "30s ",
      "\t30s",
      "1h 30m",
      "30S",
      "1.5h",
      "m",
      "",
      " ",
      "30s\n",
    ];
    agree("leaseTtl", (t) => parseDuration(t), durations);
    agree("skew", (t) => parseDuration(t, { signed: true }), [
      ...durations,
      "-5s",
      "+5s",
      "- 5s",
      "-5s ",
      "--5s",
    ]);
    const instants = [
      "2026-05-08T09:30:00Z",
      "2026-05-08T09:30Z",
      "2026-05-08T09:30:00.250Z",
      " 2026-05-08T09:30:00Z",
      "2026-05-08T09:30:00Z ",
      "2026-05-08 09:30:00Z",
      "2026-05-08T09:30:00",
      "2026-05-08T09:30:00+02:00",
    ];
    agree("start", parseInstant, instants);
    agree("at", parseTimeRef, [
      ...instants,
      "+5m",
      "+0s",
      "+1h30m",
      "+ 5m",
      "+\t5m",
      "+5m ",
      " +5m",
      "+5 m",
      "+5",
      "5m",
      "+",
      "+-5m",
      "+abc",
      "09:44",
      "9:44",
      "09:44:30",
      "09:44:30.5",
      "09:44:30.500",
      "09:44:30.5000",
      "09:44.500",
      "09:44:30.",
      " 09:44",
      "09:44 ",
      "24:00",
      "23:59:59",
      "09:60",
      "09:44:60",
      "9:5",
    ]);
  });
});

/** The `pattern` of each named field of a JSON Schema, wherever it is (the first one found). */
function fieldPatterns(schema: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (node: unknown, key: string | null) => {
    if (node === null || typeof node !== "object") return;
    const pattern = (node as { pattern?: unknown }).pattern;
    if (key !== null && typeof pattern === "string" && !found.has(key)) found.set(key, pattern);
    for (const [k, v] of Object.entries(node)) walk(v, k);
  };
  walk(schema, null);
  return found;
}
