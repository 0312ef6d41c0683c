// What a reproducer's comment header records, read back: the trace its replay gives.
import { REPRODUCER_SIGNATURE } from "./outputs.js";

/** The comment lines a file starts with, before its document. */
export function headerOf(text: string): string {
  const body = /^(?!#)/m.exec(text);
  return body === null ? text : text.slice(0, body.index);
}

const TRACE_HASH_LINE = /^# trace hash (\S+)$/m;

/** The trace hash a reproducer's header records, or null when it has none. */
export function reproducerTraceHash(text: string): string | null {
  return TRACE_HASH_LINE.exec(headerOf(text))?.[1] ?? null;
}

/**
 * The trace hash an explore reproducer's header records (`# trace hash …` under its
 * `# aftershock explore reproducer:` line), or null for any other file: what `run` of the file,
 * at its own seed and scheduler, gives when it replays the failure exactly.
 */
export function recordedReplayHash(text: string): string | null {
  return REPRODUCER_SIGNATURE.test(text) ? reproducerTraceHash(text) : null;
}
