// Shows, over random scenarios, that valid documents parse, values survive, and `locate` finds each key's line.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { parseScenario } from "../../src/scenario/index.js";
import { type Doc, pathKey, scenarioDoc, writeYaml } from "./arbitraries.js";

const RUNS = 40;

describe("random valid scenarios", () => {
  it("parse, keep their knobs, and locate every written key on its line", () => {
    fc.assert(
      fc.property(scenarioDoc, (generated) => {
        const { text, lines } = writeYaml(generated.doc);
        const result = parseScenario(text, "random.yaml");
        if (!result.ok) throw new Error(`${text}\n${JSON.stringify(result.issues, null, 1)}`);
        const { scenario } = result;
        expect(scenario.startMs).toBe(generated.startMs);
        expect(scenario.durationMs).toBe(generated.durationMs);
        expect(scenario.fleet.leaseTtlMs).toBe(generated.leaseTtlMs);
        expect(scenario.fleet.workers).toBe(generated.workers);
        for (const t of [...scenario.timeline, ...scenario.faults, ...scenario.chapters]) {
          expect(t.atMs).toBeGreaterThanOrEqual(scenario.startMs);
          expect(t.atMs).toBeLessThanOrEqual(scenario.endMs);
        }
        for (const [key, line] of lines) {
          const path = JSON.parse(key) as (string | number)[];
          expect(scenario.source.locate(path)?.line, key).toBe(line);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("report every out-of-window time, at its line, whatever the form", () => {
    fc.assert(
      fc.property(scenarioDoc, fc.integer({ min: 1, max: 3600 }), (generated, lateS) => {
        const late = `+${Math.floor(generated.durationMs / 1000) + lateS}s`;
        const doc = { ...generated.doc, timeline: [{ at: late, action: "scale", workers: 1 }] as Doc };
        const { text, lines } = writeYaml(doc);
        const result = parseScenario(text, "late.yaml");
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const issue = result.issues.find((i) => i.code === "time-outside-run");
        expect(issue?.path).toEqual(["timeline", 0, "at"]);
        expect(issue?.line).toBe(lines.get(pathKey(["timeline", 0, "at"])));
      }),
      { numRuns: RUNS },
    );
  });
});

describe("robustness", () => {
  it("never throws on arbitrary text, and every issue has a position", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseScenario(text, "fuzz.yaml");
        if (!result.ok) {
          for (const issue of result.issues) {
            expect(issue.line).toBeGreaterThanOrEqual(1);
            expect(issue.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("never throws when any value of a valid scenario is replaced by junk", () => {
    // Mappings whose own keys shadow Object.prototype's methods (`{ "toString": "" }`) make a
    // careless `String(value)` throw; fc.jsonValue draws them too rarely to count on.
    const shadowing = fc.constantFrom(
      { toString: "" },
      { valueOf: 1, toString: null },
      { constructor: "x", hasOwnProperty: 1 },
      [{ toString: "" }],
    );
    const junk = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom("", "-1s", "+9999d", "25:61", "* *"),
      shadowing,
    );
    fc.assert(
      fc.property(scenarioDoc, fc.nat(), junk, (generated, pick, value) => {
        const { lines } = writeYaml(generated.doc);
        const paths = [...lines.keys()].map((k) => JSON.parse(k) as (string | number)[]);
        const path = paths[pick % paths.length];
        const doc = structuredClone(generated.doc) as Record<string | number, unknown>;
        let parent = doc;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]] = value;
        const result = parseScenario(JSON.stringify(doc, null, 2), "mutated.json");
        if (!result.ok) {
          for (const issue of result.issues) expect(issue.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it("never throws when any value of a full scenario is a mapping that shadows a method name", () => {
    // Every value of a scenario that uses every section, in turn, replaced by each mapping.
    const url = new URL("./fixtures/complete.yaml", import.meta.url);
    const base = parseYaml(readFileSync(url, "utf8")) as Record<string, unknown>;
    const paths: (string | number)[][] = [];
    const walk = (value: unknown, path: (string | number)[]): void => {
      if (path.length > 0) paths.push(path);
      if (value === null || typeof value !== "object") return;
      for (const [key, item] of Object.entries(value))
        walk(item, [...path, Array.isArray(value) ? Number(key) : key]);
    };
    walk(base, []);
    const shadowing: unknown[] = [{ toString: "" }, { valueOf: 1, toString: null }, [{ toString: "" }]];
    let refused = 0;
    for (const path of paths) {
      for (const value of shadowing) {
        const doc = structuredClone(base);
        let parent = doc as Record<string | number, unknown>;
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
        parent[path[path.length - 1]] = value;
        const result = parseScenario(JSON.stringify(doc, null, 2), "shadowing.json");
        if (!result.ok) refused++;
      }
    }
    // The timeline and faults (where the values were once turned into text unchecked) are in it.
    expect(paths.some((p) => p[0] === "timeline" && p[2] === "at")).toBe(true);
    expect(paths.some((p) => p[0] === "faults" && p[2] === "fault")).toBe(true);
    expect(refused).toBeGreaterThan(paths.length);
  });
});
