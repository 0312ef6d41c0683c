/**
 * The saved session (`save FILE`): what the trainees did, for the debrief, and enough to replay
 * it (`aftershock train <scenario> --script FILE` accepts a saved session as well as a list of
 * commands). Plain JSON; `format` and `version` let tools recognise it.
 */

export const SESSION_FORMAT = "aftershock-training-session";
export const SESSION_VERSION = 1;

/** The first bytes of a saved session: lets the CLI recognise a file it may overwrite. */
export const SESSION_SIGNATURE = /"format":\s*"aftershock-training-session"/;

export interface RecordedCommand {
  /** The simulated moment it was typed at (ISO). */
  readonly at: string;
  readonly line: string;
  readonly command: string;
}

export interface RecordedAnswer {
  readonly chapter: number;
  readonly title: string;
  readonly question: string | null;
  readonly answer: string;
  readonly at: string;
  readonly line: string;
}

export interface RecordedFork {
  readonly name: string;
  readonly from: string | null;
  readonly at: string;
  readonly whatIf: string;
  readonly action: string;
  /** The fork run to the end, if the session computed it (compare, score). */
  readonly outcome: RecordedOutcome | null;
}

export interface RecordedOutcome {
  readonly recoveredAt: string | null;
  readonly timeToRecoveryMs: number | null;
  readonly cascadeEndedAt: string | null;
  readonly panicDeaths: number;
  readonly lateDeliveries: number;
  readonly missedDeliveries: number;
  readonly traceHash: string;
}

export interface SessionRecord {
  readonly format: typeof SESSION_FORMAT;
  readonly version: typeof SESSION_VERSION;
  readonly scenario: string;
  readonly seed: number;
  readonly variant: string | null;
  readonly scheduler: { readonly name: string; readonly fixes: readonly string[] };
  readonly facilitator: boolean;
  /** When the hidden state was first revealed (ISO), or null. */
  readonly revealedAt: string | null;
  readonly commands: readonly RecordedCommand[];
  readonly answers: readonly RecordedAnswer[];
  readonly original: RecordedOutcome | null;
  readonly forks: readonly RecordedFork[];
}

/**
 * The commands of a script: one per line, blank lines and `#` comments skipped; or the commands
 * of a saved session when the text is one.
 */
export function scriptCommands(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const parsed = JSON.parse(trimmed) as Partial<SessionRecord>;
      if (parsed.format === SESSION_FORMAT && Array.isArray(parsed.commands))
        return parsed.commands.map((c) => String(c.command));
    } catch {
      // Not JSON after all: read it as lines of commands.
    }
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith("#"));
}
