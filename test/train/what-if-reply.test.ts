// Shows that a what-if's reply names its action in the words the trainee typed, as `lines` does, not the timeline's.
import { describe, expect, it } from "vitest";
import { newSession, play } from "./helpers.js";

describe("the reply to a what-if", () => {
  it("says kill, restart and quarantine as typed, with what each does", () => {
    const session = newSession();
    const [, kill, restart, , quarantine] = play(session, [
      "next",
      "what-if kill w1",
      "what-if restart w2",
      "reveal",
      "what-if quarantine sched-deleted-a",
    ]);
    const head = (text: string) => text.split("\n")[0];
    expect(head(kill.text)).toMatch(/: kill w1 \(the supervisor restarts it\)$/);
    expect(head(restart.text)).toMatch(/: restart w2 gracefully$/);
    expect(head(quarantine.text)).toMatch(/: quarantine sched-deleted-a$/);
    for (const s of [kill, restart, quarantine])
      expect(s.text).not.toMatch(/kill-worker|restart-worker|quarantine-schedule/);
  });
});

describe("the way on from a what-if", () => {
  it("names the commands as they are typed: run takes a duration", () => {
    const session = newSession();
    const [, fork, run] = play(session, ["next", "what-if kill w1", "run 5m"]);
    expect(fork.text).toContain("next or run 5m to watch it unfold");
    expect(run.ok).toBe(true);
  });
});

describe("a what-if typed in other case or by another name", () => {
  it("is named by the verb as help spells it, in the reply and in lines alike", () => {
    const session = newSession();
    const [, kill, back, lines] = play(session, ["next", "what-if KILL w1", "what-if Roll-Back", "lines"]);
    const head = (text: string) => text.split("\n")[0];
    expect(head(kill.text)).toMatch(/: kill w1 \(the supervisor restarts it\)$/);
    // A rollback is a deploy of v1, and its reply says what rolls out.
    expect(head(back.text)).toMatch(/: deploy v1 \(no fixes\), /);
    expect(lines.text).toContain("kill w1");
    expect(lines.text).toContain("rollback");
    expect(lines.text).not.toMatch(/KILL|Roll-Back/);
    expect(session.record().forks.map((f) => f.whatIf)).toEqual(["kill w1", "rollback"]);
  });
});

describe("a what-if that repeats a fork's action at the same moment", () => {
  it("says it is that fork's action and goes back on it, rather than reading as a new fork", () => {
    const session = newSession();
    const [, first, , again, againOtherWords] = play(session, [
      "next",
      "what-if rollback",
      "switch original",
      "what-if deploy v1",
      "what-if rollback",
    ]);
    expect(first.text).toContain("Now on fork-1, forked from original.");
    expect(again.text).toMatch(/Same action as fork-1 \(rollback at [\d:.]+\): back on fork-1\./);
    expect(again.text).not.toContain("Now on fork-1, forked from original.");
    // On fork-1 already, a rollback there is a what-if on the fork: a new fork, said as before.
    expect(againOtherWords.text).toContain("Now on fork-2, forked from fork-1.");
    expect(session.record().forks.map((f) => f.name)).toEqual(["fork-1", "fork-2"]);
  });
});

describe("a quarantine in the on-call view", () => {
  it("is refused alike for a poison id guessed and an id that does not exist, until reveal", () => {
    const session = newSession();
    const [, guessed, made] = play(session, [
      "next",
      "what-if quarantine sched-deleted-a",
      "what-if quarantine foo",
    ]);
    for (const s of [guessed, made]) expect(s.refused, s.text).toBe(true);
    expect(guessed.text.replace("sched-deleted-a", "ID")).toBe(made.text.replace("foo", "ID"));
    expect(guessed.text).toContain("reveal shows the hidden state, schedule ids included");
    expect(session.record().forks).toEqual([]);
    const [, revealed] = play(session, ["reveal", "what-if quarantine sched-deleted-a"]);
    expect(revealed.ok, revealed.text).toBe(true);
    expect(session.record().revealedAt).not.toBeNull();
    // The facilitator's view has the ids from the start.
    const [, facilitator] = play(newSession({ facilitator: true }), [
      "next",
      "what-if quarantine sched-deleted-a",
    ]);
    expect(facilitator.ok, facilitator.text).toBe(true);
  });
});
