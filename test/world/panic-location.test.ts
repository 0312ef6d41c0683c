// Shows that a scheduler module's panic is placed in the module as the trace names it, by the top frame of its stack in the module's file, never by a path of the machine.
import { describe, expect, it } from "vitest";
import { panicLocation } from "../../src/world/panic-location.js";

/** An Error whose stack is `frames` under its message. */
function thrownWith(...frames: string[]): Error {
  const error = new TypeError("Cannot read properties of undefined (reading 'id')");
  error.stack = [`${error.name}: ${error.message}`, ...frames.map((f) => `    at ${f}`)].join("\n");
  return error;
}

describe("where in a scheduler module a panic came from", () => {
  it("is the top frame in the module's file, named as the trace names the module", () => {
    const error = thrownWith(
      "checkPortNumber (/usr/lib/node_modules/aftershock/dist/world/port-args.js:20:11)",
      "handle (file:///home/me/proj/mods/mine.mjs:80:20)",
      "handle.next (<anonymous>)",
      "dispatcher (file:///home/me/proj/mods/mine.mjs:31:9)",
    );
    expect(panicLocation("module:./mods/mine.mjs", error)).toBe("./mods/mine.mjs:80:20");
    // From a scenario in another folder: the name climbs, the frame is the same file.
    expect(panicLocation("module:../mods/mine.mjs", error)).toBe("../mods/mine.mjs:80:20");
  });

  it("reads frames of a path as well as a URL, with spaces and Windows' separators", () => {
    expect(
      panicLocation("module:./my mods/x.mjs", thrownWith("f (file:///C:/a%20b/my%20mods/x.mjs:3:9)")),
    ).toBe("./my mods/x.mjs:3:9");
    expect(panicLocation("module:./x.cjs", thrownWith("/srv/x.cjs:12:5"))).toBe("./x.cjs:12:5");
    expect(panicLocation("module:./mods/x.mjs", thrownWith("f (C:\\proj\\mods\\x.mjs:7:1)"))).toBe(
      "./mods/x.mjs:7:1",
    );
  });

  it("is none for a bundled scheduler, a frame in another file, or a thrown value with no stack to read", () => {
    const inModule = thrownWith("f (file:///p/mine.mjs:1:1)");
    expect(panicLocation("v2", inModule)).toBeUndefined();
    expect(panicLocation("module:./mine.mjs", thrownWith("f (file:///p/not-mine.mjs:1:1)"))).toBeUndefined();
    expect(
      panicLocation("module:./mine.mjs", thrownWith("f (file:///p/lib/mine.mjs.map:1:1)")),
    ).toBeUndefined();
    expect(panicLocation("module:./mine.mjs", "boom")).toBeUndefined();
    // An object that looks like an Error is no Error: what it says of a stack is the module's word.
    expect(
      panicLocation("module:./mine.mjs", {
        message: "x",
        stack: "Error: x\n    at f (file:///p/mine.mjs:1:1)",
      }),
    ).toBeUndefined();
    const unreadable = new Error("x");
    Object.defineProperty(unreadable, "stack", {
      get() {
        throw new Error("no");
      },
    });
    expect(panicLocation("module:./mine.mjs", unreadable)).toBeUndefined();
  });

  it("is none for a stack overflow the module recovered: where the stack ran out is the host's, not the world's", () => {
    const overflow = new RangeError("Maximum call stack size exceeded");
    overflow.stack = `RangeError: ${overflow.message}\n    at depth (file:///p/mine.mjs:9:3)`;
    expect(panicLocation("module:./mine.mjs", overflow)).toBeUndefined();
    // Another RangeError is placed as any Error is.
    const range = new RangeError("Invalid array length");
    range.stack = `RangeError: ${range.message}\n    at grow (file:///p/mine.mjs:9:3)`;
    expect(panicLocation("module:./mine.mjs", range)).toBe("./mine.mjs:9:3");
  });
});
