// Shows that a scheduler module's export of the wrong shape is refused saying what was found, not only what was expected.
import { describe, expect, it } from "vitest";
import { schedulerFactoryProblems } from "../../src/explore/scheduler-check.js";

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
