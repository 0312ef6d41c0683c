import { Command, CommanderError, Option } from "commander";
import { CliError, EXIT } from "./errors.js";

/** One option of a command, as data. */
export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly defaultValue?: string;
}

/** One command, as data: the option table is separate from the parser (as vitest does it). */
export interface CommandSpec {
  readonly name: string;
  readonly args: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
}

const VARIANT_OPTIONS: OptionSpec[] = [
  {
    flags: "--variant <name>",
    description:
      "scheduler to start with: buggy (v2, no fixes), fixed (v2, both fixes), early-return, panic-recovery, v1",
  },
  {
    flags: "--scheduler <name>",
    description: "scheduler by name (v1, v2) or path to a scheduler module (.js)",
  },
  {
    flags: "--fix <list>",
    description: "with --scheduler: comma-separated fixes (early-return,panic-recovery)",
  },
  { flags: "--seed <n>", description: "master seed (default: the scenario's)" },
];

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "run",
    args: "<scenario>",
    summary: "run a scenario once and narrate it (or print the RunReport with --json)",
    options: [
      ...VARIANT_OPTIONS,
      { flags: "--until <time>", description: "stop at a time: 10:00, +15m or an ISO instant" },
      { flags: "--json", description: "print exactly one JSON object: the RunReport" },
      { flags: "--trace <file.jsonl>", description: "write the full trace, one event per line" },
      { flags: "--force", description: "replace output files not written by aftershock" },
      { flags: "--quiet", description: "print one summary line" },
    ],
    examples: [
      "aftershock run scenarios/qstash-2026-05-08.yaml",
      "aftershock run qstash-2026-05-08 --variant fixed",
      "aftershock run qstash-2026-05-08 --variant buggy --json > buggy.json",
      "aftershock run qstash-2026-05-08 --scheduler v2 --fix early-return --trace may8.jsonl",
    ],
  },
  {
    name: "compare",
    args: "<scenario>",
    summary: "run variants on the same world side by side, and show where they first diverge",
    options: [
      { flags: "--variants <list>", description: "comma-separated variants", defaultValue: "buggy,fixed" },
      { flags: "--seed <n>", description: "master seed (default: the scenario's)" },
      { flags: "--json", description: "print one JSON object: the RunReports and the divergence" },
    ],
    examples: [
      "aftershock compare scenarios/qstash-2026-05-08.yaml",
      "aftershock compare qstash-2026-05-08 --variants buggy,early-return,panic-recovery,fixed",
    ],
  },
  {
    name: "why",
    args: "<scenario> <target>",
    summary:
      "the causal chain from the root event to a crash (target: a worker such as w3, w3#2, or a trace seq)",
    options: [...VARIANT_OPTIONS, { flags: "--json", description: "print the chain as JSON" }],
    examples: [
      "aftershock why qstash-2026-05-08 w5",
      "aftershock why qstash-2026-05-08 w5#2 --variant buggy",
    ],
  },
  {
    name: "validate",
    args: "<files...>",
    summary: "check scenario files and folders; every problem with file, line and column",
    options: [],
    examples: ["aftershock validate scenarios/", "aftershock validate my-incident.yaml"],
  },
  {
    name: "schema",
    args: "",
    summary: "print the JSON Schema of scenario files (for editor completion)",
    options: [],
    examples: ["aftershock schema > scenario.schema.json"],
  },
  {
    name: "list",
    args: "",
    summary: "list the bundled scenarios",
    options: [{ flags: "--json", description: "print the list as JSON" }],
    examples: ["aftershock list"],
  },
];

export interface ParsedCommand {
  readonly command: string;
  readonly args: string[];
  readonly options: Record<string, string | boolean | undefined>;
}

export type ParseOutcome =
  | { readonly kind: "command"; readonly parsed: ParsedCommand }
  | { readonly kind: "exit"; readonly code: number };

export interface ParseIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const EPILOG = `
Exit codes: 0 all held · 1 a property or expectation failed · 2 bad input or usage ·
3 nondeterminism detected · 4 internal error (reported with the seed).
Colour only on a terminal; NO_COLOR turns it off.`;

/** Builds the commander program from the command table. */
export function buildProgram(
  io: ParseIo,
  onCommand: (parsed: ParsedCommand) => void,
  version: string,
): Command {
  const program = new Command("aftershock")
    .description(
      "Incident-replay chaos simulator: replays the QStash 2026-05-08 scheduler\ncascade deterministically, proves the fix, gates CI and runs postmortem training.",
    )
    .version(version, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText("after", EPILOG);
  for (const spec of COMMANDS) {
    const cmd = program.command(`${spec.name}${spec.args ? ` ${spec.args}` : ""}`).description(spec.summary);
    for (const o of spec.options) {
      const option = new Option(o.flags, o.description);
      if (o.choices) option.choices(o.choices);
      if (o.defaultValue !== undefined) option.default(o.defaultValue);
      cmd.addOption(option);
    }
    cmd.addHelpText("after", `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join("\n")}\n`);
    cmd.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
    cmd.action((...params: unknown[]) => {
      const command = params[params.length - 1] as Command;
      const opts = command.opts() as Record<string, string | boolean | undefined>;
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
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.exitCode === 0
      ) {
        return { kind: "exit", code: EXIT.ok };
      }
      if (error.code === "commander.help") return { kind: "exit", code: EXIT.ok };
      return { kind: "exit", code: EXIT.usage };
    }
    if (error instanceof CliError) {
      io.err(`aftershock: ${error.message}\n`);
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
