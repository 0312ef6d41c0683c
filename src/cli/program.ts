import { Command, CommanderError, Option } from "commander";
import { COMMANDS } from "./commands/index.js";
import { CliError, EXIT, saidText } from "./errors.js";
import { formatExamples, HELP_LAYOUT, wrapProse } from "./help-layout.js";
import type { CommandSpec, OptionSpec, ParsedOptions } from "./spec.js";
import { columnsFromEnv, columnsNow } from "./terminal.js";

export interface ParsedCommand {
  readonly command: string;
  readonly args: string[];
  readonly options: ParsedOptions;
}

export type ParseOutcome =
  | { readonly kind: "command"; readonly parsed: ParsedCommand }
  | { readonly kind: "exit"; readonly code: number };

export interface ParseIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The width to lay help out for; by default the terminal's it goes to (none when piped). */
  readonly helpWidth?: number;
}

/**
 * The width help is laid out for on stdout, or on stderr (`error`): COLUMNS when set (piped too,
 * as `train` reads it), else the terminal's, if it is one.
 */
function helpWidthOf(io: ParseIo, error: boolean): number | undefined {
  if (io.helpWidth !== undefined) return io.helpWidth;
  return columnsFromEnv(process.env) ?? columnsNow(error ? process.stderr : process.stdout);
}

/** Paragraphs of one line each, wrapped to the help's width (`wrapProse`). */
const EPILOG = `
Exit codes: 0 all held · 1 a property or expectation failed · 2 bad input or usage · 3 nondeterminism detected · 4 internal error (aftershock's own: please report it with the command line) · 130 ended by SIGINT (Ctrl-C), 143 by SIGTERM, 129 by SIGHUP (the terminal closed).
An output file given as - is stdout; a scenario given as - is read from stdin by run, compare, why and validate, as report's input is (./- names a file called -).
Colour only on a terminal, not a dumb one (TERM=dumb); NO_COLOR turns it off, FORCE_COLOR=1 (or set empty) on even when piped, FORCE_COLOR=0 off.`;

