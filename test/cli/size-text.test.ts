// Shows that a written file's size is said as a person reads it: kB below a MB, then MB and GB, each of 1024.
import { describe, expect, it } from "vitest";
import { sizeText } from "../../src/cli/sinks.js";

describe("sizeText", () => {
  it("says kB below a MB, MB below a GB, then GB, rounded as a person reads them", () => {
    expect(sizeText(0)).toBe("0 kB");
    expect(sizeText(5_000)).toBe("5 kB");
    expect(sizeText(1024 * 1023)).toBe("1023 kB");
    expect(sizeText(1024 * 1024)).toBe("1.0 MB");
    expect(sizeText(473 * 1024 * 1024 + 300 * 1024)).toBe("473.3 MB");
    expect(sizeText(1.5 * 1024 ** 3)).toBe("1.5 GB");
  });
});
