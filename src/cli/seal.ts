/**
 * Seals on the files aftershock writes for people to keep and edit (a reproducer, a Markdown
 * summary, an HTML report): a line holding the digest of the rest of the file, so that a later
 * command replaces the file only while it is as aftershock wrote it. An edited one (notes added
 * to a postmortem summary, an `expect:` added to a reproducer) is the user's, kept unless
 * `--force` says otherwise.
 */
import { createHash } from "node:crypto";

/** Whether a file is as aftershock wrote it, edited since, or without a seal (earlier versions). */
export type SealState = "intact" | "edited" | "none";

export interface Seal {
  /** `text` with its seal line inserted. */
  seal(text: string): string;
  /** What the file's seal says of `text`. */
  state(text: string): SealState;
}

/**
 * A seal whose line goes after the first `afterLines` lines of the text, written as
 * `open + digest + close`; `close` must not contain a newline nor `open` start one.
 */
function sealOf(afterLines: number, open: string, close: string): Seal {
  // A carriage return before the newline (line ends converted since) still finds the line: the
  // file is then edited, not one without a seal.
  const line = new RegExp(`^${escapeRegExp(open)}(sha256:[0-9a-f]{64})${escapeRegExp(close)}\\r?\\n`, "m");
  return {
    seal(text) {
      let at = 0;
      for (let n = 0; n < afterLines; n++) at = text.indexOf("\n", at) + 1;
      return `${text.slice(0, at)}${open}${digestOf(text)}${close}\n${text.slice(at)}`;
    },
    state(text) {
      const m = line.exec(text);
      if (m === null) return "none";
      const rest = text.slice(0, m.index) + text.slice(m.index + m[0].length);
      return digestOf(rest) === m[1] ? "intact" : "edited";
    },
  };
}

/** A reproducer's: a YAML comment, its second line. */
export const REPRODUCER_SEAL = sealOf(
  1,
  "# digest ",
  " (of the rest of this file: a rerun replaces it only while it matches)",
);

/** A Markdown summary's: an HTML comment (not shown where Markdown is rendered), its second line. */
export const MARKDOWN_SEAL = sealOf(
  1,
  "<!-- digest ",
  " (of the rest of this file: aftershock replaces it only while it matches) -->",
);

/** An HTML report's: a comment, its third line (after the doctype and aftershock's comment). */
export const HTML_SEAL = sealOf(
  2,
  "<!-- digest ",
  " (of the rest of this file: aftershock replaces it only while it matches) -->",
);

/** Why a file whose seal says `state` is not replaced without --force, or null when it may be. */
export function sealRefusal(state: SealState): string | null {
  if (state === "edited") return "was edited since aftershock wrote it";
  if (state === "none")
    return "was written by an earlier aftershock, which did not record whether it was edited since";
  return null;
}

function digestOf(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
