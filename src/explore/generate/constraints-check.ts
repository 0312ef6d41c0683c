/**
 * What every generator checks of the constraints it is given, section by section, so that a
 * slip is an error naming the constraint when the arbitrary is built, not documents other
 * than the constraints say, nor ones no scenario file takes (which `explore` would report as
 * `generated an invalid scenario` on every run), nor an error from inside fast-check.
 */

import { CONCURRENCY_MAX, PARTITIONS_MAX, RETRIES_MAX } from "../../scenario/defaults.js";
import { givenValueText } from "../../scenario/issue.js";
import { closest } from "../../scenario/suggest.js";
import { VARIANT_NAMES } from "../../scenario/variants.js";
import { FAULT_NAMES, PANIC_POINTS } from "../../scenario/vocabulary.js";
import { WORKERS_MAX } from "../../world/config.js";
import { CronError, parseCron } from "../../world/cron.js";
import { TIMELINE_KINDS } from "./timeline-kinds.js";

/** The RangeError for `field` (its full name), saying what it should be and what it is. */
export function constraintError(field: string, expected: string, found: unknown): RangeError {
  return new RangeError(`${field}: expected ${expected}, found ${givenValueText(found)}`);
}

/** What a section's keys take beyond what their defaults show (a number of 0 or more, a list, a flag). */
export interface SectionRules {
  /** Keys with no default (`mustDelete`, `firstNamedCron`, the sections of the whole). */
  readonly optional?: readonly string[];
  /** Lists of words, each key's vocabulary: what a scenario file takes there. */
  readonly words?: Readonly<Record<string, readonly string[]>>;
  /** Lists that may not be empty (`panicPoints`: an injected panic throws somewhere). */
  readonly nonEmpty?: readonly string[];
  /**
   * Lists of cron expressions (one at least), lists that may be empty (the defaults are taken
   * then), and single ones (`""` is none).
   */
  readonly crons?: readonly string[];
  readonly cronsOrNone?: readonly string[];
  readonly cron?: readonly string[];
  /**
   * Least a number may be, and why, where 0 makes no valid document (`workersMin`: 1); with a
   * third word, only while the section's `kinds` draw that kind (a pause's length matters only
   * where pauses are drawn).
   */
  readonly least?: Readonly<Record<string, readonly [number, string] | readonly [number, string, string]>>;
  /** Most a number may be, and why: the scenario schema's bound. */
  readonly most?: Readonly<Record<string, readonly [number, string]>>;
  /**
   * Ranges of ms a document writes in whole `unitMs` (seconds, minutes), each `[minKey, maxKey,
   * unitMs, unit, floor]`: the generator draws whole units in [min, max] rounded inwards, and at
   * least `floor`, so a range with none in it would give a value outside the bounds.
   */
  readonly units?: readonly (readonly [string, string, number, string, number])[];
  /**
   * Bounds that hold between keys (`schedulesMax` and the named minimums), checked on the
   * section's defaults with what was given (`merged`; `given`, to tell a default from a value
   * set), once each key alone has passed.
   */
  readonly between?: (
    merged: Readonly<Record<string, unknown>>,
    prefix: string,
    given: Readonly<Record<string, unknown>>,
  ) => void;
}

/** Why a bound is the scenario schema's: `the most workers a scenario holds`. */
const mostIn = (what: string) => `the most ${what} a scenario holds`;

