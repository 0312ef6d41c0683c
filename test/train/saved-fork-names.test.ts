// Shows a session saved before a repeated action at one moment went to the fork that has it (a fork of its own then) replaying as it did: its switch and compare name the forks this aftershock makes, and stderr says so; a session saved since replays as written.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type TrainIo, trainCommand } from "../../src/cli/commands/train.js";
import { renameSavedForks, savedForkRenames } from "../../src/train/index.js";
import { captureContext, SMALL } from "./helpers.js";

/**
 * Saved by the aftershock before the change (commit 79a038e^) from: next, what-if rollback,
 * switch original, what-if deploy v1 (fork-2 then), switch original, what-if deploy fixed
 * (fork-3 then), switch fork-2, lines, switch fork-3, compare fork-1 fork-3.
 */
const OLD = join(import.meta.dirname, "fixtures", "session-before-same-action-merge.json");

function io(): TrainIo {
  return {
    input: Readable.from([""]),
    output: new Writable({ write: (_c, _e, done) => done() }),
    onInterrupt: () => () => {},
  };
}

describe("a session saved before the same action at one moment was one fork", () => {
  it("replays its switch and compare on the forks it meant, and says how it names them", async () => {
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, { script: OLD }, io())).toBe(0);
    expect(ctx.stderr()).toBe(
      `aftershock: ${OLD}: saved when a what-if repeating a fork's action at its moment made a fork of its own; replaying its switch and compare with fork-2 as fork-1, fork-3 as fork-2\n`,
    );
    const out = ctx.stdout();
    expect(out).not.toContain("no line");
    // Its fork-2 was the rollback's world (deploy v1), its fork-3 the fixed deploy.
    expect(out).toContain(
      "09:44:40 fork-2> switch fork-1\nNow on fork-1 at 09:44:40.\n  fork-1: rollback at 09:44:40",
    );
    expect(out).toContain(
      "fork-1> switch fork-2\nNow on fork-2 at 09:44:40.\n  fork-2: deploy fixed at 09:44:40",
    );
    // The comparison it saved (fork-1 against fork-3 then): the rollback recovers at 10:08:00 (once the scenario's own fix deploy at 10:06 is done), the fix at 09:46:20.
    expect(out).toContain("fork-2> compare fork-1 fork-2\nfork-1 vs fork-2, both run to the end");
    expect(out).toMatch(/ {2}recovered {10}10:08:00 {2}09:46:20\n/);
  });

  it("leaves a session saved since as it is", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aftershock-forks-"));
    const script = join(dir, "rehearsal.txt");
    const saved = join(dir, "debrief.json");
    const commands = [
      "next",
      "what-if rollback",
      "switch original",
      "what-if deploy fixed",
      "switch fork-1",
      "switch fork-2",
    ];
    writeFileSync(script, `${commands.join("\n")}\n`);
    expect(await trainCommand(captureContext(), SMALL, { script, save: saved }, io())).toBe(0);
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, { script: saved }, io())).toBe(0);
    expect(ctx.stderr()).toBe("");
    expect(ctx.stdout()).toContain("fork-1> switch fork-2\nNow on fork-2 at 09:44:40.");
    const record = JSON.parse(readFileSync(saved, "utf8")) as { version: number; forks: { name: string }[] };
    expect(record.forks.map((f) => f.name)).toEqual(["fork-1", "fork-2"]);
    // Saved as version 3 or later: an aftershock that reads up to version 2 would replay its
    // what-ifs each on a fork of its own, and its switch fork-2 on another line, so it refuses the file.
    expect(record.version).toBeGreaterThanOrEqual(3);
    // Version 2 was saved both before the change and since: one saved since still replays as written.
    const older = join(dir, "debrief-v2.json");
    writeFileSync(older, JSON.stringify({ ...record, version: 2 }, null, 2));
    const replayed = captureContext();
    expect(await trainCommand(replayed, SMALL, { script: older }, io())).toBe(0);
    expect(replayed.stderr()).toBe("");
    expect(replayed.stdout()).toContain("fork-1> switch fork-2\nNow on fork-2 at 09:44:40.");
  });

  it("maps a fork made on a repeated fork to the line it forked from", () => {
    const at = "2026-05-08T09:44:40.000Z";
    const later = "2026-05-08T09:50:00.000Z";
    const renames = savedForkRenames(
      [
        { name: "fork-1", from: "original", at, whatIf: "rollback" },
        { name: "fork-2", from: "original", at, whatIf: "deploy v1" },
        { name: "fork-3", from: "fork-2", at: later, whatIf: "scale 8" },
        { name: "fork-4", from: "fork-1", at: later, whatIf: "scale 8" },
        { name: "fork-5", from: "original", at, whatIf: "deploy v2 panic-recovery early-return" },
        { name: "fork-6", from: "original", at, whatIf: "deploy fixed" },
      ],
      10_000,
    );
    expect([...renames]).toEqual([
      ["fork-2", "fork-1"],
      ["fork-3", "fork-2"],
      ["fork-4", "fork-2"],
      ["fork-5", "fork-3"],
      ["fork-6", "fork-3"],
    ]);
    expect(renameSavedForks("compare fork-4 fork-6", renames)).toBe("compare fork-2 fork-3");
    expect(renameSavedForks("SWITCH fork-2", renames)).toBe("SWITCH fork-1");
    // Only the commands that name lines: an answer mentioning a fork is the trainee's words.
    expect(renameSavedForks("answer fork-2 was the rollback", renames)).toBe(
      "answer fork-2 was the rollback",
    );
  });
});
