// The shipped example scheduler module as the explore tests use it: bug 1 planted, as shipped, and fixed.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";

const example = join(import.meta.dirname, "../../examples/reintroduced-bug1.mjs");
/** The line of the shipped example where bug 1 is planted (its early return went missing). */
const planted =
  "    // BUG: the early return went missing here; execution carries on with a missing account.\n";

/**
 * Writes into `dir` the example as shipped, `bug.mjs` (its deleted-account path lost its early
 * return), and `good.mjs`, with its early return put back: a scheduler as good as the fixed v2, as
 * far as explore sees.
 */
export function exampleModules(dir: string): { readonly bug: string; readonly good: string } {
  const bug = join(dir, "bug.mjs");
  copyFileSync(example, bug);
  const good = join(dir, "good.mjs");
  const exampleText = readFileSync(example, "utf8");
  expect(exampleText).toContain(planted);
  writeFileSync(good, exampleText.replace(planted, "    yield* commit(rt, tx);\n    return;\n"));
  return { bug, good };
}

/**
 * Writes `dir/name`: `bug` with a module-level count of `create` calls that stops at 20, every run
 * after the first few starting its workers 20 ms late (a fresh load, 1 ms or so). Replayed on the
 * thread that ran them, its failures would give their own trace; replayed fresh, they do not.
 */
export function statefulModule(dir: string, name: string, bug: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    `import { scheduler as base } from ${JSON.stringify(pathToFileURL(bug).href)};
let created = 0;
export const scheduler = {
  ...base,
  name: "saturating-state",
  create(fixes) {
    created = Math.min(created + 1, 20);
    const inner = base.create(fixes);
    const startupMs = created;
    return { ...inner, main: function* (rt) { yield rt.sleep(startupMs); yield* inner.main(rt); } };
  },
};
`,
  );
  return file;
}
