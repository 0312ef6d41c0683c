// Shows that a scheduler module's panic is placed in the module as the trace names it, by the top frame of its stack in the very file the module was loaded from, never by a path of the machine, and never by a file whose path only ends alike.
import { describe, expect, it } from "vitest";
import { type ModuleFile, panicLocation } from "../../src/world/panic-location.js";

/** An Error whose stack is `frames` under its message. */
function thrownWith(...frames: string[]): Error {
  const error = new TypeError("Cannot read properties of undefined (reading 'id')");
  error.stack = [`${error.name}: ${error.message}`, ...frames.map((f) => `    at ${f}`)].join("\n");
  return error;
}

/** A module file as the CLI places it: its real path and its `file:` URL. */
function file(path: string, url = `file://${path}`): ModuleFile {
  return { path, url };
}

const MINE = file("/home/me/proj/mods/mine.mjs");

describe("where in a scheduler module a panic came from", () => {
  it("is the top frame in the module's file, named as the trace names the module", () => {
    const error = thrownWith(
      "checkPortNumber (/usr/lib/node_modules/aftershock/dist/world/port-args.js:20:11)",
      "handle (file:///home/me/proj/mods/mine.mjs:80:20)",
      "handle.next (<anonymous>)",
      "dispatcher (file:///home/me/proj/mods/mine.mjs:31:9)",
    );
    expect(panicLocation("module:./mods/mine.mjs", MINE, error)).toBe("./mods/mine.mjs:80:20");
    // From a scenario in another folder: the name climbs, the frame is the same file.
    expect(panicLocation("module:../mods/mine.mjs", MINE, error)).toBe("../mods/mine.mjs:80:20");
  });

  it("reads frames of a path as well as a URL, with spaces and Windows' paths", () => {
    expect(
      panicLocation(
        "module:./my mods/x.mjs",
        file("C:\\a b\\my mods\\x.mjs", "file:///C:/a%20b/my%20mods/x.mjs"),
        thrownWith("f (file:///C:/a%20b/my%20mods/x.mjs:3:9)"),
      ),
    ).toBe("./my mods/x.mjs:3:9");
    expect(panicLocation("module:./x.cjs", file("/srv/x.cjs"), thrownWith("/srv/x.cjs:12:5"))).toBe(
      "./x.cjs:12:5",
    );
    expect(
      panicLocation(
        "module:./mods/x.mjs",
        file("C:\\proj\\mods\\x.mjs"),
        thrownWith("f (C:\\proj\\mods\\x.mjs:7:1)"),
      ),
    ).toBe("./mods/x.mjs:7:1");
  });

  it("is not a file whose path ends as the module's: a helper it imports, or aftershock's own", () => {
    const mine = file("/p/mine.mjs");
    // The helper `./lib/mine.mjs` threw: the place is the module's call into it.
    const helper = thrownWith("idOf (file:///p/lib/mine.mjs:3:12)", "handle (file:///p/mine.mjs:114:14)");
    expect(panicLocation("module:./mine.mjs", mine, helper)).toBe("./mine.mjs:114:14");
    // A module `./worker.ts` beside aftershock's `src/world/worker.ts`, whose frame is read through its source map.
    const port = thrownWith(
      "Proxy.post (/opt/aftershock/src/world/worker.ts:1324:15)",
      "deliver (file:///p/worker.ts:124:35)",
    );
    expect(panicLocation("module:./worker.ts", file("/p/worker.ts"), port)).toBe("./worker.ts:124:35");
    expect(
      panicLocation(
        "module:./index.js",
        file("/p/index.js"),
        thrownWith("f (/p/node_modules/x/index.js:1:1)"),
      ),
    ).toBeUndefined();
  });

  it("is none for a bundled scheduler, a frame in another file, or a thrown value with no stack to read", () => {
    const mine = file("/p/mine.mjs");
    const inModule = thrownWith("f (file:///p/mine.mjs:1:1)");
    expect(panicLocation("module:./mine.mjs", mine, inModule)).toBe("./mine.mjs:1:1");
    expect(panicLocation("v2", mine, inModule)).toBeUndefined();
    expect(
      panicLocation("module:./mine.mjs", mine, thrownWith("f (file:///p/not-mine.mjs:1:1)")),
    ).toBeUndefined();
    expect(
      panicLocation("module:./mine.mjs", mine, thrownWith("f (file:///p/mine.mjs.map:1:1)")),
    ).toBeUndefined();
    expect(panicLocation("module:./mine.mjs", mine, "boom")).toBeUndefined();
    // An object that looks like an Error is no Error: what it says of a stack is the module's word.
    expect(
      panicLocation("module:./mine.mjs", mine, {
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
    expect(panicLocation("module:./mine.mjs", mine, unreadable)).toBeUndefined();
  });

  it("is told by the end of the module's name where its file is unknown (a module the library API's caller registered)", () => {
    const error = thrownWith("f (/srv/help.cjs:1:1)", "g (/srv/x.cjs:12:5)");
    expect(panicLocation("module:./x.cjs", undefined, error)).toBe("./x.cjs:12:5");
    expect(panicLocation("module:../srv/x.cjs", undefined, error)).toBe("../srv/x.cjs:12:5");
    expect(
      panicLocation(
        "module:./my mods/x.mjs",
        undefined,
        thrownWith("f (file:///C:/a%20b/my%20mods/x.mjs:3:9)"),
      ),
    ).toBe("./my mods/x.mjs:3:9");
    expect(panicLocation("module:./mods/x.mjs", undefined, thrownWith("f (C:\\proj\\mods\\x.mjs:7:1)"))).toBe(
      "./mods/x.mjs:7:1",
    );
    expect(
      panicLocation("module:./mine.mjs", undefined, thrownWith("f (file:///p/not-mine.mjs:1:1)")),
    ).toBeUndefined();
  });

  it("is none for a stack overflow the module recovered: where the stack ran out is the host's, not the world's", () => {
    const mine = file("/p/mine.mjs");
    const overflow = new RangeError("Maximum call stack size exceeded");
    overflow.stack = `RangeError: ${overflow.message}\n    at depth (file:///p/mine.mjs:9:3)`;
    expect(panicLocation("module:./mine.mjs", mine, overflow)).toBeUndefined();
    // Another RangeError is placed as any Error is.
    const range = new RangeError("Invalid array length");
    range.stack = `RangeError: ${range.message}\n    at grow (file:///p/mine.mjs:9:3)`;
    expect(panicLocation("module:./mine.mjs", mine, range)).toBe("./mine.mjs:9:3");
  });
});