/** The rules of each section of `ScenarioConstraints`. */
export const SECTION_RULES = {
  scenario: {
    optional: ["fleet", "workload", "timeline", "faults"],
    least: { sloMs: [1, "an SLO of 0 ms makes every delivery late"] },
    units: [["durationMsMin", "durationMsMax", 60_000, "minute", 1]],
  },
  fleet: {
    least: {
      workersMin: [1, "a fleet starts with a worker at least"],
      partitionsMin: [1, "a fleet has a partition at least"],
      concurrencyMin: [1, "a worker runs a task at a time at least"],
    },
    most: {
      workersMin: [WORKERS_MAX, mostIn("workers")],
      workersMax: [WORKERS_MAX, mostIn("workers")],
      partitionsMin: [PARTITIONS_MAX, mostIn("partitions")],
      partitionsMax: [PARTITIONS_MAX, mostIn("partitions")],
      concurrencyMin: [CONCURRENCY_MAX, mostIn("tasks per worker")],
      concurrencyMax: [CONCURRENCY_MAX, mostIn("tasks per worker")],
    },
    units: [
      ["leaseTtlMsMin", "leaseTtlMsMax", 1000, "second", 2],
      ["rebalanceIntervalMsMin", "rebalanceIntervalMsMax", 1000, "second", 1],
      ["startupTimeMsMin", "startupTimeMsMax", 1000, "second", 0],
      ["backoffInitialMsMin", "backoffInitialMsMax", 1000, "second", 1],
    ],
  },
  workload: {
    optional: ["firstNamedCron"],
    crons: ["cron"],
    cronsOrNone: ["namedCron"],
    cron: ["firstNamedCron"],
    most: { retriesMax: [RETRIES_MAX, mostIn("retries")] },
    between: checkNamedWithinCap,
  },
  timeline: {
    optional: ["mustDelete"],
    words: { kinds: TIMELINE_KINDS, deployVariants: VARIANT_NAMES },
    least: {
      pauseWorkerMsMax: [1000, "a generated pause lasts whole seconds, 1s at least", "pause-worker"],
    },
    most: { scaleMin: [WORKERS_MAX, mostIn("workers")] },
  },
  faults: {
    words: { kinds: FAULT_NAMES, panicPoints: PANIC_POINTS },
    nonEmpty: ["panicPoints"],
    least: {
      durationMsMax: [1000, "a generated fault lasts whole seconds, 1s at least"],
      storeLatencyMsMax: [
        1,
        "a store-latency fault adds 1 ms at least: leave it out of kinds instead",
        "store-latency",
      ],
    },
    between: checkPersistentPanicCounts,
  },
} as const satisfies Record<string, SectionRules>;

/**
 * The named accounts' least schedules (`namedAccountsMin` × `namedSchedulesMin`) within
 * `schedulesMax`, the cap on all schedules at the start: a workload of more would break the cap
 * the constraints set, one of fewer the minimums.
 */
function checkNamedWithinCap(c: Readonly<Record<string, unknown>>, prefix: string): void {
  const accounts = c.namedAccountsMin as number;
  const schedules = c.namedSchedulesMin as number;
  const cap = c.schedulesMax as number;
  if (accounts * schedules <= cap) return;
  throw new RangeError(
    `${prefix}.namedAccountsMin × ${prefix}.namedSchedulesMin (${accounts} × ${schedules} = ${accounts * schedules} named schedules at least) is above ${prefix}.schedulesMax (${cap}), the cap on all schedules at the start: lower the named minimums or raise the cap`,
  );
}

/**
 * A persistent `inject-panic` throws more than a transient one (`panicCountMax`, 1 at least):
 * with `persistentPanicPercent` above 0, wherever panics are drawn (`inject-panic` among `kinds`
 * and `faultsMax` above 0, or `mustInjectPanic`), both of its counts must be above that, or it
 * could not be told from a transient one (before, the generator drew none). The message says
 * which values are defaults, and names every count to raise, so that one change suffices.
 */
function checkPersistentPanicCounts(
  c: Readonly<Record<string, unknown>>,
  prefix: string,
  given: Readonly<Record<string, unknown>>,
): void {
  const drawn =
    ((c.kinds as readonly string[]).includes("inject-panic") && (c.faultsMax as number) > 0) ||
    c.mustInjectPanic === true;
  if (!drawn || (c.persistentPanicPercent as number) <= 0) return;
  const transient = Math.max(1, c.panicCountMax as number);
  const low = ["persistentPanicCountMin", "persistentPanicCountMax"].filter(
    (key) => (c[key] as number) <= transient,
  );
  if (low.length === 0) return;
  const said = (key: string, note = "") => {
    const notes = [...(given[key] === undefined ? ["its default"] : []), ...(note === "" ? [] : [note])];
    return `${c[key]}${notes.length === 0 ? "" : `, ${notes.join(", ")}`}`;
  };
  const [first] = low;
  const raise = low.map((key) => `${prefix}.${key}`).join(" and ");
  throw new RangeError(
    `${prefix}.${first} (${said(first)}) is not above ${prefix}.panicCountMax (${said("panicCountMax", transient === c.panicCountMax ? "" : "a transient panic throws once at least")}): a persistent injected panic throws more than a transient one; with ${prefix}.persistentPanicPercent ${c.persistentPanicPercent}${given.persistentPanicPercent === undefined ? " (its default)" : ""}, raise ${raise} to ${transient + 1} at least, or set persistentPanicPercent to 0`,
  );
}

