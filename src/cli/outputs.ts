import { accessSync, constants, fstatSync, type Stats, statSync } from "node:fs";
import { dirname } from "node:path";
import { escapeControls } from "../kernel/time.js";
import { HTML_SIGNATURE } from "../report/html.js";
import { MARKDOWN_SIGNATURE } from "../report/markdown.js";
import { PERFETTO_SIGNATURE } from "../report/perfetto.js";
import { SESSION_SIGNATURE } from "../train/record.js";
import { CliError, emptyArgumentError, outputError, saidText } from "./errors.js";
import { checkOverwrite, descriptorNamed, outputTarget } from "./io.js";
import { STDIN_NAME } from "./saved-input.js";
import type { Seal } from "./seal.js";
import { TRACE_SIGNATURE } from "./sinks.js";
import { STDOUT_PATH } from "./spec.js";
import { takeStderr, takeStdout } from "./standard-streams.js";

/** What the gate's Markdown summary starts with. */
export const GATE_MARKDOWN_SIGNATURE = /^## aftershock gate/;

/** What the gate's JUnit report starts with. */
export const JUNIT_SIGNATURE = /^<\?xml[^>]*\?>\s*<testsuites name="aftershock gate"/;

/** What a reproducer written by explore starts with (so a rerun may replace it). */
export const REPRODUCER_SIGNATURE = /^# aftershock explore reproducer/;

/**
 * What a Markdown summary aftershock wrote starts with, whichever command wrote it: run's,
 * compare's and report's, or the gate's. Each of them replaces any of these (while its seal
 * says it was not edited): a summary is one kind of file, whatever run wrote it.
 */
export const SUMMARY_SIGNATURE = new RegExp(`${MARKDOWN_SIGNATURE.source}|${GATE_MARKDOWN_SIGNATURE.source}`);

/** Each kind of file aftershock writes, by what it starts with, as messages name it. */
const WRITTEN_KINDS: readonly (readonly [RegExp, string])[] = [
  [HTML_SIGNATURE, "an HTML report"],
  [MARKDOWN_SIGNATURE, "a Markdown summary"],
  [GATE_MARKDOWN_SIGNATURE, "the gate's Markdown summary"],
  [PERFETTO_SIGNATURE, "a Perfetto trace"],
  [TRACE_SIGNATURE, "a trace"],
  [JUNIT_SIGNATURE, "the gate's JUnit report"],
  [SESSION_SIGNATURE, "a saved training session"],
  [REPRODUCER_SIGNATURE, "a reproducer"],
];

/**
 * Which kind of file aftershock writes `head` (a file's first bytes) starts as (`a Markdown
 * summary`), or null for none: a file one command wrote, given to another, is said to be that.
 */
export function writtenKindOf(head: string): string | null {
  return WRITTEN_KINDS.find(([signature]) => signature.test(head))?.[1] ?? null;
}

/** An output path a command was asked to write. */
export interface OutputRequest {
  /** The flag that names it, for messages: `--trace`, `-o`, `--save`. */
  readonly flag: string;
  /** The path given; undefined when the flag was not given. */
  readonly path: string | undefined;
  /** What the file starts with when aftershock wrote it. */
  readonly signature: RegExp;
  /** For a kind of file people edit: its seal, which says whether it was edited since. */
  readonly seal?: Seal;
  /** How messages name the output; `flag path` by default. */
  readonly name?: string;
  /** The command prints it on its stdout itself (`--json`): no file is written. */
  readonly printed?: boolean;
}

/** `--json`, which takes stdout: no output file may name stdout beside it. */
export function jsonRequest(json: boolean | undefined): OutputRequest {
  return {
    flag: "--json",
    path: json ? STDOUT_PATH : undefined,
    signature: /$^/,
    printed: true,
    name: "--json",
  };
}

/** The output paths `checkOutputs` accepted: a writer asks for it, so it cannot skip the check. */
export interface CheckedOutputs {
  readonly paths: ReadonlySet<string>;
}

/**
 * Checks every output path of a command before its work starts, so that a mistake costs a
 * message, not a run: each path is given (not empty), names a file (not a folder) in a folder
 * that exists and can be written, no two outputs share a file, none is one of the command's
 * `inputs` (whatever `force` says), and an existing file aftershock did not write is replaced
 * only with `force`. A device or a pipe (`/dev/null`, a FIFO) is written into: it takes any
 * output, as many as asked; the command's own stdout or stderr takes one (`takeStandard`).
 */
