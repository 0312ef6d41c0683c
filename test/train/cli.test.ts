// Shows `aftershock train` scripted: from a file or from stdin, plain text out, saves written whole, clean exits.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  EXIT_INTERRUPTED,
  type TrainIo,
  type TrainSignal,
  trainCommand,
} from "../../src/cli/commands/train.js";
import { main } from "../../src/cli/main.js";
import { SESSION_FORMAT, type SessionRecord } from "../../src/train/index.js";
import { captureContext, SMALL } from "./helpers.js";

function io(stdin = "", interrupt?: (fire: (signal?: TrainSignal) => void) => void): TrainIo {
  return {
    input: Readable.from([stdin]),
    output: new Writable({ write: (_c, _e, done) => done() }),
    onInterrupt: (handler) => {
      interrupt?.(handler);
      return () => {};
    },
  };
}

/** Runs a script with --save, sending Ctrl-C (or `signal`) once the output so far satisfies `when`. */
async function interruptedAt(
  script: string,
  when: (output: string) => boolean,
  signal?: TrainSignal,
  exitCode = EXIT_INTERRUPTED,
  said = "Interrupted: leaving the session.",
) {
  const dir = tempDir();
  const saved = join(dir, "interrupted.json");
  let fire: ((signal?: TrainSignal) => void) | null = null;
  const ctx = captureContext((all) => {
    if (when(all)) fire?.(signal);
  });
  const code = await trainCommand(
    ctx,
    SMALL,
    { save: saved },
    io(script, (handler) => {
      fire = handler;
    }),
  );
  expect(code).toBe(exitCode);
  expect(ctx.stdout()).toContain(said);
  return { dir, ctx, record: JSON.parse(readFileSync(saved, "utf8")) as SessionRecord };
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "aftershock-train-"));
}

/**
 * A session saving to `saved`, reading `input` (a pipe, or a terminal's input side), and `end`
 * run once its output shows `said`, given the session's signal handler; `removed` is called when
 * the session takes that handler away.
 */
function endedSession(
  input: PassThrough,
  saved: string,
  said: string,
  end: (fire: (signal?: TrainSignal) => void) => void,
  removed: () => void = () => {},
) {
  let fire: (signal?: TrainSignal) => void = () => {};
  let ended = false;
  const ctx = captureContext((all) => {
    if (ended || !all.includes(said)) return;
    ended = true;
    setImmediate(() => end(fire));
  });
  const running = trainCommand(
    ctx,
    SMALL,
    { save: saved },
    {
      input,
      output: new Writable({ write: (_c, _e, done) => done() }),
      onInterrupt: (handler) => {
        fire = handler;
        return removed;
      },
    },
  );
  return { ctx, running };
}

