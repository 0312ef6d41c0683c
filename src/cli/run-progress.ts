/**
 * A line on a terminal's stderr while a long run goes, redrawn in place: how far the simulated
 * clock has got, what share of the run that is, the events so far and the seconds spent. A run
 * of a large world takes tens of seconds with nothing else to show for it; a short one (most)
 * ends before the first draw and prints nothing more.
 *
 * The line is cut to the terminal's width at each draw (`drawStatus`), so it never wraps.
 *
 * Where no line can be redrawn (a file, a pipe, a dumb terminal, CI: `CliContext.errIsTty`) it
 * writes the same words as a line of a log every `LOG_EVERY_MS` of real time instead, the first
 * after that long: a CI job whose run of a large world takes minutes shows it is alive (CI systems
 * end a job that prints nothing for ten minutes), and one that ends sooner adds nothing to a log.
 *
 * It is a trace sink that only watches: it reads each event's time, looks at the real clock
 * every `EVENTS_PER_LOOK` events, and changes nothing in the run (the same trace and hash with
 * or without it).
 */
import { runClock } from "../kernel/index.js";
import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import type { WorldConfig } from "../world/config.js";
import type { CliContext } from "./context.js";
import { CLEAR_LINE, drawStatus, LOG_EVERY_MS } from "./status-line.js";

/** Events between two looks at the real clock (a power of two: a mask, not a division). */
const EVENTS_PER_LOOK = 4096;
/** Nothing is drawn before the run has taken this long: a short run prints nothing more. */
const FIRST_DRAW_AFTER_MS = 1000;
/** The line is redrawn at most this often. */
const REDRAW_EVERY_MS = 250;

export class RunProgress implements TraceSink {
  private events = 0;
  private readonly startedAt: number;
  private lastDrawAt = Number.NEGATIVE_INFINITY;
  private drawn = false;
  private readonly clock;

  private constructor(
    private readonly ctx: CliContext,
    private readonly label: string,
    private readonly startMs: number,
    private readonly endMs: number,
    /** Lines of a log, not one line redrawn: stderr is no terminal. */
    private readonly logs: boolean,
  ) {
    this.startedAt = ctx.now();
    if (logs) this.lastDrawAt = this.startedAt;
    this.clock = runClock(startMs, endMs);
  }

  /**
   * The progress of a run of `config`, said to be `label`'s: a line redrawn on a terminal, lines
   * of a log elsewhere.
   */
  static on(
    ctx: CliContext,
    label: string,
    config: Pick<WorldConfig, "startMs" | "durationMs">,
  ): RunProgress {
    return new RunProgress(ctx, label, config.startMs, config.startMs + config.durationMs, !ctx.errIsTty);
  }

  onEvent(event: TraceEvent): void {
    if ((++this.events & (EVENTS_PER_LOOK - 1)) !== 0) return;
    // An output written through stderr (`--trace /dev/stderr`) would get the line in its middle.
    if (this.ctx.stderrTaken?.() === true) return;
    const now = this.ctx.now();
    if (this.logs) {
      if (now - this.lastDrawAt < LOG_EVERY_MS) return;
      this.lastDrawAt = now;
      this.ctx.err(`aftershock ${this.line(event.t, now)}\n`);
      return;
    }
    if (now - this.startedAt < FIRST_DRAW_AFTER_MS || now - this.lastDrawAt < REDRAW_EVERY_MS) return;
    this.lastDrawAt = now;
    this.drawn = true;
    drawStatus(this.ctx, this.line(event.t, now), ...this.shortLines(event.t, now));
  }

  /** Clears the line, if one was drawn (a log's lines stay). Safe to call more than once. */
  done(): void {
    if (!this.drawn) return;
    this.drawn = false;
    this.ctx.err(CLEAR_LINE);
  }

  /** `run: simulated to 09:52:10 (20% of 09:40 → 10:40) · 1.2 M events · 6 s`. */
  line(t: number, now: number): string {
    const c = this.clock;
    const { share, events, seconds } = this.counts(t, now);
    return `${this.label}: simulated to ${c.clock(t)} (${share}% of ${c.minute(this.startMs)} → ${c.minute(this.endMs)}) · ${events} events · ${seconds} s`;
  }

  /**
   * The lines for narrower terminals: `run: 09:52:10 (20%) · 1.2 M events · 6 s`, and without
   * the events, `run: 09:52:10 (20%) · 6 s`.
   */
  shortLines(t: number, now: number): [string, string] {
    const { share, events, seconds } = this.counts(t, now);
    const head = `${this.label}: ${this.clock.clock(t)} (${share}%)`;
    return [`${head} · ${events} events · ${seconds} s`, `${head} · ${seconds} s`];
  }

  private counts(t: number, now: number): { share: number; events: string; seconds: number } {
    const span = this.endMs - this.startMs;
    const share = span > 0 ? Math.min(100, Math.floor((100 * (t - this.startMs)) / span)) : 100;
    const events =
      this.events >= 1e6 ? `${(this.events / 1e6).toFixed(1)} M` : `${Math.round(this.events / 1000)} k`;
    return { share, events, seconds: Math.round((now - this.startedAt) / 1000) };
  }
}
