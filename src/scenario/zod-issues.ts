import type * as z from "zod";
import { listText } from "../kernel/time.js";
import { describeValue, type PathKey, pathText, type UnplacedIssue, where } from "./issue.js";
import { MERGE_KEYS_UNREAD } from "./merge-key-words.js";
import type { CustomIssueParams } from "./schema.js";
import {
  fieldInfoOf,
  isIntegerSchema,
  keysOfOption,
  keysOfOptionAlone,
  kindKeysOf,
  kindsWritten,
  kindUnionsAlong,
  knownKeysOf,
  misfitScore,
  type NumberRange,
  numberRange,
  optionWithKey,
  schemaAt,
  unwrap,
} from "./schema-walk.js";
import { closest } from "./suggest.js";

/**
 * Turns zod's issues into scenario issues: our codes, messages that name the field, what was
 * expected and found, and a "did you mean" where one is close. A union that fails is reported
 * through the option the document most likely meant, not as a wall of alternatives; a union with
 * kind keys through the option its key names, whichever option zod settled on.
 */

type Schema = z.core.$ZodType;
type ZodIssue = z.core.$ZodIssue;

/** Lists of expected keys longer than this are left out of messages where a suggestion says enough. */
const KEYS_LISTED_MAX = 12;

export function translateZodIssues(
  issues: readonly ZodIssue[],
  data: unknown,
  root: Schema,
): UnplacedIssue[] {
  const context: Context = { data, root, judged: new Set(), resolved: new Set() };
  return withoutSafeRangeShadows(issues).flatMap((issue) => translate(issue, [], context));
}

/**
 * The issues less zod's safe-integer range (±9007199254740991) where the field's own range is
 * broken on the same side too: `seed: -1e20` breaks both, and the field's range is the one to say.
 */
function withoutSafeRangeShadows(issues: readonly ZodIssue[]): readonly ZodIssue[] {
  const ownRanges = new Set(
    issues
      .filter((i) => (i.code === "too_small" || i.code === "too_big") && i.origin !== "int")
      .map((i) => JSON.stringify([i.path, i.code])),
  );
  return issues.filter(
    (i) =>
      !((i.code === "too_small" || i.code === "too_big") && i.origin === "int") ||
      !ownRanges.has(JSON.stringify([i.path, i.code])),
  );
}

interface Context {
  readonly data: unknown;
  readonly root: Schema;
  /** The paths (as text) of the kind unions judged so far: each is judged once, whole. */
  readonly judged: Set<string>;
  /** The paths of the kind unions whose option the issue being translated comes from. */
  readonly resolved: ReadonlySet<string>;
}

