/** Operator actions a generated timeline may use. */
export const TIMELINE_KINDS = Object.freeze([
  "delete-account",
  "create-account",
  "create-schedule",
  "delete-schedule",
  "pause-schedule",
  "deploy",
  "kill-worker",
  "pause-worker",
  "restart-worker",
  "scale",
] as const);
export type TimelineKind = (typeof TIMELINE_KINDS)[number];
