// Shows scripted training sessions: chapters in order, a what-if that ends the cascade early, exact rewinds, fog of war.
import { describe, expect, it } from "vitest";
import { clockOf } from "../../src/kernel/index.js";
import { loadFixture, newSession, play, transcript } from "./helpers.js";

const { scenario } = loadFixture();
const chapterTimes = scenario.chapters.map((c) => clockOf(c.atMs));

describe("training session, scripted", () => {
  it("pauses at each chapter in order, at its time, and then at the end of the run", () => {
    const session = newSession();
    const steps = play(session, Array(scenario.chapters.length + 1).fill("next"));
    scenario.chapters.forEach((c, i) => {
      const text = steps[i].text;
      expect(text).toContain(
        `Chapter ${i + 1} of ${scenario.chapters.length} · ${chapterTimes[i]} · ${c.title}`,
      );
      // No later chapter leaks into this pause.
      expect(text).not.toContain(`Chapter ${i + 2} of`);
      // The prompt after the pause is at the chapter's time.
      expect(steps[i + 1].prompt.startsWith(chapterTimes[i])).toBe(true);
      if (c.question !== null) expect(text).toContain(`Question: ${c.question}`);
    });
    expect(steps[scenario.chapters.length].text).toContain("The run reached its end (10:20:00)");
    expect(session.execute("next").ok).toBe(false);
  });

  it("stops a long run at the chapter on the way", () => {
    const session = newSession();
    const [step] = play(session, ["run 30m"]);
    expect(step.text).toContain(`Chapter 1 of ${scenario.chapters.length} · ${chapterTimes[0]}`);
    expect(step.text).toContain("paused at the chapter before 10:00:00");
    // One past the end says the end, not a time after it.
    const [past] = play(newSession(), ["run 3h"]);
    expect(past.text).toContain(
      "(paused at a chapter on the way to the end, 10:20:00: run or until again to go on)",
    );
    expect(session.prompt()).toBe(`${chapterTimes[0]} original> `);
    expect(play(session, ["until 09:44:50"])[0].text).toContain("09:44:40 → 09:44:50 (10s)");
  });

  it("what-if deploy fixed at the first crash ends the cascade earlier than the original", () => {
    const session = newSession();
    const steps = play(session, ["next", "next", "what-if deploy fixed", "compare", "score"]);
    // The first crash has happened when the second chapter pauses.
    expect(steps[1].text).toMatch(
      /ERROR panic: runtime error: invalid memory address or nil pointer dereference \[goroutine "deliver"\]/,
    );
    expect(steps[1].text).not.toContain("TypeError");
    expect(steps[2].ok).toBe(true);
    expect(session.lineName).toBe("fork-1");
    const compare = steps[3].text;
    const ends = /cascade ends\s+(\d\d:\d\d:\d\d)\s+(\d\d:\d\d:\d\d)\s+(\S+) earlier/.exec(compare);
    expect(ends, compare).not.toBeNull();
    const [, original, fork] = ends!;
    expect(fork < original).toBe(true);
    const late = /late deliveries\s+(\d+)\s+(\d+)/.exec(compare)!;
    expect(Number(late[2])).toBeLessThan(Number(late[1]));
    const allClear = /all clear\s+(\d\d:\d\d:\d\d)\s+(\d\d:\d\d:\d\d)/.exec(compare)!;
    expect(allClear[2] < allClear[1]).toBe(true);
    expect(steps[4].text).toMatch(/Best: fork-1 \(deploy fixed at 09:45:05\): all clear \S+ sooner/);
    const record = session.record();
    expect(record.forks).toHaveLength(1);
    expect(record.forks[0].outcome!.lateDeliveries).toBeLessThan(record.original!.lateDeliveries);
  });

  it("rewind, then the same commands, reproduces the same output", () => {
    const session = newSession();
    play(session, ["next", "next"]);
    const moment = session.prompt().slice(0, 8);
    const commands = [
      "status",
      "workers",
      "logs 30",
      "what-if deploy fixed",
      "next",
      "status",
      "alerts",
      "compare",
    ];
    const first = transcript(play(session, commands));
    const rewind = play(session, [`rewind ${moment}`])[0];
    expect(rewind.text).toContain(`Rewound to ${moment} on original`);
    // fork-1's action is at that very moment, which the rewind undoes: it forks there, not after.
    expect(rewind.text).toContain(`fork-1 forks at ${moment}: you are back on original`);
    const second = transcript(play(session, commands));
    // The same world, screen for screen; only the what-if's reply says fork-1 was there already.
    const reused = `Same action as fork-1 (deploy fixed at ${moment}): back on fork-1.`;
    expect(second).toContain(reused);
    expect(second).toBe(first.replace("Now on fork-1, forked from original.", reused));
    // Going back a little and forward again lands on the same screens too.
    const before = play(session, ["status"])[0].text;
    play(session, ["rewind -30s", "run 30s"]);
    expect(play(session, ["status"])[0].text).toBe(before);
    // From before the fork's moment, the reply names the moment it forks at.
    play(session, ["switch fork-1"]);
    expect(play(session, ["rewind -1m"])[0].text).toContain(
      `fork-1 forks at ${moment}: you are back on original`,
    );
  });

  it("hides the poison schedule until reveal, then shows it, the chain and the leases", () => {
    const session = newSession();
    const fog = transcript(
      play(session, [
        "next",
        "next",
        "next",
        "run 2m",
        "status",
        "workers",
        "logs 500",
        "alerts",
        "why w1",
        "chapter",
      ]),
    );
    expect(fog).toMatch(/panic: runtime error: invalid memory address or nil pointer dereference/);
    expect(fog).toMatch(
      /nil pointer dereference; the simulated scheduler threw TypeError: Cannot read properties of undefined/,
    );
    expect(fog).not.toMatch(/sched-deleted|acct-deleted/);
    expect(fog).toContain("reveal (or --facilitator) shows the causal chain");
    const revealed = play(session, ["reveal"])[0].text;
    expect(revealed).toMatch(/poison sched-deleted-[abc] of acct-deleted: killed w\d/);
    expect(revealed).toMatch(/Why w\d died at/);
    expect(revealed).toContain("Lease table");
    expect(play(session, ["workers"])[0].text).toMatch(/leases \d+/);
    expect(play(session, ["logs 500"])[0].text).toMatch(/\[schedule sched-deleted-[abc]\]/);
    const why = play(session, ["why w1"])[0].text;
    expect(why).toMatch(/w1 fired sched-deleted-[abc]/);
    // The room's chain: the customer's deletion, no trace ids, no notes on the trace's cause links.
    expect(why).toContain("the customer deleted account acct-deleted (in the console)");
    expect(why).not.toMatch(/#\d|operator: delete-account|cause link|is not followed/);
    expect(session.record().revealedAt).toBe("2026-05-08T09:48:00.000Z");
    play(session, ["hide"]);
    expect(
      play(session, ["status", "workers"])
        .map((s) => s.text)
        .join("\n"),
    ).not.toMatch(/sched-deleted/);
  });

  it("shows the hidden state from the start in facilitator mode", () => {
    const session = newSession({ facilitator: true });
    expect(session.intro()).toContain("Facilitator view");
    const [first] = play(session, ["next"]);
    expect(first.text).toMatch(/poison sched-deleted-a of acct-deleted: has not killed a worker yet/);
  });

  it("records answers against the chapter's question and switches between lines", () => {
    const session = newSession();
    expect(play(session, ["answer too early"])[0].ok).toBe(false);
    const steps = play(session, [
      "next",
      "answer the store and the scheduler's next firing",
      "next",
      "what-if scale 8",
      "switch original",
      "lines",
      "switch fork-1",
    ]);
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps[5].text).toMatch(/\* original/);
    expect(steps[5].text).toMatch(/\n {4}fork-1 +scale 8 at 09:45:05/);
    expect(session.lineName).toBe("fork-1");
    const record = session.record();
    expect(record.answers).toEqual([
      expect.objectContaining({
        chapter: 1,
        title: scenario.chapters[0].title,
        question: scenario.chapters[0].question,
      }),
    ]);
    expect(record.commands.map((c) => c.command)).toContain("what-if scale 8");
  });

  it("takes the same action at the same moment, however it is worded, to the line that has it", () => {
    const session = newSession();
    const steps = play(session, [
      "next",
      "what-if rollback",
      "switch original",
      "what-if deploy v1",
      "switch original",
      "what-if deploy fixed",
      "switch original",
      "what-if deploy v2 panic-recovery early-return",
      "switch original",
      // No module stands for v2 here: the bundled v2 is what every deploy of v2 deploys.
      "what-if deploy fixed bundled",
      "lines",
    ]);
    expect(steps.every((s) => s.ok)).toBe(true);
    expect(steps[3].text).toContain("Same action as fork-1 (rollback at 09:44:40): back on fork-1.");
    expect(steps[7].text).toContain("Same action as fork-2 (deploy fixed at 09:44:40): back on fork-2.");
    expect(steps[9].text).toContain("Same action as fork-2 (deploy fixed at 09:44:40): back on fork-2.");
    expect(steps[10].text).not.toContain("fork-3");
  });

  it("reads worker and line names in any case, as logs reads a worker", () => {
    const session = newSession();
    play(session, ["next", "next"]);
    for (const [typed, named] of [
      ["why W1", "why w1"],
      ["why W1#1", "why w1#1"],
    ])
      expect(session.execute(typed).text, typed).toBe(session.execute(named).text);
    const steps = play(session, [
      "what-if restart W2",
      "switch ORIGINAL",
      "what-if restart w2",
      "switch Original",
      "lines",
      "compare FORK-1",
    ]);
    expect(steps.map((s) => [s.command, s.ok])).toEqual(steps.map((s) => [s.command, true]));
    expect(steps[2].text).toContain("Same action as fork-1 (restart w2 at 09:45:05): back on fork-1.");
    expect(steps[4].text).toMatch(/\n {4}fork-1 +restart w2 at 09:45:05/);
    expect(steps[5].text).toBe(session.execute("compare fork-1").text);
  });
});