function translate(issue: ZodIssue, prefix: readonly PathKey[], context: Context): UnplacedIssue[] {
  const path = [...prefix, ...(issue.path as PathKey[])];
  const kindUnion = kindUnionsAlong(context.root, context.data, path).find(
    ({ depth }) => !context.resolved.has(pathText(path.slice(0, depth))),
  );
  if (kindUnion !== undefined) {
    return judgeKind(issue, prefix, path.slice(0, kindUnion.depth), kindUnion.union, context);
  }
  const input = (issue as { input?: unknown }).input;
  const info = () => fieldInfoOf(schemaAt(context.root, context.data, path));
  switch (issue.code) {
    case "custom":
      return [fromCustom(issue, path, input)];
    case "invalid_type": {
      const schema = schemaAt(context.root, context.data, path);
      const zodType = isIntegerSchema(schema, input) ? "int" : issue.expected;
      const empty = input === null && ["array", "object", "record"].includes(zodType);
      const advice = empty
        ? { message: "has no value: write [] or {} for an empty one, or leave the key out" }
        : info()?.advise?.(input, context.data);
      return [fromType(path, input, info()?.expected ?? typeWord(zodType), advice)];
    }
    case "unrecognized_keys":
      return issue.keys.map((key) => fromUnknownKey(path, key, context));
    case "invalid_value": {
      const values = issue.values.map(String);
      // A key left out is missing, not an unknown value named "nothing"; a list or a mapping is
      // of the wrong type, not an unknown metric "a list".
      if (input === undefined || (typeof input === "object" && input !== null))
        return [fromType(path, input, `one of ${values.join(", ")}`, undefined)];
      const fieldInfo = info();
      const fieldNoun = fieldInfo?.noun ?? "value";
      const advice = fieldInfo?.advise?.(input, context.data);
      // Advice that explains the value stands alone: its suggestion, if any, is the fix.
      const nearest =
        advice?.message === undefined && typeof input === "string" ? closest(input, values) : undefined;
      return [
        {
          path,
          code: "unknown-value",
          message: `${where(path)}${advice?.message ?? `unknown ${fieldNoun} ${describeValue(input)}`}`,
          expected: `one of ${values.join(", ")}`,
          found: describeValue(input),
          suggestion: advice?.suggestion ?? nearest,
        },
      ];
    }
    case "too_small":
    case "too_big":
      return [
        fromRange(
          issue,
          path,
          input,
          info()?.whyMax,
          numberRange(schemaAt(context.root, context.data, path), input),
        ),
      ];
    case "invalid_format": {
      const fieldInfo = info();
      const advice = fieldInfo?.advise?.(input, context.data);
      return [
        {
          path,
          code: "bad-format",
          message: `${where(path)}${advice?.message ?? "not in the expected form"}`,
          expected:
            fieldInfo?.expected ??
            (issue.format === "regex" ? `text matching ${issue.pattern}` : issue.format),
          found: describeValue(input),
          suggestion: advice?.suggestion,
        },
      ];
    }
    case "invalid_union":
      return fromUnion(issue, path, input, context);
    default:
      return [
        { path, code: "wrong-type", message: `${where(path)}${issue.message}`, found: describeValue(input) },
      ];
  }
}

function fromCustom(issue: z.core.$ZodIssueCustom, path: PathKey[], input: unknown): UnplacedIssue {
  const params = issue.params as Partial<CustomIssueParams> | undefined;
  if (params?.code === undefined || params.message === undefined) {
    return { path, code: "wrong-type", message: `${where(path)}${issue.message}` };
  }
  const scalar = typeof input === "string" || typeof input === "number" || typeof input === "boolean";
  return {
    path,
    code: params.code,
    message: `${where(path)}${params.message}`,
    expected: params.expected,
    found: scalar ? describeValue(input) : undefined,
    suggestion: params.suggestion,
  };
}

function fromType(
  path: PathKey[],
  input: unknown,
  expected: string,
  advice: { message?: string; suggestion?: string } | undefined,
): UnplacedIssue {
  if (input === undefined) {
    const key = path[path.length - 1];
    return {
      path,
      code: "missing-key",
      message: `${where(path.slice(0, -1))}missing required key \`${String(key)}\``,
      expected,
    };
  }
  return {
    path,
    code: "wrong-type",
    message: `${where(path)}${advice?.message ?? "wrong type"}`,
    expected,
    found: describeValue(input),
    suggestion: advice?.suggestion,
  };
}

function fromUnknownKey(path: PathKey[], key: string, context: Context): UnplacedIssue {
  const known = knownKeysAt(path, context);
  const suggestion = closest(key, known) ?? spelledAsAtTop(key, known, valueAt(context.data, path));
  // A key of a block beside it, most often dedented out of that block (`partitions` under no `fleet`).
  const owners =
    suggestion === undefined ? known.filter((k) => knownKeysAt([...path, k], context).includes(key)) : [];
  const owner =
    owners.length === 0
      ? ""
      : `: \`${key}\` is a key of ${listText(
          owners.map((o) => `\`${o}\``),
          "or",
        )}, so it may belong indented under ${owners.length === 1 ? "it" : "one of them"}`;
  return {
    path: [...path, key],
    atKey: true,
    code: "unknown-key",
    message: `${where(path)}unknown key \`${key}\`${key === "<<" ? MERGE_KEY_NOTE : owner}`,
    expected: knownKeysText(known, suggestion === undefined),
    suggestion,
  };
}

