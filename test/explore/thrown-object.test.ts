// Shows that a stray rejection's or a scheduler's create's object that is no Error is said as a panic's is: by what it holds, a Date by its instant in UTC, an object whose own text says it by that text.
import { describe, expect, it } from "vitest";
import { thrownObjectText } from "../../src/explore/thrown-object.js";
import { thrownText } from "../../src/kernel/index.js";

describe("a thrown object that is no Error", () => {
  it("is said as a panic with it is", () => {
    for (const value of [{ code: 5 }, [], new Date(0), new String("boom"), { toString: () => "E_TIMEOUT" }])
      expect(thrownObjectText(value)).toBe(thrownText(value));
    expect(thrownObjectText(new Date(0))).toBe("a Date, 1970-01-01T00:00:00.000Z (not an Error)");
    expect(thrownObjectText({ code: 5 })).toBe("{ code: 5 } (not an Error)");
  });

  it("is null for an Error and a value that is no object, said as before", () => {
    for (const value of [new Error("x"), "boom", 5, null, undefined])
      expect(thrownObjectText(value)).toBeNull();
  });
});
