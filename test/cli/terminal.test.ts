// Shows colour and redrawn progress bars only on a terminal that takes them: never on a dumb one (TERM=dumb), never when piped, and no redrawn bar in CI; and the width of a terminal read as it is now, not as Node last heard of it.
import ttyModule from "node:tty";
import { describe, expect, it } from "vitest";
import { colourWanted } from "../../src/cli/paint.js";
import { columnsNow, isCi, redrawWanted } from "../../src/cli/terminal.js";

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

  it("reads FORCE_COLOR's documented values as chalk and Node do (1, 2, 3, true or empty on, 0 or false off), and any other as off", () => {
    for (const on of ["1", "2", "3", "true", ""]) {
      expect(colourWanted(piped, { FORCE_COLOR: on }), on).toBe(true);
      expect(colourWanted(tty, { FORCE_COLOR: on, TERM: "dumb" }), on).toBe(true);
    }
    // NO_COLOR wins, as ever.
    expect(colourWanted(tty, { FORCE_COLOR: "", NO_COLOR: "1" })).toBe(false);
    for (const off of ["0", "false", "no"]) {
      expect(colourWanted(piped, { FORCE_COLOR: off }), off).toBe(false);
      expect(colourWanted(tty, { FORCE_COLOR: off }), off).toBe(false);
    }
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

  it("is not CI when CI is spelled false in any case or padded, and is CI for any other value", () => {
    for (const off of ["FALSE", "False", " false ", " 0", "\t"]) expect(isCi({ CI: off }), off).toBe(false);
    for (const on of ["TRUE", "yes", "woodpecker", "2", "00"]) expect(isCi({ CI: on }), on).toBe(true);
    expect(isCi({})).toBe(false);
  });
});

describe("the width of a terminal", () => {
  it("is asked of the terminal at each look, not as Node last heard of it", () => {
    let width = 40;
    const stream = {
      isTTY: true,
      columns: 80,
      _handle: {
        getWindowSize(size: number[]) {
          size[0] = width;
          size[1] = 24;
          return 0;
        },
      },
    };
    expect(columnsNow(stream as unknown as NodeJS.WriteStream)).toBe(40);
    width = 100;
    expect(columnsNow(stream as unknown as NodeJS.WriteStream)).toBe(100);
  });

  it("asks as Node's own tty stream does, on a real terminal", () => {
    // The call exists in this Node: a tty.WriteStream's handle has getWindowSize.
    const refresh = (ttyModule.WriteStream.prototype as unknown as { _refreshSize: () => void })._refreshSize;
    expect(String(refresh)).toContain("this._handle.getWindowSize(");
  });

  it("is Node's where the terminal cannot be asked again, and unknown off a terminal", () => {
    expect(columnsNow({ isTTY: true, columns: 80 } as unknown as NodeJS.WriteStream)).toBe(80);
    expect(columnsNow({ isTTY: false, columns: 80 } as unknown as NodeJS.WriteStream)).toBeUndefined();
  });

  it("is Node's last known width when the terminal cannot be asked (gone away), and says nothing on the stream", () => {
    const errors: unknown[] = [];
    const stream = {
      isTTY: true,
      columns: 72,
      _handle: { getWindowSize: () => -9 }, // EBADF
      emit: (...args: unknown[]) => errors.push(args),
      // As Node's: a failed ask is an error emitted on the stream, not thrown.
      _refreshSize() {
        stream.emit("error", new Error("getWindowSize EBADF"));
      },
    };
    expect(columnsNow(stream as unknown as NodeJS.WriteStream)).toBe(72);
    expect(errors).toEqual([]);
  });

  it("is unknown on a terminal that gives no size (0 columns, a pseudo-terminal nobody sized)", () => {
    expect(columnsNow({ isTTY: true, columns: 0 } as unknown as NodeJS.WriteStream)).toBeUndefined();
  });
});
