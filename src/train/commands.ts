import type { Paint } from "../report/paint.js";
import { closest } from "../scenario/suggest.js";
import { echoed, fitLines, table } from "./format.js";
import { WHAT_IF_VERBS } from "./what-if.js";

/** One command of the session prompt, as data: help, completion and the dispatcher read it. */
export interface PromptCommand {
  readonly name: string;
  readonly args: string;
  readonly summary: string;
  readonly detail?: string;
  /**
   * What help says in the on-call view in place of `summary` and `detail`, where they would tell
   * the room the cause (a poison task, a fix) before `reveal` does.
   */
  readonly onCall?: { readonly summary?: string; readonly detail?: string };
  readonly examples: readonly string[];
  readonly aliases?: readonly string[];
}

export const PROMPT_COMMANDS: readonly PromptCommand[] = [
  {
    name: "next",
    args: "",
    summary: "run to the next chapter and pause there",
    examples: ["next"],
    aliases: ["n"],
  },
  {
    name: "run",
    args: "<duration>",
    summary: "let time pass (30s, 5m); stops early at a chapter",
    examples: ["run 5m", "run 90s"],
  },
  {
    name: "until",
    args: "<time>",
    summary:
      "run until a time of day within the run (10:00, 09:52:30), an offset from the start (+20m) or an ISO instant",
    examples: ["until 10:00", "until +20m"],
  },
  { name: "status", args: "", summary: "the dashboards and alerts now", examples: ["status"] },
  {
    name: "workers",
    args: "",
    summary: "each worker as the supervisor reports it",
    examples: ["workers"],
  },
  {
    name: "logs",
    args: "[worker|supervisor|deploy|ops] [lines]",
    summary: "recent log lines, of everything or of one source",
    examples: ["logs", "logs w3", "logs w3 40", "logs supervisor"],
  },
  { name: "alerts", args: "", summary: "alerts fired and resolved so far", examples: ["alerts"] },
  {
    name: "why",
    args: "<worker>[#n]",
    summary: "why a worker died: its exits, and the causal chain once revealed",
    examples: ["why w3", "why w3#2"],
  },
  {
    name: "reveal",
    args: "",
    summary: "show the hidden state (poison tasks, causal chain, lease tables) from now on",
    onCall: {
      summary:
        "show the hidden state (the causal chain behind each death, the lease tables, the write-up) from now on",
    },
    examples: ["reveal"],
  },
  { name: "hide", args: "", summary: "back to the on-call view", examples: ["hide"] },
  {
    name: "what-if",
    args: "<action>",
    summary: "fork the run here with an action and continue on the fork",
    detail: WHAT_IF_VERBS.map((v) => `${v.verb} ${v.args}: ${v.summary}`).join("\n"),
    onCall: {
      detail: WHAT_IF_VERBS.map((v) => `${v.verb} ${v.args}: ${v.onCallSummary ?? v.summary}`).join("\n"),
    },
    examples: [
      "what-if deploy fixed",
      "what-if rollback",
      "what-if quarantine sched-123",
      "what-if scale 12",
      "what-if restart w3",
    ],
  },
  {
    name: "compare",
    args: "[line] [line]",
    summary: "a fork against the original, both run to the end",
    examples: ["compare", "compare fork-2", "compare fork-1 fork-2"],
  },
  { name: "lines", args: "", summary: "the original timeline and your forks", examples: ["lines"] },
  {
    name: "switch",
    args: "<line>",
    summary: "carry on in another line from the same moment",
    examples: ["switch original", "switch fork-1"],
  },
  {
    name: "rewind",
    args: "<time>",
    summary: "go back to an earlier moment (re-runs from the start: exact)",
    examples: ["rewind 09:45", "rewind -2m", "rewind +0s"],
  },
  {
    name: "answer",
    args: "<text>",
    summary: "answer the chapter's question (kept for the debrief)",
    examples: ["answer I would check whether the two restarts died the same way"],
  },
  { name: "chapter", args: "", summary: "show the current chapter again", examples: ["chapter"] },
  {
    name: "score",
    args: "",
    summary: "how your what-ifs change time to all clear and late and missed deliveries",
    examples: ["score"],
  },
  {
    name: "save",
    args: "<file> [--force]",
    summary: "write the session (commands, answers, forks) as JSON for the debrief",
    examples: ["save debrief.json"],
  },
  {
    name: "help",
    args: "[command]",
    summary: "this list, or one command in detail",
    examples: ["help what-if"],
    aliases: ["?"],
  },
  { name: "quit", args: "", summary: "leave the session", examples: ["quit"], aliases: ["exit", "q"] },
];

/** The command a word names (its name or an alias), or undefined. */
export function findCommand(word: string): PromptCommand | undefined {
  const lower = word.toLowerCase();
  return PROMPT_COMMANDS.find((c) => c.name === lower || (c.aliases ?? []).includes(lower));
}

/**
 * A one-line hint for a word that is not a command, with the command meant where it can tell:
 * two words that make one (`what if` for `what-if`), a typo (`nxet`), or the start of exactly one
 * command (`stat`, `work`).
 */
export function unknownCommandHint(word: string, next?: string): string {
  const names = PROMPT_COMMANDS.map((c) => c.name);
  const lower = word.toLowerCase();
  const joined = next === undefined ? undefined : `${lower}-${next.toLowerCase()}`;
  const started = lower.length >= 2 ? names.filter((n) => n.startsWith(lower)) : [];
  const guess =
    (joined !== undefined && names.includes(joined) ? joined : undefined) ??
    closest(word, names) ??
    (started.length === 1 ? started[0] : undefined);
  return `unknown command "${echoed(word)}"${guess ? `: did you mean "${guess}"?` : ""} (help lists the commands)`;
}

/**
 * Every command, or one in detail; fitted to the terminal's width (`columns`) when known. In the
 * on-call view (unless `revealed`), in the words that give no cause away (`onCall`).
 */
export function renderHelp(paint: Paint, topic?: string, columns?: number, revealed = false): string | null {
  const summary = (c: PromptCommand) => (revealed ? c.summary : (c.onCall?.summary ?? c.summary));
  if (topic !== undefined) {
    const c = findCommand(topic);
    if (!c) return null;
    const detail = revealed ? c.detail : (c.onCall?.detail ?? c.detail);
    const lines = [paint.bold(`${c.name}${c.args ? ` ${c.args}` : ""}`), `  ${summary(c)}`];
    if (detail) lines.push(...detail.split("\n").map((l) => `    ${l}`));
    if (c.aliases && c.aliases.length > 0) lines.push(`  also: ${c.aliases.join(", ")}`);
    lines.push(`  examples: ${c.examples.join(" · ")}`);
    return fitLines(lines.join("\n"), columns);
  }
  return [
    paint.bold("Commands"),
    table(
      PROMPT_COMMANDS.map((c) => [
        `${c.name}${c.args ? ` ${c.args}` : ""}`,
        c.aliases && c.aliases.length > 0 ? `${summary(c)} (also ${c.aliases.join(", ")})` : summary(c),
      ]),
      "  ",
      "  ",
      columns,
    ),
    fitLines(
      paint.dim(
        "  Tab completes commands, workers, lines, chapter times and what-if actions; help <command> shows examples.",
      ),
      columns,
    ),
  ].join("\n");
}
