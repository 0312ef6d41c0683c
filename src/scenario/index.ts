/**
 * Scenarios: text (YAML or JSON) in, a typed and validated `Scenario` or a list of issues with
 * file, line and column out. No I/O here; the CLI reads files.
 */

export { escapeControls } from "../kernel/time.js";
export { DEFAULT_CAPS, estimateSize, type ScenarioCaps, type SizeEstimate } from "./caps.js";
export { formatDurationText, parseDuration } from "./duration.js";
export {
  describeValue,
  formatIssue,
  formatIssues,
  type IssueCode,
  type PathKey,
  pathText,
  type ScenarioIssue,
} from "./issue.js";
export { SCENARIO_SCHEMA_PATH, scenarioJsonSchema } from "./json-schema.js";
export type { ModuleRef } from "./module-refs.js";
export { type ParseScenarioOptions, type ParseScenarioResult, parseScenario } from "./parse.js";
export { checkIdRefsAtSeed, type SeedSweep, type SeedsToRun } from "./ref-world.js";
export { DEPLOY_STEP_DELAY_MS_DEFAULT, type ScenarioInput, scenarioInputSchema } from "./schema.js";
export {
  instantText,
  parseInstant,
  parseTimeRef,
  resolveTimeRef,
  type TimeRef,
  timeOfDayFrom,
} from "./time.js";
export type * from "./types.js";
export {
  isVariantName,
  namedVariant,
  resolveVariant,
  VARIANT_NAMES,
  type VariantName,
  type VariantSpec,
  variantFixes,
} from "./variants.js";
export * from "./vocabulary.js";
