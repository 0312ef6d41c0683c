import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { type Readable, Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { breathe } from "../../explore/breathe.js";
import { plural, unlessInterruptedAsync } from "../../kernel/index.js";
import { escapeControls } from "../../kernel/time.js";
import { plainPaint } from "../../report/paint.js";
import { visible, wrap } from "../../train/format.js";
import {
  type Reply,
  readScript,
  renameSavedForks,
  replayMismatch,
  type SavedFrom,
  type ScriptReading,
  SESSION_SIGNATURE,
  type SessionRecord,
  savedForkRenames,
  scriptCommand,
  TrainingSession,
  whatIfStepMs,
} from "../../train/index.js";
import { parseSeed } from "../args.js";
import type { CliContext } from "../context.js";
import { CliError, EXIT, emptyArgumentError, type StopSignal, signalExitCode } from "../errors.js";
import { terminalText } from "../glyphs.js";
import { readText, writeFileAtomic } from "../io.js";
import { atSeed, inputFiles, loadScenario, sayWarnings, schedulerRegistry } from "../load.js";
import { checkOutputs } from "../outputs.js";
import { STDIN_NAME } from "../saved-input.js";
import { type CliCommand, STDOUT_PATH } from "../spec.js";
import { shownPath, whenWritten } from "../standard-streams.js";
import { STDIN_ARG, stdinScenarioRefused } from "../stdin-scenario.js";
import { terminalColumns } from "../terminal.js";
import {
  chooseVariant,
  schedulerModulesFromOptions,
  type VariantOptions,
  warnOwnModuleReplaced,
  withLoadedModule,
} from "../variant.js";
import { trainSpec } from "./specs.js";

export interface TrainCommandOptions extends VariantOptions {
  readonly seed?: string;
  readonly script?: string;
  /** A saved session to replay before the session goes on. */
  readonly resume?: string;
  readonly facilitator?: boolean;
  readonly save?: string;
  readonly force?: boolean;
}

/**
 * The signals that end a session, saving it first: Ctrl-C, a `kill` or a stop (SIGTERM), and the
 * terminal closed under it (SIGHUP).
 */
export type TrainSignal = StopSignal;

const TRAIN_SIGNALS: readonly TrainSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** The terminal the session talks to; injectable so tests can drive it without a TTY. */
export interface TrainIo {
  readonly input: Readable & { isTTY?: boolean };
  readonly output: Writable & { isTTY?: boolean; columns?: number };
  /**
   * Registers a handler for SIGINT (Ctrl-C outside raw mode), SIGTERM and SIGHUP (SIGINT when it
   * says none); returns its removal.
   */
  readonly onInterrupt: (handler: (signal?: TrainSignal) => void) => () => void;
}

/** Exit code of a session ended by Ctrl-C (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED: number = EXIT.interrupted;

function processIo(): TrainIo {
  return {
    input: process.stdin,
    output: process.stdout,
    onInterrupt: (handler) => {
      const handlers = TRAIN_SIGNALS.map((signal) => {
        const h = () => handler(signal);
        process.on(signal, h);
        return () => process.off(signal, h);
      });
      return () => {
        for (const off of handlers) off();
      };
    },
  };
}

/**
 * `aftershock train <scenario>`: an interactive session on a terminal, or a scripted one when
 * `--script FILE` is given or stdin is not a terminal (plain text out, one command per line in).
 */
export async function trainCommand(
  ctx: CliContext,
  scenarioArg: string,
  o: TrainCommandOptions,
  io: TrainIo = processIo(),
): Promise<number> {
  const seed = parseSeed(o.seed);
  // `--script "$SCRIPT"` with the variable unset names no file called "".
  for (const [flag, path] of [
    ["--script", o.script],
    ["--resume", o.resume],
  ] as const)
    if (path === "") throw emptyArgumentError("a file path", flag);
  // `-` is stdin for every other input, and a session's stdin is its commands already: the one
  // way to read a script from there is without --script, and a resumed session goes on reading it.
  if (o.script === STDIN_ARG)
    throw new CliError(
      "--script -: commands piped into stdin are read without --script (cat rehearsal.txt | aftershock train SCENARIO); a file named - is ./-",
    );
  if (o.resume === STDIN_ARG)
    throw new CliError(
      "--resume -: the session goes on with the commands on stdin, so it cannot read the saved session there; name its file (a file named - is ./-)",
    );
  if (o.resume !== undefined && o.script !== undefined)
    throw new CliError(
      "--resume and --script both give the commands to replay: --script replays and ends, --resume replays and goes on; choose one",
    );
  const loaded = loadScenario(scenarioArg, seed);
  sayWarnings(loaded, ctx.err);
  const inputs = [
    ...(await inputFiles(loaded, schedulerModulesFromOptions(o))),
    // Without --script, the commands are read from stdin (typed, or a file redirected in).
    ...(o.script !== undefined ? [o.script] : io.input === process.stdin ? [STDIN_NAME] : []),
  ];
  checkOutputs([{ flag: "--save", path: o.save, signature: SESSION_SIGNATURE }], o.force === true, inputs);
  let input = chooseVariant(loaded.compiled, o, loaded.path);
  warnOwnModuleReplaced(loaded, o, ctx.err);
  input = atSeed(input, seed);
  const schedulers = await schedulerRegistry(loaded, schedulerModulesFromOptions(o));
  input = withLoadedModule(input, o, schedulers, loaded.scenario, ctx.err);
  const here: SavedFrom = {
    scenario: loaded.scenario.name,
    seed: input.config.seed,
    variant: input.variantName ?? null,
    scheduler: { name: input.config.scheduler.name, fixes: [...input.config.scheduler.fixes] },
  };
  const stepMs = whatIfStepMs(input.config.timeline);
  // A saved session read before the session exists (--script, --resume) is handed to it once it does.
  const readBefore: SavedScript[] = [];
  let replaying: (saved: SavedScript) => void = (saved) => readBefore.push(saved);
  const warnIfElsewhere = (file: string) => (saved: SavedScript) => {
    replaying(saved);
    const mismatch = saved.savedFrom === undefined ? null : replayMismatch(file, saved.savedFrom, here);
    if (mismatch !== null) ctx.err(`aftershock: ${mismatch}\n`);
    return replayedForkNames(ctx, file, saved, stepMs);
  };
  const script =
    o.script !== undefined
      ? scriptOf(readText(o.script, "a training script"), o.script, warnIfElsewhere(o.script))
      : null;
  // Not among the inputs: the session resumed continues it, and may be saved over it.
  const resumedFile: { saved?: SavedScript } = {};
  const resumed =
    o.resume !== undefined
      ? scriptOf(readText(o.resume, "a saved session"), o.resume, (saved) => {
          resumedFile.saved = saved;
          return warnIfElsewhere(o.resume!)(saved);
        })
      : null;
  // Saved back over the file it resumes (`--resume F --save F`), a session that is not the
  // file's (another world, another view, commands not carried out) would replace it unasked.
  const savesOverResumed =
    o.resume !== undefined && o.save !== undefined && o.force !== true && sameFile(o.resume, o.save);
  const otherGround =
    resumedFile.saved === undefined ? null : groundDiffers(resumedFile.saved, here, o.facilitator === true);
  if (savesOverResumed && otherGround !== null) throw notSavedOver(o, otherGround);
  // Another file named by --save that holds a saved session (last week's debrief) is not replaced
  // unasked, as a typed `save` would not replace it: said now, when nothing of this session could
  // be lost. A session that has just begun continues only an empty one of its own world.
  const savesOverOther =
    o.save !== undefined &&
    o.save !== STDOUT_PATH &&
    o.force !== true &&
    !(o.resume !== undefined && sameFile(o.resume, o.save));
  const other = savesOverOther
    ? anotherSession(o.save!, { ...here, facilitator: o.facilitator === true, commands: [] })
    : null;
  if (other !== null)
    throw new CliError(
      `--save ${shownPath(o.save!)} holds another saved session (${other}): nothing is written; --force replaces it, --resume ${shownPath(o.save!)} goes on with it, or --save another file`,
    );
  const interactive = script === null && io.input.isTTY === true;
  let quiet = false;
  const session = new TrainingSession({
    scenario: loaded.scenario,
    input,
    schedulers,
    facilitator: o.facilitator === true,
    paint: interactive ? ctx.paint : plainPaint,
    wallClock: ctx.now,
    note: interactive ? (text) => quiet || ctx.out(terminalText(ctx, `${ctx.paint.dim(text)}\n`)) : undefined,
    columns: () => terminalColumns(ctx.env, io.output),
  });
  // The session's text in the terminal's glyphs: stdout carries nothing else here (a session
  // saved to `-` is written apart, as it is).
  for (const saved of readBefore) session.replaying(saved);
  replaying = (saved) => session.replaying(saved);
  const human: CliContext = { ...ctx, out: (text) => ctx.out(terminalText(ctx, text)) };
  const host = new SessionHost(human, session, o, inputs);
  let offResume = () => {};
  if (resumed !== null && o.resume !== undefined) {
    // A signal during the replay (long when it makes forks) ends the session as one at the prompt
    // does: said, and saved, though not over the file being resumed, which holds it whole.
    let interrupted: TrainSignal | null = null;
    const off = io.onInterrupt((signal = "SIGINT") => {
      interrupted ??= signal;
    });
    quiet = true;
    let failed: number | null;
    try {
      failed = await host.resume(
        resumed,
        shownPath(o.resume),
        otherGround === null,
        () => interrupted !== null,
      );
    } finally {
      quiet = false;
      session.replayed();
    }
    if (failed === null || interrupted !== null) {
      const leftAlone = o.save !== undefined && sameFile(o.resume, o.save);
      const code = host.interrupted(interrupted ?? "SIGINT", leftAlone ? shownPath(o.resume) : undefined);
      off();
      return code;
    }
    // Handed over to the session's own handler, registered before anything awaits: no signal
    // comes between the two (they arrive from the event loop).
    offResume = off;
    if (savesOverResumed && failed > 0) {
      off();
      throw notSavedOver(o, `${plural(failed, "command")} not carried out on replay`);
    }
  }
  offResume();
  if (interactive) return host.interactive(io);
  return host.scripted(script ?? pipedCommands(io.input, warnIfElsewhere("<stdin>")), io);
}

/** Whether two paths name one file (the same device and inode); false when either is not there. */
function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.isFile() && x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * How a saved session's world or view differs from this session's, or null when it is the same
 * (or the file does not say: a plain script, a hand-made file).
 */
function groundDiffers(saved: SavedScript, here: SavedFrom, facilitator: boolean): string | null {
  const from = saved.savedFrom;
  const differs: string[] = [];
  if (from !== undefined) {
    if (from.scenario !== here.scenario) differs.push(`scenario ${from.scenario}`);
    if (from.seed !== here.seed) differs.push(`seed ${from.seed}`);
    if (from.variant !== here.variant) differs.push(`variant ${from.variant ?? "none"}`);
    const fixes = (w: SavedFrom) => JSON.stringify([...w.scheduler.fixes].sort());
    if (from.scheduler.name !== here.scheduler.name || fixes(from) !== fixes(here))
      differs.push(`scheduler ${from.scheduler.name} (${from.scheduler.fixes.join(", ") || "no fixes"})`);
  }
  if (saved.facilitator !== undefined && saved.facilitator !== facilitator)
    differs.push(saved.facilitator ? "the facilitator's view" : "the on-call view");
  return differs.length === 0 ? null : `saved with ${differs.join(", ")}`;
}

/** Exit 2 before `--save` writes over the session it resumes another session. */
function notSavedOver(o: TrainCommandOptions, why: string): CliError {
  const file = shownPath(o.resume!);
  return new CliError(
    `--save ${shownPath(o.save!)} would replace the session ${file} holds with another (${why}): nothing is written; --force replaces it, or --save another file`,
  );
}

/** A script read whole: its commands, and what a saved session says of where it was played. */
type SavedScript = Extract<ScriptReading, { ok: true }>;

/**
 * The commands of a script file (or stdin), as `onSaved` replays them here, or exit 2 naming
 * where its saved session is broken.
 */
function scriptOf(text: string, file: string, onSaved?: (saved: SavedScript) => string[]): string[] {
  const reading = readScript(text);
  if (!reading.ok) throw new CliError(`${file}:${reading.line}:${reading.column}: ${reading.message}`);
  return onSaved === undefined ? reading.commands : onSaved(reading);
}

/**
 * A saved session's commands with its fork names as this aftershock numbers its forks: one saved
 * before a repeated action at one moment went to the fork that has it made a fork of its own for
 * it, and its `switch` and `compare` name forks by that numbering. Said on stderr when it does.
 */
function replayedForkNames(ctx: CliContext, file: string, saved: SavedScript, stepMs: number): string[] {
  const renames = savedForkRenames(saved.forks ?? [], stepMs);
  if (renames.size === 0) return saved.commands;
  const pairs = [...renames].map(([old, now]) => `${old} as ${now}`).join(", ");
  ctx.err(
    `aftershock: ${file}: saved when a what-if repeating a fork's action at its moment made a fork of its own; replaying its switch and compare with ${pairs}\n`,
  );
  return saved.commands.map((c) => renameSavedForks(c, renames));
}

/**
 * What a session file at `path` holds when it is another session than `current`, or null: no such
 * file, or one this session saved before (its commands, on the same scenario and seed, are the
 * first of this session's). A trainee's answers and forks are work: a `save` to the name of
 * another session's file, a file aftershock wrote, would lose it without a word.
 */
function anotherSession(
  path: string,
  current: Pick<SessionRecord, "scenario" | "seed" | "variant" | "scheduler" | "facilitator" | "commands">,
): string | null {
  let text: string;
  try {
    // A regular file alone: a FIFO or a terminal (`save /dev/stdout`) is written into, and read it
    // would wait for a writer that never comes.
    if (!statSync(path).isFile()) return null;
    text = readFileSync(path, "utf8");
  } catch {
    return null; // none there (or unreadable: checkOutputs has said so)
  }
  if (!SESSION_SIGNATURE.test(text)) return null; // an empty file, or one checkOutputs let through
  let saved: Partial<SessionRecord>;
  try {
    saved = JSON.parse(text) as Partial<SessionRecord>;
  } catch {
    return "a session file that does not parse";
  }
  const commands = Array.isArray(saved.commands) ? saved.commands : [];
  // The same world (scenario, seed, variant, scheduler), seen alike (a facilitator's), and the
  // same commands so far (a file of an earlier version may have no `line`).
  const sameWorld =
    saved.scenario === current.scenario &&
    saved.seed === current.seed &&
    (saved.variant ?? null) === current.variant &&
    JSON.stringify(saved.scheduler ?? null) === JSON.stringify(current.scheduler) &&
    (saved.facilitator ?? false) === current.facilitator;
  const earlier =
    sameWorld &&
    commands.length <= current.commands.length &&
    commands.every((c, i) => {
      const mine = current.commands[i];
      return (
        c?.command === mine.command && c?.at === mine.at && (c?.line === undefined || c.line === mine.line)
      );
    });
  if (earlier) return null;
  const count = (list: unknown, what: string) => plural(Array.isArray(list) ? list.length : 0, what);
  return `${count(saved.commands, "command")}, ${count(saved.answers, "answer")}, ${count(saved.forks, "fork")}, of ${String(saved.scenario)}`;
}

/** Runs a session's replies against the real world: prints, saves files, ends. */
class SessionHost {
  /** Commands not understood; one understood but refused (`next` after the end) is not counted. */
  private rejected = 0;
  /** Saves that failed: asked for and understood, but the file could not be written. */
  private saveFailures = 0;
  private quitWarned = false;
  /** Said after the intro: how a resumed session was replayed and where it is now. */
  private resumedText = "";
  /** The width the host's own lines wrap to (set with the session's output; unknown when piped). */
  private columns: () => number | undefined = () => undefined;

  constructor(
    private readonly ctx: CliContext,
    private readonly session: TrainingSession,
    private readonly o: TrainCommandOptions,
    /** The files the session reads, which no save may replace. */
    private readonly inputs: readonly string[],
  ) {}

  /**
   * `--resume`: the saved session's commands, run before the session goes on, their replies not
   * printed (the room has seen them); a command not carried out is said on stderr. The session
   * then holds what the file holds: nothing is unsaved until the next command.
   */
  async resume(
    commands: readonly string[],
    name: string,
    sameGround: boolean,
    stopped: () => boolean,
  ): Promise<number | null> {
    let failed = 0;
    let replayed = 0;
    let leftOut = 0;
    for (const command of commands) {
      // Between commands, and between a compare's slices, a signal stops the replay.
      await breathe();
      const r = await this.cutShort(async () => {
        if (stopped() || !(await this.prepared(command, stopped))) return null;
        return this.session.execute(command);
      });
      if (r === null || stopped()) return null;
      // A plain script's save and quit are not carried out on a resume: its session goes on.
      if (r.ok && r.effects.length > 0) leftOut++;
      else if (r.ok) replayed++;
      if (r.ok) continue;
      failed++;
      this.ctx.err(
        `aftershock: ${name}: \`${escapeControls(command)}\` was not carried out on replay: ${r.text.split("\n")[0]}\n`,
      );
    }
    // Replayed elsewhere, or not whole, the session is not the file's: leaving has it to save.
    if (sameGround && failed === 0) this.session.markSaved();
    const r = this.session.record();
    const where = this.session.prompt().replace(/ (\S+)> $/, " on $1");
    const left =
      leftOut === 0
        ? ""
        : `; its ${leftOut === 1 ? "save or quit was" : `${leftOut} saves and quits were`} left out`;
    this.resumedText = `Resumed ${name}: replayed ${plural(replayed, "command")} (${plural(r.answers.length, "answer")}, ${plural(r.forks.length, "fork")})${left}; now at ${where}. chapter shows the chapter again.`;
    return failed;
  }

  /** The opening: the session's intro, then how it was resumed. */
  private opening(): string {
    return `${this.session.intro(this.resumedText !== "")}\n${this.resumedText === "" ? "" : `\n${this.fitted(this.resumedText)}`}`;
  }

  /**
   * Commands from a script, or piped in as they arrive: each echoed after the prompt, then its
   * reply. A signal ends the session between commands, during one, or while a pipe that is still
   * open has sent no next line.
   */
  async scripted(commands: readonly string[] | AsyncIterable<string>, io: TrainIo): Promise<number> {
    this.columns = () => terminalColumns(this.ctx.env, io.output);
    let interrupted: TrainSignal | null = null;
    let wake = () => {};
    const signalled = new Promise<null>((resolve) => {
      wake = () => resolve(null);
    });
    const off = io.onInterrupt((signal = "SIGINT") => {
      interrupted ??= signal;
      wake();
    });
    const stopped = () => interrupted !== null;
    const next = eachOf(commands);
    const read = () => {
      const reading = next();
      // Left pending by a signal, the read fails once the pipe is closed: nothing awaits it then.
      reading.catch(() => {});
      return Promise.race([reading, signalled]);
    };
    try {
      // The first line is read before the intro: a broken saved session on stdin is refused
      // before anything is printed, as one given with --script is.
      let line = await read();
      this.ctx.out(this.opening());
      for (;;) {
        // Let a pending Ctrl-C through between two commands.
        await breathe();
        if (stopped() || line === null || line.done === true) break;
        const command = line.value;
        // Echoed as the reply that refuses it says it: a control character written out, never raw.
        this.ctx.out(`\n${this.session.prompt()}${escapeControls(command)}\n`);
        const r = await this.cutShort(async () => {
          if (!(await this.prepared(command, stopped))) return null;
          return this.session.execute(command);
        });
        if (r === null || !this.apply(r)) break;
        line = await read();
      }
      // A Ctrl-C during the last command arrives after it: it still ends the session as one.
      await breathe();
      // A pipe still open would keep the process waiting for a line no one will read.
      if (interrupted !== null && !Array.isArray(commands)) io.input.destroy();
      if (interrupted !== null) return this.interrupted(interrupted);
      this.autosave();
    } finally {
      // Only once saved: a second signal (`timeout` signals the process, then its group) must
      // not find the default handler, which ends the process before the session is saved.
      off();
    }
    if (this.rejected > 0) {
      this.ctx.err(
        `aftershock: ${this.rejected} command${this.rejected === 1 ? " was" : "s were"} not understood (see the hints above)\n`,
      );
    }
    return this.rejected > 0 || this.saveFailures > 0 ? EXIT.usage : EXIT.ok;
  }

  /**
   * A command's work, or null when a Ctrl-C (a SIGINT to the process) cut its run short
   * (`RunInterrupted`): the handler has ended the session already, and it is saved as it stood.
   */
  private cutShort<T>(work: () => Promise<T | null>): Promise<T | null> {
    return unlessInterruptedAsync(work, null);
  }

  /**
   * Runs the projections `command` needs a slice at a time, letting the event loop turn between
   * slices so that a Ctrl-C stops a long compare or score at once; false when it was stopped.
   */
  private async prepared(command: string, stopped: () => boolean): Promise<boolean> {
    for (const _ of this.session.prepare(command)) {
      await breathe();
      if (stopped()) return false;
    }
    return !stopped();
  }

  /** A readline prompt with history and tab completion. */
  interactive(io: TrainIo): Promise<number> {
    this.columns = () => terminalColumns(this.ctx.env, io.output);
    // Typed at a terminal with stdout piped (`| tee log.txt`), the line being typed is drawn into
    // stdout, where the terminal shows it, instead of the terminal echoing it itself: a transcript
    // kept from stdout then has each command after its prompt, as the screen had it, and the
    // screen shows it once.
    const piped = io.output.isTTY !== true;
    const output = piped ? plainLines(io.output) : io.output;
    return new Promise((resolve) => {
      const rl = createInterface({
        input: io.input,
        output,
        // The terminal typed at gets line editing, history and completion, whatever stdout is.
        terminal: true,
        historySize: 1000,
        removeHistoryDuplicates: true,
        completer: (line: string) => this.session.complete(line),
      });
      // Drawn plain into a pipe: readline's redraw (to column 1, clear, the prompt, back to the
      // cursor) would leave its escapes around every prompt of the transcript. A line typed ahead
      // during a command is redrawn under the prompt, as on a terminal.
      const prompt = () => {
        rl.setPrompt(this.session.prompt());
        if (!piped || rl.line !== "") rl.prompt();
        else output.write(rl.getPrompt());
      };
      let interrupted: TrainSignal | null = null;
      let closed = false;
      // A Ctrl-C that stopped the command under way (a projection) rather than the session.
      let cancelled = false;
      let busy = false;
      const stopped = () => closed || cancelled;
      // Ctrl-C comes through readline on a terminal; SIGTERM and SIGHUP (the terminal closed),
      // and Ctrl-C when readline does not own the terminal, come to the process.
      const interrupt = (signal: TrainSignal = "SIGINT") => {
        interrupted ??= signal;
        rl.close();
      };
      const off = io.onInterrupt(interrupt);
      // Lines are run one after the other, each after the projections it needs (which yield).
      let queue: Promise<void> = Promise.resolve();
      this.ctx.out(`${this.opening()}\n`);
      prompt();
      const runLine = async (line: string) => {
        busy = true;
        const r = await this.cutShort(async () => {
          if (closed || !(await this.prepared(line, stopped))) return null;
          return this.session.execute(line);
        });
        busy = false;
        if (r === null) {
          if (closed) return;
          // Stopped by a Ctrl-C that warned of unsaved work: the session goes on.
          cancelled = false;
          prompt();
          return;
        }
        const quit = r.effects.some((e) => e.kind === "quit");
        if (quit && this.warnUnsaved()) {
          // Warned: the next quit leaves.
        } else if (!this.apply(r)) {
          rl.close();
          return;
        }
        if (r.text !== "") this.ctx.out("\n");
        prompt();
      };
      rl.on("line", (line) => {
        queue = queue.then(() => runLine(line));
      });
      // Ctrl-C at the prompt, as in a shell: a line typed is cleared; on an empty line (or during a
      // command) it leaves, but first warns once of unsaved work, as quit does, stopping the
      // command under way. Ctrl-D on an empty line is quit: readline closes, unless it warns.
      rl.on("SIGINT", () => {
        if (rl.line !== "") {
          clearTypedLine(rl, io.output);
          return;
        }
        if (!this.warnUnsaved("^C\n")) {
          interrupt("SIGINT");
          return;
        }
        if (busy) cancelled = true;
        else prompt();
      });
      const close = rl.close.bind(rl);
      let endOfInput = false;
      // Seen before readline acts on the key: its Ctrl-D closes the interface from within.
      io.input.prependListener("keypress", (_s: unknown, key?: { ctrl?: boolean; name?: string }) => {
        endOfInput = key?.ctrl === true && key.name === "d" && rl.line === "";
      });
      rl.close = () => {
        const ctrlD = endOfInput;
        endOfInput = false;
        if (ctrlD && interrupted === null && this.warnUnsaved("\n")) {
          if (!busy) prompt();
          return;
        }
        close();
      };
      // The terminal went away (closed before its SIGHUP arrives): readline cannot leave raw mode
      // (EIO). The session ends as on SIGHUP, saved, rather than on an uncaught error. The error
      // may come from within close(), which carries on: close again only after it.
      rl.on("error", () => {
        interrupted ??= "SIGHUP";
        setImmediate(() => rl.close());
      });
      rl.on("close", () => {
        closed = true;
        // The line being run stops at its next slice; then the session ends.
        void queue.then(() => {
          if (interrupted !== null) resolve(this.interrupted(interrupted));
          else {
            this.ctx.out("\n");
            this.autosave();
            resolve(this.saveFailures > 0 ? EXIT.usage : EXIT.ok);
          }
          // After the save, as for a script: a second signal must not end the process first.
          off();
        });
      });
    });
  }

  /**
   * Warns, once, that leaving now would lose the session's work (no `--save`, nothing saved since
   * the last change): true when it did, and the quit, Ctrl-C or Ctrl-D that asked should not leave.
   */
  private warnUnsaved(after = ""): boolean {
    if (!this.session.unsaved || this.o.save !== undefined || this.quitWarned) return false;
    this.quitWarned = true;
    this.ctx.out(
      `${after}${this.fitted("The session has unsaved work: save FILE keeps it for the debrief; quit again to leave.")}`,
    );
    return true;
  }

  /**
   * A line of the host's own (a notice, a save's outcome) with its newline, wrapped between words
   * to the session's width as its replies are; as it is where the width is unknown (piped).
   */
  private fitted(text: string): string {
    const width = this.columns();
    return `${width === undefined || visible(text) < width ? text : wrap(text, width - 1)}\n`;
  }

  /** Prints a reply and carries out its effects; false when the session should end. */
  private apply(r: Reply): boolean {
    if (r.text !== "") this.ctx.out(`${r.text}\n`);
    if (!r.ok && r.refused !== true) this.rejected++;
    for (const effect of r.effects) {
      if (effect.kind === "quit") return false;
      // The reason a `save` failed is its reply, in the transcript. A typed `save -` names a
      // file, as it always has: `-` is stdout for an output option only, and the session's own
      // text on stdout would move to stderr half-way through.
      const typed = homeExpanded(effect.path, this.ctx.env);
      const file = typed === STDOUT_PATH ? `./${typed}` : typed;
      const failure = this.save(file, typed, effect.text, effect.force);
      if (failure !== null) this.ctx.out(this.fitted(`save: ${failure}`));
    }
    return true;
  }

  /** Writes the session to `path`, which messages call `name`; returns why it could not, or null. */
  private save(path: string, name: string, text: string, force: boolean): string | null {
    try {
      // The same checks as `--save` before the session, named by the path alone (the reply says `save:`).
      checkOutputs([{ flag: "save", path, signature: SESSION_SIGNATURE, name }], force, this.inputs);
      const other = force ? null : anotherSession(path, this.session.record());
      if (other !== null)
        throw new CliError(
          `${name} holds another saved session (${other}): \`save ${name} --force\` replaces it, or save to another file`,
        );
      writeFileAtomic(path, text);
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      this.saveFailures++;
      return error.message;
    }
    this.session.markSaved();
    const r = this.session.record();
    const saved = this.fitted(
      `Saved the session to ${name}: ${plural(r.commands.length, "command")}, ${plural(r.answers.length, "answer")}, ${plural(r.forks.length, "fork")}.`,
    );
    // On stdout (`--save -`), said once its reader took it all, as every output on stdout is.
    whenWritten(path, () => this.ctx.out(saved));
    return null;
  }

  /**
   * `--save FILE`: the session is written when it ends, however it ends. The file was checked
   * before the session; if it still cannot be written, that is said on stderr.
   */
  private autosave(): void {
    if (this.o.save === undefined) return;
    const failure = this.save(this.o.save, shownPath(this.o.save), this.session.recordText(), true);
    if (failure !== null) this.ctx.err(`aftershock: --save: could not save the session: ${failure}\n`);
  }

  /**
   * Ends the session on a signal, saved; not over `leftAlone`, the file a replay cut short was
   * resuming, which holds more than the session does.
   */
  interrupted(signal: TrainSignal, leftAlone?: string): number {
    this.ctx.out(`\n${INTERRUPTED_BY[signal]}: leaving the session.\n`);
    if (leftAlone === undefined) this.autosave();
    else this.ctx.out(this.fitted(`${leftAlone} is left as it was: its replay did not finish.`));
    return signalExitCode(signal);
  }
}

/**
 * A typed `save` path with a leading `~/` (or `~` alone) in the home folder: the prompt is no
 * shell, but a path typed as in one means what it would there, not a folder named `~` (quoted
 * too, as the session's words drop their quotes). `~user` and a `~` further on are left as typed.
 */
function homeExpanded(path: string, env: NodeJS.ProcessEnv): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  const home = env.HOME === undefined || env.HOME === "" ? homedir() : env.HOME;
  return path === "~" ? home : join(home, path.slice(2));
}