/**
 * A deploy's scheduler written as the top level's `scheduler: { version: v2 }` spells it
 * (`version: v2`, where a deploy takes `scheduler: v2`): the key and value it stands for. Only for a
 * deploy (`action: deploy`) with neither `scheduler` nor `module` of its own, and a version a
 * deploy takes (`v1`, `v2`); the top level's `version` keeps the hint that it belongs under
 * `scheduler`.
 */
function spelledAsAtTop(key: string, known: readonly string[], mapping: unknown): string | undefined {
  if (key !== "version" || !known.includes("scheduler") || known.includes("version")) return undefined;
  if (typeof mapping !== "object" || mapping === null || Array.isArray(mapping)) return undefined;
  const deploy = mapping as Record<string, unknown>;
  if (deploy.action !== "deploy" || "scheduler" in deploy || "module" in deploy) return undefined;
  return deploy.version === "v1" || deploy.version === "v2" ? `scheduler: ${deploy.version}` : undefined;
}

/** Why `<<` is no key here (a quoted one: a plain one is refused as a merge key before the schema). */
const MERGE_KEY_NOTE = `: ${MERGE_KEYS_UNREAD}`;

/**
 * A key of the mapping at `path` that is not a plain name (`description` says what it is), for
 * the keys the loader takes out of the data: what the mapping's keys may be, as for an unknown key.
 */
export function oddKeyIssue(
  path: readonly PathKey[],
  description: string,
  written: string,
  data: unknown,
  root: Schema,
): UnplacedIssue {
  const known = knownKeysAt([...path], { data, root });
  return {
    path: [...path],
    code: "unknown-key",
    message: `${where(path)}${description}`,
    expected: knownKeysText(known),
    found: written === "" ? undefined : written,
  };
}

function knownKeysAt(path: PathKey[], context: Pick<Context, "data" | "root">): string[] {
  const parent = schemaAt(context.root, context.data, path);
  return knownKeysOf(parent, valueAt(context.data, path)).filter((k) => k !== "$schema");
}

/** The keys a mapping takes, as an issue expects them; a long list only when `unguided` (no key was suggested). */
function knownKeysText(known: readonly string[], unguided = false): string | undefined {
  return known.length > 0 && (known.length <= KEYS_LISTED_MAX || unguided)
    ? `one of ${known.join(", ")}`
    : undefined;
}

function fromRange(
  issue: z.core.$ZodIssueTooSmall | z.core.$ZodIssueTooBig,
  path: PathKey[],
  input: unknown,
  whyMax: string | undefined,
  range: NumberRange | null,
): UnplacedIssue {
  const small = issue.code === "too_small";
  const bound = small
    ? (issue as z.core.$ZodIssueTooSmall).minimum
    : (issue as z.core.$ZodIssueTooBig).maximum;
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? "at least" : "more than") : inclusive ? "at most" : "less than";
  const isList = issue.origin === "array";
  const found = isList && Array.isArray(input) ? `${input.length} items` : describeValue(input);
  // A text's bound counts characters: `too small (expected at least 1)` would read as a number's.
  if (issue.origin === "string") {
    const characters = `${String(bound)} ${Number(bound) === 1 ? "character" : "characters"}`;
    const empty = small && typeof input === "string" && input.length === 0;
    return {
      path,
      code: "out-of-range",
      message: `${where(path)}${empty ? "empty" : small ? "too short" : "too long"}`,
      expected: `text of ${relation} ${characters}`,
      found,
    };
  }
  return {
    path,
    code: "out-of-range",
    message: `${where(path)}${isList ? (small ? "too few items" : "too many items") : small ? "too small" : "too large"}${!small && whyMax !== undefined ? `: ${whyMax}` : ""}`,
    // A number is told its whole range: one bound alone leaves the other to guess.
    expected:
      range !== null && !isList
        ? rangeText(range)
        : `${relation} ${String(bound)}${isList ? (Number(bound) === 1 ? " item" : " items") : ""}`,
    found,
  };
}