export function checkOutputs(
  requests: readonly OutputRequest[],
  force: boolean,
  inputs: readonly string[] = [],
): CheckedOutputs {
  const taken = new Map<string, string>();
  const checked = new Set<string>();
  for (const request of requests) {
    const { flag, path, signature, seal } = request;
    if (path === undefined) continue;
    checked.add(path);
    // Most often a variable with nothing in it: `--markdown "$GITHUB_STEP_SUMMARY"` off GitHub Actions.
    if (path === "") throw emptyArgumentError("a file path", flag);
    const name = request.name ?? `${flag} ${path}`;
    // An input clash first: it says more than `outputTarget`'s refusal of a descriptor open for
    // reading (`--trace /dev/stdin < my.yaml` beside `run my.yaml`: the same file as the input).
    const descriptor = descriptorNamed(path, name);
    if (descriptor !== null) checkDescriptorNotInput(descriptor, path, name, inputs);
    const target = outputTarget(path, name);
    if (target.kind === "folder") throw outputError(path, name, `is a folder, expected a file`);
    if (target.kind === "stream") {
      if (target.standard !== null) takeStandard(target.standard, { ...request, path }, name, taken);
      continue;
    }
    const folder = dirname(target.real);
    if (!isFolder(folder)) {
      // Named as the path given names it (`out/run.json`), unless a link leads elsewhere.
      const given = dirname(path);
      throw outputError(path, name, missingFolderText(isFolder(given) ? folder : given));
    }
    try {
      accessSync(folder, constants.W_OK);
    } catch {
      throw outputError(path, name, `cannot write in the folder ${folder} (permission denied)`);
    }
    if (target.stat !== null) checkNotInput(target.stat, path, name, inputs);
    const clash = taken.get(target.real);
    if (clash) throw outputError(path, name, `the same file as ${clash}; give each output its own file`);
    taken.set(target.real, flag);
    checkOverwrite(path, force, signature, name, seal ?? null, writtenKindOf);
  }
  return { paths: checked };
}

/**
 * Gives the command's stdout or stderr to one output: two outputs there would be interleaved
 * into one stream no reader can take apart. An output file on stdout takes it from the command's
 * own text, which goes to stderr (`takeStdout`); `--json` is printed there and shares it with
 * nothing. stderr keeps the command's messages, in order with the output.
 */
function takeStandard(
  fd: 1 | 2,
  request: OutputRequest & { readonly path: string },
  name: string,
  taken: Map<string, string>,
): void {
  // Named as a stream, not by a path the user may not have written (`-`, `--json`).
  const key = fd === 1 ? "stdout" : "stderr";
  const clash = taken.get(key);
  if (clash)
    throw new CliError(`${name}: the same stream as ${clash} (${key}); give each output its own file`);
  taken.set(key, request.flag);
  if (fd === 1 && request.printed !== true) takeStdout(request.path);
  if (fd === 2) takeStderr();
}

/**
 * Refuses an output that is one of the command's inputs: compared as files (device and inode),
 * so neither a symbolic link nor a hard link nor another spelling of the path gets around it.
 */
function checkNotInput(output: Stats, path: string, name: string, inputs: readonly string[]): void {
  const input = inputAt(output, inputs);
  if (input === STDIN_NAME)
    throw outputError(
      path,
      name,
      `the same file as this command's stdin, which it reads its input from; write the output elsewhere`,
    );
  if (input !== null)
    throw outputError(path, name, `the same file as the input ${input}; write the output elsewhere`);
}

/**
 * Refuses an output on an open descriptor (`/dev/stdin`, `/dev/fd/3`) that is one of the
 * command's inputs: stdin itself when the command reads it, or the file a descriptor is open on
 * (`--trace /dev/stdin < my.yaml` beside `run my.yaml`), which writing through the descriptor's
 * path would replace.
 */
function checkDescriptorNotInput(fd: number, path: string, name: string, inputs: readonly string[]): void {
  if (fd === 0 && inputs.includes(STDIN_NAME))
    throw outputError(
      path,
      name,
      `is this command's stdin, which it reads its input from; write the output elsewhere`,
    );
  let stat: Stats;
  try {
    stat = fstatSync(fd);
  } catch {
    return; // not open: said when it is written
  }
  if (stat.isFile()) checkNotInput(stat, path, name, inputs);
}

