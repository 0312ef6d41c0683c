/**
 * Checks of what a scheduler hands the Runtime port. Garbage there (a NaN time, a message that
 * is not one) would otherwise reach the due queue or a timer and corrupt it silently; thrown at
 * the port instead, it is a TypeError in the calling goroutine: the scheduler's own panic.
 */
import type { GoroutineBody } from "../kernel/index.js";
import type { Message } from "./runtime.js";

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

/** Throws unless `value` looks like a `Message` (an object with a string id). */
export function checkPortMessage(call: string, value: unknown): asserts value is Message {
  const problem = portMessageProblem(value);
  if (problem !== null) throw new TypeError(`${call}: ${problem}`);
}

/** What is wrong with `value` as a `Message` (an object with a string id), or null. */
export function portMessageProblem(value: unknown): string | null {
  if (typeof value === "object" && value !== null && typeof (value as Message).id === "string") return null;
  return `message is ${describe(value)}, expected a Message with a string id`;
}

/** Whether `value` can run as a goroutine: a generator, as a function* returns. */
export function isGoroutineBody(value: unknown): value is GoroutineBody {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as GoroutineBody).next === "function" &&
    typeof (value as GoroutineBody).throw === "function"
  );
}

/** What a goroutine body that is not one was: "a number", "an object", "a function (call it: ...)". */
export function describeNonBody(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function")
    return "a function (pass what calling it returns: a function* called gives a generator)";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}
