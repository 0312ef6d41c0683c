// Shows that explore checks --out before it explores (a path that cannot hold reproducers is bad input: exit 2, one line), and never loses a finding, a user's file or a user's edit of a reproducer when it writes there.
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { once } from "../cli/once.js";
import { cli, tmp } from "./cli-helpers.js";

/** A run that fails at once, so a bad --out would be reached at the end of the exploration. */
const failing = [
  "explore",
  "--generated",
  "--variant",
  "buggy",
  "--runs",
  "4",
  "--jobs",
  "1",
  "--shrink-runs",
  "0",
];

/**
 * What `failing` writes to a fresh --out, and its report, explored once for the file: each test
 * that reruns over a first exploration gets a copy in a folder of its own.
 */
const firstExploration = once(async () => {
  const out = tmp();
  const report = JSON.parse((await cli(...failing, "--out", out, "--json")).out) as ExploreReport;
  return { out, report };
});

/** A fresh --out holding a first exploration's reproducers, and that exploration's report. */
async function explored(): Promise<{ out: string; first: ExploreReport }> {
  const { out: written, report } = await firstExploration();
  const out = tmp();
  cpSync(written, out, { recursive: true });
  return { out, first: JSON.parse(JSON.stringify(report).replaceAll(written, out)) as ExploreReport };
}

