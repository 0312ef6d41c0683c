import { causalChain, crashCounts, crashCountText, crashRangeText, findCrash } from "../../checks/index.js";
import { runWorld } from "../../explore/run.js";
import { CollectSink, type TraceEvent } from "../../kernel/index.js";
import { renderCausalChain } from "../../report/causal-chain.js";
import type { Paint } from "../../report/paint.js";
import { parseSeed } from "../args.js";
import type { CliContext } from "../context.js";
import { CliError, EXIT } from "../errors.js";
import { atSeed, loadScenario, schedulerRegistry } from "../load.js";
import type { CliCommand } from "../spec.js";
import {
  chooseVariant,
  schedulerModulesFromOptions,
  type VariantOptions,
  withLoadedModule,
} from "../variant.js";
import { whySpec } from "./specs.js";

export interface WhyCommandOptions extends VariantOptions {
  readonly seed?: string;
  readonly json?: boolean;
}

/** `aftershock why <scenario> <worker|seq>`: the causal chain from the root event to a crash. */
export async function whyCommand(
  ctx: CliContext,
  scenarioArg: string,
  target: string,
  o: WhyCommandOptions,
): Promise<number> {
  const seed = parseSeed(o.seed);
  const loaded = loadScenario(scenarioArg, seed);
  let compiled = chooseVariant(loaded.compiled, o, loaded.path);
  compiled = atSeed(compiled, seed);
  const collect = new CollectSink();
  const schedulers = await schedulerRegistry(loaded, schedulerModulesFromOptions(o));
  compiled = withLoadedModule(compiled, o, schedulers, loaded.scenario, ctx.err);
  runWorld(compiled, { schedulers, sinks: [collect], wallClock: ctx.now });
  const events = collect.events;
  const crash = findCrash(events, target);
  if (!crash)
    throw new CliError(noSuchTarget(target, events, compiled.variantName ?? compiled.config.scheduler.name));
  const chain = causalChain(events, crash.seq);
  if (o.json) {
    ctx.out(`${JSON.stringify({ target, crash: crash.seq, chain }, null, 2)}\n`);
    return EXIT.ok;
  }
  ctx.out(`${renderChain(chain, ctx.paint)}\n`);
  return EXIT.ok;
}

/** One line per link, from the root to the crash. */
export function renderChain(chain: readonly TraceEvent[], paint: Paint): string {
  return renderCausalChain(chain, paint);
}

export const why: CliCommand = {
  spec: whySpec,
  run: (ctx, args, options) => whyCommand(ctx, args[0], args[1], options as WhyCommandOptions),
};

/**
 * Why `target` names nothing in this run, and what it could name: a seq inside the trace, a
 * worker that crashed, or a crash of it that happened (with how many there were).
 */
export function noSuchTarget(target: string, events: readonly TraceEvent[], variant: string): string {
  const last = events.length - 1;
  const ref = target.trim();
  if (/^\d+$/.test(ref)) return `${target}: no event with that seq; this run's trace has seqs 0 to ${last}`;
  const crashes = crashCounts(events);
  if (crashes.size === 0)
    return `${target}: no worker crashed in this run (variant ${variant}); give a trace seq (0 to ${last})`;
  const range = crashRangeText(target, events);
  if (range !== null) return range;
  const list = [...crashes].map(([w, n]) => `${w} (${crashCountText(n)})`).join(", ");
  return `${target}: no such crash; expected a worker (w3), its nth panic death (w3#2; its nth crash if it never panicked) or a trace seq (0 to ${last}). Workers that crashed: ${list}`;
}
