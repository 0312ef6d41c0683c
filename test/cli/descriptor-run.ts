// Runs the built CLI with an output on a descriptor it was not given, for the tests of outputs on /dev/fd/N.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";

const BIN = join(import.meta.dirname, "..", "..", "bin", "aftershock.js");

/** `aftershock <command> --markdown /dev/fd/47`, descriptor 47 not open: refused once, exit 2, no stack trace. */
export function notGivenRefusedOnce(command: readonly string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...command, "--markdown", "/dev/fd/47"], {
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
  });
  const said =
    "--markdown /dev/fd/47: descriptor 47 was not given to this command (open it for the command, as in `47>>file`; npx and npm exec pass on only 0, 1 and 2, so call node_modules/.bin/aftershock itself)";
  expect(r.stderr.split(said).length - 1, command[0]).toBe(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.status, command[0]).toBe(2);
}
