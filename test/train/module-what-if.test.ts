// Shows that a what-if deploy of v2 in a world whose scheduler is a module names the module that is deployed in v2's place, and
// that `bundled` deploys the bundled v2 there instead.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type TrainIo, trainCommand } from "../../src/cli/commands/train.js";
import { captureContext, SMALL } from "./helpers.js";

const MODULE = fileURLToPath(new URL("../../examples/reintroduced-bug1.mjs", import.meta.url));

function io(stdin: string): TrainIo {
  return {
    input: Readable.from([stdin]),
    output: new Writable({ write: (_c, _e, done) => done() }),
    onInterrupt: () => () => {},
  };
}

/**
 * What a session started with `--scheduler MODULE --fix early-return,panic-recovery` prints for
 * `script`: the facilitator's, which names the fixes and the timeline still to come (the on-call
 * view counts the fixes and does not tell the timeline).
 */
async function withModule(script: string, facilitator = true): Promise<string> {
  const ctx = captureContext();
  const code = await trainCommand(
    ctx,
    SMALL,
    { scheduler: MODULE, fix: "early-return,panic-recovery", facilitator },
    io(script),
  );
  expect(code).toBe(0);
  return ctx.stdout();
}

describe("a what-if deploy in a world run by a scheduler module", () => {
  it("says the module is what rolls out, as the deploy's own log line does", async () => {
    const out = await withModule("next\nwhat-if deploy fixed\nlogs deploy\nwhat-if rollback\n");
    const name = /rolling out (module:\S+) \(early-return, panic-recovery\)/.exec(out)?.[1];
    expect(name, out).toBeDefined();
    expect(out).toContain(
      `What if, at 09:44:40: deploy ${name} with early-return, panic-recovery, one worker at a time, each 10s after the one before serves again`,
    );
    expect(out).toContain(`still follows: deploy ${name} with early-return, panic-recovery`);
    // A rollback deploys v1, which no module stands for.
    expect(out).toMatch(/What if, at \S+: deploy v1 \(no fixes\)/);
  });

  it("names the module in the on-call view too, its fixes counted", async () => {
    const out = await withModule("next\nwhat-if deploy fixed\nlogs deploy\n", false);
    const name = /rolling out (module:\S+) \(2 fixes\)/.exec(out)?.[1];
    expect(name, out).toBeDefined();
    expect(out).toContain(`What if, at 09:44:40: deploy ${name} with 2 fixes, one worker at a time`);
    // The deploy's fixes are counted, not named, as the world's own are in the on-call opening.
    const at = out.indexOf("> what-if deploy fixed");
    expect(at).toBeGreaterThan(0);
    const afterOpening = out.slice(at);
    expect(afterOpening).not.toMatch(/early-return|panic-recovery/);
  });

  it("deploys the bundled v2 with `bundled`, a fork of its own beside the module's", async () => {
    const out = await withModule(
      "next\nwhat-if deploy fixed bundled\nlogs deploy\nswitch original\nwhat-if deploy fixed\n",
    );
    expect(out).toContain(
      "What if, at 09:44:40: deploy v2 with early-return, panic-recovery, one worker at a time, each 10s after the one before serves again\n  Now on fork-1",
    );
    expect(out).toContain("rolling out v2 (early-return, panic-recovery) to 4 workers");
    // Without it, the module rolls out: another action, another fork.
    expect(out).toMatch(
      /What if, at 09:44:40: deploy module:\S+ with early-return, panic-recovery, .*\n {2}Now on fork-2/,
    );
  });

  it("names the module of a scenario that runs one, in the what-if and in the timeline still to come", async () => {
    const own = join(mkdtempSync(join(tmpdir(), "aftershock-module-")), "own.yaml");
    const text = readFileSync(SMALL, "utf8").replace(
      "scheduler:\n  version: v2\n  fixes: []",
      `scheduler:\n  module: ${MODULE}\n  fixes: []`,
    );
    expect(text).toContain(MODULE);
    writeFileSync(own, text);
    const ctx = captureContext();
    const script = io("next\nwhat-if deploy fixed\nlogs deploy\n");
    expect(await trainCommand(ctx, own, { facilitator: true }, script)).toBe(0);
    const out = ctx.stdout();
    const name = /rolling out (module:\S+) \(early-return, panic-recovery\)/.exec(out)?.[1];
    expect(name, out).toBeDefined();
    expect(out).toContain(
      `: deploy ${name} with early-return, panic-recovery, one worker at a time, each 10s after the one before serves again\n`,
    );
    expect(out).toContain(`still follows: deploy ${name} with early-return, panic-recovery`);
  });
});