/**
 * Throws for a section of constraints (`given`, named `prefix`; none, or null, is the defaults):
 * a TypeError for a key the section does not have (naming the nearest that it has), a list or a
 * flag of another type; a RangeError for a number its `defaults` give as anything but a number
 * of 0 or more, finite unless its default is not (`panicTotalMax`), and whole but for a share
 * (`…Fraction`, `…Rate`), as fast-check draws whole numbers; a share past the whole (`…Rate`,
 * `…Fraction`: 1; `…Percent`: 100); a word a list's vocabulary lacks, a cron expression that is
 * none, a number past the `rules`' bounds, or a range with no whole unit in it; a `…Min` above
 * its `…Max` when both are given (one given alone past the other's default moves it, as the
 * generators always did); `mustDelete`'s times alike.
 */
export function checkSection(
  given: object | null | undefined,
  defaults: object,
  prefix: string,
  rules: SectionRules = {},
): void {
  if (given === undefined || given === null) return;
  if (typeof given !== "object" || Array.isArray(given))
    throw new TypeError(`${prefix}: expected an object of constraints, found ${givenValueText(given)}`);
  const values = given as Readonly<Record<string, unknown>>;
  const fallback = defaults as Readonly<Record<string, unknown>>;
  const known = [...Object.keys(fallback), ...(rules.optional ?? [])];
  // The kinds the section draws, for the bounds that matter only where a kind is drawn.
  const drawn = values.kinds ?? fallback.kinds;
  const kinds: readonly unknown[] = Array.isArray(drawn) ? drawn : [];
  for (const [key, value] of Object.entries(values)) {
    if (!known.includes(key)) throw unknownKey(`${prefix}.${key}`, key, known);
    if (value === undefined) continue;
    checkValue(`${prefix}.${key}`, key, value, fallback[key], rules, kinds);
  }
  checkRanges(values, prefix);
  const merged = { ...fallback, ...withoutUndefined(values) };
  checkUnits(merged, values, prefix, rules);
  rules.between?.(merged, prefix, values);
  const must = values.mustDelete;
  if (must !== undefined && must !== null) {
    if (typeof must !== "object" || Array.isArray(must))
      throw new TypeError(
        `${prefix}.mustDelete: expected { atMsMin, atMsMax } (ms from the start), found ${givenValueText(must)}`,
      );
    const times = must as Readonly<Record<string, unknown>>;
    for (const [key, value] of Object.entries(times)) {
      if (key !== "atMsMin" && key !== "atMsMax")
        throw unknownKey(`${prefix}.mustDelete.${key}`, key, ["atMsMin", "atMsMax"]);
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
        throw constraintError(`${prefix}.mustDelete.${key}`, "a finite number ≥ 0", value);
    }
    for (const key of ["atMsMin", "atMsMax"])
      if (times[key] === undefined)
        throw new TypeError(
          `${prefix}.mustDelete.${key}: missing: mustDelete takes { atMsMin, atMsMax }, both (ms from the start)`,
        );
    checkRanges(times, `${prefix}.mustDelete`);
    checkUnits(times, times, `${prefix}.mustDelete`, { units: [["atMsMin", "atMsMax", 1000, "second", 0]] });
  }
}

function unknownKey(field: string, key: string, known: readonly string[]): TypeError {
  const near = closest(key, known);
  const hint = near === undefined ? `the constraints here are ${known.join(", ")}` : `did you mean ${near}?`;
  return new TypeError(`${field}: no such constraint: ${hint}`);
}

function checkValue(
  field: string,
  key: string,
  value: unknown,
  standard: unknown,
  rules: SectionRules,
  kinds: readonly unknown[],
): void {
  const words = rules.words?.[key];
  if (words !== undefined) {
    checkWords(field, value, words, (rules.nonEmpty as readonly string[] | undefined)?.includes(key));
    return;
  }
  if ((rules.crons as readonly string[] | undefined)?.includes(key)) {
    checkCrons(field, value);
    return;
  }
  if ((rules.cronsOrNone as readonly string[] | undefined)?.includes(key)) {
    checkCrons(field, value, true);
    return;
  }
  if ((rules.cron as readonly string[] | undefined)?.includes(key)) {
    if (value !== "") checkCron(field, value);
    return;
  }
  if (typeof standard === "boolean" && typeof value !== "boolean")
    throw new TypeError(`${field}: expected true or false, found ${givenValueText(value)}`);
  if (typeof standard === "string" && typeof value !== "string")
    throw new TypeError(`${field}: expected text, found ${givenValueText(value)}`);
  if (typeof standard !== "number") return;
  const finite = Number.isFinite(standard);
  if (typeof value !== "number" || Number.isNaN(value) || value < 0 || (finite && !Number.isFinite(value)))
    throw constraintError(field, finite ? "a finite number ≥ 0" : "a number ≥ 0", value);
  const share = /(Rate|Fraction)(Max)?$/.test(key);
  if (!share && Number.isFinite(value) && !Number.isInteger(value))
    throw constraintError(
      field,
      /Ms(Min|Max)?$/.test(key) ? "a whole number of ms" : "a whole number",
      value,
    );
  const whole = /Percent$/.test(key) ? 100 : share ? 1 : null;
  if (whole !== null && value > whole) throw constraintError(field, `at most ${whole}`, value);
  const least = rules.least?.[key];
  if (least !== undefined && value < least[0] && (least[2] === undefined || kinds.includes(least[2])))
    throw constraintError(field, `at least ${least[0]} (${least[1]})`, value);
  const most = rules.most?.[key];
  if (most !== undefined && value > most[0])
    throw constraintError(field, `at most ${most[0]}, ${most[1]}`, value);
}

