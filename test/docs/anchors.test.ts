// Shows that every link to a heading in the README and docs/ (`[x](#heading)`, `[x](docs/ci.md#heading)`) names a heading that is there, as GitHub makes a heading's anchor.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const DOCS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a Markdown file's headings, outside code blocks. */
function anchors(doc: string): Set<string> {
  const text = readFileSync(join(ROOT, doc), "utf8").replace(/^```[\s\S]*?^```/gm, "");
  return new Set([...text.matchAll(/^#{1,6} (.*)$/gm)].map((m) => anchorOf(m[1])));
}

describe("links to headings in the README and docs/", () => {
  it("are found in a few files, so the check below reads them", () => {
    const linked = DOCS.filter((doc) => /\]\([^)\s]*#[^)\s]+\)/.test(readFileSync(join(ROOT, doc), "utf8")));
    expect(linked.length).toBeGreaterThanOrEqual(2);
  });

  it.each(DOCS)("in %s name headings that are there", (doc) => {
    const text = readFileSync(join(ROOT, doc), "utf8").replace(/^```[\s\S]*?^```/gm, "");
    const broken: string[] = [];
    for (const [, file, anchor] of text.matchAll(/\]\(([^)\s#]*\.md)?#([^)\s]+)\)/g)) {
      const target = file === undefined ? doc : normalize(join(dirname(doc), file));
      if (!DOCS.includes(target) || !anchors(target).has(anchor)) broken.push(`${file ?? ""}#${anchor}`);
    }
    expect(broken).toEqual([]);
  });
});