/**
 * `output` for readline's line editing when it is not a terminal: a line typed ends with `\n`
 * alone, as the session's own lines do, where readline writes `\r\n` (the terminal the pipe
 * reaches turns `\n` into a new line itself).
 */
function plainLines(output: Writable): Writable {
  return new Writable({
    write: (chunk: Buffer | string, _encoding, done) => {
      output.write(String(chunk).replaceAll("\r\n", "\n"));
      done();
    },
  });
}

/**
 * Drops the line typed at the prompt, as Ctrl-C does in a shell: `^C` after it, and a fresh
 * prompt under it (readline's own editing keys: end of line, then delete to its start).
 */
function clearTypedLine(rl: ReturnType<typeof createInterface>, output: Writable): void {
  rl.write(null, { ctrl: true, name: "e" });
  output.write("^C\n");
  rl.write(null, { ctrl: true, name: "u" });
  rl.prompt();
}

const INTERRUPTED_BY: Record<TrainSignal, string> = {
  SIGINT: "Interrupted",
  SIGTERM: "Terminated (SIGTERM)",
  SIGHUP: "The terminal hung up (SIGHUP)",
};

/**
 * The commands piped into stdin, each as soon as its line arrives, so that `cat | aftershock
 * train` answers as one types and a signal while the pipe is open finds a session to save. A
 * saved session (text that starts with `{`) is JSON, read whole before its commands run.
 */
