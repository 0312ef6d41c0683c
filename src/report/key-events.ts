import type { TimelineEntry } from "../checks/types.js";
import type { RunClock } from "../kernel/time.js";

/** One alert rule's fired and resolved entries, kept side by side in an excerpt, told as one line. */
export interface AlertFlaps {
  readonly rule: string;
  readonly fired: number;
  readonly resolved: number;
  readonly first: TimelineEntry;
  readonly last: TimelineEntry;
}

/**
 * A line of a key-events excerpt: an entry, how many were left out where it stands, or an alert's
 * flaps. Entries left out while a rule flapped (after the line of its flaps, before its last flap)
 * are counted apart from those after it, and say so (`during`: the rule), so that a count after a
 * line of flaps does not read as if the flaps were all over before them.
 */
export type ExcerptLine =
  | { readonly entry: TimelineEntry }
  | { readonly more: number; readonly during?: string }
  | { readonly flaps: AlertFlaps };

/**
 * The turns of the story kept from the middle of a cut list, as the RunReport's timeline keeps
 * them past its own cap: first operator actions, deploys, the recovery, a scheduler that returned
 * and the timeline's own overflow note; then deletions, faults and alerts. A fault not fired is
 * kept whatever the budget: the faults row sends the reader to the key events for it.
 */
const TURN_TYPES: ReadonlySet<string> = new Set([
  "operator.action",
  "deploy.started",
  "deploy.finished",
  "scheduler.returned",
  "recovered",
  "more",
]);
const LANDMARK_TYPES: ReadonlySet<string> = new Set([
  "account.deleted",
  "fault.injected",
  "alert.fired",
  "alert.resolved",
]);
const ALWAYS_TYPE = "fault.skipped";

/** An alert rule with at least this many entries in a run of alerts is told in one line. */
const FLAPS_MIN = 3;

/** A unit of an excerpt: entries told as one line (one entry, or an alert's flaps), by position. */
interface Unit {
  readonly at: readonly number[];
  readonly line: ExcerptLine;
  readonly turn: boolean;
  /** A fault not fired: kept whatever the budget, besides the `max` lines. */
  readonly always: boolean;
}

/**
 * The key events a terminal or Markdown summary shows of a long list, in at most `max` lines
 * besides the `{ more }` lines and the faults not fired: the last `tail`, from the rest the turns
 * of the story (operator actions, deploys, the recovery, deletions, faults, alerts) in up to half
 * the lines left, operator actions and deploys first, and the first entries in the lines left after
 * them. Every fault that was not fired is kept besides. In what is kept, a run of one alert rule's
 * fired and resolved entries (three or more, with nothing else kept between them and none of that
 * rule's entries left out between them) is one line that counts them (`flaps`). Each run of entries
 * left out is one `{ more }` line where it stands, split where a span of flaps shown before it
 * ends (`during`). All of them when there are at most `max`.
 */
export function keyEventsExcerpt(
  entries: readonly TimelineEntry[],
  max: number,
  tail: number,
): ExcerptLine[] {
  if (entries.length <= max) return entries.map((entry) => ({ entry }));
  const from = entries.length - tail;
  const prev = previousOfRule(entries);
  // The head keeps at least half the lines the tail leaves: the story's start (the first panic).
  const headMin = Math.ceil((max - tail) / 2);
  const middle: number[] = [];
  for (let i = headMin; i < from; i++) {
    const type = entries[i].type;
    if (TURN_TYPES.has(type) || LANDMARK_TYPES.has(type) || type === ALWAYS_TYPE) middle.push(i);
  }
  const units = unitsOf(entries, middle, prev);
  const chosen = withinBudget(
    units.filter((u) => !u.always),
    max - tail - headMin,
  );
  const always: number[] = [];
  entries.forEach((entry, i) => {
    if (entry.type === ALWAYS_TYPE) always.push(i);
  });
  const rest = new Set([...chosen.flatMap((u) => u.at), ...always]);
  for (let i = from; i < entries.length; i++) rest.add(i);
  // Everything kept is told again, so that a rule's flaps from the middle into the tail are one
  // line; the head then takes the first entries while the lines told stay within `max` (an entry
  // of the head may split a unit of flaps chosen from the middle).
  const keptWith = (head: number) => {
    const kept = new Set(rest);
    for (let i = 0; i < head; i++) kept.add(i);
    return unitsOf(
      entries,
      [...kept].sort((a, b) => a - b),
      prev,
    );
  };
  const linesOf = (told: readonly Unit[]) => told.filter((u) => !u.always).length;
  let head = headMin;
  let told = keptWith(head);
  while (head < from) {
    const more = keptWith(head + 1);
    if (linesOf(more) > max) break;
    head++;
    told = more;
  }
  return withLeftOut(told, entries.length);
}

/** For each alert entry of a rule, the position of that rule's entry before it (-1 for none). */
function previousOfRule(entries: readonly TimelineEntry[]): number[] {
  const last = new Map<string, number>();
  return entries.map((e, i) => {
    if (!isAlert(e)) return -1;
    const before = last.get(e.rule as string) ?? -1;
    last.set(e.rule as string, i);
    return before;
  });
}

const isAlert = (e: TimelineEntry) =>
  (e.type === "alert.fired" || e.type === "alert.resolved") && e.rule !== undefined;

