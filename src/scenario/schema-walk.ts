import type * as z from "zod";
import type { PathKey } from "./issue.js";
import { type FieldInfo, fieldInfo } from "./schema.js";

/**
 * Finds the schema that validates the value at a path of a document, so an issue can say what
 * that field expects and which keys its mapping allows. Unions are resolved against the data:
 * by discriminator when there is one, else by the option that fits best (fewest issues, the
 * same rule `zod-issues.ts` uses to pick which option's issues to report).
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

/** The schema under wrappers (optional, default, ...) and with unions resolved against `value`. */
export function unwrap(schema: Schema, value: unknown): Schema {
  for (let depth = 0; depth < 64; depth++) {
    const def = defOf(schema);
    if (WRAPPERS.has(def.type) && def.innerType) schema = def.innerType;
    else if (def.type === "pipe" && def.in) schema = def.in;
    else if (def.type === "union" && def.options) schema = pickOption(def, value);
    else return schema;
  }
  return schema;
}

/** The schema at `path` below `root`, walking `data` alongside; null if the path leaves the schema. */
export function schemaAt(root: Schema, data: unknown, path: readonly PathKey[]): Schema | null {
  let schema = root;
  let value = data;
  for (const key of path) {
    schema = unwrap(schema, value);
    const def = defOf(schema);
    let next: Schema | undefined;
    if (def.type === "object")
      next = Object.hasOwn(def.shape ?? {}, key) ? def.shape?.[String(key)] : undefined;
    else if (def.type === "array") next = def.element;
    else if (def.type === "record") next = def.valueType;
    if (next === undefined) return null;
    schema = next;
    value = child(value, key);
  }
  return schema;
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

/** The keys a mapping schema allows, or [] if it is not a mapping. */
export function knownKeysOf(schema: Schema | null, value: unknown): string[] {
  if (schema === null) return [];
  const def = defOf(unwrap(schema, value));
  return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
}

function pickOption(def: AnyDef, value: unknown): Schema {
  const options = def.options ?? [];
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
