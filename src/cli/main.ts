import { RunInterrupted } from "../kernel/invariant.js";
import { COMMANDS } from "./commands/index.js";
import type { CliContext } from "./context.js";
import {
  CliError,
  commandLineOf,
  EXIT,
  internalErrorText,
  permissionRefusal,
  problemsAsData,
  reportWithText,
  saidText,
} from "./errors.js";
import { asciiWanted, errText, terminalText } from "./glyphs.js";
import { tuneV8 } from "./heap.js";
import { ProcessOutput } from "./output.js";
import { colourWanted, makePaint } from "./paint.js";
import { type ParsedCommand, parseCLI } from "./program.js";
import { bindStandardStreams } from "./standard-streams.js";
import { sayStrayErrorsOn } from "./stray-writer.js";
import { columnsNow, redrawWanted } from "./terminal.js";
import { packageVersion } from "./version.js";

/** Loads the parsed command's module, runs it and returns its exit code. */
export async function dispatch(ctx: CliContext, p: ParsedCommand): Promise<number> {
  const entry = COMMANDS.find((c) => c.spec.name === p.command);
  if (!entry) throw new CliError(`unknown command ${p.command}`);
  const command = await entry.load();
  // The options were parsed against entry.spec: the module must be the one that spec describes.
  if (command.spec !== entry.spec) throw new Error(`command ${p.command} loaded a module with another spec`);
  return command.run(ctx, p.args, p.options);
}

/** The CLI: parse, dispatch, and turn every failure into a clean message and an exit code. */
export async function main(argv: readonly string[], given: CliContext): Promise<number> {
  // An output file may name the command's own stdout or stderr: it is written through them.
  // Counted below the standard streams' binding, whose context's paint follows where stdout goes.
  let wroteOut = false;
  const context = bindStandardStreams({
    ...given,
    argv,
    out: (text) => {
      wroteOut = true;
      given.out(text);
    },
  });
  // Help and usage errors are human text: in the terminal's glyphs.
  const outcome = parseCLI(
    argv,
    {
      out: (text) => context.out(terminalText(context, text)),
      err: (text) => context.err(errText(context, text)),
    },
    packageVersion(),
  );
  if (outcome.kind === "exit") return outcome.code;
  try {
    return await dispatch(context, outcome.parsed);
  } catch (thrown) {
    if (thrown instanceof RunInterrupted) return interruptedRun(context);
    const error = permissionRefusal(thrown) ?? thrown;
    if (error instanceof CliError) {
      // Loaded here only: --help and the like load no more than they need.
      const { escapeControls } = await import("../kernel/time.js");
      context.err(errText(context, saidText(escapeControls(error.message, true))));
      // `--json` promises one JSON object on stdout: a refusal before any is the problems, as data.
      if (outcome.parsed.options.json === true && !wroteOut) context.out(`${refusalJson(error)}\n`);
      // Aftershock's own failure (exit 4), said as such: with the line that reproduces it.
      if (error.exitCode === EXIT.internal)
        context.err(escapeControls(reportWithText(error.reproduce ?? commandLineOf(argv)), true));
      return error.exitCode;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    context.err(internalErrorText(argv, message));
    return EXIT.internal;
  }
}

/**
 * The `--json` of a command that refused its input (or failed) before it printed anything:
 * `{"exitCode": 2, "problems": [{ file, line, column, severity, message }]}` (a bad option value's
 * with `source: "argument"` and its `option` besides), as the gate prints
 * for input it refuses, so that a script reading stdout sees the refusal rather than nothing.
 */
export function refusalJson(error: CliError): string {
  return JSON.stringify(
    {
      exitCode: error.exitCode,
      problems: problemsAsData(error.problems),
    },
    null,
    2,
  );
}

/**
 * A run Ctrl-C cut short that the command did not deal with (its own SIGINT handler, if it has
 * one, was called: see `wall-guard.ts`): the command ends as a Ctrl-C ends it, exit 130.
 */
function interruptedRun(context: CliContext): number {
  context.err("aftershock: interrupted\n");
  return EXIT.interrupted;
}

/** The context of the real process: its environment, clock and standard streams. */
function processContext(stdout: ProcessOutput, stderr: ProcessOutput): CliContext {
  return {
    out: stdout.write,
    err: stderr.write,
    outTaken: stdout.taken,
    paint: makePaint(colourWanted(process.stdout, process.env)),
    paintErr: makePaint(colourWanted(process.stderr, process.env)),
    env: process.env,
    ascii: asciiWanted(process.stdout, process.env),
    asciiErr: asciiWanted(process.stderr, process.env),
    errIsTty: redrawWanted(process.stderr, process.env),
    errColumns: () => columnsNow(process.stderr),
    outColumns: () => columnsNow(process.stdout),
    now: () => performance.now(),
  };
}

/** Entry point of the `aftershock` binary. */
export async function runBinary(): Promise<void> {
  tuneV8();
  const stdout = new ProcessOutput(process.stdout, 1);
  const stderr = new ProcessOutput(process.stderr, 2);
  // A failed write is reported after the fact (Node emits the error once the write is over):
  // at exit, when everything written has been tried. Like an output file that cannot be
  // written, it is the user's environment, not the program: exit 2, unless the command's own
  // code is worse (a nondeterminism or an internal error stays 3 or 4).
  process.once("exit", () => {
    if (stdout.failure === null) return;
    stderr.write(`aftershock: could not write the output: ${stdout.failure}\n`);
    process.exitCode = Math.max(Number(process.exitCode ?? 0), EXIT.usage);
  });
  sayStrayErrorsOn(stderr.write, process.argv.slice(2));
  process.exitCode = await main(process.argv.slice(2), processContext(stdout, stderr));
  // A stray error of a module run on this thread is met as a turn of the event loop ends, a 0-ms
  // timer's on the next: two turns let them be said (see stray-errors.ts). A worker thread never
  // answers a run whose module left one (`answerMayGo`), so no command ends before hearing it.
  await new Promise((done) => setImmediate(done));
  await new Promise((done) => setImmediate(done));
}
