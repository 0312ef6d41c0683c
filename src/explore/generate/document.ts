/**
 * Scenario documents as data: the plain object a scenario file holds (what YAML parses into),
 * its YAML text, and a fast compile that skips the text layer. Generators produce documents,
 * never compiled worlds, so every generated world is a file a user can keep and replay.
 */
import type * as z from "zod";
import { type CompiledScenario, compileParsedScenario } from "../../scenario/compile.js";
import { notAMappingIssue, pathedIssueText } from "../../scenario/issue.js";
import { normalise } from "../../scenario/normalise.js";
import { scenarioInputSchema } from "../../scenario/schema.js";
import { checkSemantics } from "../../scenario/semantics.js";
import type { Scenario } from "../../scenario/types.js";
import { translateZodIssues } from "../../scenario/zod-issues.js";

/** A scenario document before validation: exactly what a scenario file may say. */
export type ScenarioDocument = z.input<typeof scenarioInputSchema>;

export type CompiledDocument =
  | { readonly ok: true; readonly scenario: Scenario; readonly compiled: CompiledScenario }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Validates and compiles a document without going through text: the same schema, semantic
 * checks, normalisation and compiler as `parseScenario`, minus YAML and the size caps (a
 * generated world is small by construction). A property test shows that `parseScenario` of the
 * document's YAML compiles to the same world, so a reproducer file replays what explore ran.
 */
export function compileDocument(doc: unknown, file = "generated.yaml"): CompiledDocument {
  // `null` (or a number) is said as parseScenario says the text `null`, not as a field's value.
  const notMapping = notAMappingIssue(doc);
  if (notMapping !== null) return { ok: false, problems: [pathedIssueText(notMapping)] };
  const parsed = scenarioInputSchema.safeParse(doc, { reportInput: true });
  // A warning (an action that will find its target gone, say) leaves a world that runs as written.
  const semantic = checkSemantics(doc).filter((i) => i.severity !== "warning");
  if (!parsed.success || semantic.length > 0) {
    // Said as `parseScenario` says them of the document's text, less the file's line and column.
    const issues = [
      ...(parsed.success ? [] : translateZodIssues(parsed.error.issues, doc, scenarioInputSchema)),
      ...semantic,
    ];
    return { ok: false, problems: issues.map(pathedIssueText) };
  }
  const scenario = normalise(parsed.data, { file, locate: () => null });
  return { ok: true, scenario, compiled: compileParsedScenario(scenario) };
}

/** A deep copy of a document (documents are plain JSON data). */
export function cloneDocument<T extends ScenarioDocument>(doc: T): T {
  return structuredClone(doc);
}