describe("aftershock train, scripted", () => {
  it("runs a script file, echoing each command after the prompt, in plain text", async () => {
    const dir = tempDir();
    const script = join(dir, "session.txt");
    writeFileSync(script, "# a short session\nnext\n\nstatus\nanswer the scheduler, lazily\nquit\nnext\n");
    const ctx = captureContext();
    const code = await trainCommand(ctx, SMALL, { script }, io());
    expect(code).toBe(0);
    const out = ctx.stdout();
    expect(out).toContain("aftershock train · may8-small · seed 20260508 · variant v2");
    expect(out).toContain("\n09:30:00 original> next\n");
    expect(out).toContain("\n09:44:40 original> status\n");
    expect(out).toContain('Answer recorded for chapter 1 (A quiet Friday morning): "the scheduler, lazily".');
    // quit ends the script: the last `next` never runs.
    expect(out).not.toContain("Chapter 2 of");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checking for ANSI escapes
    expect(out).not.toMatch(/\u001b\[/);
  });

  it("orders a scheduler module's fixes as the module declares them, once each", async () => {
    const dir = tempDir();
    const module = join(dir, "mine.mjs");
    writeFileSync(
      module,
      `function* main(rt) { for (;;) yield rt.sleep(1000); }
export default { name: "mine", fixes: ["b", "a"], create: (fixes) => ({ name: "mine", fixes: [...fixes], main }) };
`,
    );
    const ctx = captureContext();
    // The facilitator's opening names the fixes (the on-call one counts them).
    const code = await trainCommand(
      ctx,
      SMALL,
      { scheduler: module, fix: "a,b,a", facilitator: true },
      io("quit\n"),
    );
    expect(code).toBe(0);
    expect(ctx.stdout()).toMatch(/variant \S+ \(\S+mine\.mjs, b \+ a\)/);
  });

  it("skips a # comment at the end of a command, and keeps the # of why w1#2", async () => {
    const ctx = captureContext();
    const code = await trainCommand(
      ctx,
      SMALL,
      {},
      io("next # trailing\nstatus\t# and here\nwhy w1#2   # second death\nanswer w1 and w3 #2 died\n"),
    );
    // An answer is cut at its ` #` as any command is: the reply says what was kept.
    expect(ctx.stdout()).toContain('(A quiet Friday morning): "w1 and w3".');
    expect(ctx.stdout()).toContain("\n09:30:00 original> next\n");
    expect(ctx.stdout()).toContain("original> status\n");
    expect(ctx.stdout()).toContain("original> why w1#2\n");
    expect(ctx.stdout()).not.toContain("unknown command");
    expect(code).toBe(0);
  });

  it("reads commands from stdin when it is not a terminal, and exits 2 when some were not understood", async () => {
    const ctx = captureContext();
    const code = await trainCommand(ctx, SMALL, {}, io("next\nfly\nlogs\n"));
    expect(code).toBe(2);
    expect(ctx.stdout()).toContain('unknown command "fly"');
    expect(ctx.stdout()).toContain("Logs (last");
    expect(ctx.stderr()).toBe("aftershock: 1 command was not understood (see the hints above)\n");
  });

  it("writes a script's control characters escaped, never raw, and refuses the command that holds one", async () => {
    const ctx = captureContext();
    // A shared script or saved session reaches the facilitator's terminal: ESC[2J would clear it.
    const code = await trainCommand(ctx, SMALL, {}, io("next\nanswer a \u001b[2Jb\nwhy w\u001b[8m1\n"));
    expect(code).toBe(2);
    expect(ctx.stdout()).not.toContain("\u001b");
    expect(ctx.stdout()).toContain("original> answer a \\u001b[2Jb\n");
    expect(ctx.stdout()).toContain(
      "a command cannot hold the control character U+001B (escape) at character 10, which would act on the terminal that shows it",
    );
    expect(ctx.stderr()).toBe("aftershock: 2 commands were not understood (see the hints above)\n");
  });

  it("does not count a command understood but not possible where the session is", async () => {
    const ctx = captureContext();
    // At 09:45:05 the fleet has 4 workers and w1 is in back-off; 10:00 is ahead of now.
    const script = "next\nnext\nwhat-if scale 4\nwhat-if kill w1\nrewind 10:00\n";
    expect(await trainCommand(ctx, SMALL, {}, io(script))).toBe(0);
    expect(ctx.stdout()).toContain("what-if: the fleet already has 4 workers");
    expect(ctx.stdout()).toContain("what-if: w1 is already down (in back-off)");
    expect(ctx.stdout()).toContain("is ahead of now");
    expect(ctx.stderr()).toBe("");
  });

  it("wraps its own lines to COLUMNS as the replies are: a save's outcome and a save refused", async () => {
    const dir = tempDir();
    const saved = join(dir, "a-rather-long-name-for-the-debrief-of-today.json");
    const ctx = { ...captureContext(), env: { COLUMNS: "40" } };
    const commands = `next\nsave ${saved}\nsave ${join(dir, "nodir", "s.json")}\n`;
    expect(await trainCommand(ctx, SMALL, {}, io(commands))).toBe(2);
    const out = ctx.stdout();
    const lines = out.split("\n");
    const at = lines.findIndex((l) => l.startsWith("Saved the session to"));
    expect(at).toBeGreaterThanOrEqual(0);
    // Every word is there, a path longer than the line cut between its characters as the terminal would.
    expect(lines.slice(at, at + 10).join("\n")).toMatch(/1\scommand,\s0\sanswers,\s0\sforks\./);
    for (const line of lines.filter((l) => l.startsWith("Saved") || l.startsWith("save:")))
      expect(line.length, line).toBeLessThan(40);
    expect(out).toMatch(/^save:/m);
  });

  it("saves the session whole, replays it from the saved file, and refuses to overwrite other files", async () => {
    const dir = tempDir();
    const saved = join(dir, "debrief.json");
    const ctx = captureContext();
    const commands = `next\nnext\nanswer look at the crash logs\nwhat-if deploy fixed\nsave ${saved}\n`;
    expect(await trainCommand(ctx, SMALL, {}, io(commands))).toBe(0);
    expect(ctx.stdout()).toContain(`Saved the session to ${saved}: 4 commands, 1 answer, 1 fork.`);
    const record = JSON.parse(readFileSync(saved, "utf8")) as SessionRecord;
    expect(record.format).toBe(SESSION_FORMAT);
    expect(record.commands.map((c) => c.command)).toEqual([
      "next",
      "next",
      "answer look at the crash logs",
      "what-if deploy fixed",
    ]);
    expect(record.forks[0]).toMatchObject({ name: "fork-1", from: "original", whatIf: "deploy fixed" });
    expect(readdirSync(dir)).toEqual(["debrief.json"]);

    // A saved session is a script: replaying it ends where the first one did.
    const replay = captureContext();
    expect(await trainCommand(replay, SMALL, { script: saved }, io())).toBe(0);
    expect(replay.stdout()).toContain("\n09:45:05 original> what-if deploy fixed\n");

    const mine = join(dir, "notes.txt");
    writeFileSync(mine, "my own notes\n");
    const refused = captureContext();
    expect(await trainCommand(refused, SMALL, {}, io(`save ${mine}\nstatus\n`))).toBe(2);
    expect(refused.stdout()).toContain(
      `save: ${mine}: exists and was not written by aftershock; pass --force`,
    );
    expect(refused.stdout()).toContain("before the first chapter · line original"); // the session went on
    expect(readFileSync(mine, "utf8")).toBe("my own notes\n");
  });

  it("resumes a saved session at a terminal: replays it quietly, then the prompt goes on, saving back to the same file", async () => {
    const dir = tempDir();
    const saved = join(dir, "debrief.json");
    const first = captureContext();
    const commands = "next\nnext\nanswer look at the crash logs\nwhat-if rollback\n";
    expect(await trainCommand(first, SMALL, { save: saved }, io(commands))).toBe(0);
    // A terminal on the input side: readline reads typed lines.
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const ctx = captureContext();
    const running = trainCommand(
      ctx,
      SMALL,
      { resume: saved, save: saved },
      {
        input,
        output: new Writable({ write: (_c, _e, done) => done() }),
        onInterrupt: () => () => {},
      },
    );
    input.write("lines\nanswer and the deploy log\nquit\n");
    expect(await running).toBe(0);
    const out = ctx.stdout();
    expect(out).toContain("Resumed ");
    expect(out.replace(/\s+/g, " ")).toContain(
      "replayed 4 commands (1 answer, 1 fork); now at 09:45:05 on fork-1.",
    );
    // The replay's replies are not printed again: the fork's reply was the first session's.
    expect(out).not.toContain("What if, at");
    expect(out).toContain("* fork-1    rollback at 09:45:05");
    const record = JSON.parse(readFileSync(saved, "utf8")) as SessionRecord;
    expect(record.commands.map((c) => c.command)).toEqual([
      "next",
      "next",
      "answer look at the crash logs",
      "what-if rollback",
      "lines",
      "answer and the deploy log",
    ]);
    expect(record.answers.map((a) => a.answer)).toEqual(["look at the crash logs", "and the deploy log"]);
    await expect(
      trainCommand(captureContext(), SMALL, { resume: saved, script: saved }, io()),
    ).rejects.toThrow(/--resume and --script both give the commands to replay/);
  });

  it("a typed save reads a leading ~ as the home folder, as a shell would, and says the path it wrote", async () => {
    const home = tempDir();
    const ctx = { ...captureContext(), env: { HOME: home } };
    const typed = 'next\nsave ~/debrief.json\nsave "~/in quotes.json"\nsave ~\n';
    expect(await trainCommand(ctx, SMALL, {}, io(typed))).toBe(2);
    const out = ctx.stdout();
    expect(out).toContain(
      `Saved the session to ${join(home, "debrief.json")}: 1 command, 0 answers, 0 forks.`,
    );
    expect(out).toContain(`Saved the session to ${join(home, "in quotes.json")}: 1 command`);
    expect(
      (JSON.parse(readFileSync(join(home, "debrief.json"), "utf8")) as SessionRecord).commands,
    ).toHaveLength(1);
    // `~` alone is the home folder, refused as a folder is, not a file named `~` where it runs.
    expect(out).toContain(`save: ${home}: is a folder`);
    expect(existsSync("~")).toBe(false);
  });

  it("a typed save replaces its own earlier save, but not another session's file, without --force", async () => {
    const dir = tempDir();
    const saved = join(dir, "debrief.json");
    // A session saves as it goes: its later save replaces its earlier one, which it continues.
    const first = `next\nanswer the logs\nsave ${saved}\nwhat-if deploy fixed\nsave ${saved}\n`;
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, {}, io(first)), ctx.stdout()).toBe(0);
    expect(ctx.stdout()).toContain(`Saved the session to ${saved}: 2 commands, 1 answer, 0 forks.`);
    expect(ctx.stdout()).toContain(`Saved the session to ${saved}: 3 commands, 1 answer, 1 fork.`);
    const kept = readFileSync(saved, "utf8");

    // Another session, with other commands, is refused the name: the first one's work stays.
    const other = captureContext();
    expect(await trainCommand(other, SMALL, {}, io(`next\nnext\nsave ${saved}\nstatus\n`))).toBe(2);
    expect(other.stdout()).toContain(
      `save: ${saved} holds another saved session (3 commands, 1 answer, 1 fork, of ${(JSON.parse(kept) as SessionRecord).scenario}): \`save ${saved} --force\` replaces it, or save to another file`,
    );
    expect(readFileSync(saved, "utf8")).toBe(kept);
    const forced = captureContext();
    expect(await trainCommand(forced, SMALL, {}, io(`next\nnext\nsave ${saved} --force\n`))).toBe(0);
    expect((JSON.parse(readFileSync(saved, "utf8")) as SessionRecord).commands).toHaveLength(2);
  });

  it("--save refuses another session's file before the session starts, as a typed save does, but for --force", async () => {
    const dir = tempDir();
    const saved = join(dir, "debrief.json");
    expect(await trainCommand(captureContext(), SMALL, { save: saved }, io("next\nanswer the logs\n"))).toBe(
      0,
    );
    const kept = readFileSync(saved, "utf8");
    // Next meeting's session names last meeting's file: refused at once, nothing run, nothing written.
    const next = captureContext();
    await expect(trainCommand(next, SMALL, { save: saved }, io("next\n"))).rejects.toThrow(
      `--save ${saved} holds another saved session (2 commands, 1 answer, 0 forks, of ${(JSON.parse(kept) as SessionRecord).scenario}): nothing is written; --force replaces it, --resume ${saved} goes on with it, or --save another file`,
    );
    expect(next.stdout()).toBe("");
    expect(readFileSync(saved, "utf8")).toBe(kept);
    // Resumed, the session is the file's own and is saved back; with --force another replaces it.
    expect(await trainCommand(captureContext(), SMALL, { resume: saved, save: saved }, io("next\n"))).toBe(0);
    expect((JSON.parse(readFileSync(saved, "utf8")) as SessionRecord).commands).toHaveLength(3);
    expect(await trainCommand(captureContext(), SMALL, { save: saved, force: true }, io("status\n"))).toBe(0);
    expect((JSON.parse(readFileSync(saved, "utf8")) as SessionRecord).commands).toHaveLength(1);
  });

  it("a typed save refuses a session file of the same commands on another variant, and writes into a FIFO", async () => {
    const dir = tempDir();
    const saved = join(dir, "debrief.json");
    const script = `next\nwhat-if deploy fixed\nsave ${saved}\n`;
    expect(await trainCommand(captureContext(), SMALL, {}, io(script))).toBe(0);
    const fixed = captureContext();
    expect(await trainCommand(fixed, SMALL, { variant: "fixed" }, io(script))).toBe(2);
    expect(fixed.stdout()).toContain(`save: ${saved} holds another saved session (2 commands`);
    // A FIFO is written into, never read: a reader takes the session from it.
    const fifo = join(dir, "session.fifo");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo]);
    let read = "";
    reader.stdout.on("data", (chunk) => {
      read += chunk;
    });
    const closed = new Promise((done) => reader.on("close", done));
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, {}, io(`next\nsave ${fifo}\n`))).toBe(0);
    await closed;
    expect((JSON.parse(read) as SessionRecord).format).toBe(SESSION_FORMAT);
  }, 30_000);

  it("a typed save takes a quoted path with spaces, and refuses what --save refuses, in the transcript", async () => {
    const dir = tempDir();
    const spaced = join(dir, "my session.json");
    const ctx = captureContext();
    const typed = [
      `save "${spaced}"`,
      `save ${dir}`,
      `save ${join(dir, "nodir", "s.json")}`,
      `save ""`,
      `save "${join(dir, "open.json")}`,
      "status",
    ];
    expect(await trainCommand(ctx, SMALL, {}, io(`${typed.join("\n")}\n`))).toBe(2);
    const out = ctx.stdout();
    expect(out).toContain(`Saved the session to ${spaced}: 0 commands`);
    expect(JSON.parse(readFileSync(spaced, "utf8")).format).toBe("aftershock-training-session");
    expect(out).toContain(`save: ${dir}: is a folder, expected a file`);
    expect(out).toContain(`save: ${join(dir, "nodir", "s.json")}: no such folder ${join(dir, "nodir")}`);
    expect(out).toContain("usage: save <file> [--force] (quote a path with spaces");
    expect(out).toMatch(/save: a quote is not closed in "\S+open\.json/);
    expect(out).toContain("before the first chapter · line original"); // the session went on
    expect(readdirSync(dir)).toEqual(["my session.json"]);
  });

  it("checks the --save path before the session starts: a missing folder is exit 2 at once", async () => {
    const ctx = captureContext();
    const save = join(tempDir(), "nodir", "s.json");
    const script = join(tempDir(), "s1.txt");
    writeFileSync(script, "next\nnext\n");
    expect(await main(["train", SMALL, "--script", script, "--save", save], ctx)).toBe(2);
    expect(ctx.stderr()).toMatch(/^aftershock: --save \S+nodir\/s\.json: no such folder/);
    expect(ctx.stdout()).toBe("");
  });

  it.skipIf(!existsSync("/dev/full"))(
    "says on stderr that the --save file could not be written, not that a command was not understood",
    async () => {
      const ctx = captureContext();
      expect(await trainCommand(ctx, SMALL, { save: "/dev/full" }, io("next\n"))).toBe(2);
      expect(ctx.stdout()).toContain("\n09:30:00 original> next\n");
      expect(ctx.stdout()).not.toContain("/dev/full");
      expect(ctx.stderr()).toMatch(
        /^aftershock: --save: could not save the session: \/dev\/full: cannot write \(ENOSPC[^\n]*\n$/,
      );
    },
  );

  it("exits cleanly on Ctrl-C, writing the --save file whole", async () => {
    const { dir, ctx, record } = await interruptedAt("next\nnext\nnext\nnext\n", (all) =>
      all.includes("Chapter 2 of"),
    );
    expect(ctx.stdout()).not.toContain("Chapter 3 of");
    expect(record.commands).toHaveLength(2);
    expect(readdirSync(dir)).toEqual(["interrupted.json"]);
  });

  it("counts a Ctrl-C during the last command, and stops its projection before it ends", async () => {
    // The Ctrl-C comes once the last command (score, which projects two lines) has started.
    const { ctx, record } = await interruptedAt("next\nnext\nwhat-if deploy fixed\nscore\n", (all) =>
      all.endsWith("fork-1> score\n"),
    );
    expect(ctx.stdout()).not.toContain("Score:");
    expect(record.commands.map((c) => c.command)).toEqual(["next", "next", "what-if deploy fixed"]);
    expect(record.forks[0].outcome).toBeNull();
  });

  it("ends on SIGTERM (exit 143) and SIGHUP (exit 129) as on Ctrl-C, writing the --save file", async () => {
    const ended: [TrainSignal, number, string][] = [
      ["SIGTERM", 143, "Terminated (SIGTERM): leaving the session."],
      ["SIGHUP", 129, "The terminal hung up (SIGHUP): leaving the session."],
    ];
    for (const [signal, code, said] of ended) {
      const { dir, ctx, record } = await interruptedAt(
        "next\nanswer nobody looks\nnext\nnext\nnext\n",
        (all) => all.includes("Chapter 2 of"),
        signal,
        code,
        said,
      );
      expect(ctx.stdout()).not.toContain("Chapter 3 of");
      expect(record.answers.map((a) => a.answer)).toEqual(["nobody looks"]);
      expect(readdirSync(dir)).toEqual(["interrupted.json"]);
    }
  });

  it("answers piped commands as they arrive, and a signal while the pipe is open still ends and saves the session", {
    timeout: 20_000,
  }, async () => {
    // `cat | aftershock train ...`, or a facilitator's tool feeding it: the pipe stays open.
    const saved = join(tempDir(), "piped.json");
    const input = new PassThrough();
    let savedBeforeHandlerRemoved = false;
    // `timeout` signals the process and then its group: a second SIGTERM may come while the
    // session saves, and kills it unless the handler is still there.
    const { ctx, running } = endedSession(
      input,
      saved,
      "Chapter 1 of",
      (fire) => fire("SIGTERM"),
      () => {
        savedBeforeHandlerRemoved = existsSync(saved);
      },
    );
    input.write("next   # to the first chapter\n");
    expect(await running).toBe(143);
    expect(savedBeforeHandlerRemoved).toBe(true);
    expect(ctx.stdout()).toContain("Terminated (SIGTERM): leaving the session.");
    const record = JSON.parse(readFileSync(saved, "utf8")) as SessionRecord;
    expect(record.commands.map((c) => c.command)).toEqual(["next"]);
  });

  it("refuses a broken saved session on stdin before printing anything, as from --script", async () => {
    const ctx = captureContext();
    const reading = trainCommand(ctx, SMALL, {}, io('{"format": "aftershock-training-session",\n'));
    await expect(reading).rejects.toThrow(/^<stdin>:2:1: a saved session that is not valid JSON/);
    expect(ctx.stdout()).toBe("");
  });

  it("typed at a terminal with stdout piped (| tee log.txt), writes each command after its prompt into stdout", async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    const typed = ["next\n", "logs W1 2\n", "quit\n", "quit\n"];
    let drawn = "";
    const output = new Writable({
      write: (chunk, _e, done) => {
        drawn += String(chunk);
        // Typed once the prompt is there, as at a terminal.
        if (drawn.endsWith("> ")) setImmediate(() => input.write(typed.shift() ?? ""));
        done();
      },
    });
    const running = trainCommand(captureContext(), SMALL, {}, { input, output, onInterrupt: () => () => {} });
    expect(await running).toBe(0);
    // As the screen had it, so a transcript kept with tee reads as the session did; plain lines,
    // without readline's cursor moves or carriage returns.
    expect(drawn).toContain("09:30:00 original> next\n");
    expect(drawn).toContain("09:44:40 original> logs W1 2\n");
    expect(drawn).not.toContain("\r");
    expect(drawn).not.toContain("\u001b");
  });

  it("saves an interactive session when its terminal hangs up or goes away", async () => {
    // A terminal on the input side only: readline reads plain lines, the signals come to the process.
    const ends: [string, (input: PassThrough, fire: (signal?: TrainSignal) => void) => void][] = [
      ["SIGHUP", (_input, fire) => fire("SIGHUP")],
      ["SIGTERM", (_input, fire) => fire("SIGTERM")],
      [
        "the terminal gone (EIO)",
        (input) => input.emit("error", Object.assign(new Error("EIO"), { code: "EIO" })),
      ],
    ];
    for (const [name, end] of ends) {
      const dir = tempDir();
      const saved = join(dir, "session.json");
      const input = Object.assign(new PassThrough(), { isTTY: true });
      const { running } = endedSession(input, saved, "Answer recorded", (fire) => end(input, fire));
      input.write("next\nanswer the console\n");
      const code = await running;
      expect(code, name).toBe(name === "SIGTERM" ? 143 : 129);
      const record = JSON.parse(readFileSync(saved, "utf8")) as SessionRecord;
      expect(
        record.answers.map((a) => a.answer),
        name,
      ).toEqual(["the console"]);
    }
  });

  it("reports bad arguments with exit 2 and no stack trace", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cut.json"), '{"kind":"aftershock.train"');
    writeFileSync(
      join(dir, "half.json"),
      `{\n  "format": "${SESSION_FORMAT}",\n  "commands": [\n    {"command": "next"},\n`,
    );
    writeFileSync(join(dir, "other.json"), '{"hello": "world"}\n');
    writeFileSync(
      join(dir, "newer.json"),
      `{\n  "format": "${SESSION_FORMAT}",\n  "version": 99,\n  "commands": [{"command": "next"}]\n}\n`,
    );
    writeFileSync(join(dir, "bare.json"), '{"note": "a box",\n "commands": x}');
    const cases: [string[], RegExp][] = [
      [
        ["train", SMALL, "--script", join(dir, "cut.json")],
        /cut\.json:1:27: a saved session that is not valid JSON .*cut short\?/,
      ],
      [
        ["train", SMALL, "--script", join(dir, "half.json")],
        /half\.json:4:25: a saved session that is not valid JSON/,
      ],
      [["train", SMALL, "--script", join(dir, "other.json")], /other\.json:1:1: not a saved session/],
      [
        ["train", SMALL, "--script", join(dir, "newer.json")],
        /newer\.json:3:14: a saved session of version 99, which this aftershock does not read \(it reads versions 1 to 4\)/,
      ],
      // V8 names no position for a stray token: it is found outside strings (not the x of box),
      // and the input is not quoted back.
      [
        ["train", SMALL, "--script", join(dir, "bare.json")],
        /bare\.json:2:14: a saved session that is not valid JSON \(Unexpected token 'x'\): cut short\?/,
      ],
      [["train", join(dir, "missing.yaml")], /missing\.yaml: no such file/],
      [["train", SMALL, "--variant", "nope"], /--variant: unknown variant "nope"/],
      [["train", SMALL, "--script", join(dir, "none.txt")], /none\.txt: no such file/],
      [["train", SMALL, "--seed", "x"], /--seed: expected a whole number/],
      // `-` is stdin for every input, but a session's stdin is its commands: said, not "no such file".
      [
        ["train", SMALL, "--script", "-"],
        /^aftershock: --script -: commands piped into stdin are read without --script \(cat rehearsal\.txt \| aftershock train SCENARIO\); a file named - is \.\/-\n$/,
      ],
      [
        ["train", SMALL, "--resume", "-"],
        /^aftershock: --resume -: the session goes on with the commands on stdin, so it cannot read the saved session there; name its file \(a file named - is \.\/-\)\n$/,
      ],
      // A variable that is not set (`--script "$SCRIPT"`) names no file called "".
      [
        ["train", SMALL, "--script", ""],
        /^aftershock: --script: expected a file path, found an empty string \(a shell variable that is not set\?\)\n$/,
      ],
      [
        ["train", SMALL, "--resume", ""],
        /^aftershock: --resume: expected a file path, found an empty string \(a shell variable that is not set\?\)\n$/,
      ],
    ];
    for (const [argv, message] of cases) {
      const ctx = captureContext();
      expect(await main(argv, ctx), argv.join(" ")).toBe(2);
      expect(ctx.stderr()).toMatch(message);
      expect(ctx.stderr()).not.toMatch(/\n\s+at /);
      expect(ctx.stdout(), argv.join(" ")).toBe("");
    }
    expect(existsSync(join(dir, "missing.yaml"))).toBe(false);
  });
});
