/** The facilitator's training session: the public surface of `train/` (the CLI is one client). */
export { PROMPT_COMMANDS, type PromptCommand } from "./commands.js";
export { type Intervention, type Line, LiveWorld, ORIGINAL } from "./live.js";
export { OnCallObserver } from "./observer.js";
export { AllClearWatch, type Projection, projectLine } from "./projection.js";
export {
  type RecordedAnswer,
  type RecordedCommand,
  type RecordedFork,
  type RecordedOutcome,
  readScript,
  replayMismatch,
  type SavedFrom,
  type ScriptReading,
  SESSION_FORMAT,
  SESSION_SIGNATURE,
  SESSION_VERSION,
  type SessionRecord,
  scriptCommand,
} from "./record.js";
export { renameSavedForks, type SavedForkRef, savedForkRenames } from "./saved-forks.js";
export {
  FORKS_MAX,
  type Reply,
  type SessionEffect,
  type SessionOptions,
  TrainingSession,
} from "./session.js";
export { parseWhatIf, WHAT_IF_VERBS, whatIfStepMs } from "./what-if.js";
