// Vitest's global setup: every temporary file the tests make (theirs, and those of the CLI
// processes they start) goes into one directory for the run, removed when the run ends, pass or
// fail. The tests call `mkdtempSync(join(tmpdir(), ...))` as any code would; `os.tmpdir()` reads
// TMPDIR (TEMP and TMP on Windows) at each call, and the test processes are started after this
// setup, with its environment. AFTERSHOCK_KEEP_TEST_TMP=1 keeps the directory to look into, and
// the run says where it is.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-tests-"));
  const before = { TMPDIR: process.env.TMPDIR, TEMP: process.env.TEMP, TMP: process.env.TMP };
  process.env.TMPDIR = dir;
  process.env.TEMP = dir;
  process.env.TMP = dir;
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (process.env.AFTERSHOCK_KEEP_TEST_TMP === "1") {
      process.stderr.write(`aftershock tests: temporary files kept in ${dir}\n`);
      return;
    }
    rmSync(dir, { recursive: true, force: true });
  };
}
