// Shows an output named /dev/fd/N (N ≥ 3) is written only to a descriptor the command was given:
// one its caller opened is written, one not open or one of Node's own is refused (exit 2), and the
// gate says a refused output once. A descriptor open for reading a file (stdin's `< file` too)
// is refused: writing through its path would append to the file given to be read.
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../gate/helpers.js";
import { notGivenRefusedOnce } from "./descriptor-run.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "aftershock.js");
const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const linux = process.platform === "linux";

describe.runIf(linux)("outputs on /dev/fd/N", () => {
  it("writes to a descriptor the caller opened for the command, appending where it was opened so", () => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-fd-")), "summary.md");
    const fd = openSync(file, "a");
    try {
      const r = spawnSync(process.execPath, [BIN, "run", TINY, "--quiet", "--markdown", "/dev/fd/3"], {
        stdio: ["ignore", "pipe", "pipe", fd],
        encoding: "utf8",
      });
      expect(r.stderr).not.toContain("was not given");
      expect(r.status).toBe(0);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, "utf8")).toContain("<!-- aftershock report: tiny-may8 -->");
  });

  it("refuses a descriptor not open for the command, saying how to give it (exit 2, once)", () => {
    // run's; the gate's, whose outputs take the same check, in descriptor-outputs.long.test.ts.
    notGivenRefusedOnce(["run", TINY]);
  });

  it("refuses a descriptor open for reading a file, stdin's too, leaving the file as it was (exit 2)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "aftershock-fd-")), "notes.yaml");
    writeFileSync(file, "the caller's own file\n");
    const fd = openSync(file, "r");
    try {
      for (const [path, stdio, said] of [
        [
          "/dev/stdin",
          [fd, "pipe", "pipe"],
          `--trace /dev/stdin: is this command's stdin, open for reading ${file}, not for writing; write the output elsewhere`,
        ],
        [
          "/dev/fd/3",
          ["ignore", "pipe", "pipe", fd],
          `--trace /dev/fd/3: descriptor 3 is open for reading ${file}, not for writing (open it for writing, as in \`3>>file\`)`,
        ],
      ] as const) {
        const r = spawnSync(process.execPath, [BIN, "run", TINY, "--quiet", "--trace", path], {
          stdio: [...stdio],
          encoding: "utf8",
        });
        expect(r.stderr, path).toContain(said);
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.status, path).toBe(2);
      }
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, "utf8")).toBe("the caller's own file\n");
  });

  it("refuses every descriptor Node opened for itself (its polls and its own pipes)", () => {
    // In a process given only 0, 1 and 2, every other open descriptor is the runtime's own.
    const probe = `
      import { readdirSync } from "node:fs";
      const { outputTarget } = await import(${JSON.stringify(join(ROOT, "dist", "src", "cli", "io.js"))});
      const own = readdirSync("/proc/self/fd").map(Number).filter((fd) => fd > 2);
      const taken = [];
      for (const fd of own) {
        try { outputTarget("/dev/fd/" + fd); taken.push(fd); } catch (error) {
          if (!/was not given to this command/.test(error.message)) taken.push(fd + ": " + error.message);
        }
      }
      console.log(JSON.stringify({ own: own.length, taken }));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", probe], {
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    const { own, taken } = JSON.parse(r.stdout) as { own: number; taken: unknown[] };
    // Each readdir's own descriptor is listed and closed: one of them is not a descriptor to refuse.
    expect(own).toBeGreaterThan(3);
    expect(taken.length).toBeLessThanOrEqual(1);
  });
});

// Words of the gate's, asked of main in this process: no descriptor is the subject.
describe("the gate's refused output paths", () => {
  it("says a refused output once", async () => {
    const r = await cli(["gate", TINY, "--jobs", "1", "--markdown", "nodir/"]);
    const said = '--markdown nodir/: ends with "/", which names a folder; expected a file';
    expect(r.err.split(said).length - 1).toBe(1);
    expect(r.code).toBe(2);
  });
});
