// Shows `why` on a death of a process a deploy started: the deploy that put its scheduler there is context.
import { describe, expect, it } from "vitest";
import { causalChain } from "../../src/checks/index.js";
import { at, TraceBuilder } from "./trace-builder.js";

const MODULE = "module:./mods/v3.ts";

/** w1 and w2 start with v2; a deploy of `deployed` replaces w1 (and not w2); then `dies` panics. */
function badDeploy(deployed: string, dies: "w1" | "w2") {
  const b = new TraceBuilder();
  b.start({ workers: 2 });
  b.emit("worker.started", { worker: "w1", incarnation: 1, scheduler: "v2", fixes: ["early-return"] });
  b.emit("worker.started", { worker: "w2", incarnation: 1, scheduler: "v2", fixes: ["early-return"] });
  const action = b.at(at(5)).emit("operator.action", { action: "deploy", detail: `deploy ${deployed}` });
  const deploy = b.emit(
    "deploy.started",
    { scheduler: deployed, fixes: [], workers: 2, stepDelayMs: 10_000 },
    { cause: action },
  );
  const step = b.emit("deploy.progressed", { worker: "w1", index: 0 }, { cause: deploy });
  b.emit("worker.started", { worker: "w1", incarnation: 2, scheduler: deployed, fixes: [] }, { cause: step });
  const lease = b.at(at(6)).lease(dies);
  const fired = b.at(at(7)).fired("s1", "a", at(7), dies, { cause: lease });
  const crash = b.panic(dies, "s1", "a", at(7), { cause: fired, incarnation: dies === "w1" ? 2 : 1 });
  return { b, action, deploy, step, crash };
}

describe("causal chain of a death after a deploy", () => {
  it("puts first the deploy that put the dead process's scheduler on its worker", () => {
    const { b, action, deploy, step, crash } = badDeploy(MODULE, "w1");
    const chain = causalChain(b.events, crash);
    expect(chain.slice(0, 2).map((e) => [e.seq, e.link])).toEqual([
      [action, "root"],
      [deploy, "cause"],
    ]);
    expect(chain[0].context).toBe(
      `w1 ran ${MODULE} (no fixes) since deploy #${deploy}, which replaced it at #${step}: the scheduler of the process that died, #${crash}`,
    );
  });

  it("names no deploy for a worker it did not reach", () => {
    const { b, crash } = badDeploy(MODULE, "w2");
    const chain = causalChain(b.events, crash);
    expect(chain.some((e) => e.type === "deploy.started" || e.type === "operator.action")).toBe(false);
  });
});
