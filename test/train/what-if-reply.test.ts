// Shows that a what-if's reply names its action in the words the trainee typed, as `lines` does, not the timeline's.
import { describe, expect, it } from "vitest";
import { newSession, play } from "./helpers.js";

describe("the reply to a what-if", () => {
  it("says kill, restart and quarantine as typed, with what each does", () => {
    const session = newSession();
    const [, kill, restart, quarantine] = play(session, [
      "next",
      "what-if kill w1",
      "what-if restart w2",
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
