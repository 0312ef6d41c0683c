// Shows a worker's lease map counts every change, the signal the scheduler's partition list is rebuilt on.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OwnedLeases } from "../../src/world/worker.js";

describe("OwnedLeases", () => {
  it("moves its version on every set, delete and clear, and holds what a Map holds", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("set" as const), p: fc.nat(8), token: fc.nat(100) }),
      fc.record({ kind: fc.constant("delete" as const), p: fc.nat(8) }),
      fc.record({ kind: fc.constant("clear" as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const owned = new OwnedLeases();
        const model = new Map<number, number>();
        for (const o of ops) {
          const before = owned.version;
          if (o.kind === "set") {
            owned.set(o.p, o.token);
            model.set(o.p, o.token);
          } else if (o.kind === "delete") {
            expect(owned.delete(o.p)).toBe(model.delete(o.p));
          } else {
            owned.clear();
            model.clear();
          }
          expect(owned.version).toBeGreaterThan(before);
          expect([...owned]).toEqual([...model]);
        }
      }),
    );
  });
});
