// Shows output files are written whole or not at all, and that the temporary files of interrupted runs do not pile up.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AtomicFile, writeFileAtomic } from "../../src/cli/io.js";

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "aftershock-io-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], {
    encoding: "utf8",
  });
  return Number(r.stdout);
}

describe("AtomicFile", () => {
  it("leaves the target untouched until commit, and as it was after abort", () => {
    const dir = scratch();
    const target = join(dir, "out.jsonl");
    writeFileSync(target, "before\n");
    const file = new AtomicFile(target);
    file.write("after\n");
    expect(readFileSync(target, "utf8")).toBe("before\n");
    file.abort();
    expect(readFileSync(target, "utf8")).toBe("before\n");
    expect(readdirSync(dir)).toEqual(["out.jsonl"]);
    writeFileAtomic(target, "after\n");
    expect(readFileSync(target, "utf8")).toBe("after\n");
    expect(readdirSync(dir)).toEqual(["out.jsonl"]);
  });

  it("removes the temporary files of its target left by processes that are gone, and only those", async () => {
    const dir = scratch();
    const target = join(dir, "out.jsonl");
    const abandoned = join(dir, `.out.jsonl.tmp-${deadPid()}`);
    const otherTarget = join(dir, `.other.jsonl.tmp-${deadPid()}`);
    const live = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"]);
    try {
      const inUse = join(dir, `.out.jsonl.tmp-${live.pid}`);
      for (const f of [abandoned, otherTarget, inUse]) writeFileSync(f, "partial");
      writeFileAtomic(target, "whole\n");
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(otherTarget)).toBe(true);
      expect(existsSync(inUse)).toBe(true);
      expect(readFileSync(target, "utf8")).toBe("whole\n");
    } finally {
      live.kill();
    }
  });
});
