// Shows that `--resume FILE --save FILE` does not replace FILE with another session (another world,
// another view, commands not carried out) without --force, and that such a resume has work to save.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import type { SessionRecord } from "../../src/train/index.js";
import { captureContext, pipedIo, SMALL } from "./helpers.js";

const io = pipedIo;

/** A session saved on the small scenario (next, an answer), then changed by `edit`. */
async function savedSession(edit: (r: Record<string, unknown>) => void): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), "aftershock-resume-")), "debrief.json");
  expect(
    await trainCommand(captureContext(), SMALL, { save: file }, io("next\nnext\nanswer the logs\n")),
  ).toBe(0);
  const record = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  edit(record);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

describe("--resume FILE --save FILE", () => {
  it("refuses, writing nothing, a session on another seed or seen in another view, unless --force", async () => {
    for (const edit of [
      (r: Record<string, unknown>) => {
        r.seed = (r.seed as number) + 1;
      },
      (r: Record<string, unknown>) => {
        r.facilitator = true;
      },
    ]) {
      const file = await savedSession(edit);
      const before = readFileSync(file, "utf8");
      await expect(
        trainCommand(captureContext(), SMALL, { resume: file, save: file }, io("quit\n")),
      ).rejects.toThrow(
        /--save .*debrief\.json would replace the session .*debrief\.json holds with another \(saved with (seed|the facilitator's view)/,
      );
      expect(readFileSync(file, "utf8")).toBe(before);
      expect(
        await trainCommand(captureContext(), SMALL, { resume: file, save: file, force: true }, io("quit\n")),
      ).toBe(0);
      expect(readFileSync(file, "utf8")).not.toBe(before);
    }
  });

  it("refuses a session whose commands were not all carried out on replay", async () => {
    const file = await savedSession((r) => {
      const commands = r.commands as SessionRecord["commands"];
      r.commands = [...commands, { ...commands[commands.length - 1], command: "switch fork-9" }];
    });
    const before = readFileSync(file, "utf8");
    await expect(
      trainCommand(captureContext(), SMALL, { resume: file, save: file }, io("quit\n")),
    ).rejects.toThrow(/\(1 command not carried out on replay\): nothing is written/);
    expect(readFileSync(file, "utf8")).toBe(before);
    // A typed save to it is refused too: the file holds another session.
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, { resume: file }, io(`save ${file}\n`))).toBe(2);
    expect(ctx.stdout()).toContain("holds another saved session");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("leaves such a resume with work to save: quit warns first", async () => {
    const file = await savedSession((r) => {
      r.seed = (r.seed as number) + 1;
    });
    const quitAfterResume = async (path: string) => {
      const input = Object.assign(new PassThrough(), { isTTY: true });
      const ctx = captureContext();
      const running = trainCommand(
        ctx,
        SMALL,
        { resume: path },
        {
          input,
          output: new Writable({ write: (_c, _e, done) => done() }),
          onInterrupt: () => () => {},
        },
      );
      input.write("quit\nquit\n");
      expect(await running).toBe(0);
      return ctx.stdout();
    };
    expect(await quitAfterResume(file)).toContain("The session has unsaved work");
    // Resumed on its own ground, nothing is unsaved.
    const own = await savedSession(() => {});
    expect(await quitAfterResume(own)).not.toContain("The session has unsaved work");
  });
});

describe("a resume", () => {
  /** Resumes `file` (saving to `save`), with a SIGTERM as soon as the replay has begun. */
  async function terminatedDuringReplay(file: string, save: string) {
    const ctx = captureContext();
    let first = true;
    const code = await trainCommand(
      ctx,
      SMALL,
      { resume: file, save },
      {
        ...io(""),
        onInterrupt: (handler) => {
          if (first) setImmediate(() => handler("SIGTERM"));
          first = false;
          return () => {};
        },
      },
    );
    return { code, out: ctx.stdout() };
  }

  it("stopped by a signal during its replay says so and saves the session as it stood, but not over the file it resumes", async () => {
    const file = await savedSession((r) => {
      const commands = r.commands as SessionRecord["commands"];
      const last = commands[commands.length - 1];
      r.commands = [
        ...commands,
        ...["what-if rollback", "switch original", "what-if scale 8"].map((command) => ({
          ...last,
          command,
        })),
      ];
    });
    const before = readFileSync(file, "utf8");
    const other = join(mkdtempSync(join(tmpdir(), "aftershock-resume-")), "other.json");
    const elsewhere = await terminatedDuringReplay(file, other);
    expect(elsewhere.code).toBe(143);
    expect(elsewhere.out).toContain("Terminated (SIGTERM): leaving the session.");
    const partial = JSON.parse(readFileSync(other, "utf8")) as SessionRecord;
    expect(partial.commands.length).toBeLessThan(6);
    const same = await terminatedDuringReplay(file, file);
    expect(same.code).toBe(143);
    expect(same.out).toContain("is left as it was: its replay did not finish.");
    expect(readFileSync(file, "utf8")).toBe(before);
  });

  it("opens saying neither to type next nor that the view is a facilitator's when it was revealed", async () => {
    const file = await savedSession((r) => {
      const commands = r.commands as SessionRecord["commands"];
      r.commands = [...commands, { ...commands[commands.length - 1], command: "reveal" }];
    });
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, { resume: file }, io("quit\n"))).toBe(0);
    const out = ctx.stdout().replace(/\s+/g, " ");
    expect(out).not.toContain("Type `next` to begin");
    expect(out).not.toContain("Facilitator view");
    expect(out).toContain("the hidden state (poison tasks, causal chains, lease tables) has been revealed");
    expect(out).toContain("replayed 4 commands (1 answer, 0 forks); now at");
  });

  it("of a plain script leaves out its save and quit, and does not count them as replayed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-resume-"));
    const script = join(dir, "script.txt");
    writeFileSync(script, `next\nsave ${join(dir, "x.json")}\nnext\nquit\n`);
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, { resume: script }, io("status\n"))).toBe(0);
    expect(ctx.stdout().replace(/\s+/g, " ")).toContain(
      "replayed 2 commands (0 answers, 0 forks); its 2 saves and quits were left out; now at",
    );
    expect(ctx.stdout()).toContain("original> status");
  });
});