/**
 * The units of the kept entries: each entry alone, but an alert rule's flaps in a run of alerts as
 * one, as long as none of that rule's entries between them was left out (`prev`: the position of
 * each alert's entry of its rule before it), so that a line of flaps counts every entry of its
 * rule from its first to its last.
 */
function unitsOf(
  entries: readonly TimelineEntry[],
  kept: readonly number[],
  prev: readonly number[],
): Unit[] {
  const units: Unit[] = [];
  let k = 0;
  while (k < kept.length) {
    if (!isAlert(entries[kept[k]])) {
      const i = kept[k];
      const type = entries[i].type;
      units.push({
        at: [i],
        line: { entry: entries[i] },
        turn: TURN_TYPES.has(type),
        always: type === ALWAYS_TYPE,
      });
      k++;
      continue;
    }
    // A run of alerts with nothing else kept between them: a rule's flaps are one unit, at its first.
    let end = k;
    while (end < kept.length && isAlert(entries[kept[end]])) end++;
    const run = kept.slice(k, end);
    const open = new Map<string, number[]>();
    const flapsOf = new Map<number, number[]>();
    for (const i of run) {
      const rule = entries[i].rule as string;
      const current = open.get(rule);
      if (current !== undefined && current[current.length - 1] === prev[i]) {
        current.push(i);
      } else {
        const started = [i];
        open.set(rule, started);
        flapsOf.set(i, started);
      }
    }
    const inFlaps = new Set<number>();
    for (const all of flapsOf.values()) if (all.length >= FLAPS_MIN) for (const i of all) inFlaps.add(i);
    for (const i of run) {
      const all = flapsOf.get(i);
      if (!inFlaps.has(i)) {
        units.push({ at: [i], line: { entry: entries[i] }, turn: false, always: false });
      } else if (all !== undefined) {
        const fired = all.filter((j) => entries[j].type === "alert.fired").length;
        const flaps: AlertFlaps = {
          rule: entries[i].rule as string,
          fired,
          resolved: all.length - fired,
          first: entries[i],
          last: entries[all[all.length - 1]],
        };
        units.push({ at: all, line: { flaps }, turn: false, always: false });
      }
    }
    k = end;
  }
  return units;
}

/** The units kept of `units`, at most `budget`: turns first, then the others, each in order. */
function withinBudget(units: readonly Unit[], budget: number): Unit[] {
  const chosen = new Set<Unit>();
  for (const turn of [true, false]) {
    for (const u of units) {
      if (chosen.size >= budget) break;
      if (u.turn === turn) chosen.add(u);
    }
  }
  return units.filter((u) => chosen.has(u));
}

/**
 * The lines of the units shown, in the order of their entries (a unit of flaps at its first), each
 * run of entries that none of them tells between two of them (a unit of flaps tells entries past
 * its own place) and after the last counted in a `{ more }`. A run that lies partly within a span
 * of flaps shown before it is split where that span ends: the part within it says it is `during`
 * those flaps (the innermost span, the one that ends first, when they nest), the rest does not.
 */
function withLeftOut(shown: readonly Unit[], total: number): ExcerptLine[] {
  const told = new Set(shown.flatMap((u) => u.at));
  const spans = shown.flatMap((u) =>
    "flaps" in u.line ? [{ first: u.at[0], last: u.at[u.at.length - 1], rule: u.line.flaps.rule }] : [],
  );
  // The span of flaps an entry left out lies within, the one that ends first; null for none.
  const within = (i: number) => {
    let found: (typeof spans)[number] | null = null;
    for (const span of spans)
      if (span.first < i && i < span.last && (found === null || span.last < found.last)) found = span;
    return found;
  };
  const out: ExcerptLine[] = [];
  let next = 0;
  const leftOut = (to: number) => {
    let left = 0;
    let span: (typeof spans)[number] | null = null;
    const push = () => {
      if (left > 0) out.push(span === null ? { more: left } : { more: left, during: span.rule });
      left = 0;
    };
    for (let i = next; i < to; i++) {
      if (told.has(i)) continue;
      const inSpan = within(i);
      if (inSpan !== span) push();
      span = inSpan;
      left++;
    }
    push();
  };
  for (const unit of shown) {
    leftOut(unit.at[0]);
    out.push(unit.line);
    next = unit.at[0] + 1;
  }
  leftOut(total);
  return out;
}

/** What a line of entries left out says: `38 more`, or `38 more while alert lag flapped`. */
export function moreText(line: { readonly more: number; readonly during?: string }): string {
  return `${line.more} more${line.during === undefined ? "" : ` while alert ${line.during} flapped`}`;
}

/**
 * What a line of flaps says: `alert lag fired 12 times and resolved 11 times until 07:00:00; last
 * fired: lagP99Ms = 61000 (threshold 60000)`, the moments written by `clock`.
 */
export function flapsText(f: AlertFlaps, clock: RunClock): string {
  const prefix = `alert ${f.rule} `;
  const last = f.last.text.startsWith(prefix) ? f.last.text.slice(prefix.length) : f.last.text;
  const times = (n: number) => (n === 1 ? "once" : `${n} times`);
  return `alert ${f.rule} fired ${times(f.fired)} and resolved ${times(f.resolved)} until ${clock.clock(Date.parse(f.last.t))}; last ${last}`;
}
