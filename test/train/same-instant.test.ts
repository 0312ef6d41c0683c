// Shows chapters that share an instant each paused at in turn, with answers, status and rewinds referring to the one paused at.

import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { trainCommand } from "../../src/cli/commands/train.js";
import { captureContext, newSession, play } from "./helpers.js";

const SAME = fileURLToPath(new URL("./fixtures/same-instant.yaml", import.meta.url));

const heading = (n: number, title: string) =>
  new RegExp(`Chapter ${n} of 5 · \\d\\d:\\d\\d:\\d\\d · ${title}`);

describe("training session, chapters at one instant", () => {
  it("pauses at each in turn, without running time between them, and answers go to the one paused at", () => {
    const session = newSession({}, SAME);
    expect(session.intro()).toMatch(heading(1, "At the start"));
    const steps = play(session, [
      "next",
      "chapter",
      "answer my answer to one",
      "status",
      "next",
      "answer my answer to two",
      "status",
      "next",
      "next",
      "status",
      "next",
    ]);
    expect(steps[0].text).toMatch(heading(2, "First at five"));
    expect(steps[1].text).toMatch(heading(2, "First at five"));
    expect(steps[2].text).toBe('Answer recorded for chapter 2 (First at five): "my answer to one".');
    expect(steps[3].text).toContain("chapter 2 of 5 (First at five)");
    expect(steps[4].text).toContain("09:05:00: no time passes, the next chapter is at the same instant");
    expect(steps[4].text).toMatch(heading(3, "Second at five"));
    expect(steps[5].text).toBe('Answer recorded for chapter 3 (Second at five): "my answer to two".');
    expect(steps[6].text).toContain("chapter 3 of 5 (Second at five)");
    expect(steps[7].text).toMatch(heading(4, "At the end"));
    expect(steps[7].text).toContain("The run reached its end");
    // The run is over, but a chapter at its last instant is still paused at.
    expect(steps[8].text).toMatch(heading(5, "Also at the end"));
    expect(steps[9].text).toContain("chapter 5 of 5 (Also at the end)");
    expect(steps[10].ok).toBe(false);
    expect(steps[10].text).toContain("the run is over");
    expect(session.record().answers.map((a) => [a.chapter, a.question])).toEqual([
      [2, "Question one?"],
      [3, "Question two?"],
    ]);
  });

  it("rewinds to the first of the chapters at the moment rewound to", () => {
    const session = newSession({}, SAME);
    const steps = play(session, ["next", "next", "rewind 09:05", "status", "next"]);
    expect(steps[2].text).toContain("Chapter 2 of 5: First at five");
    expect(steps[3].text).toContain("chapter 2 of 5 (First at five)");
    expect(steps[4].text).toMatch(heading(3, "Second at five"));
  });

  it("does not count a next after the end as a command not understood", async () => {
    const ctx = captureContext();
    const io = {
      input: Readable.from(["next\nnext\nnext\nnext\nnext\nnext\n"]),
      output: new Writable({ write: (_c, _e, done) => done() }),
      onInterrupt: () => () => {},
    };
    const code = await trainCommand(ctx, SAME, {}, io);
    expect(ctx.stdout()).toContain("the run is over (09:10:00)");
    expect(ctx.stderr()).toBe("");
    expect(code).toBe(0);
  });
});
