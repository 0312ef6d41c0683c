// Shows output files are written whole or not at all, that devices, FIFOs and symbolic links are written through, never replaced, and that the temporary files of interrupted runs do not pile up.
import { spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { CliError } from "../../src/cli/errors.js";
import { AtomicFile, checkOverwrite, readText, writeFileAtomic } from "../../src/cli/io.js";
import { cli } from "../gate/helpers.js";

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

describe("readText", () => {
  it("refuses bytes that are not UTF-8 at their line and column, and keeps a byte order mark", () => {
    const dir = scratch();
    const latin1 = join(dir, "latin1.yaml");
    // `café` saved as Latin-1 on line 2; `é` in UTF-8 before it on the same line counts as one column.
    writeFileSync(latin1, Buffer.from([...Buffer.from("name: x\nd: é caf"), 0xe9, 0x0a]));
    // Said at its place, and with the place as data (for the gate's annotations).
    const problem = { place: { file: latin1, line: 2, column: 9 }, severity: "error" };
    expect(() => readText(latin1)).toThrow(
      expect.objectContaining({
        name: "CliError",
        message: `${latin1}:2:9: error: not UTF-8 (byte 0xe9); save the file as UTF-8`,
        problems: [{ ...problem, message: "not UTF-8 (byte 0xe9); save the file as UTF-8" }],
      }),
    );
    // A character cut short by the end of the file is not UTF-8 either.
    const cut = join(dir, "cut.yaml");
    writeFileSync(cut, Buffer.from([...Buffer.from("name: x\n€"), 0xe2, 0x82]));
    expect(() => readText(cut)).toThrow(/cut\.yaml:2:2: error: not UTF-8 \(byte 0xe2\)/);
    const bom = join(dir, "bom.yaml");
    writeFileSync(bom, "\uFEFFname: x\n");
    expect(readText(bom)).toBe("\uFEFFname: x\n");
  });

  it("names UTF-16 by its byte order mark, either way round, rather than a byte that is not UTF-8", () => {
    const dir = scratch();
    for (const [order, bytes] of [
      ["UTF-16LE", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("name: x\n", "utf16le")])],
      ["UTF-16BE", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("name: x\n", "utf16le").swap16()])],
    ] as const) {
      const file = join(dir, `${order}.yaml`);
      writeFileSync(file, bytes);
      expect(() => readText(file)).toThrow(
        `${file}:1:1: error: is UTF-16 (${order}, by its byte order mark), not UTF-8; save the file as UTF-8`,
      );
    }
  });

  it("names UTF-16 saved without a byte order mark, either way round, once, rather than its NULs as control characters", async () => {
    const dir = scratch();
    const text = "# a note\nname: x\ndescription: é\n";
    for (const [order, bytes] of [
      ["UTF-16LE", Buffer.from(text, "utf16le")],
      ["UTF-16BE", Buffer.from(text, "utf16le").swap16()],
    ] as const) {
      const file = join(dir, `${order}.yaml`);
      writeFileSync(file, bytes);
      const said = `${file}:1:1: error: is UTF-16 (${order}, by a NUL byte beside each ASCII character, without a byte order mark), not UTF-8; save the file as UTF-8`;
      expect(() => readText(file)).toThrow(said);
      const r = await cli(["validate", file]);
      expect(r.err.trim()).toBe(said);
      expect(r.code).toBe(2);
    }
    // A UTF-8 file holding a NUL is still refused at that character, not taken for UTF-16.
    const nul = join(dir, "nul.yaml");
    writeFileSync(nul, "name: x\ndescription: a\u0000b\n");
    expect(() => readText(nul)).not.toThrow();
  });

  // main's refusal, in this process, as the other inputs' below: a command that read on would
  // meet the test's timeout; how long the refusal takes is not judged here.
  it("refuses input that never ends at the size cap, with exit 2, instead of reading on and filling memory", async () => {
    const r = await cli(["validate", "/dev/zero"]);
    expect(r.err).toContain("/dev/zero:1:1: error: the file has more than");
    expect(r.err).not.toMatch(/^\s+at /m);
    expect(r.code).toBe(2);
  });

  it("reads a file up to its byte bound and refuses one past it", () => {
    const file = join(scratch(), "ten.yaml");
    writeFileSync(file, "name: abc\n");
    expect(readText(file, "a scenario", 10)).toBe("name: abc\n");
    expect(() => readText(file, "a scenario", 9)).toThrow(
      /ten\.yaml:1:1: error: the file has more than 9 bytes, more than aftershock reads of a scenario \(one may have \d+ characters\)$/,
    );
  });

  // What it says is main's, asked in this process; the process reading /dev/zero is the test above.
  it("names what the file too large was to be: a training script, a shard report, not a scenario", async () => {
    const tiny = join(import.meta.dirname, "fixtures", "tiny.yaml");
    const cases: [readonly string[], string, string][] = [
      [["train", tiny, "--script", "/dev/zero"], "/dev/zero", "a training script"],
      [["merge", "/dev/zero"], "/dev/zero", "a shard report"],
    ];
    // A scenario's golden hashes, a link to /dev/zero.
    const folder = mkdtempSync(join(tmpdir(), "aftershock-golden-zero-"));
    copyFileSync(
      join(import.meta.dirname, "..", "gate", "fixtures", "pass", "small-cascade.yaml"),
      join(folder, "s.yaml"),
    );
    mkdirSync(join(folder, "golden"));
    symlinkSync("/dev/zero", join(folder, "golden", "s.json"));
    cases.push([["gate", join(folder, "s.yaml"), "--jobs", "1"], "golden/s.json", "a golden file"]);
    for (const [argv, file, what] of cases) {
      const r = await cli([...argv]);
      expect(r.err, argv.join(" ")).toMatch(
        new RegExp(
          `${file}:1:1: error: the file has more than \\d+ bytes, more than aftershock reads of ${what}\n`,
        ),
      );
      expect(r.err).not.toContain("characters");
      expect(r.code).toBe(2);
    }
  });
});

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

  it("never replaces a file that appeared at a new target while it was written, and keeps the output beside it", () => {
    const dir = scratch();
    const target = join(dir, "race.html");
    const file = new AtomicFile(target);
    file.write("<!doctype html>\n");
    writeFileSync(target, "my own notes\n");
    expect(() => file.commit()).toThrow(
      new CliError(
        `${target}: a file appeared there while aftershock ran; it is kept, and this output is at ${join(dir, "race.new.html")} instead`,
      ),
    );
    expect(file.abort()).toBeNull();
    expect(readFileSync(target, "utf8")).toBe("my own notes\n");
    expect(readFileSync(join(dir, "race.new.html"), "utf8")).toBe("<!doctype html>\n");
    expect(readdirSync(dir).sort()).toEqual(["race.html", "race.new.html"]);
    // A report written at the end is opened only then: what counts is what the check before the
    // work found, so a file that appeared since is kept all the same.
    const late = join(dir, "late.md");
    checkOverwrite(late, false, /^## aftershock/);
    writeFileSync(late, "my own notes\n");
    expect(() => writeFileAtomic(late, "## aftershock\n")).toThrow(
      /late\.md: a file appeared there while aftershock ran; it is kept, and this output is at \S+late\.new\.md instead/,
    );
    expect(readFileSync(late, "utf8")).toBe("my own notes\n");
    // With nothing there, the file is put in place and no temporary name stays beside it.
    const fresh = join(dir, "fresh.html");
    writeFileAtomic(fresh, "x\n");
    expect(readFileSync(fresh, "utf8")).toBe("x\n");
    expect(readdirSync(dir).sort()).toEqual([
      "fresh.html",
      "late.md",
      "late.new.md",
      "race.html",
      "race.new.html",
    ]);
  });

  it("replaces only the file checked at the start: one swapped in or edited since is kept, the output beside it", () => {
    const dir = scratch();
    const own = '{"t":0,"seq":0,"type":"run.started"}\n';
    const signature = /^\{"t":\d+,"seq":0,"type":"run\.started"/;
    const target = join(dir, "trace.jsonl");
    const swapped =
      /trace\.jsonl: changed while aftershock ran \(it is not the file checked when the command started\); it is kept, and this output is at (\S+) instead$/;
    // Checked as aftershock's own, then swapped for the user's file (an editor saving by rename).
    writeFileSync(target, own);
    checkOverwrite(target, false, signature);
    const file = new AtomicFile(target);
    file.write("new trace\n");
    writeFileSync(join(dir, "mine"), "my own trace\n");
    renameSync(join(dir, "mine"), target);
    expect(() => file.commit()).toThrow(swapped);
    // As a command does after a failed commit: nothing of it is left to a signal's cleanup.
    expect(file.abort()).toBeNull();
    expect(readFileSync(target, "utf8")).toBe("my own trace\n");
    expect(readFileSync(join(dir, "trace.new.jsonl"), "utf8")).toBe("new trace\n");
    // A report opened only at the end sees the swapped file: the check at the start is what counts,
    // --force included. The next free name keeps the earlier output too.
    writeFileSync(target, "notes the user agreed to lose\n");
    checkOverwrite(target, true, signature);
    writeFileSync(join(dir, "mine"), "my newer notes\n");
    renameSync(join(dir, "mine"), target);
    expect(() => writeFileAtomic(target, "late report\n")).toThrow(swapped);
    expect(readFileSync(target, "utf8")).toBe("my newer notes\n");
    expect(readFileSync(join(dir, "trace.new-2.jsonl"), "utf8")).toBe("late report\n");
    // The same file written into since the check (same inode) is not the file checked either.
    checkOverwrite(target, true, signature);
    appendFileSync(target, "a line added while it ran\n");
    expect(() => writeFileAtomic(target, "third\n")).toThrow(swapped);
    expect(readFileSync(target, "utf8")).toBe("my newer notes\na line added while it ran\n");
    expect(readFileSync(join(dir, "trace.new-3.jsonl"), "utf8")).toBe("third\n");
    // The file checked, unchanged, is replaced; one deleted since leaves the name free.
    checkOverwrite(target, true, signature);
    writeFileAtomic(target, "fourth\n");
    expect(readFileSync(target, "utf8")).toBe("fourth\n");
    checkOverwrite(target, false, /^fourth/);
    rmSync(target);
    writeFileAtomic(target, "fifth\n");
    expect(readFileSync(target, "utf8")).toBe("fifth\n");
    // Nothing else is left: no temporary file, no output lost.
    expect(readdirSync(dir).sort().join(" ")).toBe(
      "trace.jsonl trace.new-2.jsonl trace.new-3.jsonl trace.new.jsonl",
    );
  });

  it("keeps the permissions of the file it replaces", () => {
    const dir = scratch();
    const target = join(dir, "private.html");
    writeFileSync(target, "old\n");
    chmodSync(target, 0o600);
    writeFileAtomic(target, "new\n");
    expect(statSync(target).mode & 0o777).toBe(0o600);
    chmodSync(target, 0o640);
    writeFileAtomic(target, "newer\n");
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readFileSync(target, "utf8")).toBe("newer\n");
  });

  // Only root may give a file to another user.
  it.skipIf(process.getuid?.() !== 0)(
    "keeps the owner and group of the file it replaces, where it may",
    () => {
      const dir = scratch();
      const target = join(dir, "theirs.html");
      writeFileSync(target, "old\n");
      chownSync(target, 65534, 65534);
      chmodSync(target, 0o640);
      writeFileAtomic(target, "new\n");
      const after = statSync(target);
      expect([after.uid, after.gid, after.mode & 0o777]).toEqual([65534, 65534, 0o640]);
      expect(readFileSync(target, "utf8")).toBe("new\n");
    },
  );

  it("a commit that fails is a clear error naming the file, and names a temporary file it could not remove", () => {
    const dir = scratch();
    const target = join(dir, "out.jsonl");
    writeFileSync(target, "before\n");
    const file = new AtomicFile(target);
    file.write("after\n");
    // A folder with contents in the temporary file's place: the rename over the file fails, and
    // so does removing the temporary file (as in a folder made immutable mid-run).
    const tmp = join(dir, readdirSync(dir).find((name) => name.startsWith(".out.jsonl.tmp-"))!);
    rmSync(tmp);
    mkdirSync(join(tmp, "inside"), { recursive: true });
    let thrown: unknown;
    try {
      file.commit();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CliError);
    expect((thrown as Error).message).toMatch(/^[^\n]*out\.jsonl: cannot write \(E[A-Z]+[^\n]*\)/);
    expect((thrown as Error).message).toContain(`its partial copy is left at ${tmp} (`);
    expect(file.abort()).toBeNull(); // named in the failure already
    expect(() => file.commit()).toThrow(thrown as Error);
  });

  it("abort returns a temporary file it could not remove, for the user to be told, and never throws", () => {
    const dir = scratch();
    const file = new AtomicFile(join(dir, "out.json"));
    const tmp = join(dir, readdirSync(dir)[0]);
    rmSync(tmp);
    mkdirSync(join(tmp, "inside"), { recursive: true });
    expect(file.abort()).toMatch(new RegExp(`^${tmp} \\(E[A-Z]+`));
    rmSync(tmp, { recursive: true });
    expect(file.abort()).toBeNull();
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

/** A FIFO in `dir` and a `cat` reading it; `text()` is what the reader got once the writer closed. */
function fifoWithReader(dir: string) {
  const fifo = join(dir, "pipe.html");
  const made = spawnSync("mkfifo", [fifo]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  const reader = spawn("cat", [fifo]);
  let got = "";
  reader.stdout.on("data", (chunk: Buffer) => {
    got += chunk.toString("utf8");
  });
  const done = new Promise<string>((resolve) => reader.on("close", () => resolve(got)));
  return { fifo, text: () => done, stop: () => reader.kill() };
}

describe("outputs that are not plain files", () => {
  it("writes into a FIFO, which stays a FIFO, without asking for --force", async () => {
    const dir = scratch();
    const { fifo, text, stop } = fifoWithReader(dir);
    try {
      expect(() => checkOverwrite(fifo, false, /^aftershock/)).not.toThrow();
      writeFileAtomic(fifo, "through the pipe\n");
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(await text()).toBe("through the pipe\n");
      expect(readdirSync(dir)).toEqual(["pipe.html"]);
    } finally {
      stop();
    }
  });

  it("writes into /dev/null without asking for --force, and leaves it a character device", () => {
    expect(() => checkOverwrite("/dev/null", false, /^aftershock/)).not.toThrow();
    writeFileAtomic("/dev/null", "nothing to keep\n");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("follows a symbolic link: its target is replaced whole, the link stays a link", () => {
    const dir = scratch();
    const real = join(dir, "real.html");
    const link = join(dir, "link.html");
    writeFileSync(real, "old\n");
    symlinkSync("real.html", link);
    writeFileAtomic(link, "new\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe("real.html");
    expect(readFileSync(real, "utf8")).toBe("new\n");
    expect(readdirSync(dir).sort()).toEqual(["link.html", "real.html"]);
  });

  it("creates the target of a dangling symbolic link, and keeps the link", () => {
    const dir = scratch();
    const link = join(dir, "link.jsonl");
    symlinkSync("made.jsonl", link);
    writeFileAtomic(link, "made\n");
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, "made.jsonl"), "utf8")).toBe("made\n");
  });
});
