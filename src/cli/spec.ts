import type { CliContext } from "./context.js";

/** One option of a command, as data. */
export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly defaultValue?: string;
  /**
   * The default in place of `defaultValue` when the option `flag` (`--scheduler`) is given:
   * compare's `--variants` is `fixed` beside a scheduler module, `buggy,fixed` alone.
   */
  readonly defaultWhenGiven?: { readonly flag: string; readonly value: string };
  /** The option names a file to write: `-` for it is stdout (`STDOUT_PATH`), as tools read it. */
  readonly output?: true;
  /**
   * Why the option is refused when given twice, where the last value would silently drop what
   * the first asked for (`it runs one scheduler`); an output file's is said without it.
   */
  readonly once?: string;
}

/**
 * An output file given as `-`: the command's stdout, as every output check and writer takes it
 * (`outputTarget`). It stays `-` rather than become `/dev/stdout`, so that messages name it as
 * the user wrote it (`shownPath`).
 */
export const STDOUT_PATH = "-";

/** One command, as data: the option table is separate from the parser (as vitest does it). */
export interface CommandSpec {
  readonly name: string;
  /** Commander argument syntax: `<scenario>`, `<files...>`, `[paths...]`. */
  readonly args: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
  /** A paragraph `--help` shows after the options, before the examples (how to read the output). */
  readonly notes?: string;
  /**
   * What the command reads from stdin when given `-` in its place (`scenario`: `run -`;
   * `file`: `validate -`, one of the files it checks; `input`: `report -`, saved output), which
   * `--help` says; absent: none.
   */
  readonly stdin?: "scenario" | "file" | "input";
}

/** Options as commander hands them over. */
export type ParsedOptions = Record<string, string | boolean | undefined>;

/** A command: its spec and what it does; returns the exit code. */
export interface CliCommand {
  readonly spec: CommandSpec;
  run(ctx: CliContext, args: readonly string[], options: ParsedOptions): Promise<number> | number;
}

/** Why `--scheduler` is taken once: a second would silently replace the first. */
export const SCHEDULER_ONCE = "it runs one scheduler in v2's place";

/** `--scheduler`, as run-like commands and compare take it. */
export const SCHEDULER_OPTION: OptionSpec = {
  flags: "--scheduler <name>",
  description:
    "scheduler by name (v1, v2) or path to a scheduler module (.js, .mjs, .cjs, .ts, .mts); a module also takes the place of v2 in the timeline's deploys, as in gate",
  once: SCHEDULER_ONCE,
};

/** `--fix`, with `--scheduler`. */
export const FIX_OPTION: OptionSpec = {
  flags: "--fix <list>",
  description:
    "with --scheduler: comma-separated fixes it has, in any order (v2: early-return,panic-recovery; v1 has none)",
  once: "it takes every fix in one comma-separated list",
};

/** `--seed`, as every command that runs one scenario takes it. */
export const SEED_OPTION: OptionSpec = {
  flags: "--seed <n>",
  description: "master seed (default: the scenario's)",
};

/** Options that choose a scheduler, shared by run-like commands. */
export const VARIANT_OPTIONS: readonly OptionSpec[] = [
  {
    flags: "--variant <name>",
    description:
      "scheduler to start with: buggy (v2, no fixes), fixed (v2, both fixes), early-return, panic-recovery, v1",
  },
  SCHEDULER_OPTION,
  FIX_OPTION,
  SEED_OPTION,
];

/** The report files `run` and `compare` can write after the run. */
export const REPORT_FILE_OPTIONS: readonly OptionSpec[] = [
  {
    flags: "--html <file.html>",
    description: "write a self-contained HTML report: charts, worker lanes, causal chain, key events",
    output: true,
  },
  {
    flags: "--perfetto <file.json>",
    description: "write the run as Chrome trace-event JSON (open it in ui.perfetto.dev or chrome://tracing)",
    output: true,
  },
  {
    flags: "--markdown <file.md>",
    description: "write a summary table and the key events in Markdown",
    output: true,
  },
];
