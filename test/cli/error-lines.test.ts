// Shows that an error of several problems carries `aftershock:` on every line a user may grep for, as its first line does, and only a line indented under another goes without.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CliError, saidText } from "../../src/cli/errors.js";
import { DeferredFailure } from "../../src/cli/outputs.js";
import { cli, tmp } from "../explore/cli-helpers.js";

const HEAD = "name: x\ndescription: d\nstart: 2026-05-08T09:40:00Z\nduration: 5m\nslo: 2m\n";
const WORLD =
  'fleet: {workers: 2, partitions: 4}\nworkload: {accounts: 2, cron: [{expr: "* * * * *", weight: 1}]}\n';
const dir = tmp();

/** A scenario in `folder` with two problems, one per line of the error. */
function twoProblems(folder: string, name: string): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.yaml`);
  writeFileSync(
    path,
    `${HEAD}${WORLD}extra: 1\ntimeline:\n  - { at: "11:00", action: delete-account, account: acct-00001 }\n`,
  );
  return path;
}

/** Each line of `text` that is not indented under the one before it. */
function headLines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "" && !/^\s/.test(line));
}

describe("an error of several problems", () => {
  it("leads each problem of a scenario with aftershock: (run)", async () => {
    const r = await cli("run", twoProblems(join(dir, "run"), "s"), "--quiet");
    expect(r.code).toBe(2);
    expect(headLines(r.err).length).toBeGreaterThanOrEqual(2);
    for (const line of headLines(r.err)) expect(line).toMatch(/^aftershock: \S+\.yaml:\d+:\d+: error: /);
  });

  it("leads each problem of every scenario with aftershock: (gate)", async () => {
    const folder = join(dir, "gate");
    twoProblems(folder, "a");
    twoProblems(folder, "b");
    const r = await cli("gate", folder);
    expect(r.code).toBe(2);
    expect(headLines(r.err).filter((l) => l.includes(": error: ")).length).toBeGreaterThanOrEqual(4);
    for (const line of headLines(r.err)) expect(line).toMatch(/^aftershock: /);
  });

  it("leads each line of a failed write with aftershock:, and leaves an indented line under it", () => {
    expect(saidText("a.yaml:1:1: error: one\na.yaml:2:1: error: two\n  the detail of two")).toBe(
      "aftershock: a.yaml:1:1: error: one\naftershock: a.yaml:2:1: error: two\n  the detail of two\n",
    );
    const writes = new DeferredFailure();
    writes.attempt(() => {
      throw new CliError("out.md: cannot write (one)\nout.html: cannot write (two)");
    });
    const said: string[] = [];
    expect(writes.exitCode(0, (t) => void said.push(t))).toBe(2);
    expect(said.join("")).toBe(
      "aftershock: out.md: cannot write (one)\naftershock: out.html: cannot write (two)\naftershock: exit 2 rather than 0: an output was not written as asked\n",
    );
  });
});