describe("explore --out", () => {
  const file = join(tmp(), "afile");
  writeFileSync(file, "mine\n");
  const cases: [string, string][] = [
    [file, "exists and is not a folder"],
    [join(file, "below"), "exists and is not a folder"],
    ["", "--out: expected a folder"],
    ["/proc/aftershock-out", "cannot create /proc/aftershock-out"],
    // Refused in words, as an output file's folder is (sysfs refuses even root a new entry).
    ...(existsSync("/sys/kernel")
      ? ([["/sys", "--out /sys: cannot write in the folder /sys (permission denied)"]] as [string, string][])
      : []),
    // `-` is stdout for every other output option; reproducers are files, not a stream.
    ["-", "--out -: reproducers are files, one per failure, and cannot go to stdout: name a folder"],
  ];
  for (const [out, message] of cases) {
    it(`refuses ${JSON.stringify(out)} before exploring, with exit 2 and one line`, async () => {
      const r = await cli(...failing, "--out", out);
      expect(r.code, r.err).toBe(2);
      expect(r.err).toContain(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
      expect(r.out).toBe("");
      if (out === "-") expect(existsSync("-"), "a folder named - was made").toBe(false);
    });
  }

  it("creates a missing folder, and its missing parents, when it writes the first reproducer", async () => {
    const out = join(tmp(), "a", "b");
    const r = await cli(...failing, "--out", out);
    expect(r.code, r.err).toBe(1);
    expect(existsSync(out)).toBe(true);
  });
});

describe("explore writing reproducers", () => {
  /** Explores once, writes `text` where its first reproducer went, and explores again. */
  async function rerunOver(text: string) {
    const { out, first } = await explored();
    const file = first.failures[0].reproducer!;
    writeFileSync(file, text);
    const r = await cli(...failing, "--out", out, "--json");
    expect(r.code, r.err).toBe(1);
    return { file, r, report: JSON.parse(r.out) as ExploreReport };
  }

  it("keeps a file the user wrote under a reproducer's name, writes beside it, and still reports the failures", async () => {
    const { file, r, report } = await rerunOver("notes\n");
    expect(readFileSync(file, "utf8")).toBe("notes\n");
    const moved = report.failures[0].reproducer!;
    expect(moved).toBe(file.replace(/\.yaml$/, "-2.yaml"));
    expect(readFileSync(moved, "utf8")).toMatch(/^# aftershock explore reproducer/);
    expect(report.failures[0].replay).toBe(`aftershock run ${moved}`);
    expect(r.err).toContain(`${file} exists and was not written by aftershock: wrote ${moved} instead`);
  });

  it("names a file aftershock wrote of another kind under a reproducer's name as what it is, and keeps it", async () => {
    const html = "<!doctype html>\n<!-- aftershock report: x -->\n<p>x</p>\n";
    const { file, r, report } = await rerunOver(html);
    expect(readFileSync(file, "utf8")).toBe(html);
    const moved = report.failures[0].reproducer!;
    expect(r.err).toContain(
      `${file} exists and is an HTML report aftershock wrote, not a file of this output's kind: wrote ${moved} instead`,
    );
  });

  it("writes over an empty file under a reproducer's name, which holds nothing to keep, without a word", async () => {
    const { file, r, report } = await rerunOver("");
    expect(report.failures[0].reproducer).toBe(file);
    expect(readFileSync(file, "utf8")).toMatch(/^# aftershock explore reproducer/);
    expect(r.err).not.toContain(file);
  });
});

describe("a reproducer that cannot be written", () => {
  it("is said in the report and after it, in --json too, and the exit code is 2", async () => {
    const { out, first } = await explored();
    const file = first.failures[0].reproducer!;
    // Its name a link into a folder that is not there: the check passes, the write fails.
    rmSync(file);
    symlinkSync(join(out, "gone", "r.yaml"), file);
    const json = await cli(...failing, "--out", out, "--json");
    expect(json.code, json.err).toBe(2);
    const failure = (JSON.parse(json.out) as ExploreReport).failures[0];
    expect(failure.reproducer).toBeNull();
    expect(failure.reproducerNotWritten).toMatch(new RegExp(`^${file}: cannot write \\(ENOENT`));
    expect(json.err).toContain(`could not write the reproducer of run ${failure.run}: ${file}: cannot write`);
    const human = await cli(...failing, "--out", out);
    expect(human.code).toBe(2);
    expect(human.out).toContain(`    reproducer not written: ${file}: cannot write (ENOENT`);
  });
});

describe("a reproducer edited since aftershock wrote it", () => {
  it("is kept by a rerun, which writes beside it and says so; an unchanged one is replaced", async () => {
    const { out, first } = await explored();
    const file = first.failures[0].reproducer!;
    const written = readFileSync(file, "utf8");
    expect(written.split("\n")[1]).toMatch(/^# digest sha256:[0-9a-f]{64} /);
    const edited = written.replace(/^description: "?/m, (m) => `${m}Kept as a gate scenario. `);
    expect(edited).not.toBe(written);
    writeFileSync(file, edited);
    const r = await cli(...failing, "--out", out, "--json");
    expect(r.code, r.err).toBe(1);
    expect(readFileSync(file, "utf8")).toBe(edited);
    const moved = (JSON.parse(r.out) as ExploreReport).failures[0].reproducer!;
    expect(moved).toBe(file.replace(/\.yaml$/, "-2.yaml"));
    expect(r.err).toContain(`${file} was edited since aftershock wrote it: wrote ${moved} instead`);
    expect(r.err).not.toContain(`replaced ${file}`);
    const again = await cli(...failing, "--out", out, "--json");
    expect(again.err).toContain(`replaced ${moved}, a reproducer of an earlier exploration`);
  });

  it("is replaced by --force, which says the file replaced had been edited", async () => {
    const { out, first } = await explored();
    const file = first.failures[0].reproducer!;
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace(/^description: "?/m, (m) => `${m}Mine. `),
    );
    const forced = await cli(...failing, "--out", out, "--force");
    expect(forced.err).toContain(`replaced ${file}, which was edited since aftershock wrote it (--force)`);
    expect(forced.err).not.toContain("a reproducer of an earlier exploration");
    expect(readFileSync(file, "utf8")).not.toContain("Mine. ");
  });

  it("is kept when it has no digest (written by an earlier version), and replaced with --force", async () => {
    const { out, first } = await explored();
    const file = first.failures[0].reproducer!;
    const old = readFileSync(file, "utf8").replace(/^# digest .*\n/m, "");
    writeFileSync(file, old);
    const r = await cli(...failing, "--out", out);
    expect(readFileSync(file, "utf8")).toBe(old);
    expect(r.err).toContain(`${file} was written by an earlier aftershock`);
    const forced = await cli(...failing, "--out", out, "--force");
    expect(forced.err).toContain(`replaced ${file}`);
    expect(readFileSync(file, "utf8")).toMatch(/^# aftershock explore reproducer.*\n# digest /);
  });
});

describe("a reproducer explored again into its own folder", () => {
  it("is an input: never replaced, even with --force; the new reproducer goes beside it", async () => {
    const out = tmp();
    const tiny = join(import.meta.dirname, "..", "cli", "fixtures", "tiny.yaml");
    // Named: the default list leaves out no-cascade, which tiny expects buggy to fail.
    const sweep = [
      tiny,
      "--variant",
      "buggy",
      "--properties",
      "no-cascade",
      "--runs",
      "1",
      "--shrink-runs",
      "0",
    ];
    const first = JSON.parse((await cli("explore", ...sweep, "--out", out, "--json")).out) as ExploreReport;
    const input = first.failures[0].reproducer!;
    // A reproducer's world is named as its file: explored, it would be written under a longer
    // name. Named as the scenario it came from, its own reproducer asks for its file.
    const text = readFileSync(input, "utf8").replace(/^name: .*$/m, "name: tiny-may8");
    writeFileSync(input, text);
    const again = ["explore", input, ...sweep.slice(1), "--out", out, "--json", "--force"];
    const r = await cli(...again);
    expect(readFileSync(input, "utf8")).toBe(text);
    const beside = (JSON.parse(r.out) as ExploreReport).failures[0].reproducer!;
    expect(beside).toBe(input.replace(/\.yaml$/, "-2.yaml"));
    expect(r.err).toContain(`${input} is an input of this exploration: wrote ${beside} instead`);
    expect(r.err).not.toContain(`replaced ${input}`);
  });
});

describe("reproducer names", () => {
  it("carry the master seed, so another seed adds to --out, and say when an earlier reproducer is replaced", async () => {
    const out = tmp();
    const seeded = (seed: string) => cli(...failing, "--seed", seed, "--out", out, "--json");
    const one = JSON.parse((await seeded("1")).out) as ExploreReport;
    const file = one.failures[0].reproducer!;
    expect(basename(file)).toMatch(/^generated-buggy-[a-z-]+-seed1-run\d+\.yaml$/);
    const text = readFileSync(file, "utf8");
    const other = await seeded("2");
    const found = (JSON.parse(other.out) as ExploreReport).failures.map((f) => basename(f.reproducer!));
    expect(found.length).toBeGreaterThan(0);
    for (const name of found) expect(name).toMatch(/-seed2-run\d+\.yaml$/);
    expect(readFileSync(file, "utf8")).toBe(text);
    expect(other.err).not.toContain("replaced");
    const again = await seeded("1");
    expect(again.err).toContain(`replaced ${file}, a reproducer of an earlier exploration`);
  });
});
