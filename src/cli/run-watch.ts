import type { StepWatch, TraceSink } from "../kernel/index.js";
import { holdsOwnModule } from "../schedulers/index.js";
import type { WorldConfig } from "../world/config.js";
import type { SchedulerRegistry } from "../world/world.js";
import type { CliContext } from "./context.js";
import { RunProgress } from "./run-progress.js";
import { type OutputsDuringRun, StuckStepWatch } from "./stuck-step.js";

/**
 * What keeps the user informed while a run goes on this thread (`run`, `compare`, `why`): the
 * progress line on a terminal (lines of a log elsewhere), and word of a goroutine step stuck without yielding. Neither
 * changes the run. `done` once the run is over, however it ended.
 */
export class RunWatch {
  private constructor(
    private readonly progress: RunProgress,
    private readonly stuck: readonly StuckStepWatch[],
  ) {}

  /**
   * The watch of a run of `config` with `schedulers`, said to be `command`'s. Only a user's
   * scheduler module can loop without yielding (every step of the bundled ones yields), so only
   * a run that has one is watched for it: the watch is told of every step, a few percent of a
   * large run's time. Runs side by side on threads of their own (compare's, named by `columns`)
   * get a board each: the first is this thread's (`options`), the others, which say a stuck
   * step with their column, are for the runs on other threads (`otherBoards`).
   */
  static on(
    ctx: CliContext,
    command: string,
    config: Pick<WorldConfig, "startMs" | "durationMs" | "limits">,
    schedulers: SchedulerRegistry,
    columns: readonly string[] = [],
    /** The command's output files: a signal's handler then waits for a stuck step, which the notice says. */
    outputs: OutputsDuringRun = "none",
  ): RunWatch {
    const budgetMs = config.limits.wallBudgetMs;
    // This thread's board may watch any run (all of them, in turn, if the threads fail).
    const said = [command, ...columns.slice(1).map((column) => `${command} (${column})`)];
    const stuck = holdsOwnModule(schedulers)
      ? said.map((what) => StuckStepWatch.start(ctx, what, budgetMs, outputs))
      : [];
    return new RunWatch(
      RunProgress.on(ctx, command, config),
      stuck.filter((s): s is StuckStepWatch => s !== null),
    );
  }

  /** The run options that attach it (`RunOptions.watchers` and `stepWatch`). */
  get options(): { readonly watchers: readonly TraceSink[]; readonly stepWatch?: StepWatch } {
    return {
      watchers: [this.progress],
      ...(this.stuck.length === 0 ? {} : { stepWatch: this.stuck[0].board }),
    };
  }

  /** The boards of the runs after the first, for the threads they run on (none: not watched). */
  get otherBoards(): readonly SharedArrayBuffer[] {
    return this.stuck.slice(1).map((s) => s.buffer);
  }

  /** Clears the progress line and stops watching. Safe to call more than once. */
  done(): void {
    this.progress.done();
    for (const s of this.stuck) s.stop();
  }
}

/**
 * What a command's output files are while its run goes on (`OutputsDuringRun`): a trace or a
 * Perfetto file being written, or only an HTML report or a Markdown summary to write after it.
 */
export function outputsDuringRun(
  trace: boolean,
  o: { readonly perfetto?: string; readonly html?: string; readonly markdown?: string },
): OutputsDuringRun {
  if (trace || o.perfetto !== undefined) return "open";
  return o.html !== undefined || o.markdown !== undefined ? "awaited" : "none";
}
