/**
 * Checks of what a scheduler hands the Runtime port. Garbage there (a NaN time, a message that
 * is not one) would otherwise reach the due queue or a timer and corrupt it silently; thrown at
 * the port instead, it is a TypeError in the calling goroutine: the scheduler's own panic.
 */
import type { GoroutineBody } from "../kernel/index.js";
import { describeTask } from "../kernel/time.js";
import { FAULT_POINTS, type FaultPoint, type Message } from "./runtime.js";

/** Throws unless `value` is a finite number (an integer when `integer`) of at least `min` (if any). */
export function checkPortNumber(
  call: string,
  name: string,
  value: unknown,
  min: number | null,
  integer: boolean,
): void {
  const problem = portNumberProblem(name, value, min, integer);
  if (problem !== null) throw new TypeError(`${call}: ${problem}`);
}

/**
 * What is wrong with `value` as a finite number (an integer when `integer`) from `min` to `max`
 * (each if any), or null: `attempt is 7, expected an integer from 0 to 3`.
 */
export function portNumberProblem(
  name: string,
  value: unknown,
  min: number | null,
  integer: boolean,
  max: number | null = null,
): string | null {
  if (
    typeof value === "number" &&
    Number.isFinite(value) &&
    (min === null || value >= min) &&
    (max === null || value <= max) &&
    (!integer || Number.isInteger(value))
  )
    return null;
  const kind = integer ? "an integer" : "a finite number";
  const bound =
    max === null
      ? min === null
        ? ""
        : ` >= ${min}`
      : min === null
        ? ` <= ${max}`
        : ` from ${min} to ${max}`;
  return `${name} is ${describe(value)}, expected ${kind}${bound}`;
}

/** Throws unless `value` is text (an id): `42` would find no row and read as one that is gone. */
export function checkPortText(call: string, name: string, value: unknown): asserts value is string {
  if (typeof value !== "string")
    throw new TypeError(`${call}: ${name} is ${describe(value)}, expected a string`);
}

/**
 * Throws unless `value` is a list of partition numbers (integers >= 0): a string (`"0,1"`) would be
 * walked letter by letter, and a partition given as text matches none the worker holds.
 */
export function checkPortPartitions(call: string, value: unknown): asserts value is readonly number[] {
  if (!Array.isArray(value))
    throw new TypeError(`${call}: partitions is ${describe(value)}, expected a list of partition numbers`);
  for (let i = 0; i < value.length; i++) {
    const partition: unknown = value[i];
    // Its name is written only for a problem: a worker claims its partitions at every tick.
    if (!(Number.isInteger(partition) && (partition as number) >= 0))
      checkPortNumber(call, `partitions[${i}]`, partition, 0, true);
  }
}

const FAULT_POINT_SET: ReadonlySet<unknown> = new Set(FAULT_POINTS);

/**
 * Throws unless `point` is one of the fault points: a misspelt one (`before-deliver`) is a point no
 * fault can name, so the faults a scenario arms at the real one would never fire there, unexplained.
 */
export function checkFaultPoint(point: unknown): asserts point is FaultPoint {
  if (FAULT_POINT_SET.has(point)) return;
  const text = typeof point === "string" ? point : "";
  // A point cut short or run on (`before-deliver`, `before-delivery-2`): the one it was meant as.
  const meant = FAULT_POINTS.filter((p) => text.length > 0 && (p.startsWith(text) || text.startsWith(p)));
  const hint = meant.length === 1 ? ` (did you mean "${meant[0]}"?)` : "";
  throw new TypeError(
    `rt.faultPoint: point is ${describe(point)}, expected one of ${FAULT_POINTS.join(", ")}${hint}`,
  );
}

/** Throws unless `value` is a `Message` (`portMessageProblem`). */
export function checkPortMessage(call: string, value: unknown): asserts value is Message {
  const problem = portMessageProblem(value);
  if (problem !== null) throw new TypeError(`${call}: ${problem}`);
}

/** The fields of a `Message` that are text. */
const MESSAGE_TEXTS = ["schedule", "account", "destination", "body"] as const;

/**
 * What is wrong with `value` as a `Message`, or null: an object with a string `id`, `schedule`,
 * `account`, `destination` and `body`, and a whole number of `retries` (a retry's budget is read
 * from it: a missing one would compare as NaN, and allow every retry).
 */
export function portMessageProblem(value: unknown): string | null {
  if (typeof value !== "object" || value === null || typeof (value as Message).id !== "string")
    return `message is ${describe(value)}, expected a Message with a string id`;
  const message = value as Record<string, unknown>;
  // Named only for a problem: every send is checked, and the name costs more than the checks.
  const named = () => `message ${describeTask(message.id as string)}`;
  for (const field of MESSAGE_TEXTS)
    if (typeof message[field] !== "string")
      return `${named()} has ${field} ${describe(message[field])}, expected a string`;
  const retries = message.retries;
  if (typeof retries !== "number" || !Number.isInteger(retries) || retries < 0)
    return `${named()} has retries ${describe(retries)}, expected an integer >= 0`;
  return null;
}

/**
 * Whether `value` can run as a goroutine: a generator, as a function* returns. Not an async
 * generator (`async function*`), though it has `next` and `throw`: each step gives a promise, not
 * an op, and its `throw` rejects that promise rather than throw, so no panic could reach it.
 */
export function isGoroutineBody(value: unknown): value is GoroutineBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as GoroutineBody).next === "function" &&
    typeof (value as GoroutineBody).throw === "function" &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] !== "function"
  );
}

/** What a goroutine body that is not one was: "a number", "an object", "a function (call it: ...)". */
export function describeNonBody(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function")
    return "a function (pass what calling it returns: a function* called gives a generator)";
  if (
    typeof value === "object" &&
    typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === "function"
  )
    return "an async generator (async function*: a blocking call is `yield*`, not `await`)";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

/** Longest text a port call was given that is shown whole. */
const SHOWN_TEXT_MAX = 60;

/** `42`, `"0,1"`, `null`, `undefined`, `an array`, `an object`, `a function`: what a port call was given. */
function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string")
    return JSON.stringify(value.length > SHOWN_TEXT_MAX ? `${value.slice(0, SHOWN_TEXT_MAX - 1)}…` : value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  return typeof value === "object" ? "an object" : String(value);
}
