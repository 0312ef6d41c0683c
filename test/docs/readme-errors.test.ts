// Shows the README's sample of validation errors is what validate prints for the README's own sample scenario with the two mistakes it names.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, tmp } from "../explore/cli-helpers.js";

const README = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8");

/** The first fenced block of `lang` that starts with `opening`. */
function block(lang: string, opening: string): string {
  const start = README.indexOf(`\`\`\`${lang}\n${opening}`);
  expect(start, `the README has a ${lang} block starting with ${opening}`).toBeGreaterThan(-1);
  const body = start + lang.length + 4;
  return README.slice(body, README.indexOf("```", body));
}

describe("README error sample", () => {
  it("is what validate prints for the sample scenario with leaseTTL and a cron minute of 61", async () => {
    const sample = block("yaml", "name: my-incident");
    const broken = sample
      .replace("leaseTtl: 30s", "leaseTTL: 30s")
      .replace('expr: "* * * * *"', 'expr: "61 * * * *"');
    expect(broken).not.toBe(sample);
    const dir = tmp();
    writeFileSync(join(dir, "my-incident.yaml"), broken);
    const ok = join(dir, "ok.yaml");
    writeFileSync(ok, sample);
    expect((await cli("validate", ok)).code).toBe(0);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await cli("validate", "my-incident.yaml");
      expect(r.code).toBe(2);
      expect(r.err).toBe(block("text", "my-incident.yaml:"));
    } finally {
      process.chdir(cwd);
    }
  });
});
