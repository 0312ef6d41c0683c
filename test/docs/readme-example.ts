// The README's Programmatic API examples, as its section writes them, and the checkout a project installs them from.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export const ROOT = join(import.meta.dirname, "..", "..");

/** The `n`-th `js` block (from 0) of the README's "Programmatic API" section. */
export function example(n = 0): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Programmatic API"));
  const ownSection = section.slice(0, section.indexOf("\n## ", 1));
  const blocks = [...ownSection.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks.length).toBeGreaterThan(n);
  return blocks[n];
}
