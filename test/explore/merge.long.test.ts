// Shows merge refusing shards explored with a scenario's scheduler module edited in between, and joining an unedited copy at another path; merge.test.ts shows the same of a file the module imports.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../../src/explore/generate/document.js";
import { cli, tmp } from "./cli-helpers.js";
import { smallDocument } from "./helpers.js";
import { expectContentDiffers, shard, writeScenario } from "./merge-shards.js";

describe("merge compares the scenario's content", () => {
  const dir = tmp();
  const doc = smallDocument();
  const moduleDoc = {
    ...doc,
    scheduler: { module: "./bug1.mjs", fixes: ["early-return", "panic-recovery"] },
  } as unknown as ScenarioDocument;

  it("refuses shards explored with a scheduler module edited in between, and joins an unedited one at two paths", async () => {
    const module = readFileSync("examples/reintroduced-bug1.mjs", "utf8");
    const place = (folder: string, code: string): string => {
      const file = writeScenario(join(dir, folder), moduleDoc);
      writeFileSync(join(dir, folder, "bug1.mjs"), code);
      return file;
    };
    const explored = (file: string, which: string, report: string) => shard(file, which, report, [0, 1]);
    const file = place("module", module);
    const one = await explored(file, "1/2", join(dir, "mod1.json"));
    const elsewhere = place("module-elsewhere", module);
    const joined = await cli(
      "merge",
      one,
      await explored(elsewhere, "2/2", join(dir, "mod2.json")),
      "--json",
    );
    expect(joined.err).not.toContain("explores something else");
    expect(JSON.parse(joined.out).completed).toBe(2);
    place("module", `${module}\n// edited between the shards\n`);
    const two = await explored(file, "2/2", join(dir, "mod2-edited.json"));
    await expectContentDiffers(one, two);
  });
});
