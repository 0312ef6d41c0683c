import * as z from "zod";
import { scenarioInputSchema } from "./schema.js";

/** Where the committed copy lives, relative to the repository root. */
export const SCENARIO_SCHEMA_PATH = "schema/scenario.schema.json";

/**
 * The JSON Schema of the scenario input format, for editors (`# yaml-language-server: $schema=`
 * in YAML, `"$schema"` in JSON). Draft 7, the draft editors support best. It describes the
 * input: defaults are shown, durations and times are strings with their patterns.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(scenarioInputSchema, { io: "input", target: "draft-7" }) as Record<string, unknown>;
}
