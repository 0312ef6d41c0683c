// Shows the real interactive session in a pseudo-terminal (tmux): the prompt, tab completion, a chapter pause, Ctrl-C during a projection, and Ctrl-C and Ctrl-D with unsaved work.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionRecord } from "../../src/train/index.js";
import { SMALL } from "./helpers.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const HAS_TMUX = spawnSync("tmux", ["-V"]).status === 0;
const SESSION = `aftershock-train-test-${process.pid}`;

function tmux(...args: string[]): string {
  const r = spawnSync("tmux", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`tmux ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function screen(session = SESSION): string {
  return tmux("capture-pane", "-p", "-J", "-S", "-1000", "-t", session);
}

async function waitFor(pattern: RegExp, timeoutMs = 30_000, session = SESSION): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = screen(session);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; the screen:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** A session on the small scenario in tmux session `name` for the tests of a describe block. */
function inTerminal(name: string, options: string): void {
  beforeAll(() => {
    // The binary runs the build, which vitest's global setup brings up to date before any test
    // file starts (test/setup/build-dist.ts); never rebuilt here, under the test files running
    // beside this one, whose worker threads and processes load it.
    const command = `cd '${ROOT}' && NO_COLOR=1 node bin/aftershock.js train '${SMALL}' ${options}; echo "EXITED $?"; sleep 120`;
    tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", command);
  }, 120_000);

  afterAll(() => {
    if (HAS_TMUX) spawnSync("tmux", ["kill-session", "-t", name]);
  });
}

describe.skipIf(!HAS_TMUX)("aftershock train in a terminal (skipped: tmux is not installed)", () => {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-tty-"));
  const saved = join(dir, "session.json");

  inTerminal(SESSION, `--save '${saved}'`);

  it("prompts, completes a command, pauses at a chapter, and leaves cleanly on Ctrl-C, even mid-score", async () => {
    await waitFor(/Type `next` to begin[\s\S]*09:30:00 original> $/m);
    // Tab completes `ne` to `next` and the space after it; a second Tab lists nothing (next
    // takes no word), where it used to list `next` again; Enter runs it to the first chapter.
    tmux("send-keys", "-t", SESSION, "ne", "Tab");
    await waitFor(/09:30:00 original> next $/m);
    tmux("send-keys", "-t", SESSION, "Tab");
    await new Promise((r) => setTimeout(r, 300));
    expect(screen()).toMatch(/^09:30:00 original> next $(?![\s\S]*\S)/m);
    tmux("send-keys", "-t", SESSION, "Enter");
    const paused = await waitFor(/09:44:40 original> $/m);
    expect(paused).toContain("── Chapter 1 of 6 · 09:44:40 · A quiet Friday morning");
    expect(paused).toContain("Question: Which parts of the system learn about the deletion, and when?");
    expect(paused).toContain("What the on-call engineer sees at 09:44:40");

    tmux("send-keys", "-t", SESSION, "status", "Enter");
    const status = await waitFor(/09:44:40 UTC · chapter 1 of 6[\s\S]*09:44:40 original> $/m);
    expect(status).toMatch(/workers up\s+█+\s+4 of 4/);

    tmux("send-keys", "-t", SESSION, "fly", "Enter");
    await waitFor(/unknown command "fly"[^\n]*\n\s*\n?09:44:40 original> $/m);

    tmux("send-keys", "-t", SESSION, "what-if deploy fixed", "Enter");
    await waitFor(/09:44:40 fork-1> $/m);
    // Ctrl-C while score projects the lines (seconds): it leaves at once, without the score.
    tmux("send-keys", "-t", SESSION, "score", "Enter");
    await waitFor(/projecting original to 10:20:00/);
    tmux("send-keys", "-t", SESSION, "C-c");
    const end = await waitFor(/EXITED \d+/);
    expect(end).toContain("Interrupted: leaving the session.");
    expect(end).toContain("EXITED 130");
    expect(end).not.toContain("Score:");
    expect(end).not.toMatch(/\n\s+at .*\.js:\d+/);
    const record = JSON.parse(readFileSync(saved, "utf8")) as SessionRecord;
    expect(record.commands.map((c) => c.command)).toEqual(["next", "status", "what-if deploy fixed"]);
  }, 90_000);
});

describe.skipIf(!HAS_TMUX)(
  "Ctrl-C and Ctrl-D at the prompt with unsaved work (skipped: tmux is not installed)",
  () => {
    const UNSAVED = `${SESSION}-unsaved`;
    const WARNING = "The session has unsaved work: save FILE keeps it for the debrief; quit again to leave.";
    const count = (text: string, what: string) => text.split(what).length - 1;
    const keys = (...k: string[]) => tmux("send-keys", "-t", UNSAVED, ...k);
    const wait = (pattern: RegExp) => waitFor(pattern, 30_000, UNSAVED);

    inTerminal(UNSAVED, "");

    it("clears a typed line on Ctrl-C, warns once on Ctrl-D or Ctrl-C on an empty line, and leaves on the next", async () => {
      await wait(/Type `next` to begin[\s\S]*09:30:00 original> $/m);
      keys("next", "Enter");
      await wait(/09:44:40 original> $/m);
      // Ctrl-C on a typed line drops it: the session goes on, and Enter runs nothing.
      keys("what-if rollback", "C-c");
      await wait(/09:44:40 original> what-if rollback\^C\n09:44:40 original> $/m);
      keys("Enter");
      await new Promise((r) => setTimeout(r, 500));
      expect(screen(UNSAVED)).not.toContain("What if");
      // Ctrl-D on an empty line with unsaved work (the `next`) warns as quit does, and stays.
      keys("C-d");
      await wait(new RegExp(`${WARNING}\\n09:44:40 original> $`, "m"));
      keys("status", "Enter");
      await wait(/09:44:40 UTC · chapter 1 of 6[\s\S]*09:44:40 original> $/m);
      // Warned once: Ctrl-C on an empty line leaves, as a second quit would.
      keys("C-c");
      const end = await wait(/EXITED \d+/);
      expect(end).toContain("EXITED 130");
      expect(count(end, WARNING)).toBe(1);
    }, 90_000);
  },
);
