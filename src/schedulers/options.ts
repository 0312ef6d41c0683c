/**
 * The options the bundled schedulers read, each a number from `min` (and whole where it is a
 * count), with the default a scheduler takes for a value it cannot use: one that is not a number,
 * or one below the least (a `tickMs` of 0 would loop at one instant until the event limit) or not
 * whole. `validate` refuses such a value written for a bundled scheduler
 * (src/scenario/scheduler-options.ts); a scheduler still meets one when a variant runs it in a
 * module's place (`--variant buggy` on a module scenario), with the module's own options, whose
 * names mean what the module says.
 */
export const BUNDLED_SCHEDULER_OPTIONS: Readonly<
  Record<
    string,
    { readonly min: number; readonly default: number; readonly whole?: true; readonly what: string }
  >
> = {
  tickMs: { min: 1, default: 1000, what: "the scheduler loop's period, in milliseconds" },
  v1BatchMax: {
    min: 1,
    default: 16,
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
    (option === undefined || (value >= option.min && (option.whole !== true || Number.isSafeInteger(value))))
  );
}
