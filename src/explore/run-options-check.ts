/**
 * What `runScenario` and `compareVariants` check of their options before any run, as the CLI
 * checks its flags: from JavaScript, `runScenario(text, "fixed")` or `{ varient: "fixed" }` would
 * otherwise be ignored in silence, and `schedulers: {}` or `sinks: { onEvent }` fail deep in the
 * world as a property read.
 */
import { jsValueText } from "../scenario/issue.js";
import { isVariantName, VARIANT_NAMES, variantSuggestion } from "../scenario/variants.js";
import { checkKnownKeys } from "./known-keys.js";
import { checkSchedulerRegistry } from "./scheduler-check.js";

/** The options a run of a scenario takes (`RunScenarioOptions`). */
const RUN_OPTION_KEYS = [
  "variant",
  "seed",
  "untilMs",
  "schedulers",
  "sinks",
  "watchers",
  "wallClock",
  "wallGuard",
  "stepWatch",
  "judgeOnly",
] as const;

/**
 * Throws a TypeError for options that are not an object of run options, an option no run takes
 * (naming the nearest), schedulers that are not a registry of SchedulerFactory, sinks that are
 * not a list of trace sinks, or a clock that is no function; a RangeError for a variant no
 * scheduler has. `variants` says the variants come as their own argument (`compareVariants`).
 */
export function checkRunOptions(options: unknown, variants: "option" | "argument" = "option"): void {
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    const hint =
      typeof options === "string" && isVariantName(options)
        ? ` (a variant goes as { variant: "${options}" })`
        : "";
    throw new TypeError(
      `options: expected an object of run options (${RUN_OPTION_KEYS.slice(0, 6).join(", ")}, …), found ${jsValueText(options)}${hint}`,
    );
  }
  const o = options as Readonly<Record<string, unknown>>;
  // An option left undefined is no option (`{ ...opts, variant: undefined }` spreads one in).
  if (o.variant !== undefined && variants === "argument")
    throw new TypeError(
      'options.variant: compareVariants takes its variants as its second argument, e.g. compareVariants(text, ["buggy", "fixed"])',
    );
  checkKnownKeys(o, RUN_OPTION_KEYS, (key) => `options.${key}`, ["option", "options"]);
  const { variant } = o;
  if (variant !== undefined && !(typeof variant === "string" && isVariantName(variant)))
    throw new RangeError(
      `options.variant: expected one of ${VARIANT_NAMES.join(", ")} (or none, for the scenario's own scheduler), found ${jsValueText(variant)}${variantSuggestion(variant)}`,
    );
  checkSchedulerRegistry(o.schedulers, "options.schedulers");
  checkSinks(o.sinks, "options.sinks");
  checkSinks(o.watchers, "options.watchers");
  for (const key of ["wallClock"] as const)
    if (o[key] !== undefined && typeof o[key] !== "function")
      throw new TypeError(
        `options.${key}: expected a function giving the real time in ms (e.g. () => performance.now()), found ${jsValueText(o[key])}`,
      );
}

/**
 * Throws a TypeError naming `field` for what is not a list of trace sinks: objects with
 * `onEvent(event)`, and an `attach` that is a function if any.
 */
export function checkSinks(sinks: unknown, field: string): void {
  if (sinks === undefined) return;
  if (!Array.isArray(sinks))
    throw new TypeError(
      `${field}: expected a list of trace sinks (objects with onEvent(event)), found ${jsValueText(sinks)}${
        sinks !== null && typeof sinks === "object" && "onEvent" in sinks
          ? ": put the sink in a list, [sink]"
          : ""
      }`,
    );
  sinks.forEach((sink: unknown, i) => {
    if (
      sink === null ||
      typeof sink !== "object" ||
      typeof (sink as { onEvent?: unknown }).onEvent !== "function"
    )
      throw new TypeError(
        `${field}[${i}]: expected a trace sink, an object with onEvent(event), found ${jsValueText(sink)}${
          sink !== null && typeof sink === "object" && "onEvent" in sink
            ? `: its onEvent is ${kindOf(sink.onEvent)}, not a function`
            : ""
        }`,
      );
    // Optional, but called as the run adds the sink: one that is no function would be a
    // SinkError from inside the run (`this.sink.attach is not a function`).
    const attach = (sink as { attach?: unknown }).attach;
    if (attach !== undefined && attach !== null && typeof attach !== "function")
      throw new TypeError(
        `${field}[${i}]: its attach is ${kindOf(attach)}, not a function (attach(trace), optional, is called once before any event)`,
      );
  });
}

/** What kind of value `value` is, for a field that should be a function: `a number`, `null`, `an object`. */
function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
