// Shows that a scheduler module's export of the wrong shape is refused saying what was found, not only what was expected.
import { describe, expect, it } from "vitest";
import { createProblem, schedulerFactoryProblems } from "../../src/explore/scheduler-check.js";
import type { SchedulerFactory } from "../../src/world/runtime.js";

const create = () => ({});

describe("an export that is no SchedulerFactory", () => {
  it("says what it is: a function that makes one, or a value", () => {
    expect(
      schedulerFactoryProblems(function scheduler() {
        return {};
      }),
    ).toEqual([
      "the export is a function, expected an object { name, fixes, create(fixes) }: export the factory itself, not a function that makes one",
    ]);
    expect(schedulerFactoryProblems(42)).toEqual([
      "the export is a number (42), expected an object { name, fixes, create(fixes) }",
    ]);
    expect(schedulerFactoryProblems(null, "the entry")).toEqual([
      "the entry is null, expected an object { name, fixes, create(fixes) }",
    ]);
  });

  it("says a Promise is one, as a factory made asynchronously and not awaited is", () => {
    const made = Promise.resolve({ name: "x", fixes: [], create });
    expect(schedulerFactoryProblems(made)).toEqual([
      "the export is a Promise, expected an object { name, fixes, create(fixes) }: await it, and export or register what it resolves to (`export const scheduler = await makeScheduler()`)",
    ]);
  });

  it("says a `create` that returns a Promise (an async create) returns one, and leaves no rejection unhandled", async () => {
    const scheduler = { name: "x", fixes: [], main: function* () {} };
    const said =
      "returned a Promise (is create async?), expected a scheduler { name, fixes, main(rt) }: create returns the scheduler itself";
    // Typed as the factory a JavaScript module would export: TypeScript refuses an async create.
    const resolving = { name: "x", description: "x", fixes: [], create: async () => scheduler };
    expect(createProblem(resolving as unknown as SchedulerFactory, [])?.text).toBe(said);
    const rejections: unknown[] = [];
    const note = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", note);
    try {
      const rejecting = {
        name: "x",
        description: "x",
        fixes: [],
        create: async () => {
          throw new Error("no config");
        },
      };
      expect(createProblem(rejecting as unknown as SchedulerFactory, [])?.text).toBe(said);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off("unhandledRejection", note);
    }
    expect(rejections).toEqual([]);
  });

  it("says what its `fixes` are when they are no list", () => {
    expect(schedulerFactoryProblems({ name: "x", fixes: "early-return", create })).toEqual([
      '`fixes` must be a list of names: it is a string ("early-return")',
    ]);
    expect(schedulerFactoryProblems({ name: "x", fixes: { a: 1 }, create })).toEqual([
      "`fixes` must be a list of names: it is an object",
    ]);
    expect(schedulerFactoryProblems({ name: "x", fixes: ["a"], create })).toEqual([]);
  });
});
