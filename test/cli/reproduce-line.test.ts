// Shows the Reproduce line of run and compare (terminal, Markdown, HTML) names a scenario so that the command runs on another machine: a bundled scenario by its name, a file by its path from the working directory.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledScenarioDir, scenarioArgument } from "../../src/cli/load.js";
import { cli, tmp } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");
const CWD = process.cwd();

let dir: string;
beforeAll(() => {
  dir = tmp();
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("scenarioArgument", () => {
  it("names a bundled scenario by its name, however it was reached", () => {
    const file = join(bundledScenarioDir(), "quiet-day.yaml");
    expect(scenarioArgument(file, CWD)).toBe("quiet-day");
    expect(scenarioArgument(relative(CWD, file), CWD)).toBe("quiet-day");
  });

  it("names a file inside the working directory by its path from there", () => {
    expect(scenarioArgument(TINY, CWD)).toBe(join("test", "cli", "fixtures", "tiny.yaml"));
    expect(scenarioArgument("./x.yaml", "/home/me/project")).toBe("x.yaml");
    expect(scenarioArgument("/home/me/project/s/x.yaml", "/home/me/project")).toBe("s/x.yaml");
  });

  it("keeps the absolute path of a file outside the working directory", () => {
    expect(scenarioArgument("/srv/scenarios/x.yaml", "/home/me/project")).toBe("/srv/scenarios/x.yaml");
    expect(scenarioArgument("../x.yaml", "/home/me/project")).toBe("/home/me/x.yaml");
  });

  it("quotes what a shell would split or expand", () => {
    expect(scenarioArgument("/p/my scenarios/it's.yaml", "/p")).toBe(`'my scenarios/it'\\''s.yaml'`);
    expect(scenarioArgument("/p/$HOME.yaml", "/p")).toBe(`'$HOME.yaml'`);
  });
});

describe("the Reproduce line of a report", () => {
  it("run: a bundled scenario typed by name is named so in the terminal, Markdown and HTML", async () => {
    const md = join(dir, "run.md");
    const html = join(dir, "run.html");
    const r = await cli("run", "single-worker-crash-loop", "--markdown", md, "--html", html);
    const line = "aftershock run single-worker-crash-loop --seed ";
    expect(r.out).toContain(`Reproduce: ${line}`);
    expect(readFileSync(md, "utf8")).toContain(`Reproduce: \`${line}`);
    expect(readFileSync(html, "utf8")).toContain(`Reproduce: <code>${line}`);
    for (const text of [r.out, readFileSync(md, "utf8"), readFileSync(html, "utf8")])
      expect(text).not.toContain(bundledScenarioDir());
  });

  it("compare: a scenario file is named by its path from the working directory, or absolute outside it", async () => {
    const md = join(dir, "compare.md");
    // Typed as an absolute path inside the working directory: shared as the path from there.
    const r = await cli("compare", TINY, "--markdown", md);
    const line = `aftershock compare ${join("test", "cli", "fixtures", "tiny.yaml")} --seed `;
    expect(readFileSync(md, "utf8")).toContain(`Reproduce: \`${line}`);
    expect(r.out).toContain(`\nReproduce: ${line}`); // the terminal says it too
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    copyFileSync(TINY, join(elsewhere, "tiny.yaml"));
    await cli("compare", join(elsewhere, "tiny.yaml"), "--markdown", md, "--force");
    expect(readFileSync(md, "utf8")).toContain(
      `Reproduce: \`aftershock compare ${join(elsewhere, "tiny.yaml")} --seed `,
    );
  });
});
