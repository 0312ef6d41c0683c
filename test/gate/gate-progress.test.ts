// Shows the gate's count of runs on a terminal: redrawn in place, cut to the terminal's width as it is at each draw, and cleared at the end; nothing where no line can be redrawn.
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

  it("draws nothing where no line can be redrawn", () => {
    const ctx = captureContext();
    gateProgress(ctx, 40)(12);
    expect(ctx.stderr()).toBe("");
  });
});
