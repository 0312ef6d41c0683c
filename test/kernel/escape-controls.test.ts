// Shows the one escaper of text for display (a scenario's issues, the CLI's messages, the Markdown reports' visibleText) and how the trace's own (printableText) differs from it on purpose.
import { describe, expect, it } from "vitest";
import { printableText } from "../../src/kernel/thrown.js";
import { escapeControls } from "../../src/kernel/time.js";
import { visibleText } from "../../src/report/markdown-text.js";

/** The characters a display escaper writes as `\uXXXX`: controls, separators, bidirectional marks. */
function isHidden(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    [0x2028, 0x2029, 0x200e, 0x200f].includes(code) ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const CODES = [...Array(0x2100).keys(), 0x1f600];

describe("escaping control characters for display", () => {
  it("writes every hidden character as \\uXXXX and leaves the rest", () => {
    for (const code of CODES) {
      const c = String.fromCodePoint(code);
      expect(escapeControls(c), code.toString(16)).toBe(
        isHidden(code) ? `\\u${code.toString(16).padStart(4, "0")}` : c,
      );
    }
    expect(escapeControls("a\nb", true)).toBe("a\nb");
  });

  it("is what the Markdown reports write: exactly, or with a newline or tab as a space", () => {
    for (const code of CODES) {
      const c = `x${String.fromCodePoint(code)}y`;
      expect(visibleText(c, true), code.toString(16)).toBe(escapeControls(c));
      expect(visibleText(c), code.toString(16)).toBe(
        code === 0x09 || code === 0x0a ? "x y" : escapeControls(c),
      );
    }
    expect(visibleText("a\r\nb")).toBe("a b");
  });

  it("differs from the trace's printableText, which keeps a message's tabs and lines and its other characters", () => {
    expect(printableText("a\tb\nc\u001b[8m\u202e")).toBe("a\tb\nc\\u001b[8m\u202e");
    expect(escapeControls("a\tb\nc\u001b[8m\u202e")).toBe("a\\u0009b\\u000ac\\u001b[8m\\u202e");
  });
});
