import type * as z from "zod";
import type { PathKey } from "./issue.js";
import { type FieldInfo, fieldInfo } from "./schema.js";

/**
 * Finds the schema that validates the value at a path of a document, so an issue can say what
 * that field expects and which keys its mapping allows. Unions are resolved against the data:
 * by discriminator when there is one, by kind key when the union has them (the option whose key
 * the mapping has), else by the option that fits best (fewest issues, the same rule
 * `zod-issues.ts` uses to pick which option's issues to report).
 */

type Schema = z.core.$ZodType;

interface AnyDef {
  readonly type: string;
  readonly innerType?: Schema;
  readonly in?: Schema;
  readonly shape?: Record<string, Schema>;
  readonly element?: Schema;
  readonly valueType?: Schema;
  readonly options?: readonly Schema[];
  readonly discriminator?: string;
  readonly values?: readonly unknown[];
  readonly format?: string;
}

function defOf(schema: Schema): AnyDef {
  return schema._zod.def as unknown as AnyDef;
}

const WRAPPERS = new Set(["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"]);

/**
 * The schema under wrappers (optional, default, ...) and with unions resolved against `value`;
 * `onUnion` sees each union passed through.
 */
export function unwrap(schema: Schema, value: unknown, onUnion?: (union: Schema) => void): Schema {
  for (let depth = 0; depth < 64; depth++) {
    const def = defOf(schema);
    if (WRAPPERS.has(def.type) && def.innerType) schema = def.innerType;
    else if (def.type === "pipe" && def.in) schema = def.in;
    else if (def.type === "union" && def.options) {
      onUnion?.(schema);
      schema = pickOption(schema, value);
    } else return schema;
  }
  return schema;
}

/** The schema at `path` below `root`, walking `data` alongside; null if the path leaves the schema. */
export function schemaAt(root: Schema, data: unknown, path: readonly PathKey[]): Schema | null {
  let schema = root;
  let value = data;
  for (const key of path) {
    const next = childSchema(unwrap(schema, value), key);
    if (next === undefined) return null;
    schema = next;
    value = child(value, key);
  }
  return schema;
}

/**
 * The unions with kind keys (`FieldInfo.kindKeys`) met on the way from `root` down to `path`,
 * each with how many keys of the path lead to it: `depth` 2 is the union at `path.slice(0, 2)`.
 */
export function kindUnionsAlong(
  root: Schema,
  data: unknown,
  path: readonly PathKey[],
): { readonly depth: number; readonly union: Schema }[] {
  const found: { depth: number; union: Schema }[] = [];
  let schema: Schema | undefined = root;
  let value = data;
  for (let depth = 0; schema !== undefined; depth++) {
    const unwrapped = unwrap(schema, value, (union) => {
      if (kindKeysOf(union) !== undefined) found.push({ depth, union });
    });
    if (depth === path.length) break;
    schema = childSchema(unwrapped, path[depth]);
    value = child(value, path[depth]);
  }
  return found;
}

/** The kind keys of a union of mappings, if it has them (see `FieldInfo.kindKeys`). */
export function kindKeysOf(union: Schema): readonly string[] | undefined {
  return defOf(union).type === "union" ? fieldInfo.get(union)?.kindKeys : undefined;
}

/** The kind keys a mapping has, in the union's order; [] for anything but a mapping. */
export function kindsWritten(union: Schema, value: unknown): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [];
  return (kindKeysOf(union) ?? []).filter((key) => Object.hasOwn(value, key));
}

/** The option of a union of mappings that has `key`. */
export function optionWithKey(union: Schema, key: string): Schema | undefined {
  return (defOf(union).options ?? []).find((option) => keysOfOption(option).includes(key));
}

/** The keys of a union's option that no other option of it has. */
export function keysOfOptionAlone(union: Schema, option: Schema): string[] {
  const others = (defOf(union).options ?? []).filter((o) => o !== option).flatMap(keysOfOption);
  return keysOfOption(option).filter((key) => !others.includes(key));
}

/** The keys of a mapping schema (under wrappers); [] for anything else. */
export function keysOfOption(option: Schema): string[] {
  return knownKeysOf(option, undefined);
}

function childSchema(schema: Schema, key: PathKey): Schema | undefined {
  const def = defOf(schema);
  if (def.type === "object")
    return Object.hasOwn(def.shape ?? {}, key) ? def.shape?.[String(key)] : undefined;
  if (def.type === "array") return def.element;
  if (def.type === "record") return def.valueType;
  return undefined;
}

/** The field metadata of a schema, looking through wrappers. */
export function fieldInfoOf(schema: Schema | null): FieldInfo | undefined {
  for (let s = schema, depth = 0; s !== null && depth < 64; depth++) {
    const info = fieldInfo.get(s);
    if (info) return info;
    const def = defOf(s);
    s =
      WRAPPERS.has(def.type) && def.innerType ? def.innerType : def.type === "pipe" && def.in ? def.in : null;
  }
  return undefined;
}

