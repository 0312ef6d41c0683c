// Shows the task ids the world gives a fire (`schedule@due`) and a message retry (`message#attempt`), and that the checks' readings of them tell one from the other whatever characters the schedule and message ids hold.
import { describe, expect, it } from "vitest";
import { fireTaskId, isFireTaskOf, isRetryTaskId, retryTaskId } from "../../src/world/events.js";

const DUE = Date.UTC(2026, 4, 8, 9, 46);

describe("task ids", () => {
  it("writes a fire as schedule@due and a retry as message#attempt", () => {
    expect(fireTaskId("sched-x", DUE)).toBe(`sched-x@${DUE}`);
    expect(retryTaskId(`sched-x@${DUE}/m1`, 2)).toBe(`sched-x@${DUE}/m1#2`);
  });

  it("tells a fire of a schedule from a retry of its fire's message", () => {
    const fire = fireTaskId("sched-x", DUE);
    const retry = retryTaskId(`${fire}/m1`, 1);
    expect(isFireTaskOf(fire, "sched-x")).toBe(true);
    expect(isFireTaskOf(fire, "sched")).toBe(false);
    expect(isFireTaskOf(fire, undefined)).toBe(false);
    expect(isFireTaskOf(retry, "sched-x")).toBe(false);
    expect(isRetryTaskId(retry)).toBe(true);
    expect(isRetryTaskId(fire)).toBe(false);
  });

  it("does not take a fire of a schedule whose id holds a # for a retry, nor a retry of a message id ending @digits for a fire", () => {
    const fire = fireTaskId("team#2", DUE);
    expect(isRetryTaskId(fire)).toBe(false);
    expect(isFireTaskOf(fire, "team#2")).toBe(true);
    const retry = retryTaskId(`msg@${DUE}`, 3);
    expect(isRetryTaskId(retry)).toBe(true);
    expect(isFireTaskOf(retry, "msg")).toBe(false);
  });
});
