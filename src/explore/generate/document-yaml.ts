/**
 * A generated document as the YAML text of a scenario file (a reproducer, `aftershock generate`).
 * Apart from `document.ts` so that a worker thread, which compiles documents but writes none,
 * does not load the YAML library.
 */
import YAML from "yaml";
import { jsValueText } from "../../scenario/issue.js";
import type { ScenarioDocument } from "./document.js";

/**
 * The YAML text of a document, with a comment header: one `# ` line per entry, and per line of an
 * entry of several, so that no entry's text is read as the document's. A document that is not an
 * object (`null`, a compiled scenario's text) is a TypeError, not a file of that value.
 */
export function documentYaml(doc: ScenarioDocument, header: readonly string[] = []): string {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new TypeError(
      `doc: expected a scenario document (an object, as scenarioArbitrary gives), found ${jsValueText(doc)}`,
    );
  if (!Array.isArray(header) || header.some((line) => typeof line !== "string"))
    throw new TypeError(`header: expected a list of lines of text, found ${jsValueText(header)}`);
  const body = YAML.stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
  const comments = header
    .flatMap((entry) => entry.split(/\r\n|\r|\n|\u2028|\u2029/))
    .map((line) => `# ${line}`.trimEnd())
    .join("\n");
  return comments === "" ? body : `${comments}\n${body}`;
}
