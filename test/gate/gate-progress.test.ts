// Shows the gate's count of runs on a terminal: redrawn in place, cut to the terminal's width as it is at each draw, and cleared at the end; where no line can be redrawn, a line of the log every 30 s.
import { describe, expect, it } from "vitest";
import { gateProgress } from "../../src/cli/commands/gate.js";
import { captureContext } from "../train/helpers.js";

describe("the gate's progress line", () => {
  it("fits the terminal's width, read at each draw", () => {
    const width = { columns: 80 };
    const ctx = { ...captureContext(), errIsTty: true, errColumns: () => width.columns };
    const show = gateProgress(ctx, 40);
    show(12);
    width.columns = 10;
    show(13);
    show(-1);
    expect(ctx.stderr()).toBe("\r\x1b[Kgate: 12/40 runs\r\x1b[Kgate: 13…\r\x1b[K");
  });

  it("where no line can be redrawn, writes a line of the log every 30 s at most, and none for a short gate", () => {
    const clock = { ms: 0 };
    const ctx = { ...captureContext(), now: () => clock.ms };
    const show = gateProgress(ctx, 40);
    clock.ms = 29_999;
    show(12);
    expect(ctx.stderr()).toBe("");
    clock.ms = 30_000;
    show(13);
    clock.ms = 59_999;
    show(14);
    clock.ms = 60_000;
    show(14);
    show(-1);
    expect(ctx.stderr()).toBe("aftershock gate: 13 of 40 runs done\naftershock gate: 14 of 40 runs done\n");
  });
});
