// Shows the seals of the files people edit: a file as written is intact, any change to it (a line added, line ends converted) is an edit, and one without a seal is told apart.
import { describe, expect, it } from "vitest";
import { HTML_SEAL, MARKDOWN_SEAL, REPRODUCER_SEAL } from "../../src/cli/seal.js";

const TEXTS = [
  [MARKDOWN_SEAL, "<!-- aftershock report: x -->\n## aftershock · x\n\nbody\n"],
  [HTML_SEAL, "<!doctype html>\n<!-- aftershock report: x -->\n<html>\n</html>\n"],
  [REPRODUCER_SEAL, "# aftershock explore reproducer\nname: x\nseed: 1\n"],
] as const;

describe("seals", () => {
  it.each(TEXTS)("say intact, edited or none (%#)", (seal, text) => {
    const sealed = seal.seal(text);
    expect(sealed).not.toBe(text);
    expect(seal.state(sealed)).toBe("intact");
    expect(seal.state(`${sealed}notes\n`)).toBe("edited");
    expect(seal.state(sealed.replace("x", "y"))).toBe("edited");
    // An editor that converts line ends has edited the file; it still has its seal.
    expect(seal.state(sealed.replaceAll("\n", "\r\n"))).toBe("edited");
    expect(seal.state(text)).toBe("none");
  });
});
