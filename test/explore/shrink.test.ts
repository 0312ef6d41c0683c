// Shows the candidates shrinking tries on a document: each one smaller than it, the most drastic first, the document itself untouched.
import { describe, expect, it } from "vitest";
import type { ScenarioDocument } from "../../src/explore/generate/document.js";
import { smallerDocuments } from "../../src/explore/shrink.js";
import { smallDocument } from "./helpers.js";

/** A four-worker small world of 16 partitions over 20 minutes. */
function fourWorkers(): ScenarioDocument {
  const doc = smallDocument();
  return { ...doc, fleet: { ...doc.fleet, workers: 4, partitions: 16 } };
}

/** The values `value` reads from the candidates that change nothing else of `doc` (`set` writes it back). */
function only<T>(
  doc: ScenarioDocument,
  value: (d: ScenarioDocument) => T,
  set: (d: ScenarioDocument, v: T) => ScenarioDocument,
): T[] {
  return [...smallerDocuments(doc)]
    .filter((c) => JSON.stringify(set(doc, value(c))) === JSON.stringify(c))
    .map(value)
    .filter((v) => JSON.stringify(v) !== JSON.stringify(value(doc)));
}

describe("smallerDocuments", () => {
  it("tries one worker, then two, then one fewer", () => {
    const doc = fourWorkers();
    const workers = only(
      doc,
      (d) => d.fleet?.workers,
      (d, workers) => ({ ...d, fleet: { ...d.fleet, workers } }),
    );
    expect(workers).toEqual([1, 2, 3]);
  });

  it("halves the partitions and shortens the run: half, five minutes less, a minute less", () => {
    const doc = fourWorkers();
    expect(
      only(
        doc,
        (d) => d.fleet?.partitions,
        (d, partitions) => ({ ...d, fleet: { ...d.fleet, partitions } }),
      ),
    ).toEqual([8]);
    expect(
      only(
        doc,
        (d) => d.duration,
        (d, duration) => ({ ...d, duration }),
      ),
    ).toEqual(["10m", "15m", "19m"]);
  });

  it("yields only documents other than the one it shrinks, and leaves that one as it was", () => {
    const doc = fourWorkers();
    const before = structuredClone(doc);
    const candidates = [...smallerDocuments(doc)];
    expect(candidates.length).toBeGreaterThan(0);
    for (const c of candidates) expect(c).not.toEqual(doc);
    expect(doc).toEqual(before);
  });
});
