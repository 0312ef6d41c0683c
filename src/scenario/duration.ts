import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "../kernel/index.js";
import { describeValue } from "./issue.js";

/**
 * Durations as scenario files write them: whole numbers per unit, largest unit first, no
 * spaces: `250ms`, `30s`, `5m`, `2h`, `1h30m`, `1d`. A sign is allowed only where a field says
 * so (clock skew). Parsing returns data: either milliseconds or what is wrong and a fix.
 */

const UNITS = [
  ["d", DAY_MS],
  ["h", HOUR_MS],
  ["m", MINUTE_MS],
  ["s", SECOND_MS],
  ["ms", 1],
] as const;

const BODY = "(?=\\d)(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?";
const UNSIGNED = new RegExp(`^${BODY}$`);
const SIGNED = new RegExp(`^([+-])?${BODY}$`);

/** JSON Schema patterns of the two duration forms (shown to editors). */
export const DURATION_PATTERN = `^${BODY.replace(/\(\\d\+\)/g, "\\d+")}$`;
export const SIGNED_DURATION_PATTERN = `^[+-]?${BODY.replace(/\(\\d\+\)/g, "\\d+")}$`;

/** Unit spellings people write, mapped to ours, for suggestions. */
const UNIT_ALIASES: Readonly<Record<string, string>> = {
  ms: "ms",
  msec: "ms",
  msecs: "ms",
  millis: "ms",
  millisecond: "ms",
  milliseconds: "ms",
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  m: "m",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  d: "d",
  day: "d",
  days: "d",
};

export interface DurationConstraints {
  /** Accept a leading `-` (and `+`). */
  readonly signed?: boolean;
  /** Refuse zero. */
  readonly positive?: boolean;
}

export type DurationResult =
  | { readonly ok: true; readonly ms: number }
  | { readonly ok: false; readonly message: string; readonly suggestion?: string };

/**
 * Parses a duration written as text. Spaces anywhere, even around it, are refused, exactly as the
 * schema's pattern refuses them: a file that validates in an editor parses, and the other way round.
 */
export function parseDuration(text: string, constraints: DurationConstraints = {}): DurationResult {
  if (/\s/.test(text)) return spaced(text, constraints);
  const match = (constraints.signed ? SIGNED : UNSIGNED).exec(text);
  if (!match) return diagnose(text, constraints);
  const sign = constraints.signed && match[1] === "-" ? -1 : 1;
  const parts = constraints.signed ? match.slice(2) : match.slice(1);
  let ms = 0;
  UNITS.forEach(([, unitMs], i) => {
    if (parts[i] !== undefined) ms += Number(parts[i]) * unitMs;
  });
  if (!Number.isSafeInteger(ms))
    return {
      ok: false,
      message: `the duration is too long: at most ${formatDurationText(Number.MAX_SAFE_INTEGER)}, the longest counted in whole ms`,
    };
  if (constraints.positive && ms === 0) return { ok: false, message: "the duration must be longer than 0" };
  // `-0s` is zero, not a negative zero that `Object.is` and division tell from 0.
  return { ok: true, ms: ms === 0 ? 0 : sign * ms };
}

/**
 * `text` with its spaces taken out, as a fix to offer, or null where a space parts two numbers:
 * `1 30s` joined is `130s`, another duration than the one written (1 of something, then 30 s).
 */
export function joinedWithoutSpaces(text: string): string | null {
  return /\d\s+\d/.test(text) ? null : text.replace(/\s+/g, "");
}

/** Why a duration with spaces is refused: just the spaces, or more (said as for any other text). */
function spaced(text: string, constraints: DurationConstraints): DurationResult {
  const joined = joinedWithoutSpaces(text);
  if (joined !== null && joined !== "" && parseDuration(joined, constraints).ok) {
    return { ok: false, message: "a duration is written without spaces", suggestion: joined };
  }
  return diagnose(text.trim(), constraints);
}

/** The canonical text of a duration: `5400000` → `1h30m`, `1500` → `1s500ms`, `0` → `0s`. */
export function formatDurationText(ms: number): string {
  if (ms === 0) return "0s";
  let rest = Math.abs(ms);
  let out = ms < 0 ? "-" : "";
  for (const [unit, unitMs] of UNITS) {
    const n = Math.floor(rest / unitMs);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * unitMs;
  }
  return out;
}

/** What to write instead of a bare number meant as a duration in `unit`: `30` → `30s`, `1.5` → `1s500ms`. */
function suggestForBareNumber(n: number, unit: "ms" | "s"): string | undefined {
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (Number.isSafeInteger(n)) return `${n}${unit}`;
  const ms = n * (unit === "ms" ? 1 : SECOND_MS);
  return Number.isInteger(ms) && Number.isSafeInteger(ms) ? formatDurationText(ms) : undefined;
}

const BARE_NUMBER_MESSAGE = "a duration needs a unit (ms, s, m, h or d)";

/**
 * Whether a bare number is plainly milliseconds: a whole number of seconds written in ms
 * (`60000`, `720000`), the unit of the RunReport and the trace. Read as seconds it would be hours
 * or days.
 */
export function plainlyMilliseconds(n: number): boolean {
  return Number.isSafeInteger(n) && n >= SECOND_MS && n % SECOND_MS === 0;
}

/**
 * The message and fix for a bare number where a duration goes, read in `unit` unless it is
 * plainly milliseconds (`plainlyMilliseconds`): a whole number of seconds written in ms (`60000`, `300000`), the unit
 * of the RunReport and the trace, which read in seconds would be hours or days.
 */