/** Builds the commander program from the command table. */
export function buildProgram(
  io: ParseIo,
  onCommand: (parsed: ParsedCommand) => void,
  version: string,
): Command {
  const output = {
    writeOut: io.out,
    writeErr: io.err,
    // Commander's own width where none is known (a pipe, a file).
    getOutHelpWidth: () => helpWidthOf(io, false) ?? 80,
    getErrHelpWidth: () => helpWidthOf(io, true) ?? 80,
  };
  const program = new Command("aftershock")
    .description(
      "Incident-replay chaos simulator: replays the QStash 2026-05-08 scheduler cascade deterministically, proves the fix, gates CI and runs postmortem training.",
    )
    .version(version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput(output)
    // Before the commands are added: each takes the program's help settings.
    .configureHelp(HELP_LAYOUT)
    .addHelpText("after", ({ error }) => wrapProse(EPILOG, helpWidthOf(io, error) ?? 80));
  for (const { spec } of COMMANDS) {
    const cmd = program.command(`${spec.name}${spec.args ? ` ${spec.args}` : ""}`).description(spec.summary);
    const options = spec.options.map((o) => {
      const option = new Option(o.flags, o.description);
      if (o.choices) option.choices(o.choices);
      if (o.defaultValue !== undefined) option.default(o.defaultValue);
      if (o.output === true) onlyOnce(option, "it writes one file", optionNames(spec));
      else if (o.once !== undefined) onlyOnce(option, o.once);
      cmd.addOption(option);
      return option;
    });
    cmd.addHelpText("after", ({ error }) => {
      const width = helpWidthOf(io, error);
      const paragraphs = [stdinNote(spec), spec.notes].filter((p) => p !== undefined);
      const notes = paragraphs.length === 0 ? "" : `\n${wrapProse(paragraphs.join("\n"), width ?? 80)}\n`;
      return `${notes}${formatExamples(spec.examples, width)}`;
    });
    cmd.exitOverride().configureOutput(output);
    cmd.action((...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const opts = settledOptions(
        command,
        spec.options,
        options,
        command.opts() as Record<string, string | boolean | undefined>,
      );
      const args = command.args.slice(0, command.registeredArguments.length);
      const positional = params
        .slice(0, command.registeredArguments.length)
        .flatMap((p) => (Array.isArray(p) ? p : [p]));
      onCommand({
        command: spec.name,
        args: positional.length > 0 ? (positional as string[]) : args,
        options: opts,
      });
    });
  }
  return program;
}

/** What `--help` says of a command that reads stdin for `-` (`CommandSpec.stdin`). */
function stdinNote(spec: CommandSpec): string | undefined {
  if (spec.stdin === undefined) return undefined;
  const what = { scenario: "A scenario", file: "A file", input: "Saved output" }[spec.stdin];
  return `${what} given as - is read from stdin (./- names a file called -).`;
}

/**
 * Refuses an option given twice whose second value would drop what the first asked for: an output
 * file (`--trace a.jsonl --trace b.jsonl`: commander keeps the last without a word, so the first
 * file would silently never be written), or `--scheduler` (`compare --scheduler a.mjs --scheduler
 * b.mjs` would compare b alone). `why` says what it does with one. Other options keep the last value
 * given, as command lines do (an npm script's `--seed 1` overridden by `npm run x -- --seed 5`).
 */
function onlyOnce(option: Option, why: string, options?: ReadonlySet<string>): void {
  let given: string | null = null;
  option.argParser((value: string) => {
    // An output file named as one of the command's options is an empty variable before it
    // (`--markdown $GITHUB_STEP_SUMMARY` where it is not set: `--markdown --junit gate.xml`), or a
    // file name left out: commander takes the option for the file and writes a file named
    // `--junit`, and what followed it for an input. `./--junit` still names such a file.
    const name = value.split("=")[0];
    if (options?.has(name))
      throw new CliError(
        `${option.long ?? option.flags}: expected a file, found the option ${name} (a variable before it empty, or the file left out); give the file after ${option.long ?? option.flags} (./${value} for a file of that name)`,
      );
    if (given !== null)
      throw new CliError(
        `${option.long ?? option.flags} is given twice (${given}, then ${value}): ${why}; give it once`,
      );
    given = value;
    return value;
  });
}

/** The option names a command knows (`--junit`, `-o`, `--output`), with help's. */
function optionNames(spec: CommandSpec): ReadonlySet<string> {
  const names = spec.options.flatMap((o) => o.flags.split(/[ ,|]+/).filter((word) => word.startsWith("-")));
  return new Set([...names, "-h", "--help"]);
}

/**
 * `opts` as the command takes them: each option that took its default and has a
 * `defaultWhenGiven` whose flag was given set to that default instead (`compare --scheduler`
 * defaults `--variants` to `fixed`). An output file given as `-` stays `-`, which every output
 * check and writer takes as stdout (`STDOUT_PATH`).
 */
function settledOptions(
  command: Command,
  specs: readonly OptionSpec[],
  options: readonly Option[],
  opts: ParsedOptions,
): ParsedOptions {
  const out = { ...opts };
  specs.forEach((spec, k) => {
    const key = options[k].attributeName();
    const when = spec.defaultWhenGiven;
    if (when === undefined || command.getOptionValueSource(key) !== "default") return;
    const given = options.find((o) => o.long === when.flag);
    if (given !== undefined && out[given.attributeName()] !== undefined) out[key] = when.value;
  });
  return out;
}

/** Parses argv (without node and script) into a command, or the exit of --help, --version or a usage error. */
export function parseCLI(argv: readonly string[], io: ParseIo, version = "0.1.0"): ParseOutcome {
  let parsed: ParsedCommand | null = null;
  const program = buildProgram(
    io,
    (p) => {
      parsed = p;
    },
    version,
  );
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; a missing command or bad option shows help and exits 2.
      return { kind: "exit", code: error.exitCode === 0 ? EXIT.ok : EXIT.usage };
    }
    if (error instanceof CliError) {
      io.err(saidText(error.message));
      return { kind: "exit", code: error.exitCode };
    }
    throw error;
  }
  if (parsed === null) {
    program.outputHelp({ error: true });
    return { kind: "exit", code: EXIT.usage };
  }
  return { kind: "command", parsed };
}