/** A list of words from `words` (a typo is told the nearest), one at least when `nonEmpty`. */
function checkWords(field: string, value: unknown, words: readonly string[], nonEmpty = false): void {
  if (!Array.isArray(value))
    throw new TypeError(`${field}: expected a list of ${words.join(", ")}, found ${givenValueText(value)}`);
  if (nonEmpty && value.length === 0)
    throw new RangeError(`${field}: expected one at least of ${words.join(", ")}, found none`);
  value.forEach((word, i) => {
    if (typeof word === "string" && words.includes(word)) return;
    const near = typeof word === "string" ? closest(word, words) : undefined;
    throw new RangeError(
      `${field}[${i}]: expected one of ${words.join(", ")}, found ${givenValueText(word)}${near === undefined ? "" : ` — did you mean ${near}?`}`,
    );
  });
}

/** A list of cron expressions, as a scenario file takes them: one at least unless `mayBeEmpty`. */
function checkCrons(field: string, value: unknown, mayBeEmpty = false): void {
  if (!Array.isArray(value))
    throw new TypeError(`${field}: expected a list of cron expressions, found ${givenValueText(value)}`);
  if (value.length === 0 && !mayBeEmpty)
    throw new RangeError(`${field}: expected a cron expression at least, found none`);
  value.forEach((expr, i) => {
    checkCron(`${field}[${i}]`, expr);
  });
}

function checkCron(field: string, expr: unknown): void {
  if (typeof expr !== "string")
    throw new TypeError(`${field}: expected a cron expression, found ${givenValueText(expr)}`);
  try {
    parseCron(expr);
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    throw new RangeError(`${field}: bad cron expression ${givenValueText(expr)}: ${error.message}`);
  }
}

/** Throws for a `…Min` above its `…Max` in `values`, both given. */
function checkRanges(values: Readonly<Record<string, unknown>>, prefix: string): void {
  for (const [key, min] of Object.entries(values)) {
    if (!key.endsWith("Min")) continue;
    const maxKey = `${key.slice(0, -3)}Max`;
    const max = values[maxKey];
    if (typeof min === "number" && typeof max === "number" && min > max)
      throw new RangeError(`${prefix}.${key} (${min}) is above ${prefix}.${maxKey} (${max})`);
  }
}

/**
 * Throws for a range of ms with no whole unit in it, as the generator draws it (`merged`: the
 * defaults with what was `given`; a Max below a Min given alone is moved up to it), when one of
 * its ends was given.
 */
function checkUnits(
  merged: Readonly<Record<string, unknown>>,
  given: Readonly<Record<string, unknown>>,
  prefix: string,
  rules: SectionRules,
): void {
  for (const [minKey, maxKey, unitMs, unit, floor] of rules.units ?? []) {
    if (given[minKey] === undefined && given[maxKey] === undefined) continue;
    const minMs = merged[minKey] as number;
    const maxMs = Math.max(minMs, merged[maxKey] as number);
    if (Math.max(floor, Math.ceil(minMs / unitMs)) <= Math.floor(maxMs / unitMs)) continue;
    const least = floor > 0 ? ` (${floor} at least)` : "";
    throw new RangeError(
      `${prefix}.${minKey}..${maxKey}: a generated document writes it in whole ${unit}s${least}, and none lies between ${minMs} and ${maxMs} ms: widen the range to take one`,
    );
  }
}

function withoutUndefined(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}
