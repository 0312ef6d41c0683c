import { capsOption, checkCaps, noteParsedCaps, type ScenarioCaps } from "./caps.js";
import { checkSeed } from "./compiled.js";
import { controlCharIssues } from "./control-chars.js";
import {
  givenValueText,
  jsValueText,
  notAMappingIssue,
  type PathKey,
  type ScenarioIssue,
  type UnplacedIssue,
} from "./issue.js";
import { jsonSyntaxError } from "./json-syntax.js";
import { type ModuleRef, validModuleRefs } from "./module-refs.js";
import { normalise } from "./normalise.js";
import type { SeedsToRun } from "./ref-world.js";
import { scenarioInputSchema } from "./schema.js";
import { checkSemantics } from "./semantics.js";
import { loadDocument, type SourceMap } from "./source-map.js";
import { closest } from "./suggest.js";
import type { Scenario, ScenarioSource } from "./types.js";
import { oddKeyIssue, translateZodIssues } from "./zod-issues.js";

/**
 * Scenario text in, a typed `Scenario` or every problem with it out. No I/O: the caller reads
 * the file and passes its name, which issues and `scenario.source` carry.
 */

export interface ParseScenarioOptions {
  /** Size caps; each one left out takes its default (`DEFAULT_CAPS`). */
  readonly caps?: Partial<ScenarioCaps>;
  /**
   * The seed the scenario is about to run at, when a command sets it (`--seed`), or
   * `every-seed` or a sweep of seeds for a command that runs many (see `SeedsToRun`):
   * generated schedule ids are checked at it rather than at the file's own seed.
   */
  readonly seed?: SeedsToRun;
}

export type ParseScenarioResult =
  | {
      readonly ok: true;
      readonly scenario: Scenario;
      /** Problems that do not stop it from running (`severity: "warning"`), placed and sorted. */
      readonly warnings: readonly ScenarioIssue[];
    }
  | {
      readonly ok: false;
      readonly issues: readonly ScenarioIssue[];
      /**
       * The scheduler modules named by entries without issues (see `ModuleRef`), for the caller
       * to check with the issues; absent when the text could not be read as a scenario.
       */
      readonly modules?: readonly ModuleRef[];
    };

/** The options `parseScenario` takes. */
const PARSE_OPTIONS: readonly string[] = ["caps", "seed"] satisfies (keyof ParseScenarioOptions)[];

/**
 * Throws a TypeError or RangeError naming `options.seed` unless it is what the option takes: a
 * seed, `every-seed` or a sweep `{ first?, count }`. From JavaScript, a seed written as text, a
 * fraction or a negative one was taken without a word, and the ids the scenario names were judged
 * at no seed that runs (a file with an id its own seed does not generate passed), and null threw
 * from inside the check.
 */
function checkSeedOption(seed: unknown): void {
  if (seed === undefined || seed === "every-seed") return;
  const seedText = "a whole number from 0 to 2^53 - 1";
  if (typeof seed === "number") {
    checkSeed(seed, "options.seed");
    return;
  }
  if (seed === null || typeof seed !== "object" || Array.isArray(seed))
    throw new TypeError(
      `options.seed: expected a seed (${seedText}), "every-seed" or a sweep { first, count }, found ${givenValueText(seed)}`,
    );
  const { first, count } = seed as { first?: unknown; count?: unknown };
  if (first !== undefined && typeof first !== "number")
    throw new TypeError(`options.seed.first: expected ${seedText}, found ${givenValueText(first)}`);
  if (first !== undefined) checkSeed(first, "options.seed.first");
  const countText = `options.seed.count: expected the number of seeds, a whole number ≥ 1, found ${givenValueText(count)}`;
  if (typeof count !== "number") throw new TypeError(countText);
  if (!(Number.isSafeInteger(count) && count >= 1)) throw new RangeError(countText);
}

/** The file names of scheduler modules (as `--scheduler` takes them). */
const MODULE_FILE = /\.(?:[cm]?js|[cm]?ts)$/i;

/**
 * Parses a scenario written in YAML or JSON. Issues come sorted by position, all at once:
 * syntax errors alone (nothing else can be trusted then); otherwise schema and cross-field
 * problems together; the size caps only once everything else is right.
 */
