// Shows that a CI workflow in the docs that calls the installed binary (`./node_modules/.bin/aftershock`, which only a project depending on aftershock has) says in its section what a clone of aftershock calls instead, and that both names are real: the package's bin and the clone's file.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const INSTALLED = "./node_modules/.bin/aftershock";
const IN_CLONE = "node bin/aftershock.js";

describe("the CI workflows in the docs", () => {
  it("name the installed binary only in sections that give a clone's form too", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    expect(pkg.bin.aftershock).toBe("bin/aftershock.js");
    expect(existsSync(join(ROOT, "bin", "aftershock.js"))).toBe(true);
    const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => join("docs", f))];
    const sections = docs.flatMap((doc) =>
      readFileSync(join(ROOT, doc), "utf8")
        .split(/^(?=## )/m)
        .map((text) => ({ doc, title: text.split("\n")[0], text })),
    );
    const calling = sections.filter((s) => s.text.includes(INSTALLED));
    expect(calling.length).toBeGreaterThanOrEqual(2);
    for (const s of calling) expect(s.text, `${s.doc}: ${s.title}`).toContain(IN_CLONE);
  });
});