/** `a whole number from 1 to 256`, `a number from 0 to 1`, `a number above 0, at most 1000000`. */
function rangeText(range: NumberRange): string {
  const kind = range.whole ? "a whole number" : "a number";
  if (!range.minExcluded && !range.maxExcluded) return `${kind} from ${range.min} to ${range.max}`;
  const low = range.minExcluded ? `above ${range.min}` : `from ${range.min}`;
  const high = range.maxExcluded ? `below ${range.max}` : `at most ${range.max}`;
  return `${kind} ${low}, ${high}`;
}

function fromUnion(issue: z.core.$ZodIssueInvalidUnion, path: PathKey[], input: unknown, context: Context) {
  const discriminator = (issue as { discriminator?: string }).discriminator;
  if (discriminator !== undefined) return [fromDiscriminator(issue, path, input, discriminator, context)];
  const branches = issue.errors;
  const allTypeMismatches = branches.every(
    (branch) => branch.length === 1 && branch[0].code === "invalid_type" && branch[0].path.length === 0,
  );
  if (allTypeMismatches) {
    const info = fieldInfoOf(schemaAt(context.root, context.data, path));
    const words = branches.map((branch) => typeWord((branch[0] as z.core.$ZodIssueInvalidType).expected));
    return [
      fromType(
        path,
        input,
        info?.expected ?? [...new Set(words)].join(" or "),
        info?.advise?.(input, context.data),
      ),
    ];
  }
  let best = branches[0] ?? [];
  for (const branch of branches) if (misfitScore(branch) < misfitScore(best)) best = branch;
  return best.flatMap((inner) => translate(inner, path, context));
}

function fromDiscriminator(
  issue: z.core.$ZodIssueInvalidUnion,
  path: PathKey[],
  input: unknown,
  discriminator: string,
  context: Context,
): UnplacedIssue {
  const options = ((issue as { options?: unknown[] }).options ?? []).map(String);
  const tag =
    input !== null && typeof input === "object"
      ? (input as Record<string, unknown>)[discriminator]
      : undefined;
  const parentPath = path[path.length - 1] === discriminator ? path.slice(0, -1) : path;
  const expected = `one of ${options.join(", ")}`;
  if (tag === undefined) {
    const misspelt = misspeltKindKey(parentPath, input, [discriminator]);
    if (misspelt !== null) return { ...misspelt, expected: `the key ${discriminator}, ${expected}` };
    return {
      path: [...parentPath, discriminator],
      code: "missing-key",
      message: `${where(parentPath)}missing required key \`${discriminator}\``,
      expected,
    };
  }
  const noun = fieldInfoOf(schemaAt(context.root, context.data, parentPath))?.noun ?? discriminator;
  return {
    path: [...parentPath, discriminator],
    code: "unknown-value",
    message: `${where(parentPath)}unknown ${noun} ${describeValue(tag)}`,
    expected,
    found: describeValue(tag),
    suggestion: typeof tag === "string" ? closest(tag, options) : undefined,
  };
}

/**
 * A key of the mapping at `path`, which names none of its `kindKeys`, one typo from one of them
 * (`acton:`, `metrc:`): that key misspelt, reported where it is written with the key it stands for.
 */
function misspeltKindKey(path: PathKey[], input: unknown, kindKeys: readonly string[]): UnplacedIssue | null {
  const keys = input !== null && typeof input === "object" ? Object.keys(input) : [];
  for (const key of keys) {
    const meant = closest(key, kindKeys);
    if (meant === undefined) continue;
    const wanted = kindKeys.map((k) => `\`${k}\``).join(" or ");
    return {
      path: [...path, key],
      atKey: true,
      code: "unknown-key",
      message: `${where(path)}unknown key \`${key}\`, and no ${wanted}`,
      suggestion: meant,
    };
  }
  return null;
}

/**
 * The issues of the mapping at `at`, a value of a union with kind keys, judged as the option its
 * kind key names, once for all the issues zod found in it: zod settles on the option that fits
 * best, which for `{ property, op, value }` is not the property the mapping names. Keys of another
 * kind make one issue that says what this kind takes instead, and its own keys then left out are
 * not reported again.
 */