export function parseScenario(
  text: string,
  fileName: string,
  options: ParseScenarioOptions = {},
): ParseScenarioResult {
  // From JavaScript: a Buffer (readFileSync without "utf8") or a missing name would fail inside
  // the parser, or place every issue and `scenario.source` in `undefined`, refused only later.
  if (typeof text !== "string")
    throw new TypeError(
      `text: expected the scenario's YAML or JSON text, found ${jsValueText(text)}${(text as unknown) instanceof Uint8Array ? ': read the file as text, readFileSync(path, "utf8")' : ""}`,
    );
  if (typeof fileName !== "string")
    throw new TypeError(
      `fileName: expected the name of the file the text is from (e.g. "own.yaml"), found ${jsValueText(fileName)}`,
    );
  // As runScenario's: options of the wrong shape, or a misspelt one (`cap`), were read as none.
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new TypeError(`options: expected { caps, seed }, found ${jsValueText(options)}`);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || PARSE_OPTIONS.includes(key)) continue;
    const near = closest(key, PARSE_OPTIONS);
    throw new TypeError(
      `options.${key}: no such option${near === undefined ? ` (the options are ${PARSE_OPTIONS.join(", ")})` : ` — did you mean ${near}?`}`,
    );
  }
  checkSeedOption(options.seed);
  const caps = capsOption(options.caps);
  if (text.length > caps.textCharsMax) {
    const issue: ScenarioIssue = {
      file: fileName,
      line: 1,
      column: 1,
      path: [],
      code: "too-large",
      message: `the file has ${text.length} characters, more than the cap of ${caps.textCharsMax}: generate large workloads with workload.accounts rather than listing them`,
    };
    return { ok: false, issues: [issue] };
  }
  // A scheduler module given where a scenario goes: say what it is, not YAML's view of JavaScript.
  if (MODULE_FILE.test(fileName)) {
    const issue: ScenarioIssue = {
      file: fileName,
      line: 1,
      column: 1,
      path: [],
      code: "syntax",
      message:
        "this is a JavaScript or TypeScript module, not a scenario (scenarios are YAML or JSON files); a scheduler module is given to run, why, train and gate with --scheduler",
    };
    return { ok: false, issues: [issue] };
  }
  // YAML reads any JSON, and much that is not JSON: a `.json` file must be JSON itself.
  const broken = /\.json$/i.test(fileName) ? jsonSyntaxError(text) : null;
  if (broken !== null) {
    const { line, column, message } = broken;
    const issue: ScenarioIssue = {
      file: fileName,
      line,
      column,
      path: [],
      code: "syntax",
      message: `JSON syntax error: ${message} (a .json scenario must be JSON; write YAML in a .yaml file)`,
    };
    return { ok: false, issues: [issue] };
  }
  const loaded = loadDocument(text, caps.textCharsMax);
  if (!loaded.ok) {
    const issues = loaded.issues.map((i) => ({ file: fileName, path: [], ...i }));
    return { ok: false, issues };
  }
  const { data, map, oddKeys } = loaded;
  // Alone, like syntax errors: any other message could quote the text and pass the character on.
  const controls = controlCharIssues(data);
  if (controls.length > 0) return { ok: false, issues: place(controls, map, fileName) };
  const notMapping = notAMappingIssue(data);
  if (notMapping !== null) return { ok: false, issues: place([notMapping], map, fileName) };
  const parsed = scenarioInputSchema.safeParse(data, { reportInput: true });
  const unplaced = parsed.success ? [] : translateZodIssues(parsed.error.issues, data, scenarioInputSchema);
  unplaced.push(...checkSemantics(data, options.seed));
  // Odd keys were taken out of the data, so only they say the document is wrong there.
  const atKeys = oddKeys.map(({ path, description, text: written, line, column }) => ({
    ...oddKeyIssue(path, description, written, data, scenarioInputSchema),
    at: { line, column },
  }));
  unplaced.push(...atKeys);
  if (parsed.success && unplaced.every((i) => i.severity === "warning")) {
    const scenario = normalise(parsed.data, scenarioSource(fileName, map));
    const capIssues = checkCaps(scenario, caps);
    unplaced.push(...capIssues);
    if (capIssues.every((i) => i.severity === "warning")) {
      if (options.caps !== undefined) noteParsedCaps(scenario, caps);
      return { ok: true, scenario, warnings: place(unplaced, map, fileName) };
    }
  }
  return { ok: false, issues: place(unplaced, map, fileName), modules: validModuleRefs(data, unplaced, map) };
}

/**
 * A parsed Scenario's `source`, its `locate` not enumerable: a Scenario is data a caller copies and
 * varies, and a function among its enumerable fields made `structuredClone` of it throw
 * (`DataCloneError`). A copy (`structuredClone`, a JSON round trip) has no `locate`: what reads it
 * places a copy's problems at line 1, column 1, as it does a Scenario written in code.
 */
function scenarioSource(file: string, map: SourceMap): ScenarioSource {
  const source = { file } as ScenarioSource;
  Object.defineProperty(source, "locate", { value: (path: readonly PathKey[]) => map.locate(path) });
  return source;
}

/** An issue whose position is known already (a key the loader took out of the data). */
type PlacedAt = UnplacedIssue & { readonly at?: { readonly line: number; readonly column: number } };

/** Adds file, line and column; drops exact repeats; sorts by position, stably. */
function place(unplaced: readonly PlacedAt[], map: SourceMap, file: string): ScenarioIssue[] {
  const seen = new Set<string>();
  const issues: ScenarioIssue[] = [];
  for (const { atKey, at, placeAt, ...issue } of unplaced) {
    const key = JSON.stringify([issue.path, issue.code, issue.message, at]);
    if (seen.has(key)) continue;
    seen.add(key);
    const placed = placeAt ?? issue.path;
    const { line, column } = at ?? map.nearest(placed, atKey === true);
    // A bare `>` means a comparison only where one goes (`op`); elsewhere it was meant as the text block it is.
    const blockNote = issue.path.at(-1) === "op" ? map.emptyBlockNote(issue.path) : null;
    const note = at === undefined ? (map.aliasNote(placed) ?? blockNote ?? undefined) : undefined;
    // A number is quoted as written: the one read from 24 digits is a float that shows other digits.
    const written =
      at === undefined && issue.found !== undefined ? map.writtenNumber(issue.path, issue.found) : null;
    const found = written === null ? issue.found : written;
    issues.push(withoutUndefined({ file, line, column, ...issue, found, note }));
  }
  return issues
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => a.issue.line - b.issue.line || a.issue.column - b.issue.column || a.order - b.order)
    .map(({ issue }) => issue);
}

/** Optional fields left out rather than set to undefined, so issues compare and print cleanly. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
