// Shows that the JSON Schema offers the bundled fix names where the scheduler is a bundled one
// (editors complete them), and leaves a scheduler module's fixes free, as the parser does; and that it
// refuses a deploy's `bundled: true` where the parser does; and that it refuses a bundled
// scheduler's option the parser refuses (below its least, a count not whole), as the parser does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { parseScenario, scenarioJsonSchema } from "../../src/scenario/index.js";
import { SCHEDULER_FIXES } from "../../src/scenario/vocabulary.js";

type Schema = Record<string, unknown> | boolean;

/**
 * Whether `value` is valid against `schema`, for the draft-7 keywords the scenario schema uses
 * (no validator is a dependency of the project; this one is small enough to read at once).
 */
function valid(schema: Schema, value: unknown): boolean {
  if (typeof schema === "boolean") return schema;
  const s = schema as Record<string, Schema & Record<string, unknown>>;
  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  const record = value as Record<string, unknown>;
  const checks: (() => boolean)[] = [
    () => s.type === undefined || [s.type].flat().some((t) => typeOf(value, t as unknown as string)),
    () => s.enum === undefined || (s.enum as unknown as unknown[]).includes(value),
    () => !("const" in s) || s.const === value,
    () => s.not === undefined || !valid(s.not, value),
    () => s.allOf === undefined || (s.allOf as unknown as Schema[]).every((x) => valid(x, value)),
    () => s.anyOf === undefined || (s.anyOf as unknown as Schema[]).some((x) => valid(x, value)),
    () =>
      s.oneOf === undefined || (s.oneOf as unknown as Schema[]).filter((x) => valid(x, value)).length === 1,
    () =>
      s.if === undefined ||
      (valid(s.if, value) ? valid(s.then ?? true, value) : valid(s.else ?? true, value)),
    () => typeof value !== "string" || s.minLength === undefined || value.length >= Number(s.minLength),
    () =>
      typeof value !== "string" || s.pattern === undefined || new RegExp(String(s.pattern), "u").test(value),
    () => typeof value !== "number" || s.minimum === undefined || value >= Number(s.minimum),
    () => typeof value !== "number" || s.maximum === undefined || value <= Number(s.maximum),
    () => typeof value !== "number" || s.exclusiveMinimum === undefined || value > Number(s.exclusiveMinimum),
    () => !Array.isArray(value) || s.minItems === undefined || value.length >= Number(s.minItems),
    () => !Array.isArray(value) || s.items === undefined || value.every((v) => valid(s.items, v)),
    () => !isObject || ((s.required ?? []) as unknown as string[]).every((k) => k in record),
    () =>
      !isObject ||
      s.propertyNames === undefined ||
      Object.keys(record).every((k) => valid(s.propertyNames, k)),
    () =>
      !isObject ||
      Object.entries(record).every(([k, v]) => {
        const own = (s.properties as Record<string, Schema> | undefined)?.[k];
        if (own !== undefined) return valid(own, v);
        return s.additionalProperties === undefined || valid(s.additionalProperties, v);
      }),
  ];
  return checks.every((check) => check());
}

