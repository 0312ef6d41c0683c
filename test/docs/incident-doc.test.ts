// Shows the README's account of the incident points at a page in the repository (a clone has nothing outside it), and that the page's public facts agree with what the bundled May 8 scenario cites and replays: the status page's times, the incident number, the deploy of the fix.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

describe("the incident's public facts", () => {
  it("are in the repository, where the README's section on them links", () => {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("## Public facts and our assumptions"));
    const targets = [...section.slice(0, section.indexOf("\n## ", 3)).matchAll(/\]\(([^)\s#]+)/g)].map(
      (m) => m[1],
    );
    expect(targets).toContain("docs/incident.md");
    expect(section.slice(0, section.indexOf("\n## ", 3))).not.toMatch(/`\.\.\//);
  });

  it("agree with the May 8 scenario's sources and timeline", () => {
    const page = read("docs/incident.md");
    const parsed = parseScenario(read("scenarios/qstash-2026-05-08.yaml"), "qstash-2026-05-08.yaml");
    if (!parsed.ok) throw new Error("the May 8 scenario does not parse");
    const status = parsed.scenario.sources.find((s) => s.includes("status page")) ?? "";
    expect(status).toContain("#2151");
    expect(page).toContain("incident #2151");
    // The status page's times, as the scenario cites them and the page tabulates them.
    for (const [status_, time] of [
      ...status.matchAll(/(Investigating|Monitoring|Resolved) (\d\d:\d\d)/g),
    ].map((m) => [m[1], m[2]]))
      expect(page).toMatch(new RegExp(`\\| 2026-05-08 ${time} \\| ${status_}`));
    expect([...status.matchAll(/(Investigating|Monitoring|Resolved) \d\d:\d\d/g)]).toHaveLength(3);
    // The fix the page says came at 10:06 is the scenario's deploy of both fixes then.
    const deploy = parsed.scenario.timeline.find((e) => e.action === "deploy");
    expect(deploy?.atMs).toBe(Date.parse("2026-05-08T10:06:00Z"));
    expect(page).toContain("rolling deploy from\n10:06");
  });
});
