// Shows colour and redrawn progress bars only on a terminal that takes them: never on a dumb one (TERM=dumb), never when piped, and no redrawn bar in CI.
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

describe("CI", () => {
  it("gets progress in plain lines, not a redrawn bar, even on a pseudo-terminal; colour stays", () => {
    expect(redrawWanted(tty, { CI: "true" })).toBe(false);
    expect(redrawWanted(tty, { CI: "1" })).toBe(false);
    expect(redrawWanted(tty, { CI: "false" })).toBe(true);
    expect(redrawWanted(tty, { CI: "0" })).toBe(true);
    expect(redrawWanted(tty, { CI: "" })).toBe(true);
    expect(colourWanted(tty, { CI: "true" })).toBe(true);
  });
});
