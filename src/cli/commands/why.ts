import { causalChain, findCrash } from "../../checks/index.js";
import { runWorld } from "../../explore/run.js";
import { CollectSink, type TraceEvent } from "../../kernel/index.js";
import { renderCausalChain } from "../../report/causal-chain.js";
import type { Paint } from "../../report/paint.js";
import { withSeed } from "../../scenario/compile.js";
import { parseSeed } from "../args.js";
import type { CliContext } from "../context.js";
import { CliError, EXIT } from "../errors.js";
import { loadScenario, schedulerRegistry } from "../load.js";
import type { CliCommand } from "../spec.js";
import {
  chooseVariant,
  schedulerModulesFromOptions,
  type VariantOptions,
  withModuleFixes,
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
  const loaded = loadScenario(scenarioArg);
  let compiled = chooseVariant(loaded.compiled, o);
  const seed = parseSeed(o.seed);
  if (seed !== undefined) compiled = withSeed(compiled, seed);
  const collect = new CollectSink();
  const schedulers = await schedulerRegistry(loaded, schedulerModulesFromOptions(o));
  compiled = withModuleFixes(compiled, o, schedulers);
  runWorld(compiled, { schedulers, sinks: [collect], wallClock: ctx.now });
  const events = collect.events;
  const crash = findCrash(events, target);
  if (!crash) {
    const crashed = [
      ...new Set(events.filter((e) => e.type === "worker.crashed").map((e) => String(e.worker))),
    ];
    throw new CliError(
      crashed.length === 0
        ? `${target}: no worker crashed in this run (variant ${compiled.variantName ?? compiled.config.scheduler.name})`
        : `${target}: no such crash (workers that crashed: ${crashed.join(", ")}; or give a trace seq)`,
    );
  }
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