export function adviseBareNumber(n: number, unit: "ms" | "s"): { message: string; suggestion?: string } {
  // YAML's .nan and .inf are numbers to JavaScript, but no unit makes them a duration.
  if (!Number.isFinite(n)) return { message: `${describeValue(n)} is not a duration` };
  if (unit === "s" && plainlyMilliseconds(n)) {
    return {
      message: `${BARE_NUMBER_MESSAGE}; ${n} reads as milliseconds`,
      suggestion: formatDurationText(n),
    };
  }
  return { message: BARE_NUMBER_MESSAGE, suggestion: suggestForBareNumber(n, unit) };
}

const TOKEN = /\s*(\d+(?:\.\d+)?|\.\d+)\s*([a-zA-Z]*)\s*/y;

/** Explains why `text` is not a duration, with a corrected spelling when one is clear. */
function diagnose(text: string, constraints: DurationConstraints): DurationResult {
  if (text === "") return { ok: false, message: "the duration is empty" };
  const negative = text.startsWith("-");
  const hasSign = /^[+-]/.test(text);
  const body = text.replace(/^[+-]/, "");
  const tokens = tokenize(body);
  let suggestion: string | undefined;
  // Whether the duration is 0 where it must be longer (`0.0s`, `-0s`): said with the other reason.
  let zeroRefused = false;
  if (tokens?.every((t) => t.unit !== undefined)) {
    const ms = Math.round(tokens.reduce((sum, t) => sum + t.value * unitMsOf(t.unit!), 0));
    zeroRefused = constraints.positive === true && ms === 0;
    // Zero is no suggestion where the duration must be longer than 0: it would be refused too.
    if (Number.isSafeInteger(ms) && !zeroRefused)
      suggestion = formatDurationText(ms * (negative && constraints.signed ? -1 : 1));
  }
  const andPositive = zeroRefused ? ", and must be longer than 0" : "";
  if (hasSign && !constraints.signed) {
    // `-0s` and `+5s` are not negative: what is refused is the sign itself.
    const zero = tokens?.every((t) => t.value === 0) ?? false;
    const message =
      negative && !zero
        ? "a duration cannot be negative here"
        : `a duration takes no sign here${andPositive}`;
    return { ok: false, message, suggestion };
  }
  if (tokens?.length === 1 && tokens[0].rawUnit === "") {
    return { ok: false, ...adviseBareNumber(tokens[0].value, "s") };
  }
  if (tokens?.some((t) => t.rawUnit === "")) {
    return {
      ok: false,
      message: "every number in a duration needs a unit (ms, s, m, h or d)",
      suggestion: completedLastUnit(tokens, text, constraints),
    };
  }
  if (tokens?.some((t) => t.unit === undefined)) {
    const bad = tokens.find((t) => t.unit === undefined)!.rawUnit;
    return { ok: false, message: `unknown unit "${bad}": units are ms, s, m, h and d` };
  }
  // A decimal point is refused even where the number is whole (`1.0m`, `0.0s`).
  if (tokens?.some((t) => t.fraction)) {
    const message = `write whole numbers per unit${zeroRefused ? ", and the duration must be longer than 0" : ""}`;
    return { ok: false, message, suggestion };
  }
  if (tokens?.some((t) => t.rawUnit !== t.unit)) {
    return { ok: false, message: "units are ms, s, m, h and d", suggestion };
  }
  if (tokens) {
    return { ok: false, message: "write each unit once, largest first, without spaces", suggestion };
  }
  return { ok: false, message: "not a duration" };
}

/**
 * `1h30` as `1h30m`, `+5m30` as `+5m30s`: only the last number lacks its unit, read as the unit
 * after the one before it, as a clock is read (h then m, m then s, s then ms). None when that is
 * not a duration the field takes (after ms, or units out of order).
 */
function completedLastUnit(
  tokens: readonly Token[],
  text: string,
  constraints: DurationConstraints,
): string | undefined {
  const written = tokens.slice(0, -1);
  if (written.length === 0 || written.some((t) => t.unit === undefined)) return undefined;
  const previous = UNITS.findIndex(([u]) => u === written[written.length - 1].unit);
  const next = UNITS[previous + 1]?.[0];
  if (next === undefined) return undefined;
  const units = [...written.map((t) => t.unit!), next];
  const sign = /^[+-]/.exec(text)?.[0] ?? "";
  const completed = sign + tokens.map((t, i) => `${t.value}${units[i]}`).join("");
  return parseDuration(completed, constraints).ok ? completed : undefined;
}

interface Token {
  readonly value: number;
  /** Whether the number was written with a decimal point. */
  readonly fraction: boolean;
  readonly rawUnit: string;
  readonly unit: string | undefined;
}

function tokenize(body: string): Token[] | null {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < body.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(body);
    if (!match || TOKEN.lastIndex === at) return null;
    const rawUnit = match[2];
    tokens.push({
      value: Number(match[1]),
      fraction: match[1].includes("."),
      rawUnit,
      unit: UNIT_ALIASES[rawUnit.toLowerCase()],
    });
  }
  return tokens.length > 0 ? tokens : null;
}

function unitMsOf(unit: string): number {
  return UNITS.find(([u]) => u === unit)?.[1] ?? 1;
}

/** A default duration of the schema's (`"30s"`), in milliseconds. */
export function schemaDefaultMs(text: string): number {
  const parsed = parseDuration(text, { positive: true });
  if (!parsed.ok) throw new Error(`the schema's default ${text} is not a duration`);
  return parsed.ms;
}