async function* pipedCommands(
  input: Readable,
  onSaved?: (saved: SavedScript) => string[],
): AsyncGenerator<string> {
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let savedSession: boolean | null = null;
  for await (const chunk of input) {
    pending += typeof chunk === "string" ? chunk : decoder.write(chunk);
    if (savedSession === null) {
      const start = pending.search(/\S/);
      if (start >= 0) savedSession = pending[start] === "{";
    }
    if (savedSession !== false) continue;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? "";
    yield* lines.map(scriptCommand).filter((c) => c !== null);
  }
  pending += decoder.end();
  const last = savedSession === true ? scriptOf(pending, "<stdin>", onSaved) : [scriptCommand(pending)];
  yield* last.filter((c) => c !== null);
}

/** The next command of a list or of a stream, one call at a time. */
function eachOf(commands: readonly string[] | AsyncIterable<string>): () => Promise<IteratorResult<string>> {
  if (!Array.isArray(commands)) {
    const iterator = (commands as AsyncIterable<string>)[Symbol.asyncIterator]();
    return () => iterator.next();
  }
  let i = 0;
  return async () =>
    i < commands.length ? { done: false, value: commands[i++] } : { done: true, value: undefined };
}

export const train: CliCommand = {
  spec: trainSpec,
  run: async (ctx, args, options) => {
    // Stdin is the facilitator's (commands typed, or a session piped in): not the scenario's.
    if (args[0] === STDIN_ARG)
      throw stdinScenarioRefused(
        "train",
        "a training session reads the facilitator's commands from stdin, so it cannot read its scenario there",
      );
    const code = await trainCommand(ctx, args[0], options as TrainCommandOptions);
    if (code === EXIT.hangup) hangUp();
    return code;
  },
};

/**
 * Ends the process as SIGHUP would have, now that the session is saved. Exiting normally would
 * make Node restore the terminal's settings on a terminal that is gone, and abort (EIO) with a
 * native stack trace instead of exit 129. Our handlers are off, so the signal's default applies.
 */
function hangUp(): void {
  process.kill(process.pid, "SIGHUP");
}