function judgeKind(
  issue: ZodIssue,
  prefix: readonly PathKey[],
  at: PathKey[],
  union: Schema,
  context: Context,
): UnplacedIssue[] {
  const id = pathText(at);
  if (context.judged.has(id)) return [];
  context.judged.add(id);
  const inner: Context = { ...context, resolved: new Set([...context.resolved, id]) };
  const value = valueAt(context.data, at);
  const mapping = value !== null && typeof value === "object" && !Array.isArray(value);
  if (!mapping) return translate(issue, prefix, inner);
  const noun = fieldInfoOf(union)?.noun ?? "entry";
  const kindKeys = kindKeysOf(union) ?? [];
  const written = kindsWritten(union, value);
  const kindsText = kindKeys.map((key) => `a \`${key}\``).join(" or ");
  if (written.length === 0) {
    const misspelt = misspeltKindKey(at, value, kindKeys);
    if (misspelt !== null) return [misspelt];
    const withKeys = kindKeys.map((key) => {
      const alone = keysOfOptionAlone(union, optionWithKey(union, key)!).filter((k) => k !== key);
      return alone.length === 0 ? `a \`${key}\`` : `a \`${key}\` (with ${listText(alone.map(quoted))})`;
    });
    const message = `${where(at)}${withArticle(noun)} names ${withKeys.join(" or ")}`;
    return [{ path: at, code: "missing-key", message }];
  }
  if (written.length > 1) {
    const message = `${where(at)}${withArticle(noun)} names ${kindsText}, not both`;
    return [{ path: [...at, written[1]], atKey: true, code: "conflict", message }];
  }
  const kind = written[0];
  const option = optionWithKey(union, kind)!;
  const result = (option as z.ZodType).safeParse(value, { reportInput: true });
  if (result.success) return translate(issue, prefix, inner);
  const own = keysOfOption(option);
  const foreign = Object.keys(value).filter(
    (key) => !own.includes(key) && kindKeys.some((k) => keysOfOption(optionWithKey(union, k)!).includes(key)),
  );
  const takes = keysOfOptionAlone(union, option).filter((key) => key !== kind);
  const out: UnplacedIssue[] = [];
  if (foreign.length > 0) {
    const verb =
      takes.length === 0
        ? "does not take"
        : `takes ${listText(takes.map((key) => keyForm(option, key)))}, not`;
    out.push({
      path: [...at, foreign[0]],
      atKey: true,
      code: "unknown-key",
      message: `${where(at)}${withArticle(`${kind} ${noun}`)} ${verb} ${foreign.map(quoted).join("/")}`,
      expected: knownKeysText(own),
    });
  }
  for (const found of result.error.issues) {
    const key = found.path[0];
    // A key this kind takes, left out: the issue above already asks for it.
    if (
      foreign.length > 0 &&
      found.path.length === 1 &&
      takes.includes(String(key)) &&
      !Object.hasOwn(value, key as PathKey)
    )
      continue;
    if (found.code === "unrecognized_keys" && found.path.length === 0) {
      const keys = found.keys.filter((k) => !foreign.includes(k));
      if (keys.length > 0) out.push(...translate({ ...found, keys }, at, inner));
      continue;
    }
    out.push(...translate(found, at, inner));
  }
  return out;
}

/** How a message names a key a mapping takes: `holds: true|false` for a flag, else `op`. */
function keyForm(option: Schema, key: string): string {
  const field = schemaAt(option, undefined, [key]);
  const flag = field !== null && (unwrap(field, undefined)._zod.def as { type: string }).type === "boolean";
  return quoted(flag ? `${key}: true|false` : key);
}

function quoted(text: string): string {
  return `\`${text}\``;
}

function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? "an" : "a"} ${noun}`;
}

function typeWord(zodType: string): string {
  switch (zodType) {
    case "string":
      return "text";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "object":
    case "record":
      return "a mapping";
    case "array":
      return "a list";
    case "null":
      return "null";
    default:
      return zodType;
  }
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PathKey, unknown>)[key];
  }
  return value;
}
