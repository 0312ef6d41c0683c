import type { FaultPoint } from "../world/runtime.js";
import type { World } from "../world/world.js";
import {
  clockSkew,
  hang,
  httpErrors,
  httpTimeouts,
  injectPanic,
  killWorker,
  pauseWorker,
  storeLatency,
  storeOutage,
} from "./verbs.js";

/** A fault at a time, as a scenario or a generator describes it (times and durations in ms). */
export type TimedFault = { readonly atMs: number } & (
  | { readonly fault: "kill-worker"; readonly worker: string }
  | { readonly fault: "pause-worker"; readonly worker: string; readonly durationMs: number }
  | { readonly fault: "store-latency"; readonly durationMs: number; readonly latencyMs: number }
  | { readonly fault: "store-outage"; readonly durationMs: number }
  | {
      readonly fault: "clock-skew";
      readonly worker: string;
      readonly skewMs: number;
      /** How long the clock stays wrong; to the end of the run if absent. */
      readonly durationMs?: number;
    }
  | {
      readonly fault: "inject-panic";
      readonly point: FaultPoint;
      readonly schedule?: string;
      readonly account?: string;
      readonly probability?: number;
      readonly count?: number;
    }
  | { readonly fault: "hang"; readonly schedule: string; readonly durationMs?: number }
  | {
      readonly fault: "http-errors";
      readonly durationMs: number;
      readonly rate: number;
      readonly status?: number;
      /** Only this account's deliveries; every account's if absent. */
      readonly account?: string;
    }
  | {
      readonly fault: "http-timeouts";
      readonly durationMs: number;
      readonly rate: number;
      /** Only this account's deliveries; every account's if absent. */
      readonly account?: string;
    }
);

/** Applies one fault now. */
export function applyFault(world: World, f: TimedFault): void {
  switch (f.fault) {
    case "kill-worker":
      killWorker(world, f.worker);
      return;
    case "pause-worker":
      pauseWorker(world, f.worker, f.durationMs);
      return;
    case "store-latency":
      storeLatency(world, f.durationMs, f.latencyMs);
      return;
    case "store-outage":
      storeOutage(world, f.durationMs);
      return;
    case "clock-skew":
      clockSkew(world, f.worker, f.skewMs, f.durationMs);
      return;
    case "inject-panic":
      injectPanic(world, f);
      return;
    case "hang":
      hang(world, f.schedule, f.durationMs);
      return;
    case "http-errors":
      httpErrors(world, f.durationMs, f.rate, f.status, f.account);
      return;
    case "http-timeouts":
      httpTimeouts(world, f.durationMs, f.rate, f.account);
      return;
    default: {
      // A kind added to `TimedFault` and not here fails to compile, rather than doing nothing.
      const unknown: never = f;
      throw new TypeError(`applyFault: unknown fault ${JSON.stringify((unknown as TimedFault).fault)}`);
    }
  }
}

/** Schedules every fault of a list at its time. */
export function scheduleFaults(world: World, faults: readonly TimedFault[]): void {
  for (const f of faults) world.at(f.atMs, () => applyFault(world, f));
}

/**
 * The end of a fault's effect (for quiet-period reasoning): its time plus its duration. A clock
 * skew without a duration lasts to the end of the run: it never ends here. A hang without one
 * counts from when it struck (one task hangs; nothing else is disturbed).
 */
export function faultEndMs(f: TimedFault): number {
  if (f.fault === "clock-skew" && f.durationMs === undefined && f.skewMs !== 0)
    return Number.POSITIVE_INFINITY;
  return (
    f.atMs + ("durationMs" in f && typeof f.durationMs === "number" && f.durationMs < 1e15 ? f.durationMs : 0)
  );
}
