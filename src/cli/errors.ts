import { isFilePath } from "./output.js";

/** Exit codes of DESIGN.md: a contract for scripts and CI. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  nondeterminism: 3,
  internal: 4,
  /** Ended by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
  /** Ended by SIGTERM, the cancel of CI systems (128 + SIGTERM, as shells report it). */
  terminated: 143,
  /** Ended by SIGHUP, the terminal closed (128 + SIGHUP, as shells report it). */
  hangup: 129,
} as const;

/** The signals a command stops on (Ctrl-C, a CI system's cancel, the terminal closed). */
export type StopSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

/** Every `StopSignal`. */
export const STOP_SIGNALS: readonly StopSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** 128 + the signal's number, as shells report a process ended by it. */
export function signalExitCode(signal: string): number {
  return signal === "SIGTERM" ? EXIT.terminated : signal === "SIGHUP" ? EXIT.hangup : EXIT.interrupted;
}

/** Where a problem starts in a file: 1-based line and column. */
export interface ProblemPlace {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * One problem of bad input as data, for tools that point at it (the gate's CI annotations): where
 * it starts (null when it has no place in a file), and what is wrong there, without the place.
 */
export interface InputProblem {
  readonly place: ProblemPlace | null;
  readonly severity: "error" | "warning";
  readonly message: string;
  /** The file a problem without a place is of (one missing, unreadable, or wrong as a whole). */
  readonly file?: string;
  /** The file is an output the command was to write, not an input (`outputError`). */
  readonly output?: true;
  /**
   * The command-line option whose value is wrong (`--seed` of `--seed abc`): a problem of the
   * command line, not of a file (`optionError`).
   */
  readonly option?: string;
}

/** An error the CLI reports as a clean message and an exit code, never a stack trace. */
export class CliError extends Error {
  override readonly name = "CliError";
  /** The problems `message` says, each once; by default the whole message, at no place. */
  readonly problems: readonly InputProblem[];
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
    problems?: readonly InputProblem[],
    /**
     * For an internal error (exit 4): the command line that reproduces it, said after it (the
     * command line typed when none is given: `reportWithText`).
     */
    readonly reproduce?: string,
  ) {
    super(message);
    this.problems = problems ?? [{ place: null, severity: "error", message }];
  }
}

/**
 * A refusal's problems as data, for `--json`: each with its file, line and column, or null where it
 * has no place; one of a command-line option's value says so besides (`source: "argument"`, and the
 * `option`), since its null file would say only where it is not.
 */
export function problemsAsData(problems: readonly InputProblem[]) {
  return problems.map(({ place, severity, message, file, option }) => ({
    file: place?.file ?? file ?? null,
    line: place?.line ?? null,
    column: place?.column ?? null,
    severity,
    message,
    ...(option === undefined ? {} : { source: "argument" as const, option }),
  }));
}

/**
 * Bad input in the value of the command-line option `option` (`--seed abc`): said after the
 * option, as every such message is (`--seed: expected a whole number ≥ 0, found "abc"`), and
 * carrying the option as data, for `--json`. The problem's message is the whole: it has no file
 * to be said after.
 */
export function optionError(option: string, message: string): CliError {
  const whole = `${option}: ${message}`;
  return new CliError(whole, EXIT.usage, [{ place: null, severity: "error", message: whole, option }]);
}

/**
 * `message` as aftershock says it on stderr, one line of its own: each line led by `aftershock: `,
 * so that every problem of several (a scenario's issues, a gate's scenarios) carries it as the
 * first does, for a user who greps for it. A line indented under another (a command to copy, a
 * detail) stays under it, unled.
 */
export function saidText(message: string): string {
  const lines = message
    .split("\n")
    .map((line) => (line === "" || /^\s/.test(line) ? line : `aftershock: ${line}`));
  return `${lines.join("\n")}\n`;
}

/**
 * An input argument given as "" (`aftershock run "$SCENARIO"` with the variable unset): said as
 * such, since read as a path it names no file (and a folder's "" is no folder to search). With
 * `option`, the value of that option (`--junit "$REPORT"`), said as its error.
 */
export function emptyArgumentError(expected: string, option?: string): CliError {
  const message = `expected ${expected}, found an empty string (a shell variable that is not set?)`;
  return option === undefined ? new CliError(message) : optionError(option, message);
}

/**
 * Bad input that is a whole file's, at no line of it (`x.yaml: no such file`): said after the
 * file's name, which its problem carries as data.
 */
export function fileError(file: string, message: string, exitCode: number = EXIT.usage): CliError {
  return new CliError(`${file}: ${message}`, exitCode, [{ place: null, file, severity: "error", message }]);
}

/**
 * A refusal of the output path `path`, which messages call `name` (`--junit out.xml`, the flag and
 * the path): said after `name`, as every output is. When `path` is a file that exists (one
 * aftershock did not write, say), the problem is of that file, never of the label, so that a CI
 * annotation points at it, and keeps the flag in its message (`--junit: exists and ...`); a path
 * that names nothing (a missing folder, a name too long) is no file to point at, and the problem
 * is of none, its message the whole.
 */
export function outputError(
  path: string,
  name: string,
  message: string,
  exitCode: number = EXIT.usage,
): CliError {
  const whole = `${name}: ${message}`;
  if (!isFilePath(path)) return new CliError(whole, exitCode);
  const flag = name === path ? "" : name.endsWith(` ${path}`) ? name.slice(0, -path.length - 1) : name;
  const said = flag === "" ? message : `${flag}: ${message}`;
  return new CliError(whole, exitCode, [
    { place: null, file: path, severity: "error", message: said, output: true },
  ]);
}

/**
 * What Node's permission model (`--experimental-permission`, `--permission`) refused, as a refusal
 * of the user's setting (exit 2) rather than a failure of aftershock's own; null for any other error.
 * Worker threads (`gate`, `explore`, `compare` with a module) need `--allow-worker`.
 */
export function permissionRefusal(error: unknown): CliError | null {
  if (
    typeof error !== "object" ||
    error === null ||
    (error as { code?: unknown }).code !== "ERR_ACCESS_DENIED"
  )
    return null;
  const { permission, resource } = error as { permission?: unknown; resource?: unknown };
  const flag = PERMISSION_FLAGS[String(permission)];
  const what = typeof resource === "string" && resource !== "" ? ` (${resource})` : "";
  return new CliError(
    `Node's permission model refused ${String(permission ?? "an API")}${what}, which this command needs${flag === undefined ? "" : `: run node with ${flag}`}`,
    EXIT.usage,
  );
}

/** The flag that grants each permission of Node's permission model. */
const PERMISSION_FLAGS: { readonly [permission: string]: string } = {
  WorkerThreads:
    "--allow-worker (gate and explore run on worker threads, and so do compare and a run of a scheduler module)",
  FileSystemRead: "--allow-fs-read naming the files it reads",
  FileSystemWrite: "--allow-fs-write naming the files and folders it writes",
  ChildProcess: "--allow-child-process",
};

/** Bad input at a place in a file, said compiler-style: `file:line:column: error: message`. */
export function errorAt(place: ProblemPlace, message: string): CliError {
  return new CliError(`${place.file}:${place.line}:${place.column}: error: ${message}`, EXIT.usage, [
    { place, severity: "error", message },
  ]);
}

/**
 * What aftershock says of a failure of its own (exit 4): the command line to report it with,
 * which names the scenario, the seed and the variant (or the scenario does), then `detail` (the
 * error's stack).
 */
export function internalErrorText(argv: readonly string[], detail: string): string {
  return `aftershock: internal error; please report it with the command line that met it, and the scenario it ran:\n  ${commandLineOf(argv)}\n${detail}\n`;
}

/**
 * `aftershock <argv>` as a shell reads it back (`aftershock run 'my scenario.yaml' --seed 7`), on
 * one line whatever the words hold, as every command aftershock prints (`commandLine`).
 */
export function commandLineOf(argv: readonly string[]): string {
  return ["aftershock", ...argv.map(shellWord)].join(" ");
}

/**
 * `argv` naming the seed its runs started from: as typed when it gives `--seed`, else with
 * `--seed seed` added, so that the line still reproduces them once the default changes (a
 * scenario's `seed:` edited).
 */
export function withSeedArg(argv: readonly string[], seed: number): string[] {
  const given = argv.some((a) => a === "--seed" || a.startsWith("--seed="));
  return given ? [...argv] : [...argv, "--seed", String(seed)];
}

/** What follows an internal error (exit 4): the command line `line` that reproduces it, to report it with. */
export function reportWithText(line: string): string {
  return `aftershock: please report it with the command line that reproduces it, and the scenario it ran:\n  ${line}\n`;
}

/**
 * What aftershock says of a run the simulator halted (a broken invariant, exit 4): what broke,
 * with the seed, then the command line that reproduces the run, to report it with.
 */
export function haltedRunText(detail: string, reproduce: string): string {
  return `aftershock: internal error: ${detail}\n${reportWithText(reproduce)}`;
}

/**
 * `word` as a shell reads it back, as `shellWord` of report/command-line.ts writes it: as it is,
 * in single quotes, or as `$'…'` when it holds a control character (a line break in a folder name),
 * so that the command stays on one line. A copy rather than an import: every command loads this
 * module, `--help` among them, and none of them should load report code to start (report may not
 * import from here either, DESIGN.md's layers); test/cli/internal-error.test.ts checks that both quote alike.
 */
function shellWord(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  if (CONTROL.test(word)) return `$'${word.replace(ESCAPED, escapedChar)}'`;
  return `'${word.replace(/'/g, "'\\''")}'`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for.
const CONTROL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters `$'…'` writes escaped.
const ESCAPED = /[\\'\u0000-\u001f\u007f]/g;

/** One character as `$'…'` writes it: `\\`, `\'`, `\n`, `\t`, `\r`, else `\xHH`. */
function escapedChar(c: string): string {
  const named: Record<string, string> = { "\\": "\\\\", "'": "\\'", "\n": "\\n", "\t": "\\t", "\r": "\\r" };
  return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}
