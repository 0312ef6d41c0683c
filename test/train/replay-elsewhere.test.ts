// Shows that a saved session replayed on another scenario, seed or scheduler says so, naming the command that replays it as saved.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { type TrainIo, trainCommand } from "../../src/cli/commands/train.js";
import { captureContext, MIDNIGHT, SMALL } from "./helpers.js";

function io(): TrainIo {
  return {
    input: Readable.from([""]),
    output: new Writable({ write: (_c, _e, done) => done() }),
    onInterrupt: () => () => {},
  };
}

async function savedOnSmall(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-replay-"));
  const script = join(dir, "rehearsal.txt");
  const saved = join(dir, "debrief.json");
  writeFileSync(script, "next\n");
  expect(await trainCommand(captureContext(), SMALL, { script, save: saved }, io())).toBe(0);
  return saved;
}

describe("replaying a saved session", () => {
  it("warns on stderr when the scenario, seed or scheduler is not the one it was saved from", async () => {
    const saved = await savedOnSmall();
    for (const [path, options] of [
      [MIDNIGHT, {}],
      [SMALL, { seed: "5" }],
      [SMALL, { variant: "fixed" }],
    ] as const) {
      const ctx = captureContext();
      await trainCommand(ctx, path, { script: saved, ...options }, io());
      expect(ctx.stderr(), JSON.stringify(options)).toMatch(
        /debrief\.json was saved from a session on may8-small at seed \d+ with buggy v2 \(no fixes\); replaying its commands on \S+ at seed \d+ with \S+ v2 \([^)]+\), whose screens may differ \(may8-small with --seed \d+ --variant buggy replays it as saved\)/,
      );
    }
  });

  it("says nothing when replayed as it was saved", async () => {
    const saved = await savedOnSmall();
    const ctx = captureContext();
    expect(await trainCommand(ctx, SMALL, { script: saved }, io())).toBe(0);
    expect(ctx.stderr()).toBe("");
  });
});