function typeOf(value: unknown, type: string): boolean {
  if (type === "integer") return Number.isInteger(value);
  if (type === "array") return Array.isArray(value);
  if (type === "null") return value === null;
  if (type === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  return typeof value === type;
}

const SCENARIOS = new URL("../../scenarios/", import.meta.url).pathname;
const MAY_8 = parse(readFileSync(join(SCENARIOS, "qstash-2026-05-08.yaml"), "utf8")) as Record<
  string,
  unknown
>;

/** The May 8 scenario with another `scheduler`, and a deploy at 10:06 replaced by `deploy`. */
function may8(scheduler: unknown, deploy?: Record<string, unknown>): Record<string, unknown> {
  const timeline = (MAY_8.timeline as Record<string, unknown>[]).map((entry) =>
    entry.action === "deploy" && deploy !== undefined ? { at: entry.at, action: "deploy", ...deploy } : entry,
  );
  return { ...MAY_8, scheduler, timeline };
}

describe("the JSON Schema's fix names", () => {
  const schema = scenarioJsonSchema();

  it("accepts every bundled scenario", () => {
    const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".yaml"));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      expect(valid(schema, parse(readFileSync(join(SCENARIOS, file), "utf8"))), file).toBe(true);
    }
    // and refuses what the schema refuses elsewhere, so the checks below are not vacuous.
    expect(valid(schema, { ...MAY_8, frobnicate: 1 })).toBe(false);
    expect(valid(schema, { ...MAY_8, slo: "60" })).toBe(false);
  });

  it("are the bundled fixes for a bundled scheduler, with or without `version`", () => {
    for (const fix of SCHEDULER_FIXES) {
      expect(valid(schema, may8({ version: "v2", fixes: [fix] }))).toBe(true);
      expect(valid(schema, may8({ fixes: [fix] }))).toBe(true);
    }
    expect(valid(schema, may8({ version: "v2", fixes: ["early-retrun"] }))).toBe(false);
    expect(valid(schema, may8({ fixes: ["panic-recovery", "my-fix"] }))).toBe(false);
  });

  it("are free names for a scheduler module", () => {
    expect(valid(schema, may8({ module: "./mine.mjs", fixes: ["my-fix", "early-return"] }))).toBe(true);
  });

  it("are the bundled fixes for a deploy of a bundled scheduler, free names for a module's", () => {
    const v2 = { version: "v2" };
    expect(valid(schema, may8(v2, { scheduler: "v2", fixes: [...SCHEDULER_FIXES] }))).toBe(true);
    expect(valid(schema, may8(v2, { scheduler: "v2", fixes: ["early-retrun"] }))).toBe(false);
    expect(valid(schema, may8(v2, { module: "./mine.mjs", fixes: ["my-fix"] }))).toBe(true);
  });

  it("refuse a deploy's `bundled: true` with `module` and with `scheduler: v1`, as the parser does", () => {
    const v2 = { version: "v2" };
    const cases: [Record<string, unknown>, boolean][] = [
      [{ scheduler: "v2", bundled: true }, true],
      [{ scheduler: "v2", bundled: true, fixes: [...SCHEDULER_FIXES] }, true],
      [{ scheduler: "v2", bundled: false }, true],
      [{ scheduler: "v1", bundled: false }, true],
      [{ module: "./mine.mjs", bundled: false }, true],
      [{ module: "./mine.mjs", bundled: true }, false],
      [{ scheduler: "v1", bundled: true }, false],
      [{ bundled: true }, false],
      // One of `scheduler` and `module`, never both, and never neither.
      [{ scheduler: "v2", module: "./mine.mjs" }, false],
      [{ fixes: ["early-return"] }, false],
    ];
    for (const [deploy, accepted] of cases) {
      const scenario = may8(v2, deploy);
      expect(valid(schema, scenario), JSON.stringify(deploy)).toBe(accepted);
      // The parser agrees (the module is not imported: parsing does no I/O).
      const parsed = parseScenario(stringify(scenario), "may8.yaml");
      expect(parsed.ok, `${JSON.stringify(deploy)}: ${parsed.ok ? "" : parsed.issues[0].message}`).toBe(
        accepted,
      );
    }
  });

  it("refuse a scenario's scheduler with both `version` and `module`, as the parser does", () => {
    for (const [scheduler, accepted] of [
      [{ version: "v2" }, true],
      [{ module: "./mine.mjs" }, true],
      [{ version: "v2", module: "./mine.mjs" }, false],
    ] as const) {
      const scenario = may8(scheduler);
      expect(valid(schema, scenario), JSON.stringify(scheduler)).toBe(accepted);
      expect(parseScenario(stringify(scenario), "may8.yaml").ok, JSON.stringify(scheduler)).toBe(accepted);
    }
  });

  it("offer the bundled fixes as an enum where no module is named (`if`/`then`, for completion)", () => {
    const scheduler = (schema.properties as Record<string, Record<string, unknown>>).scheduler;
    expect(scheduler.if).toEqual({ not: { required: ["module"] } });
    expect((scheduler.then as { properties: Record<string, unknown> }).properties.fixes).toEqual({
      items: { enum: [...SCHEDULER_FIXES] },
    });
  });
});

describe("the JSON Schema's scheduler options", () => {
  const schema = scenarioJsonSchema();

  it("take what the parser takes of a bundled scheduler's and a module's, and refuse what it refuses", () => {
    const cases: [Record<string, unknown>, boolean][] = [
      [{ tickMs: 1500 }, true],
      // A period in ms need not be whole (the clock rounds it); a count must be.
      [{ tickMs: 1500.5 }, true],
      [{ panicAttemptsMax: 2.5 }, false],
      [{ v1BatchMax: 1.5 }, false],
      // A count beyond a double's whole numbers is not the count written: refused by both.
      [{ panicAttemptsMax: 1e20 }, false],
      [{ v1BatchMax: Number.MAX_SAFE_INTEGER + 1 }, false],
      [{ panicAttemptsMax: Number.MAX_SAFE_INTEGER }, true],
      // A time in ms has no most but being finite.
      [{ tickMs: 1e20 }, true],
      [{ tickMs: 0 }, false],
      [{ refreshMs: 0.5 }, false],
      [{ panicRetryBaseMs: 0 }, true],
      [{ panicRetryBaseMs: -1 }, false],
      // Not a number: a warning, and the default.
      [{ refreshMs: "abc" }, true],
      [{ tickMs: true }, true],
      // A name the bundled schedulers do not read: a warning.
      [{ tickMS: 0.5 }, true],
    ];
    for (const [options, accepted] of cases) {
      for (const [scenario, where] of [
        [may8({ version: "v2", options }), "scheduler"],
        [may8({ version: "v2" }, { scheduler: "v2", fixes: [...SCHEDULER_FIXES], options }), "deploy"],
      ] as const) {
        const label = `${where}: ${JSON.stringify(options)}`;
        expect(valid(schema, scenario), label).toBe(accepted);
        expect(parseScenario(stringify(scenario), "may8.yaml").ok, label).toBe(accepted);
      }
      // A module's options are its own, whatever their names.
      const mine = may8({ module: "./mine.mjs", options });
      expect(valid(schema, mine), JSON.stringify(options)).toBe(true);
      expect(parseScenario(stringify(mine), "may8.yaml").ok, JSON.stringify(options)).toBe(true);
    }
  });

  it("are described as the bundled schedulers take them", () => {
    const scheduler = (schema.properties as Record<string, Record<string, Record<string, unknown>>>)
      .scheduler;
    const description = String((scheduler.properties.options as { description: string }).description);
    expect(description).toContain("tickMs (a number, 1 or more)");
    expect(description).toContain("panicAttemptsMax (a whole number from 1 to 9007199254740991)");
    expect(description).toContain("panicRetryBaseMs (a number, 0 or more)");
  });
});
