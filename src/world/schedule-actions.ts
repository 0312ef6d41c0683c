/**
 * Which pause, resume or quarantine of a schedule changes nothing, one rule for the run (the
 * control plane refuses the action: `World`) and for `validate` (which warns of those a timeline
 * shows: `scenario/id-refs.ts`); each says it in its own words.
 */

/** Why the action changes nothing. */
export type ScheduleNoOp = "quarantined-already" | "resume-quarantined" | "paused-already" | "not-paused";

/**
 * Why a pause (`pause` true), a resume (false) or a quarantine (null) of a schedule `now` would
 * change nothing, or null. A quarantine is for good (the schedule fires no more): a resume does
 * not lift it.
 */
export function scheduleNoOp(
  pause: boolean | null,
  now: { readonly paused: boolean; readonly quarantined: boolean },
): ScheduleNoOp | null {
  if (pause === null) return now.quarantined ? "quarantined-already" : null;
  if (!pause && now.quarantined) return "resume-quarantined";
  if (now.paused === pause) return pause ? "paused-already" : "not-paused";
  return null;
}