/**
 * The input that is the file `output` describes (same device and inode), or null. `STDIN_NAME`
 * among the inputs is the command's stdin: the file it is redirected from (`< my.yaml`), if any.
 */
export function inputAt(output: Stats, inputs: readonly string[]): string | null {
  for (const input of inputs) {
    let s: Stats;
    try {
      s = input === STDIN_NAME ? fstatSync(0) : statSync(input);
    } catch {
      continue; // a missing input is said by its reader
    }
    if (s.isFile() && s.dev === output.dev && s.ino === output.ino) return input;
  }
  return null;
}

/** Most folders looked at above one that is not there: deeper than any path a system takes. */
const FOLDER_DEPTH_MAX = 4096;

/**
 * Why `folder` is not there to write in: a file where it, or a folder above it, should be
 * (`out/run.json/x.md`), or no such folder.
 */
function missingFolderText(folder: string): string {
  for (let at = folder, depth = 0; depth < FOLDER_DEPTH_MAX; at = dirname(at), depth++) {
    let stats: Stats;
    try {
      stats = statSync(at);
    } catch {
      if (dirname(at) === at) break;
      continue;
    }
    if (!stats.isDirectory()) return `${at} is a file, not a folder`;
    break;
  }
  return `no such folder ${folder}`;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Holds the failures of a command's last writes so that the command's report is printed first:
 * a file that could not be written at the end must not hide the result of the work before it.
 * One failed write does not stop the others: every output is either written (and said so by
 * its writer) or named here as not written.
 */
export class DeferredFailure {
  private readonly failures: { readonly error: unknown; readonly output: UnwrittenOutput | null }[] = [];

  /**
   * Runs `write`, whatever the earlier ones did; keeps what it throws, with the `output` it was
   * to write (`--junit`, its path) for a report that names the outputs not written.
   */
  attempt(write: () => void, output: { readonly flag: string; readonly path: string } | null = null): void {
    try {
      write();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.failures.push({ error, output: output === null ? null : { ...output, message } });
    }
  }

  get failed(): boolean {
    return this.failures.length > 0;
  }

  /** The outputs named to `attempt` that were not written, in the order they were tried. */
  get unwritten(): UnwrittenOutput[] {
    return this.failures.flatMap((f) => (f.output === null ? [] : [f.output]));
  }

  /**
   * The command's exit code once the kept failures count, said nowhere: the worse of the
   * command's own code and the failures' (2), so a failed write never hides a failed property (1
   * becomes 2) nor a nondeterminism or an internal error (3 and 4 stay). A failure that is not a
   * `CliError` is thrown: it is the program's own fault.
   */
  codeAfter(code: number): number {
    const fault = this.failures.find((f) => !(f.error instanceof CliError));
    if (fault !== undefined) throw fault.error;
    return Math.max(code, ...this.failures.map((f) => (f.error as CliError).exitCode));
  }

  /**
   * The command's exit code (`codeAfter`) once each kept failure is said on `err`. `said` is the
   * code the command's own report already gave (the gate's `exit 0`, when it could not know of
   * the failures yet): one the failures override is said to be overridden.
   */
  exitCode(code: number, err: (text: string) => void, said = code): number {
    const worst = this.codeAfter(code);
    for (const { error } of this.failures) err(saidText(escapeControls((error as CliError).message, true)));
    if (worst !== said)
      err(`aftershock: exit ${worst} rather than ${said}: an output was not written as asked\n`);
    return worst;
  }
}

/** An output a command was asked for and could not write (`gate --json` lists them). */
export interface UnwrittenOutput {
  /** The flag that asked for it: `--junit`, `--markdown`. */
  readonly flag: string;
  /** Its path, as given. */
  readonly path: string;
  /** Why it was not written, as stderr says it. */
  readonly message: string;
}

/** Says each temporary file an aborted write could not remove (what `AtomicFile.abort` returns). */
export function sayLeftBehind(
  err: (text: string) => void,
  left: readonly (string | null | undefined)[],
): void {
  for (const file of left) if (file) err(`aftershock: a partial file is left at ${file}\n`);
}