/** Whether the schema (under wrappers) takes whole numbers only: `z.int()` is a number with a format. */
export function isIntegerSchema(schema: Schema | null, value: unknown): boolean {
  if (schema === null) return false;
  const def = defOf(unwrap(schema, value));
  return def.type === "number" && (def.format ?? "").includes("int");
}

/**
 * The lowest and highest number a number field takes, when it sets both (`count(0, 20)`,
 * `fraction`), read from its checks. Of an integer field (`whole`), the first and last whole
 * numbers it takes, so an exclusive bound (`positive()`) gives the first number it takes; of any
 * other, the bounds as written and whether each is excluded.
 */
export function numberRange(schema: Schema | null, value: unknown): NumberRange | null {
  if (schema === null) return null;
  const def = defOf(unwrap(schema, value)) as { type?: string; checks?: readonly Schema[] };
  if (def.type !== "number") return null;
  const whole = isIntegerSchema(schema, value);
  let low: Bound | null = null;
  let high: Bound | null = null;
  for (const check of def.checks ?? []) {
    const bound = check._zod.def as unknown as { check?: string; value?: unknown; inclusive?: boolean };
    if (typeof bound.value !== "number") continue;
    // 1 for a lower bound, -1 for an upper one: the way the numbers it lets through lie.
    const inward = bound.check === "greater_than" ? 1 : bound.check === "less_than" ? -1 : 0;
    if (inward === 0) continue;
    const excluded = !bound.inclusive;
    const next = whole
      ? { value: bound.value + (excluded ? inward : 0), excluded: false }
      : { value: bound.value, excluded };
    if (inward === 1) low = tighter(low, next, inward);
    else high = tighter(high, next, inward);
  }
  if (low === null || high === null) return null;
  return { whole, min: low.value, minExcluded: low.excluded, max: high.value, maxExcluded: high.excluded };
}

interface Bound {
  readonly value: number;
  readonly excluded: boolean;
}

/** The stricter of two bounds on one side (`inward` 1 for a lower bound, -1 for an upper one). */
function tighter(kept: Bound | null, next: Bound, inward: 1 | -1): Bound {
  if (kept === null) return next;
  const gain = (next.value - kept.value) * inward;
  return gain > 0 || (gain === 0 && next.excluded) ? next : kept;
}

/** What `numberRange` reads: `min` and `max` themselves taken unless excluded (never, when `whole`). */
export interface NumberRange {
  readonly whole: boolean;
  readonly min: number;
  readonly minExcluded: boolean;
  readonly max: number;
  readonly maxExcluded: boolean;
}

/** The keys a mapping schema allows, or [] if it is not a mapping. */
export function knownKeysOf(schema: Schema | null, value: unknown): string[] {
  if (schema === null) return [];
  const def = defOf(unwrap(schema, value));
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

function pickOption(union: Schema, value: unknown): Schema {
  const def = defOf(union);
  const options = def.options ?? [];
  // A mapping is the kind its key says, whatever fits best: zod itself may settle on another
  // option, and the issues are then re-judged against this one (see `zod-issues.ts`).
  const kinds = kindsWritten(union, value);
  if (kinds.length === 1) {
    const option = optionWithKey(union, kinds[0]);
    if (option) return option;
  }
  if (def.discriminator !== undefined) {
    const tag = child(value, def.discriminator);
    const match = options.find((option) => {
      const literal = defOf(unwrap(option, value)).shape?.[def.discriminator!];
      return literal !== undefined && (defOf(literal).values ?? []).includes(tag);
    });
    if (match) return match;
  }
  return bestFit(options, value);
}

/** The option of a union with the fewest issues for `value` (an unknown key counts once per key). */
export function bestFit(options: readonly Schema[], value: unknown): Schema {
  let best = options[0];
  let bestScore = Number.POSITIVE_INFINITY;
  for (const option of options) {
    const result = (option as z.ZodType).safeParse(value);
    const score = result.success ? 0 : misfitScore(result.error.issues);
    if (score < bestScore) {
      best = option;
      bestScore = score;
    }
  }
  return best;
}

/** How badly a value misses a schema, from its issues: one point per issue and per unknown key. */
export function misfitScore(issues: readonly z.core.$ZodIssue[]): number {
  return issues.reduce((sum, issue) => sum + (issue.code === "unrecognized_keys" ? issue.keys.length : 1), 0);
}

function child(value: unknown, key: PathKey): unknown {
  if (value === null || typeof value !== "object") return undefined;
  return (value as Record<PathKey, unknown>)[key];
}
