import { DAY_MS } from "../kernel/index.js";
import {
  instantText,
  parseDuration,
  parseTimeRef,
  resolveTimeRef,
  timeOfDayFrom,
} from "../scenario/index.js";
import { clock } from "./format.js";

/** The run's window and where the session is in it. */
export interface MomentWindow {
  readonly startMs: number;
  readonly nowMs: number;
  readonly horizonMs: number;
}

/**
 * A moment the session was asked to go to, or why it cannot; `note` says how a time of day was
 * read. A failure is `understood` when the text is a time the session read, but one it cannot go
 * to (ahead of now for `rewind`, past the end for `until`): a refusal, not a hint on writing times.
 */
export type Moment =
  | { readonly ok: true; readonly atMs: number; readonly note: string | null }
  | { readonly ok: false; readonly message: string; readonly understood: boolean };

/**
 * Where `until` (ahead of now) or `rewind` (not ahead of now) goes: `-2m` back from now, a time of
 * day, `+20m` from the start, or an ISO instant. A time of day is the one inside the run: in a run
 * that crosses midnight, `00:02` is the next day's. When it falls on more than one day of the run,
 * `until` takes the next one ahead and `rewind` the latest one not ahead of now, and the note says so.
 */
export function resolveMoment(text: string, verb: "until" | "rewind", w: MomentWindow): Moment {
  if (text.startsWith("-")) {
    const back = parseDuration(text.slice(1), { positive: true });
    return back.ok ? checked(w.nowMs - back.ms, text, verb, w) : refused(verb, back.message);
  }
  const parsed = parseTimeRef(text);
  if (!parsed.ok)
    return refused(
      verb,
      `${parsed.message}${parsed.suggestion ? ` (did you mean ${parsed.suggestion}?)` : ""}`,
    );
  if (parsed.value.form !== "time-of-day")
    return checked(resolveTimeRef(parsed.value, w.startMs), text, verb, w);
  const sinceMidnightMs = parsed.value.sinceMidnightMs;
  // The first occurrence at or after `t` (occurrences are a day apart).
  const from = (t: number) => timeOfDayFrom(sinceMidnightMs, t);
  const first = from(w.startMs);
  if (first > w.horizonMs)
    return outside(
      verb,
      `${text} does not fall within the run (${span(w)}): a time of day is read as one inside it; write an ISO instant or +offset from the start`,
    );
  const last = first + Math.floor((w.horizonMs - first) / DAY_MS) * DAY_MS;
  const pick = verb === "until" ? from(w.nowMs + 1) : from(w.nowMs + 1) - DAY_MS;
  const atMs = Math.min(Math.max(pick, first), last);
  const result = checked(atMs, text, verb, w);
  if (!result.ok || first === last) return result;
  const which = verb === "until" ? "the next one ahead" : "the latest one not ahead of now";
  return {
    ...result,
    note: `${text} falls on more than one day of the run: taking ${instantText(atMs)}, ${which} (an ISO instant picks another)`,
  };
}

/** Checks a moment against the window: ahead of now for `until`, not ahead of it for `rewind`. */
function checked(t: number, text: string, verb: "until" | "rewind", w: MomentWindow): Moment {
  const iso = instantText(t);
  const named = text === iso ? iso : `${text} (${iso})`;
  if (verb === "until") {
    if (t <= w.nowMs) return outside(verb, `${named} is not ahead of now (${now(w)}); rewind goes back`);
    if (t > w.horizonMs) return outside(verb, `${named} is after the end of the run (${span(w)})`);
  } else {
    if (t < w.startMs) return outside(verb, `${named} is before the start of the run (${span(w)})`);
    if (t > w.nowMs) return outside(verb, `${named} is ahead of now (${now(w)}); use until`);
  }
  return { ok: true, atMs: t, note: null };
}

/** Text that is not a time the session reads. */
function refused(verb: string, message: string): Moment {
  return { ok: false, message: `${verb}: ${message}`, understood: false };
}

/** A time read, but not one `verb` can go to from where the session is. */
function outside(verb: string, message: string): Moment {
  return { ok: false, message: `${verb}: ${message}`, understood: true };
}

function span(w: MomentWindow): string {
  return `${instantText(w.startMs)} to ${instantText(w.horizonMs)}`;
}

function now(w: MomentWindow): string {
  return `${clock(w.nowMs)} on ${instantText(w.nowMs).slice(0, 10)}`;
}
