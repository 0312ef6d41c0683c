/**
 * The options the bundled schedulers read, each a number from `min` (and whole where it is a
 * count, up to `max`, the largest whole number a double holds exactly), with the default a
 * scheduler takes for a value it cannot use: one that is not a number, or one below the least (a
 * `tickMs` of 0 would loop at one instant until the event limit), or a count not whole or beyond
 * its most. `validate` refuses such a value written for a bundled scheduler
 * (src/scenario/scheduler-options.ts); a scheduler still meets one when a variant runs it in a
 * module's place (`--variant buggy` on a module scenario), with the module's own options, whose
 * names mean what the module says.
 */
export const BUNDLED_SCHEDULER_OPTIONS: Readonly<
  Record<
    string,
    {
      readonly min: number;
      /** The most a count may be (a time in ms has no bound but being finite). */
      readonly max?: number;
      readonly default: number;
      readonly whole?: true;
      readonly what: string;
    }
  >
> = {
  tickMs: { min: 1, default: 1000, what: "the scheduler loop's period, in milliseconds" },
  v1BatchMax: {
    min: 1,
    default: 16,
    max: Number.MAX_SAFE_INTEGER,
    whole: true,
    what: "the most tasks v1 claims from one partition at a time",
  },
  refreshMs: {
    min: 1,
    default: 10_000,
    what: "how often v2 reads its owned partitions again, in milliseconds",
  },
  panicAttemptsMax: {
    min: 1,
    default: 3,
    max: Number.MAX_SAFE_INTEGER,
    whole: true,
    what: "the attempts of a panicking task before v2 quarantines its schedule",
  },
  panicRetryBaseMs: {
    min: 0,
    default: 1000,
    what: "v2's wait before retrying a panicking task, doubled each attempt, in milliseconds",
  },
};

/** The bundled option named `name`, or undefined (a name every object has, `constructor`, is none). */
export function bundledOption(name: string): (typeof BUNDLED_SCHEDULER_OPTIONS)[string] | undefined {
  return Object.hasOwn(BUNDLED_SCHEDULER_OPTIONS, name) ? BUNDLED_SCHEDULER_OPTIONS[name] : undefined;
}

/** Whether a bundled scheduler can use `value` for the option (see `BUNDLED_SCHEDULER_OPTIONS`). */
export function usableOption(name: string, value: unknown): value is number {
  const option = bundledOption(name);
  return (
    typeof value === "number" &&
    Number.isFinite(value) &&
    (option === undefined ||
      (value >= option.min &&
        value <= (option.max ?? Number.POSITIVE_INFINITY) &&
        (option.whole !== true || Number.isInteger(value))))
  );
}

/**
 * What a bundled option takes, in words: `a number, 1 or more`, `a whole number from 1 to
 * 9007199254740991`.
 */
export function optionRangeText(option: (typeof BUNDLED_SCHEDULER_OPTIONS)[string]): string {
  const kind = option.whole === true ? "a whole number" : "a number";
  return option.max === undefined
    ? `${kind}, ${option.min} or more`
    : `${kind} from ${option.min} to ${option.max}`;
}
