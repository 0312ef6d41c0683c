// Shows that text the scheduler under test makes (a panic's message, a log line) reaches the trace with its control characters written out, so that no report prints an escape sequence or a NUL of the module's to a terminal or a pipe; tab and newline stay.
import { describe, expect, it } from "vitest";
import type { GoroutineBody } from "../../src/kernel/index.js";
import { printableText, thrownText } from "../../src/kernel/index.js";
import type { Runtime, SchedulerFactory } from "../../src/world/runtime.js";
import { eventsOf, MIN, runWorld, smallWorldConfig } from "./helpers.js";

const NASTY = "\x1b[8mhidden\x00\r\x7f\x9b\tand\nthen";

/** Logs, then panics, with control characters in both. */
const nasty: SchedulerFactory = {
  name: "nasty",
  description: "nasty",
  fixes: [],
  create: () => ({
    name: "nasty",
    fixes: [],
    *main(rt: Runtime): GoroutineBody {
      rt.log.warn(`warn ${NASTY}`);
      yield rt.sleep(1000);
      throw new Error(NASTY);
    },
  }),
};

describe("text of the code under test", () => {
  it("writes out control characters but tab and newline", () => {
    expect(printableText(NASTY)).toBe("\\u001b[8mhidden\\u0000\\u000d\\u007f\\u009b\tand\nthen");
    expect(printableText("plain é ✓")).toBe("plain é ✓");
  });

  it("reaches the trace written out, in a panic's message and a log line", () => {
    const config = smallWorldConfig({
      scheduler: "nasty",
      deleteAtMs: null,
      durationMs: 2 * MIN,
      workers: 1,
    });
    const { events } = runWorld(config, undefined, [nasty]);
    const crash = eventsOf(events, "worker.crashed")[0];
    expect(crash.error).toBe(`Error: ${printableText(NASTY)}`);
    const log = eventsOf(events, "log").find((e) => e.worker === "w1")!;
    expect(log.message).toBe(`warn ${printableText(NASTY)}`);
    // No control character but tab and newline in any text of the trace.
    const texts = events.flatMap((e) => Object.values(e).filter((v): v is string => typeof v === "string"));
    expect(texts.filter((t) => printableText(t) !== t)).toEqual([]);
  });

  it("takes a log message that is not text (an Error) as thrownText says it, and writes out a goroutine's label and a log's schedule", () => {
    const odd: SchedulerFactory = {
      name: "odd",
      description: "odd",
      fixes: [],
      create: () => ({
        name: "odd",
        fixes: [],
        *main(rt: Runtime): GoroutineBody {
          (rt.log.warn as (m: unknown, s?: string) => void)(new Error("store slow"), `s${NASTY}`);
          rt.go(
            `g${NASTY}`,
            (function* (): GoroutineBody {
              yield rt.sleep(500);
              throw new Error("boom");
            })(),
          );
          for (;;) yield rt.sleep(1000);
        },
      }),
    };
    const config = smallWorldConfig({ scheduler: "odd", deleteAtMs: null, durationMs: 2 * MIN, workers: 1 });
    const { events } = runWorld(config, undefined, [odd]);
    const log = eventsOf(events, "log")[0];
    expect([log.message, log.schedule]).toEqual(["Error: store slow", `s${printableText(NASTY)}`]);
    const crash = eventsOf(events, "worker.crashed")[0];
    expect([crash.goroutine, crash.error]).toEqual([`g${printableText(NASTY)}`, "Error: boom"]);
  });

  it("says a panic with an object that is no Error by what it holds, not as [object Object]", () => {
    const objecting: SchedulerFactory = {
      name: "objecting",
      description: "objecting",
      fixes: [],
      create: () => ({
        name: "objecting",
        fixes: [],
        *main(rt: Runtime): GoroutineBody {
          yield rt.sleep(1000);
          throw { code: 42 };
        },
      }),
    };
    const config = smallWorldConfig({
      scheduler: "objecting",
      deleteAtMs: null,
      durationMs: 2 * MIN,
      workers: 1,
    });
    const { events } = runWorld(config, undefined, [objecting]);
    expect(eventsOf(events, "worker.crashed")[0].error).toBe("{ code: 42 } (not an Error)");
    // As a stray rejection's object is said; an Error, and a value that is no object, as before.
    // A plain object by its fields as written: text and numbers by value, the rest by kind.
    expect(thrownText({ message: "boom", a: 1, "b\x1b": 2n, c: null })).toBe(
      '{ message: "boom", a: 1, "b\\u001b": 2n, c: null } (not an Error)',
    );
    expect(thrownText({ inner: { x: 1 }, list: [1], f: () => 1 })).toBe(
      "{ inner: {…}, list: […], f: a function } (not an Error)",
    );
    const getter = {
      get code(): number {
        throw new Error("not run");
      },
    };
    expect(thrownText(getter)).toBe("{ code: (a getter) } (not an Error)");
    expect(thrownText({ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 })).toBe(
      "{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, … } (not an Error)",
    );
    expect(thrownText({ text: "x".repeat(300) })).toMatch(/^\{ text: "x{150}… \(not an Error\)$/);
    // An object of a class, with no text of its own, by its keys.
    expect(
      thrownText(
        new (class Failure {
          code = 7;
        })(),
      ),
    ).toBe("an object with `code` (not an Error)");
    expect(thrownText({})).toBe("an empty object (not an Error)");
    expect(thrownText([1, 2])).toBe("an array (not an Error)");
    expect(thrownText(new TypeError("x"))).toBe("TypeError: x");
    // An object whose own text says what it holds is said by it, as before.
    // A Date by its instant in UTC, not in the machine's time zone: the trace is the same everywhere.
    expect(thrownText(new Date(0))).toBe("a Date, 1970-01-01T00:00:00.000Z (not an Error)");
    expect(thrownText(new Date(Number.NaN))).toBe("a Date, invalid (not an Error)");
    expect(thrownText(new String("boom"))).toBe("boom");
    expect(thrownText({ toString: () => "E_TIMEOUT" })).toBe("E_TIMEOUT");
    expect(thrownText(new URL("https://example.com/x"))).toBe("https://example.com/x");
    expect(thrownText("boom")).toBe("boom");
    expect(thrownText(null)).toBe("null");
    const trapped = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error("trap");
        },
        ownKeys() {
          throw new Error("trap");
        },
      },
    );
    expect(thrownText(trapped)).toMatch(/^an object that could not be turned into text/);
  });

  it("names a goroutine labelled with no text (a number) by its text, without breaking the simulator", () => {
    const numbered: SchedulerFactory = {
      name: "numbered",
      description: "numbered",
      fixes: [],
      create: () => ({
        name: "numbered",
        fixes: [],
        *main(rt: Runtime): GoroutineBody {
          (rt.go as (label: unknown, body: GoroutineBody) => void)(
            42,
            (function* (): GoroutineBody {
              yield rt.sleep(500);
              throw new Error("boom");
            })(),
          );
          for (;;) yield rt.sleep(1000);
        },
      }),
    };
    const config = smallWorldConfig({
      scheduler: "numbered",
      deleteAtMs: null,
      durationMs: 2 * MIN,
      workers: 1,
    });
    const { events } = runWorld(config, undefined, [numbered]);
    expect(eventsOf(events, "worker.crashed")[0].goroutine).toBe("42");
  });
});
