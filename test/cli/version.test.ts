// Shows that aftershock knows its own version, run from the source as from the build: reproducers record it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { packageVersion } from "../../src/cli/version.js";
import { BUILT, cliBuilt } from "../gate/helpers.js";

const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as {
  version: string;
};

it("reads the package's version from the source", () => {
  expect(packageVersion()).toBe(pkg.version);
});

it.skipIf(!BUILT)("and from the build, as --version prints it", () => {
  expect(cliBuilt(["--version"]).out.trim()).toBe(pkg.version);
});
