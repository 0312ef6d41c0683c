// Shows which schedule ids a quarantine before reveal may take: those the on-call view has shown on
// any line since the session began, and in a file saved before that rule (version 3), any it took.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import type { SessionRecord } from "../../src/train/index.js";
import { captureContext, newSession, pipedIo, play, SMALL } from "./helpers.js";

const V3 = fileURLToPath(new URL("./fixtures/v3-quarantine-before-reveal.json", import.meta.url));

const io = pipedIo;

describe("the ids a quarantine before reveal may take", () => {
  it("are those shown on any line: kept after switch original and a rewind", () => {
    const session = newSession();
    // With panic recovery, the fork's logs name the poison schedules (the original's never do).
    const replies = play(session, [
      "next",
      "next",
      "what-if deploy v2 panic-recovery",
      "next",
      "next",
      "switch original",
      "rewind 09:45:05",
      "what-if quarantine sched-deleted-a",
    ]);
    for (const r of replies) expect(r.ok, r.text).toBe(true);
    expect(session.record().revealedAt).toBeNull();
    expect(session.record().shownScheduleIds).toEqual([
      "sched-deleted-a",
      "sched-deleted-b",
      "sched-deleted-c",
    ]);
    // A fresh session has not been shown them.
    const [, , fresh] = play(newSession(), ["next", "next", "what-if quarantine sched-deleted-a"]);
    expect(fresh.refused, fresh.text).toBe(true);
  });
});

describe("a session saved before the rule (version 3) that quarantines before reveal", () => {
  it("replays with --script, and resumed and saved back, replays again as version 4", async () => {
    const script = captureContext();
    expect(await trainCommand(script, SMALL, { script: V3 }, io())).toBe(0);
    expect(script.stdout()).toContain("What if, at 09:45:05: quarantine sched-deleted-a");

    const saved = join(mkdtempSync(join(tmpdir(), "aftershock-v3-")), "debrief.json");
    const resumed = captureContext();
    // Typed after the resume, an id not shown is refused again.
    expect(
      await trainCommand(
        resumed,
        SMALL,
        { resume: V3, save: saved },
        io("what-if quarantine sched-deleted-b\n"),
      ),
    ).toBe(0);
    expect(resumed.stderr()).toBe("");
    expect(resumed.stdout().replace(/\s+/g, " ")).toContain("replayed 3 commands (0 answers, 1 fork)");
    expect(resumed.stdout()).toContain('the on-call view has shown no schedule "sched-deleted-b"');
    const record = JSON.parse(readFileSync(saved, "utf8")) as SessionRecord;
    expect(record.version).toBe(4);
    expect(record.forks.map((f) => f.whatIf)).toEqual(["quarantine sched-deleted-a"]);
    expect(record.shownScheduleIds).toEqual(["sched-deleted-a"]);

    const again = captureContext();
    expect(await trainCommand(again, SMALL, { script: saved }, io())).toBe(0);
    expect(again.stdout()).toContain("What if, at 09:45:05: quarantine sched-deleted-a");
  });
});
