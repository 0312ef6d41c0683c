// Shows colour and redrawn progress bars only on a terminal that takes them: never on a dumb one (TERM=dumb), never when piped.
import { describe, expect, it } from "vitest";
import { colourWanted } from "../../src/cli/paint.js";
import { redrawWanted } from "../../src/cli/terminal.js";

const tty = { isTTY: true };
const piped = { isTTY: false };

describe("a dumb terminal", () => {
  it("gets no colour, unless FORCE_COLOR asks for it", () => {
    expect(colourWanted(tty, {})).toBe(true);
    expect(colourWanted(tty, { TERM: "xterm-256color" })).toBe(true);
    expect(colourWanted(tty, { TERM: "dumb" })).toBe(false);
    expect(colourWanted(tty, { TERM: "dumb", FORCE_COLOR: "1" })).toBe(true);
    expect(colourWanted(piped, {})).toBe(false);
  });

  it("gets no progress bar redrawn in place", () => {
    expect(redrawWanted(tty, {})).toBe(true);
    expect(redrawWanted(tty, { TERM: "dumb" })).toBe(false);
    expect(redrawWanted(piped, {})).toBe(false);
  });
});
