/**
 * What a comparison's divergences say, for every renderer of one (terminal, Markdown, HTML):
 * for each run after the first, where it first parts from the first run, or that it never does,
 * and what differs between the two events there.
 */
import { describeTask, type RunClock, shortIso } from "../kernel/time.js";
import type { TraceEvent } from "../kernel/trace.js";
import { goroutineText } from "./event-words.js";
import { type HtmlDivergence, runName, type StoppedFirst } from "./html/model.js";

export type { StoppedFirst } from "./html/model.js";

import type { RunReport } from "./run-report.js";

/** A run after the first, and its first divergence from the first run (null: none). */
export interface Parting {
  /** The first run's name, then this run's. */
  readonly names: readonly [string, string];
  readonly divergence: HtmlDivergence | null;
  /** One of the two stopped early before they parted (then `divergence` is null). */
  readonly stopped: StoppedFirst | null;
}

/**
 * One parting per run after the first, from the comparison's `divergences` (which name their
 * variants); without them (a comparison saved before they were listed), only the first two
 * runs', from `divergence`.
 */
export function partingsOf(
  reports: readonly RunReport[],
  divergence: HtmlDivergence | null | undefined,
  divergences: readonly HtmlDivergence[] | null | undefined,
  /** The pairs one of which stopped before they parted (absent in a comparison saved before they were given). */
  stops: readonly StoppedFirst[] | null = null,
): Parting[] {
  if (reports.length < 2) return [];
  const first = runName(reports[0]);
  const stoppedOf = (name: string) => stops?.find((s) => s.variants[1] === name) ?? null;
  if (divergences === undefined || divergences === null) {
    const name = runName(reports[1]);
    return [{ names: [first, name], divergence: divergence ?? null, stopped: stoppedOf(name) }];
  }
  return reports.slice(1).map((r) => {
    const name = runName(r);
    return {
      names: [first, name],
      divergence: divergences.find((d) => d.variants?.[1] === name) ?? null,
      stopped: stoppedOf(name),
    };
  });
}

/**
 * `none before fixed stopped early at 09:32:00.027 (hit the wall-clock budget (200 ms)): buggy and
 * fixed behaved alike up to trace event #3947`, the stop said as its run's report says it, else
 * by its reason; when both stopped there, `none: buggy and fixed behaved alike up to where both
 * stopped early (hit the event limit (25000 events)) at 09:49:00.000, trace event #24999`. Where a limit stops a run is no behaviour of its scheduler (a wall-clock budget's
 * depends on the machine): not a divergence.
 */
export function stoppedFirstText(stop: StoppedFirst, reports: readonly RunReport[], clock: RunClock): string {
  const report = reports.find((r) => runName(r) === stop.stopped);
  const detail =
    report !== undefined && report.run.stopReason === stop.reason ? report.run.detail : stop.reason;
  const [a, b] = stop.variants;
  // Both stopped: neither first, and alike is all that is known of them, not how they would go on.
  if (stop.both === true)
    return `none: ${a} and ${b} behaved alike up to where both stopped early (${detail}) at ${partingTime(stop.t, clock)}, trace event #${stop.index}`;
  return `none before ${stop.stopped} stopped early at ${partingTime(stop.t, clock)} (${detail}): ${a} and ${b} behaved alike up to trace event #${stop.index}`;
}

/** `HH:MM:SS.mmm` of a parting event's instant, by the runs' `clock`; `?` when unknown. */
export function partingTime(t: number, clock: RunClock): string {
  return Number.isNaN(t) ? "?" : clock.clockMs(t);
}

/**
 * Fields that do not say what happened, so never what differs: the trace's numbering and the
 * scheduler's name (the fields explore's behaviour print leaves out, `BEHAVIOUR_IGNORED`).
 */
export const NOT_BEHAVIOUR: readonly string[] = ["seq", "cause", "scheduler", "fixes"];

/** A field that differs where two runs part, with each run's value (undefined: it has none). */
export interface Difference {
  readonly field: string;
  readonly a: unknown;
  readonly b: unknown;
}

/**
 * What differs between the two events where runs part, every field whose value differs (one
 * that only one event has too: its value on the other is undefined): `type` first when they are
 * different kinds of event, then the fields in the first event's order, then those only the
 * other has, in its order. Never the trace's numbering (`NOT_BEHAVIOUR`). None when a run's
 * trace had ended.
 */
export function differencesOf(a: TraceEvent | null, b: TraceEvent | null): Difference[] {
  if (a === null || b === null) return [];
  const out: Difference[] = a.type === b.type ? [] : [{ field: "type", a: a.type, b: b.type }];
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (field === "type" || NOT_BEHAVIOUR.includes(field)) continue;
    if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) out.push({ field, a: a[field], b: b[field] });
  }
  return out;
}

/** The names of the fields that differ where two runs part (`differencesOf`), in its order: a divergence's `differs`. */
export function differingFields(a: TraceEvent | null, b: TraceEvent | null): string[] {
  return differencesOf(a, b).map((d) => d.field);
}

/**
 * Fields of trace events that hold a time (epoch ms): written as ISO times, as task ids are. The
 * event catalogue (`EVENT_FIELD_KINDS`) calls them numbers as it does counts and durations, so
 * they are listed here; a test classes every number field of the catalogue as a time or not.
 */
export const TIME_FIELDS: readonly string[] = ["due", "next", "retryAt", "expiredAt", "horizon"];

/** Longest value a difference shows (an error message can be long). */
const VALUE_CHARS_MAX = 60;

/** Differing fields a text lists at most; the rest are counted (`and 5 more`), `--json`'s `differs` lists them all. */
export const DIFFERENCES_LISTED_MAX = 8;

/**
 * `t, account (acct-00003 vs acct-00001)`: the fields that differ, with both values unless the
 * events are shown with them already (`shown`; each run's time and kind of event always are),
 * the first `DIFFERENCES_LISTED_MAX` of them, then how many more.
 */
export function differencesText(differences: readonly Difference[], shown: readonly string[] = []): string {
  const value = (field: string, v: unknown) => {
    const text =
      v === undefined
        ? "–"
        : typeof v === "string"
          ? idWords(field, v)
          : typeof v === "number" && TIME_FIELDS.includes(field)
            ? shortIso(v)
            : JSON.stringify(v);
    return text.length > VALUE_CHARS_MAX ? `${text.slice(0, VALUE_CHARS_MAX - 1)}…` : text;
  };
  const listed = differences
    .slice(0, DIFFERENCES_LISTED_MAX)
    .map(({ field, a, b }) =>
      field === "t" || field === "type" || shown.includes(field)
        ? field
        : `${field} (${value(field, a)} vs ${value(field, b)})`,
    );
  const more = differences.length - listed.length;
  return more > 0 ? `${listed.join(", ")} and ${more} more` : listed.join(", ");
}

/** A field's text with the task ids in it readable (`describeTask`); the trace keeps them as they are. */
function idWords(field: string, text: string): string {
  if (field === "task" || field === "message") return describeTask(text);
  return field === "goroutine" ? goroutineText(text) : text;
}
