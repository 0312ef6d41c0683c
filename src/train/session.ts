import { crashRangeText, fleetText, numberedCrashes } from "../checks/index.js";
import { type RunInput, type RunOptions, worldConfigOf } from "../explore/run.js";
import { clockOf, isoOf, type RunClock, type TraceEvent, type WallGuard } from "../kernel/index.js";
import { type Paint, plainPaint } from "../report/paint.js";
import { controlCharText } from "../scenario/control-chars.js";
import {
  type Chapter,
  instantText,
  parseDuration,
  resolveVariant,
  SCHEDULER_FIXES,
  type Scenario,
} from "../scenario/index.js";
import { closest } from "../scenario/suggest.js";
import { bundledSchedulers } from "../schedulers/index.js";
import type { TimedAction } from "../world/config.js";
import { describeAction, type SchedulerRegistry, type World } from "../world/world.js";
import { findCommand, PROMPT_COMMANDS, renderHelp, unknownCommandHint } from "./commands.js";
import {
  describeLine,
  describeStep,
  noForkYet,
  type ProjectedLine,
  renderCompare,
  renderScore,
} from "./compare.js";
import {
  echoed,
  fitLines,
  fixesCounted,
  formatDuration,
  padEndVisible,
  plural,
  visible,
  wrap,
} from "./format.js";
import { type Intervention, type Line, LiveWorld, ORIGINAL, sameInterventions } from "./live.js";
import { type Moment, resolveMoment } from "./moment.js";
import { goPanicText, type LogLine } from "./observer.js";
import { measuredFrom, type Projection, projectLine, projectLineInSlices } from "./projection.js";
import {
  type RecordedAnswer,
  type RecordedCommand,
  type RecordedOutcome,
  SESSION_FORMAT,
  SESSION_VERSION,
  type SessionRecord,
  SHOWN_IDS_VERSION,
} from "./record.js";
import { poisonSchedules, renderPoison, renderReveal, renderWhy } from "./reveal.js";
import { termNotes } from "./terms.js";
import {
  LOG_SOURCES,
  renderAlertHistory,
  renderDashboard,
  renderFiring,
  renderGlance,
  renderLogLine,
  renderLogs,
  renderWorkers,
  restartsText,
  type ViewContext,
} from "./views.js";
import {
  bundledRefusal,
  describeTimed,
  describeWhatIf,
  namedVariants,
  parseWhatIf,
  WHAT_IF_VERBS,
  whatIfStepMs,
  whatIfVerbOf,
} from "./what-if.js";

export interface SessionOptions {
  /** The scenario: its chapters drive the session. */
  readonly scenario: Scenario;
  /** What to simulate: the compiled scenario with the variant and seed chosen. */
  readonly input: RunInput;
  /** Scheduler implementations (default: the bundled v1 and v2). */
  readonly schedulers?: SchedulerRegistry;
  /** Start with the hidden state revealed (the facilitator's view). */
  readonly facilitator?: boolean;
  readonly paint?: Paint;
  /** The real clock, for the wall-clock budget of each step (only the CLI has one). */
  readonly wallClock?: () => number;
  /** With `wallClock`: stops a step stuck past the budget wherever it is (default: the `vm` guard). */
  readonly wallGuard?: WallGuard;
  /** Told before a computation that takes a while (a rewind, a projection), to show meanwhile. */
  readonly note?: (text: string) => void;
  /**
   * The terminal's width in columns when known, asked at each reply (a window can be resized):
   * prose wraps to it, never wider than it does without one.
   */
  readonly columns?: () => number | undefined;
}

/** Something the session asks its host to do: the session itself touches no file. */
export type SessionEffect =
  | { readonly kind: "save"; readonly path: string; readonly text: string; readonly force: boolean }
  | { readonly kind: "quit" };

/**
 * The answer to one command: text to print, whether it was carried out (`ok`), effects. A command
 * not carried out was either not understood (a hint on how to write it) or `refused`: understood,
 * but not possible where the session is (`next` once the run is over).
 */
export interface Reply {
  readonly text: string;
  readonly ok: boolean;
  readonly refused?: boolean;
  readonly effects: readonly SessionEffect[];
}

/** Forks a session may make: each is a world to rebuild and project. */
export const FORKS_MAX = 25;
const LOG_LINES_DEFAULT = 15;
const LOG_LINES_MAX = 500;
const CHAPTER_LOG_LINES = 5;
const TEXT_WIDTH = 92;
/** `── Chapter 1 of 6 · … ────`: a title ruled to `width`, wrapped first if it is wider. */
function ruledTitle(title: string, width: number): string {
  if (visible(title) < width) return padEndVisible(title, width, "─");
  const lines = wrap(title, width - 1, "", "   ").split("\n");
  const last = lines.length - 1;
  lines[last] = padEndVisible(`${lines[last]} `, width, "─");
  return lines.join("\n");
}

/**
 * A chapter's time as `until` and `rewind` take it: a time of day, or an ISO instant off the
 * second or in a run over more than one day (where a time of day may name another day's moment).
 */
function completionTime(t: number, times: RunClock): string {
  return t % 1000 === 0 && !times.multiDay ? clockOf(t) : instantText(t);
}

/** The narrowest a terminal is taken to be: below it, prose would be a word a line. */
const COLUMNS_MIN = 20;
/** Commands that change nothing worth replaying. */
const NOT_RECORDED = new Set(["help", "save", "quit"]);

/**
 * A facilitator's training session over one scenario: the simulation advances from chapter to
 * chapter, trainees look at what the on-call engineer saw (or, revealed, at the ground truth),
 * fork the run with what-ifs, rewind, answer the chapters' questions and score their choices.
 * It takes command lines and returns text; the CLI wires a terminal or a script to it.
 */
export class TrainingSession {
  private readonly chapters: readonly Chapter[];
  private readonly lines = new Map<string, Line>();
  private readonly projections = new Map<string, Projection>();
  private readonly commands: RecordedCommand[] = [];
  private readonly answers: RecordedAnswer[] = [];
  private readonly paint: Paint;
  private readonly runOptions: RunOptions;
  private readonly schedulers: SchedulerRegistry;
  private live: LiveWorld;
  private current: Line;
  private revealed: boolean;
  private revealedAt: number | null = null;
  /** Whether the last opening shown (`intro`) listed the assumptions as written, not the on-call wording. */
  private introGaveWrittenAssumptions = false;
  /**
   * The chapter the session is paused at (or last passed), -1 before the first: kept rather than
   * read off the clock, so that chapters at one instant are each paused at in turn.
   */
  private chapterAt = -1;
  private forkCount = 0;
  private dirty = false;
  /**
   * The schedule ids the on-call view's logs have named, on any line, since the session began:
   * only ever added to, so a switch, a rewind or the log's cap takes none back.
   */
  private readonly shownIds = new Set<string>();
  /** Replaying a file saved before quarantine took only ids shown (version 3 or earlier). */
  private unchecked = false;
  private readonly noteShown = (line: LogLine, world: World): void => {
    for (const word of line.text.split(/[\s@:()[\]"]+/))
      if (world.store.schedules.has(word)) this.shownIds.add(word);
  };
  /** Where the command being run was typed: recorded with it. */
  private atBefore = 0;
  private lineBefore = ORIGINAL;

  constructor(private readonly o: SessionOptions) {
    this.paint = o.paint ?? plainPaint;
    this.schedulers = o.schedulers ?? bundledSchedulers();
    this.runOptions = { schedulers: this.schedulers, wallClock: o.wallClock, wallGuard: o.wallGuard };
    this.chapters = [...o.scenario.chapters]
      .map((c, i) => ({ c, i }))
      .sort((a, b) => a.c.atMs - b.c.atMs || a.i - b.i)
      .map((x) => x.c)
      .filter((c) => c.atMs <= this.horizonMs);
    this.current = { name: ORIGINAL, parent: null, interventions: [] };
    this.lines.set(ORIGINAL, this.current);
    this.revealed = o.facilitator === true;
    if (this.revealed) this.revealedAt = this.startMs;
    this.live = new LiveWorld(o.input, this.current, this.runOptions, [], this.noteShown);
    this.chapterAt = this.chapterLandedAt(this.startMs);
  }

  // ------------------------------------------------------------ public surface

  get now(): number {
    return this.live.now;
  }

  get lineName(): string {
    return this.current.name;
  }

  /** Whether there are answers, forks or commands not saved yet. */
  get unsaved(): boolean {
    return this.dirty;
  }

  /** The prompt: the simulated time and the line. */
  prompt(): string {
    return `${this.times.precise(this.now)} ${this.current.name}> `;
  }

  /**
   * The opening text: the scenario, the rules of the session, and a chapter at the start if any;
   * `resumed`, after a saved session's replay, which the host then says where it left the session.
   */
  intro(resumed = false): string {
    const { paint } = this;
    const s = this.o.scenario;
    const c = this.o.input.config;
    const fixes = c.scheduler.fixes.length === 0 ? "no fixes" : c.scheduler.fixes.join(" + ");
    // A variant named after a fix (`early-return`), or the fixes' names, would tell the on-call
    // engineer the cause: before reveal, the world's scheduler with its fixes counted.
    const variant = this.revealed
      ? `${this.o.input.variantName ?? c.scheduler.name} (${c.scheduler.name}, ${fixes})`
      : fixesCounted(c.scheduler.name, c.scheduler.fixes);
    const lines = [
      this.fit(paint.bold(`aftershock train · ${s.name} · seed ${c.seed} · variant ${variant}`)),
      // The description is the write-up (cause, fix): the facilitator's, or the debrief's after
      // reveal or at the end. The on-call engineer starts knowing only the system and the hour.
      this.revealed
        ? wrap(s.description, this.textWidth(), "  ")
        : wrap(
            `A replay of ${s.name} on a fleet of ${plural(c.fleet.workers, "worker")}, on ${isoOf(this.startMs).slice(0, 10)}. What happened is told at the end of the run, or on reveal.`,
            this.textWidth(),
            "  ",
          ),
      "",
      wrap(
        `The run starts at ${this.times.precise(this.startMs)} and ends at ${this.times.precise(this.horizonMs)} UTC; ${chapterCount(this.chapters.length)}.`,
        this.textWidth(),
        "  ",
      ),
      wrap(
        this.o.facilitator === true && this.revealed
          ? "Facilitator view: the hidden state (poison tasks, causal chains, lease tables) is shown throughout; `hide` shows the on-call view."
          : this.revealed
            ? "You are the on-call engineer, and the hidden state (poison tasks, causal chains, lease tables) has been revealed; `hide` shows the on-call view."
            : "You are the on-call engineer: you see dashboards, alerts, logs and the supervisor, not the system's insides. `reveal` shows the hidden state.",
        this.textWidth(),
        "  ",
      ),
    ];
    // The on-call view's own wording where the scenario gives one: without the cause.
    const assumptions = this.revealed
      ? this.assumptions
      : (this.o.scenario.onCallAssumptions ?? this.assumptions);
    lines.push(...this.assumptionLines("Assumptions (ours, not public facts):", assumptions));
    this.introGaveWrittenAssumptions = this.revealed;
    lines.push(
      "",
      this.fit(resumed ? "  `help` lists the commands." : "  Type `next` to begin, `help` for the commands."),
    );
    const atStart = this.chapterIndex();
    if (atStart >= 0) lines.push("", this.renderChapter(atStart));
    return lines.join("\n");
  }

  /** Runs one command line. Never throws for bad input: a bad command gets a one-line hint. */
  execute(text: string): Reply {
    const trimmed = text.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return reply("");
    // A script or a saved session is passed around, and each reply quotes its words: an escape in
    // one (ESC[2J, ESC[8m) would act on the terminal that shows the transcript. Refused, as in a
    // scenario's text, and never quoted.
    const control = controlCharText(trimmed);
    if (control !== null) return hint(this.fit(`a command cannot hold ${control}: type it without`));
    const space = trimmed.search(/\s/);
    const word = space === -1 ? trimmed : trimmed.slice(0, space);
    const rest = space === -1 ? "" : trimmed.slice(space + 1).trim();
    const command = findCommand(word);
    if (!command) return hint(this.fit(unknownCommandHint(word, rest.split(/\s+/)[0] || undefined)));
    const dispatched = this.dispatch(command.name, rest);
    // A hint is one line of its own making: fitted here rather than at each of its makers.
    const result = dispatched.ok ? dispatched : { ...dispatched, text: this.fit(dispatched.text) };
    if (result.ok && !NOT_RECORDED.has(command.name)) {
      this.commands.push({ at: isoOf(this.atBefore), line: this.lineBefore, command: trimmed });
      this.dirty = true;
    }
    return result;
  }

  /**
   * Computes, a slice at a time, the projections a command needs (compare, score) and has not
   * got, yielding between slices so that the host can stop it (Ctrl-C) long before a projection
   * would end. Stopped, it leaves nothing half made; run to its end, `execute` finds them
   * computed. Other commands need nothing and it yields nothing.
   */
  *prepare(text: string): Generator<void, void, void> {
    for (const name of this.projectionsNeeded(text)) {
      if (this.projections.has(name)) continue;
      this.say(`projecting ${name} to ${this.times.precise(this.horizonMs)} …`);
      const line = this.lines.get(name)!;
      this.projections.set(name, yield* projectLineInSlices(this.o.input, line, this.runOptions));
    }
  }

  /** Tab completion: candidates for the word being typed, and that word (readline's contract). */
  complete(line: string): [string[], string] {
    const words = line.trimStart().split(/\s+/);
    const partial = words[words.length - 1] ?? "";
    const pick = (candidates: readonly string[]): [string[], string] => {
      const matches = [...new Set(candidates)].filter((c) => c.startsWith(partial));
      // One match is completed with the space after it, as a shell does: a second Tab goes on to
      // the next word rather than list the word just completed.
      return [matches.length === 1 ? [`${matches[0]} `] : matches, partial];
    };
    if (words.length <= 1) return pick(PROMPT_COMMANDS.map((c) => c.name));
    const command = findCommand(words[0])?.name;
    const position = words.length - 1;
    // Past a command's last word there is nothing to offer: a match offered again would be typed
    // again (`switch original original`), now that a completed word brings its space.
    if (command !== undefined && position > (WORDS_TAKEN[command] ?? Number.POSITIVE_INFINITY))
      return pick([]);
    const workers = this.live.world.slots.map((s) => s.id);
    switch (command) {
      case "logs":
        return position === 1 ? pick([...workers, ...LOG_SOURCES]) : pick([]);
      case "why":
        return pick(workers);
      case "switch":
        return pick([...this.lines.keys()]);
      case "compare":
        // A line against itself shows nothing: the second is another.
        return pick([...this.lines.keys()].filter((l) => position === 1 || l !== words[1]));
      case "until":
      case "rewind":
        // Only the chapters it would go to: until goes ahead of now, rewind not; the others are
        // refused, and offering them would tell of chapters to come.
        return pick(
          this.chapters
            .filter((c) => (command === "until" ? c.atMs > this.now : c.atMs <= this.now))
            .map((c) => completionTime(c.atMs, this.times)),
        );
      case "run":
        return pick(["30s", "1m", "2m", "5m", "10m"]);
      case "help":
        return pick(PROMPT_COMMANDS.map((c) => c.name));
      case "what-if":
        return pick(this.whatIfCandidates(words.slice(1), workers));
      default:
        return pick([]);
    }
  }

  /** The session as data, for `save` and the debrief. */
  record(): SessionRecord {
    const c = this.o.input.config;
    const forks = [...this.lines.values()].filter((l) => l.name !== ORIGINAL);
    return {
      format: SESSION_FORMAT,
      version: SESSION_VERSION,
      scenario: this.o.scenario.name,
      seed: c.seed,
      variant: this.o.input.variantName ?? null,
      scheduler: { name: c.scheduler.name, fixes: [...c.scheduler.fixes] },
      facilitator: this.o.facilitator === true,
      revealedAt: this.revealedAt === null ? null : isoOf(this.revealedAt),
      shownScheduleIds: [...this.shownIds].sort(),
      commands: [...this.commands],
      answers: [...this.answers],
      original: this.outcomeOf(ORIGINAL),
      forks: forks.map((l) => {
        const last = l.interventions[l.interventions.length - 1];
        return {
          name: l.name,
          from: l.parent,
          at: isoOf(last.atMs),
          whatIf: last.text,
          action: describeAction(last.action),
          outcome: this.outcomeOf(l.name),
        };
      }),
    };
  }

  /** The saved session as the text of a file. */
  recordText(): string {
    return `${JSON.stringify(this.record(), null, 2)}\n`;
  }

  /**
   * A saved session's commands are about to be replayed: the ids it had been shown count as shown,
   * and one saved before quarantine took only ids shown (version 3 or earlier) is replayed as it
   * was played, each id it quarantines counted as shown from then on. Until `replayed()`.
   */
  replaying(saved: { readonly version?: number; readonly shownScheduleIds?: readonly string[] }): void {
    for (const id of saved.shownScheduleIds ?? []) this.shownIds.add(id);
    this.unchecked = saved.version !== undefined && saved.version < SHOWN_IDS_VERSION;
  }

  /** The replay is over: what is typed next is checked as typed. */
  replayed(): void {
    this.unchecked = false;
  }

  /** The host wrote the session: nothing is unsaved any more. */
  markSaved(): void {
    this.dirty = false;
  }

  // ------------------------------------------------------------ dispatch

  private dispatch(name: string, rest: string): Reply {
    this.atBefore = this.now;
    this.lineBefore = this.current.name;
    switch (name) {
      case "next":
        return this.noArgs(name, rest) ?? this.next();
      case "run":
        return this.run(rest);
      case "until":
        return this.until(rest);
      case "status":
        return this.noArgs(name, rest) ?? reply(this.status());
      case "workers":
        return this.noArgs(name, rest) ?? reply(renderWorkers(this.view()));
      case "logs":
        return this.logs(rest);
      case "alerts":
        return this.noArgs(name, rest) ?? reply(renderAlertHistory(this.view()));
      case "why":
        return this.why(rest);
      case "reveal":
        return this.noArgs(name, rest) ?? this.reveal();
      case "hide":
        return this.noArgs(name, rest) ?? this.hide();
      case "what-if":
        return this.whatIf(rest);
      case "compare":
        return this.compare(rest);
      case "lines":
        return this.noArgs(name, rest) ?? reply(this.renderLines());
      case "switch":
        return this.switchTo(rest);
      case "rewind":
        return this.rewind(rest);
      case "answer":
        return this.answer(rest);
      case "chapter":
        return this.noArgs(name, rest) ?? this.chapter();
      case "score":
        return this.noArgs(name, rest) ?? this.score();
      case "save":
        return this.save(rest);
      case "help": {
        const topic = rest === "" ? undefined : rest.split(/\s+/)[0];
        const text = renderHelp(this.paint, topic, this.columns(), this.revealed);
        return text === null ? hint(`help: ${unknownCommandHint(rest)}`) : reply(text);
      }
      case "quit":
        return this.noArgs(name, rest) ?? { text: "", ok: true, effects: [{ kind: "quit" }] };
      default:
        return hint(unknownCommandHint(name));
    }
  }

  private noArgs(name: string, rest: string): Reply | null {
    return rest === "" ? null : hint(`${name} takes no argument (found "${echoed(rest)}")`);
  }

  // ------------------------------------------------------------ time

  private next(): Reply {
    const index = this.chapterAt + 1;
    // A chapter at the instant the run ended is still paused at.
    const pending = index < this.chapters.length && this.chapters[index].atMs <= this.now;
    const ended = pending ? null : this.endedHint();
    if (ended) return ended;
    const target = index < this.chapters.length ? this.chapters[index].atMs : this.horizonMs;
    return reply(this.advance(target));
  }

  private run(rest: string): Reply {
    if (rest === "") return hint("usage: run <duration>, e.g. run 5m");
    const parsed = parseDuration(rest, { positive: true });
    if (!parsed.ok)
      return hint(
        `run: ${parsed.message}${parsed.suggestion ? ` (did you mean ${parsed.suggestion}?)` : ""}`,
      );
    return this.endedHint() ?? reply(this.advance(this.now + parsed.ms));
  }

  private until(rest: string): Reply {
    if (rest === "") return hint("usage: until <time>, e.g. until 10:00");
    const m = this.moment(rest, "until");
    if (!m.ok) return momentFailure(m);
    const ended = this.endedHint();
    if (ended) return ended;
    const text = this.advance(m.atMs);
    return reply(m.note === null ? text : `${this.fit(this.paint.dim(m.note))}\n${text}`);
  }

  /**
   * Runs towards `target`, stopping at the next chapter on the way (one at the instant of the
   * chapter paused at is next, without running time), and says what happened.
   */
  private advance(target: number): string {
    const from = this.now;
    const following = this.chapterAt + 1;
    const chapter =
      following < this.chapters.length && this.chapters[following].atMs <= target ? following : -1;
    const to = chapter === -1 ? Math.min(target, this.horizonMs) : this.chapters[chapter].atMs;
    const obs = this.live.observer;
    const crashesBefore = obs.crashes;
    const logsBefore = obs.logTotal;
    const alertsBefore = obs.alerts.length;
    this.live.advanceTo(to);
    if (chapter !== -1) this.chapterAt = chapter;
    const summary =
      this.now === from && chapter !== -1
        ? `${this.paint.bold(this.times.precise(from))}: no time passes, the next chapter is at the same instant`
        : this.intervalSummary(from, crashesBefore, logsBefore);
    const parts = [this.fit(summary)];
    for (const a of obs.alerts.slice(alertsBefore))
      parts.push(
        this.fit(
          `  ${this.times.precise(a.t)} ${a.kind === "fired" ? this.paint.red("ALERT FIRED") : this.paint.green("alert resolved")} ${a.rule}: ${a.metric} = ${a.value}`,
        ),
      );
    if (chapter !== -1) {
      parts.push("", this.renderChapter(chapter));
      if (target > to) {
        // A `run` past the end goes no further than the end: say that, not a time after it.
        const goal =
          target > this.horizonMs
            ? `at a chapter on the way to the end, ${this.times.precise(this.horizonMs)}`
            : `at the chapter before ${this.times.precise(target)}`;
        parts.push(this.fit(this.paint.dim(`  (paused ${goal}: run or until again to go on)`)));
      }
    } else parts.push(renderGlance(this.view()));
    const stop = this.live.stopped;
    // The end of the run is the debrief: the write-up the on-call view kept back.
    if (stop !== null) parts.push("", this.endText(), "", this.writeUp());
    return parts.join("\n");
  }

  private intervalSummary(from: number, crashesBefore: number, logsBefore: number): string {
    const obs = this.live.observer;
    const crashes = obs.crashes - crashesBefore;
    const logs = obs.logTotal - logsBefore;
    const facts = [
      crashes === 0 ? "no crash" : this.paint.red(plural(crashes, "worker crash", "worker crashes")),
      plural(logs, "new log line"),
    ];
    return `${this.paint.bold(`${this.times.precise(from)} → ${this.times.precise(this.now)}`)} (${formatDuration(this.now - from)}): ${facts.join(", ")}`;
  }

  private endedHint(): Reply | null {
    return this.live.stopped === null
      ? null
      : refusal(`the run is over (${this.times.precise(this.now)}): rewind, compare, score or quit`);
  }

  private endText(): string {
    // A stop's detail is a clause; the sentence ends before the next one starts.
    const sentence = (clause: string) => (/[.!?]$/.test(clause) ? clause : `${clause}.`);
    const stop = this.live.stopped!;
    const why =
      stop.reason === "horizon"
        ? `The run reached its end (${this.times.precise(this.horizonMs)}).`
        : `The run stopped early at ${this.times.precise(this.now)}: ${sentence(stop.detail)}`;
    return this.fit(
      `${this.paint.bold(why)} compare and score show how your what-ifs played out; rewind goes back.`,
    );
  }

  private rewind(rest: string): Reply {
    if (rest === "") return hint("usage: rewind <time>, e.g. rewind 09:45 or rewind -2m");
    const m = this.moment(rest, "rewind");
    if (!m.ok) return momentFailure(m);
    const t = m.atMs;
    // Actions at the moment itself are undone: rewinding to a fork's moment offers the choice again.
    const kept = this.current.interventions.filter((i) => i.atMs < t);
    const line = this.findLine(kept) ?? this.current;
    const left = this.current.name;
    // Where the line left parts from the one landed on: at `t` itself when its action was there.
    const partsAt = this.current.interventions.find((i) => i.atMs >= t)?.atMs ?? t;
    this.rebuild(
      line,
      t,
      `rewinding: re-running ${line.name} from ${this.times.precise(this.startMs)} to ${this.times.precise(t)}`,
    );
    this.chapterAt = this.chapterLandedAt(this.now);
    const lines = [
      `${this.paint.bold(`Rewound to ${this.times.precise(t)}`)} on ${line.name} (re-ran from ${this.times.precise(this.startMs)}: same seed, same world).`,
    ];
    if (line.name !== left)
      lines.push(
        `  ${left} forks at ${this.times.precise(partsAt)}: you are back on ${line.name}; switch ${left} returns to it.`,
      );
    const index = this.chapterIndex();
    if (index >= 0)
      lines.push(`  Chapter ${index + 1} of ${this.chapters.length}: ${this.chapters[index].title}`);
    lines.push(renderGlance(this.view()));
    return reply(this.fit(lines.join("\n")));
  }

  /** The terminal's width, if known and not absurdly narrow. */
  private columns(): number | undefined {
    const columns = this.o.columns?.();
    return columns === undefined ? undefined : Math.max(COLUMNS_MIN, columns);
  }

  /**
   * Each line of `text` fitted to the terminal's width when known (see `fitLine`): one-liners
   * that a narrow terminal would otherwise break at any character. Unchanged without a width.
   */
  private fit(text: string): string {
    return fitLines(text, this.columns());
  }

  /** A progress note (a re-run, a projection) for the host, fitted to the terminal as replies are. */
  private say(note: string): void {
    this.o.note?.(this.fit(note));
  }

  /** The width prose wraps to: today's, or the terminal's when narrower. */
  private textWidth(): number {
    return Math.min(TEXT_WIDTH, this.columns() ?? TEXT_WIDTH);
  }

  /** Where `until` or `rewind` goes (see `resolveMoment`). */
  private moment(text: string, verb: "until" | "rewind"): Moment {
    return resolveMoment(text, verb, { startMs: this.startMs, nowMs: this.now, horizonMs: this.horizonMs });
  }

  // ------------------------------------------------------------ views

  private status(): string {
    const index = this.chapterIndex();
    const where =
      index >= 0
        ? `chapter ${index + 1} of ${this.chapters.length} (${this.chapters[index].title})`
        : "before the first chapter";
    const mode = this.revealed ? this.paint.magenta("revealed") : "on-call view";
    const parts = [
      this.fit(
        `${this.paint.bold(`${this.times.precise(this.now)} UTC`)} · ${where} · line ${this.current.name} · ${mode}`,
      ),
      renderDashboard(this.view()),
      ...termNotes(["crashLooping"], this.paint, this.columns()),
      renderFiring(this.view()),
    ];
    if (this.revealed) parts.push(renderPoison(this.live, this.paint, this.columns()));
    return parts.join("\n");
  }

  private logs(rest: string): Reply {
    const words = rest === "" ? [] : rest.split(/\s+/);
    let source: string | null = null;
    let count = LOG_LINES_DEFAULT;
    for (const w of words) {
      // Sources are named in lower case (w3, deploy) and read in any, as commands are.
      const named = w.toLowerCase();
      if (/^\+?\d+$/.test(w)) {
        if (Number(w) === 0) return hint("logs: the number of lines must be at least 1 (logs w3 40)");
        count = Math.min(LOG_LINES_MAX, Number(w));
      } else if (this.isSource(named)) {
        if (source !== null) return hint(`logs: one source at a time (found ${source} and ${named})`);
        source = named;
      } else if (/^[-+]?(\d+\.?\d*|\.\d+)$/.test(w)) {
        return hint(`logs: the number of lines must be a whole number, at least 1, not ${w} (logs w3 40)`);
      } else if (source !== null) {
        return hint(
          `logs: "${echoed(w)}" is neither a number of lines nor a second source (logs ${source} 40)`,
        );
      } else {
        const guess = closest(w, this.sources());
        return hint(
          `logs: no source "${echoed(w)}"${guess ? `; did you mean ${guess}?` : ""} (workers, supervisor, deploy, ops)`,
        );
      }
    }
    return reply(renderLogs(this.view(), source, count));
  }

  private why(rest: string): Reply {
    const target = /^([^#\s]+)(?:#(\d+))?$/.exec(rest);
    if (target === null) return hint("usage: why <worker>, e.g. why w3 (or w3#2 for its second death)");
    // Workers are named in lower case (w3) and read in any, as logs reads them.
    const worker = target[1].toLowerCase();
    const named = target[2] === undefined ? worker : `${worker}#${target[2]}`;
    if (!this.live.world.slot(worker)) {
      const ids = this.live.world.slots.map((s) => s.id);
      const guess = closest(worker, ids);
      return hint(
        `why: no worker "${echoed(target[1])}"${guess ? `; did you mean ${guess}?` : ""} (workers: ${fleetText(ids)})`,
      );
    }
    // Crash times and reasons are what the supervisor reports: numbered as `aftershock why` does.
    const events = this.live.causes.events;
    const deaths = numberedCrashes(events, worker);
    if (deaths.length === 0) return reply(`${worker} has not crashed (by ${this.times.precise(this.now)}).`);
    const range = crashRangeText(named, events);
    if (range !== null) {
      const text = `why at ${this.times.precise(this.now)}: ${range}`;
      // A death the worker may still have later in the run is understood, not possible yet; #0,
      // or any number once the run is over, names a death it will never have.
      const later = target[2] !== undefined && Number(target[2]) >= 1 && this.live.stopped === null;
      return later ? refusal(text) : hint(text);
    }
    const nth = target[2] === undefined ? null : Number(target[2]);
    if (this.revealed) return reply(renderWhy(this.live, named, this.paint, this.columns())!);
    return reply(this.onCallWhy(worker, nth === null ? null : deaths[nth - 1], nth, deaths.length));
  }

  /** A worker's exits as the supervisor and the logs show them: the latest, or the n-th death. */
  private onCallWhy(worker: string, death: TraceEvent | null, nth: number | null, count: number): string {
    const slot = this.live.world.slot(worker)!;
    const latest = this.live.observer.lastExit.get(worker)!;
    const exit =
      death === null
        ? latest
        : { t: death.t, reason: death.reason === "panic" ? "panic" : "killed", error: optText(death.error) };
    const upTo = exit.t;
    const crashes = this.live.observer.logs.filter(
      (l) =>
        l.source === worker && l.level === "error" && l.t <= upTo && /^(panic|process killed)/.test(l.text),
    );
    const which = nth === null ? "last exit" : `death #${nth} of ${count}`;
    return [
      this.fit(this.paint.bold(`${worker}, as the on-call engineer sees it`)),
      this.fit(
        `  ${restartsText(this.view(), worker, slot.restarts)}; ${which} at ${this.times.precise(exit.t)}: ${exit.reason === "panic" ? `panic (${panicWords(exit.error)})` : "killed"}`,
      ),
      ...crashes.slice(-5).map((l) => renderLogLine(l, this.view())),
      this.fit(
        this.paint.dim(
          "  Why it died is hidden in the on-call view: reveal (or --facilitator) shows the causal chain.",
        ),
      ),
    ].join("\n");
  }

  private reveal(): Reply {
    if (!this.revealed) this.revealedAt ??= this.now;
    this.revealed = true;
    return reply(`${this.writeUp()}\n\n${renderReveal(this.live, this.paint, this.columns())}`);
  }

  /**
   * The scenario's description, which tells the cause and the fix: for reveal and the debrief;
   * with the assumptions as written where the on-call view showed them in other words (not after
   * an opening that gave them as written, the facilitator's: they would be said twice).
   */
  private writeUp(): string {
    const onCall = this.o.scenario.onCallAssumptions ?? null;
    const all = this.assumptions;
    const reworded =
      !this.introGaveWrittenAssumptions &&
      onCall !== null &&
      (onCall.length !== all.length || onCall.some((a, i) => a !== all[i]));
    return [
      this.fit(this.paint.bold("What happened (the scenario's account)")),
      wrap(this.o.scenario.description, this.textWidth(), "  "),
      ...(reworded
        ? this.assumptionLines(
            "The assumptions as written (the on-call view showed them without the cause):",
            all,
          )
        : []),
    ].join("\n");
  }

  /** The scenario's assumptions, as written. */
  private get assumptions(): readonly string[] {
    return this.o.input.assumptions ?? [];
  }

  /** `assumptions` under `title`, one an item; nothing when there are none. */
  private assumptionLines(title: string, assumptions: readonly string[]): string[] {
    if (assumptions.length === 0) return [];
    return [
      this.fit(`  ${this.paint.yellow(title)}`),
      ...assumptions.map((a) => this.paint.dim(wrap(`- ${a}`, this.textWidth(), "    ", "      "))),
    ];
  }

  private hide(): Reply {
    this.revealed = false;
    return reply(this.fit("Back to the on-call view: dashboards, alerts, logs and the supervisor only."));
  }

  private chapter(): Reply {
    const index = this.chapterIndex();
    if (this.chapters.length === 0) return refusal("this scenario has no chapters: its run does not pause");
    if (index < 0) return refusal("no chapter yet: next runs to the first one");
    return reply(this.renderChapter(index));
  }

  /**
   * Said under each chapter when the world starts with another scheduler than the scenario's
   * (`--variant fixed`): the chapters narrate the scenario's run, which this world need not follow.
   * A module's registered name is the CLI's to give, and the CLI warns of a module run otherwise.
   */
  private otherSchedulerNote(): string | null {
    const own = this.o.scenario.scheduler;
    if (own.kind !== "builtin") return null;
    const runs = this.o.input.config.scheduler;
    const sameFixes =
      runs.fixes.length === own.fixes.length && own.fixes.every((f) => runs.fixes.includes(f));
    if (runs.name === own.version && sameFixes) return null;
    const text = (name: string, fixes: readonly string[]) =>
      fixes.length === 0
        ? `${name} (no fixes)`
        : this.revealed
          ? `${name} (${fixes.join(", ")})`
          : fixesCounted(name, fixes);
    return `  This world starts with ${text(runs.name, runs.fixes)}, not the scenario's ${text(own.version, own.fixes)}: the story above is the scenario's; the screens below are this world's.`;
  }

  private renderChapter(index: number): string {
    const c = this.chapters[index];
    const { paint } = this;
    const title = `── Chapter ${index + 1} of ${this.chapters.length} · ${this.times.precise(c.atMs)} · ${c.title} `;
    const width = this.textWidth();
    const lines = [paint.bold(ruledTitle(title, width)), wrap(c.text, width, "  ")];
    if (c.question !== null) {
      lines.push(
        "",
        // On one line unless the terminal's width is known (as before there was one).
        wrap(`${paint.cyan("Question:")} ${c.question}`, this.columns() ?? Infinity, "  ", "    "),
        paint.dim("  (answer <text> records your answer)"),
      );
    }
    if (this.current.name !== ORIGINAL)
      lines.push(
        this.fit(
          paint.yellow(
            `  You are on ${this.current.name}: the story above is the original timeline's; the screens below are this line's.`,
          ),
        ),
      );
    const other = this.otherSchedulerNote();
    if (other !== null) lines.push(this.fit(paint.yellow(other)));
    const view = this.view();
    const recent = this.live.observer.logs.slice(-CHAPTER_LOG_LINES);
    lines.push(
      "",
      this.fit(paint.bold(`What the on-call engineer sees at ${this.times.precise(this.now)}`)),
      renderDashboard(view),
      renderFiring(view),
      paint.bold("Recent logs"),
      ...(recent.length === 0
        ? [paint.dim("  (nothing logged)")]
        : recent.map((l) => renderLogLine(l, view))),
    );
    if (this.revealed) lines.push("", renderPoison(this.live, paint, this.columns()));
    return lines.join("\n");
  }

  /** The chapter the session is paused at (or last passed), or -1. */
  private chapterIndex(): number {
    return this.chapterAt;
  }

  /**
   * The chapter a session that lands at `t` (its start, a rewind, a switch) is at: the first of
   * those at `t`, so that the others follow on `next`; else the last one before `t`; else -1.
   */
  private chapterLandedAt(t: number): number {
    const at = this.chapters.findIndex((c) => c.atMs === t);
    if (at !== -1) return at;
    let index = -1;
    for (let i = 0; i < this.chapters.length; i++) if (this.chapters[i].atMs < t) index = i;
    return index;
  }

  private view(): ViewContext {
    const c = this.o.input.config;
    return {
      live: this.live,
      paint: this.paint,
      sloMs: c.sloMs,
      sampleIntervalMs: c.sampleIntervalMs,
      revealed: this.revealed,
      clock: this.times,
      columns: this.columns(),
    };
  }

  // ------------------------------------------------------------ forks

  private whatIf(rest: string): Reply {
    const ended = this.endedHint();
    if (ended) return ended;
    const parsed = parseWhatIf(rest, whatIfStepMs(this.o.input.config.timeline), !this.revealed);
    if (!parsed.ok) return hint(`what-if: ${parsed.message}`);
    const problem = this.checkAction(parsed.action);
    if (problem !== null) return problem;
    const action = this.withoutIdleBundled(parsed.action);
    const step: Intervention = { atMs: this.now, action, text: parsed.text };
    const interventions = [...this.current.interventions, step];
    let line = this.findLine(interventions);
    // The same action at the same moment is the same line (see `actionKey`): say it was there.
    const reused = line !== null;
    if (line === null) {
      if (this.lines.size > FORKS_MAX)
        return refusal(`what-if: at most ${FORKS_MAX} forks a session; rewind and switch reuse them`);
      line = { name: `fork-${++this.forkCount}`, parent: this.current.name, interventions };
      this.lines.set(line.name, line);
    }
    const parent = this.current.name;
    // Re-run, not act on the paused world: the action takes its place among the events of this
    // instant as in a scenario file (see `lineInput`), so the fork is that scenario exactly.
    this.rebuild(
      line,
      this.now,
      `forking: re-running ${line.name} from ${this.times.precise(this.startMs)} to ${this.times.precise(this.now)}`,
    );
    const ahead = this.asDeployed(this.o.input.config.timeline.filter((a) => a.atMs > this.now));
    const [deployed] = this.asDeployed([{ ...action, atMs: this.now }]);
    const where = !reused
      ? `Now on ${line.name}, forked from ${parent}.`
      : `Same action as ${line.name} (${describeStep(line, this.times)}): back on ${line.name}.`;
    const lines = [
      `${this.paint.bold(`What if, at ${this.times.precise(this.now)}:`)} ${describeWhatIf(deployed, formatDuration, this.revealed)}`,
      `  ${where} next or run 5m to watch it unfold; compare shows it against the original; switch ${parent} goes back.`,
    ];
    // The timeline still to come tells the story (the trigger, the fix and when it ships): the
    // on-call view says only that it goes on, whether or not anything is left of it.
    if (!this.revealed)
      lines.push(
        this.paint.dim(
          `  The scenario's own timeline goes on as before: your what-if is added to it at ${this.times.precise(this.now)} and replaces none of it (what it still holds is told at the end of the run, or on reveal).`,
        ),
      );
    else if (ahead.length > 0)
      lines.push(
        this.paint.dim(
          `  The scenario's own timeline still follows: ${ahead.map((a) => `${describeTimed(a, true)} at ${this.times.precise(a.atMs)}`).join("; ")}.`,
        ),
      );
    return reply(this.fit(lines.join("\n")));
  }

  /**
   * `action` without its `bundled` where no module stands for v2 (a world that starts with a
   * bundled scheduler), whose deploys of v2 are the bundled v2 already: `deploy fixed bundled` is
   * then the same action as `deploy fixed`, and the same line.
   */
  private withoutIdleBundled(action: Intervention["action"]): Intervention["action"] {
    if (action.action !== "deploy" || action.bundled !== true || this.moduleStandsForV2()) return action;
    const { bundled: _, ...rest } = action;
    return rest;
  }

  /** Whether a deploy of v2 deploys a scheduler module in this world (`moduleStandsForV2`). */
  private moduleStandsForV2(): boolean {
    const v2: TimedAction = { action: "deploy", scheduler: "v2", fixes: [], stepDelayMs: 0, atMs: this.now };
    const [deployed] = this.asDeployed([v2]);
    return deployed.action === "deploy" && deployed.scheduler !== "v2";
  }

  /**
   * Timeline actions as the world will carry them out: in a world run by a scheduler module, a
   * deploy of v2 rolls out the module in its place (with the fixes it lists), and says so.
   */
  private asDeployed(actions: readonly TimedAction[]): readonly TimedAction[] {
    return worldConfigOf({ ...this.o.input.config, timeline: [...actions] }, this.schedulers).timeline;
  }

  /**
   * Why a what-if cannot fork here, or null: a hint for a name the run does not know (a typo, most
   * likely), a refusal for an action understood but that would change nothing now.
   */
  private checkAction(action: Intervention["action"]): Reply | null {
    const world = this.live.world;
    switch (action.action) {
      case "deploy":
        if (!this.schedulers.has(action.scheduler))
          return hint(
            `what-if: no scheduler "${echoed(action.scheduler)}" (known: ${[...this.schedulers.keys()].join(", ")}, or a variant: ${namedVariants(!this.revealed).join(", ")})`,
          );
        // A known name that is not v2 (`parseWhatIf` refuses v1): a module.
        if (action.bundled === true && action.scheduler !== "v2")
          return hint(`what-if: ${bundledRefusal(action.scheduler, true)}`);
        return null;
      case "quarantine-schedule": {
        // The on-call view names no job (a panic names its goroutine): an id not shown yet is
        // refused in the same words whether the store has it or not, or guesses would find them.
        if (this.unchecked) this.shownIds.add(action.schedule);
        if (this.revealedAt === null && !this.shownIds.has(action.schedule))
          return refusal(
            `what-if: the on-call view has shown no schedule "${echoed(action.schedule)}" (a panic names no job); reveal shows the hidden state, schedule ids included`,
          );
        const row = world.store.schedules.get(action.schedule);
        if (!row) return hint(`what-if: no schedule "${echoed(action.schedule)}" in the store now`);
        return row.quarantined ? refusal(`what-if: ${action.schedule} is already quarantined`) : null;
      }
      case "scale": {
        // Scaling to the size the fleet has is a fork that changes nothing: no worker starts or stops.
        const fleet = world.activeSlots().length;
        return action.workers === fleet
          ? refusal(
              `what-if: the fleet already has ${plural(fleet, "worker")}: scaling to ${action.workers} changes nothing`,
            )
          : null;
      }
      case "restart-worker":
      case "kill-worker": {
        const slot = world.slot(action.worker);
        // A worker a scale-down removed is one the run knew: understood, but nothing to act on.
        if (slot?.state === "removed")
          return refusal(
            `what-if: ${action.worker} was removed by a scale-down: it has no process to ${whatIfVerbOf(action.action)}`,
          );
        if (!slot) {
          const guess = closest(
            action.worker,
            world.activeSlots().map((s) => s.id),
          );
          return hint(
            `what-if: no worker "${echoed(action.worker)}" in the fleet${guess ? `; did you mean ${guess}?` : ""}`,
          );
        }
        // A worker without a process (in back-off) is already down: a kill would change nothing.
        // A restart would: it starts the process now, before the back-off ends.
        if (action.action === "kill-worker" && slot.process === null)
          return refusal(
            `what-if: ${action.worker} is already down (${slot.state === "backoff" ? "in back-off" : slot.state}): killing it changes nothing`,
          );
        return null;
      }
      default:
        return null;
    }
  }

  private findLine(interventions: readonly Intervention[]): Line | null {
    for (const line of this.lines.values())
      if (sameInterventions(line.interventions, interventions)) return line;
    return null;
  }

  private switchTo(rest: string): Reply {
    if (rest === "" || /\s/.test(rest)) return hint("usage: switch <line> (lines lists them)");
    // Lines are named in lower case (original, fork-1) and read in any, as logs reads workers.
    const line = this.lines.get(rest.toLowerCase());
    if (!line) return hint(this.unknownLine("switch", rest));
    if (line.name === this.current.name) return reply(`Already on ${line.name}.`);
    const forkedAt =
      line.interventions.length === 0 ? this.startMs : line.interventions[line.interventions.length - 1].atMs;
    const t = Math.max(this.now, forkedAt);
    this.rebuild(
      line,
      t,
      `switching: re-running ${line.name} from ${this.times.precise(this.startMs)} to ${this.times.precise(t)}`,
    );
    // Where the time stays, so does the chapter.
    if (this.now !== this.atBefore) this.chapterAt = this.chapterLandedAt(this.now);
    const text = [
      `${this.paint.bold(`Now on ${line.name}`)} at ${this.times.precise(t)}${t > this.atBefore ? ` (it forks at ${this.times.precise(forkedAt)}, later than where you were)` : ""}.`,
    ];
    if (line.interventions.length > 0) text.push(`  ${line.name}: ${describeLine(line, this.times)}`);
    text.push(renderGlance(this.view()));
    if (this.live.stopped !== null) text.push(this.endText());
    return reply(this.fit(text.join("\n")));
  }

  private rebuild(line: Line, t: number, note: string): void {
    this.say(note);
    const live = new LiveWorld(this.o.input, line, this.runOptions, [], this.noteShown);
    live.advanceTo(t);
    this.live = live;
    this.current = line;
  }

  /**
   * The lines, one a row: name, what-ifs, and the outcome once projected (by `compare` or
   * `score`), each in a column of its own. A row wider than the terminal puts its outcome on a
   * line of its own under its what-ifs, which break onto indented lines as any reply's do.
   */
  private renderLines(): string {
    const lines = [...this.lines.values()];
    const nameWidth = Math.max(...lines.map((l) => l.name.length));
    const steps = lines.map((l) => describeStep(l, this.times));
    const stepWidth = Math.max(...steps.map((t) => t.length));
    const outcomes = lines.map((l) => {
      const p = this.projections.get(l.name);
      if (p === undefined) return null;
      return `all clear ${p.allClearAtMs === null ? "-" : this.times.precise(p.allClearAtMs)}, ${p.metrics.deliveries.late} late`;
    });
    const indent = 6 + nameWidth;
    const widest = indent + stepWidth + 2 + Math.max(0, ...outcomes.map((o) => o?.length ?? 0));
    const columns = this.columns();
    // All rows alike: one line each when the widest fits, else each outcome under its what-ifs.
    const under = columns !== undefined && widest > columns;
    const hang = " ".repeat(indent);
    const rows = lines.flatMap((l, i) => {
      const mark = l.name === this.current.name ? "*" : " ";
      const head = `  ${mark} ${l.name.padEnd(nameWidth)}  `;
      // What-ifs too long for the terminal go on under themselves, in their column.
      const step = columns === undefined ? `${head}${steps[i]}` : wrap(steps[i], columns, head, hang);
      const outcome = outcomes[i];
      if (outcome === null) return [step];
      if (under) return [step, `${hang}${outcome}`];
      return [`${head}${steps[i].padEnd(stepWidth)}  ${outcome}`];
    });
    return this.fit([this.paint.bold("Lines (* = where you are)"), ...rows].join("\n"));
  }

  /** The lines `text` would project: those of a valid compare or score, else none. */
  private projectionsNeeded(text: string): string[] {
    const trimmed = text.trim();
    const space = trimmed.search(/\s/);
    const command = findCommand(space === -1 ? trimmed : trimmed.slice(0, space))?.name;
    const rest = space === -1 ? "" : trimmed.slice(space + 1).trim();
    if (command === "score") return rest === "" ? [...this.lines.keys()] : [];
    if (command !== "compare") return [];
    const pair = this.comparePair(rest);
    // The original too: every line's time to all clear runs from its first sign of trouble.
    return Array.isArray(pair) ? [...new Set([ORIGINAL, ...pair])] : [];
  }

  private compare(rest: string): Reply {
    const pair = this.comparePair(rest);
    if (!Array.isArray(pair)) return pair;
    const [a, b] = pair.map((n) => this.projected(n));
    return reply(renderCompare(a, b, this.startMs, this.paint, this.times, this.columns(), this.revealed));
  }

  /** The two lines `compare <rest>` shows, or the hint saying why it cannot. */
  private comparePair(rest: string): [string, string] | Reply {
    const typed = rest === "" ? [] : rest.split(/\s+/);
    if (typed.length > 2) return hint("usage: compare [line] [line]");
    for (const n of typed) if (!this.lines.has(n.toLowerCase())) return hint(this.unknownLine("compare", n));
    // Read in any case, as switch reads a line.
    const names = typed.map((n) => n.toLowerCase());
    let pair: [string, string];
    if (names.length === 2) pair = [names[0], names[1]];
    else if (names.length === 1) {
      if (names[0] === ORIGINAL) return hint("compare original with which fork? e.g. compare fork-1");
      pair = [ORIGINAL, names[0]];
    } else if (this.current.name !== ORIGINAL) pair = [ORIGINAL, this.current.name];
    else {
      const forks = [...this.lines.keys()].filter((n) => n !== ORIGINAL);
      // Understood, only not possible before a first what-if: a script does not count it as a typo.
      if (forks.length === 0) return refusal(`no fork yet: ${noForkYet(this.live.stopped !== null)}`);
      pair = [ORIGINAL, forks[forks.length - 1]];
    }
    if (pair[0] === pair[1]) return hint(`compare: ${pair[0]} against itself shows nothing`);
    return pair;
  }

  private score(): Reply {
    const original = this.projected(ORIGINAL);
    const forks = [...this.lines.keys()].filter((n) => n !== ORIGINAL).map((n) => this.projected(n));
    return reply(
      renderScore(original, forks, this.paint, this.times, this.columns(), this.live.stopped !== null),
    );
  }

  private projected(name: string): ProjectedLine {
    const line = this.lines.get(name)!;
    return { line, projection: this.measured(this.projection(name)) };
  }

  private projection(name: string): Projection {
    let projection = this.projections.get(name);
    if (projection === undefined) {
      this.say(`projecting ${name} to ${this.times.precise(this.horizonMs)} …`);
      projection = projectLine(this.o.input, this.lines.get(name)!, this.runOptions);
      this.projections.set(name, projection);
    }
    return projection;
  }

  /** `p` with its time to all clear from the original's first sign of trouble (`measuredFrom`). */
  private measured(p: Projection): Projection {
    return measuredFrom(p, this.projection(ORIGINAL).incidentStartMs);
  }

  private outcomeOf(name: string): RecordedOutcome | null {
    const projected = this.projections.get(name);
    if (!projected) return null;
    // The original is projected before any fork (compare and score project it first): a save,
    // which may come on a signal, never waits for a projection.
    const p = measuredFrom(projected, this.projections.get(ORIGINAL)?.incidentStartMs ?? null);
    return {
      allClearAt: p.allClearAtMs === null ? null : isoOf(p.allClearAtMs),
      timeToAllClearMs: p.timeToAllClearMs,
      recoveredAt: p.metrics.recoveredAt,
      cascadeEndedAt: p.lastPanicDeathMs === null ? null : isoOf(p.lastPanicDeathMs),
      panicDeaths: p.metrics.panicDeaths,
      lateDeliveries: p.metrics.deliveries.late,
      missedDeliveries: p.metrics.deliveries.missed,
      duplicateDeliveries: p.metrics.deliveries.duplicate,
      traceHash: p.traceHash,
    };
  }

  private unknownLine(verb: string, name: string): string {
    const guess = closest(name, [...this.lines.keys()]);
    return `${verb}: no line "${echoed(name)}"${guess ? `; did you mean ${guess}?` : ""} (lines: ${[...this.lines.keys()].join(", ")})`;
  }

  // ------------------------------------------------------------ debrief

  private answer(rest: string): Reply {
    if (rest === "") return hint("usage: answer <text>");
    const index = this.chapterIndex();
    if (this.chapters.length === 0)
      return refusal("this scenario has no chapters, so no question to answer (save keeps the commands)");
    if (index < 0) return refusal("no chapter yet, so no question: next runs to the first one");
    const c = this.chapters[index];
    this.answers.push({
      chapter: index + 1,
      title: c.title,
      question: c.question,
      answer: rest,
      at: isoOf(this.now),
      line: this.current.name,
    });
    return reply(
      this.fit(
        // The text as kept, so what a script's ` #` comment cut off shows.
        c.question === null
          ? `Noted against chapter ${index + 1} (${c.title}), which asks no question: "${rest}".`
          : `Answer recorded for chapter ${index + 1} (${c.title}): "${rest}".`,
      ),
    );
  }

  private save(rest: string): Reply {
    const words = quotedWords(rest);
    if (words === null) return hint(`save: a quote is not closed in ${rest}`);
    const force = words.includes("--force");
    const files = words.filter((w) => w !== "--force");
    if (files.length !== 1 || files[0] === "")
      return hint('usage: save <file> [--force] (quote a path with spaces: save "my session.json")');
    return {
      text: "",
      ok: true,
      effects: [{ kind: "save", path: files[0], text: this.recordText(), force }],
    };
  }

  // ------------------------------------------------------------ helpers

  /** How the session writes moments: dated when the run spans more than one day. */
  private get times(): RunClock {
    return this.live.clock;
  }

  private get startMs(): number {
    return this.o.input.config.startMs;
  }

  private get horizonMs(): number {
    const c = this.o.input.config;
    return c.startMs + c.durationMs;
  }

  private isSource(word: string): boolean {
    return this.sources().includes(word);
  }

  private sources(): string[] {
    return [...this.live.world.slots.map((s) => s.id), ...LOG_SOURCES];
  }

  /** The schedule ids the on-call view has shown (on any line) that the store has now. */
  private shownScheduleIds(): string[] {
    return [...this.shownIds].filter((id) => this.live.world.store.schedules.has(id));
  }

  private whatIfCandidates(args: readonly string[], workers: readonly string[]): string[] {
    if (args.length <= 1) return WHAT_IF_VERBS.map((v) => v.verb);
    // After `step` comes its duration, and nothing after that.
    if (args.slice(1, -1).includes("step")) return [];
    const typed = args.slice(1, -1);
    switch (args[0]) {
      case "deploy":
        // The on-call view offers no fix by name (`namedVariants`): typed, one is taken all the same.
        if (args.length === 2) return [...namedVariants(!this.revealed), ...this.schedulers.keys(), "step"];
        return [
          // Fixes go after v2 (or a module), not after a named variant, which `deploy` refuses
          // with them (`deploy fixed is a named variant`), as help's `<variant|v1|v2 [fixes...]>` says.
          ...(this.revealed && resolveVariant(typed[0]) === null
            ? SCHEDULER_FIXES.filter((f) => !typed.includes(f))
            : []),
          // Offered where it changes what rolls out: a module stands for the v2 deployed.
          ...(this.moduleStandsForV2() &&
          resolveVariant(typed[0])?.scheduler !== "v1" &&
          !typed.includes("bundled")
            ? ["bundled"]
            : []),
          "step",
        ];
      case "rollback":
        return args.length === 2 ? ["step"] : [];
      case "restart":
      case "kill":
        return args.length === 2 ? [...workers] : [];
      case "quarantine":
        if (args.length > 2) return [];
        // Only what the trainee could know: ids seen in the logs, or the poison ones once revealed.
        return this.revealed ? poisonSchedules(this.live).map((p) => p.schedule) : this.shownScheduleIds();
      case "scale":
        return args.length === 2 ? [String(this.live.world.activeSlots().length * 2)] : [];
      default:
        return [];
    }
  }
}

/** The words a prompt command takes after its name, at most (what-if's are counted per verb). */
const WORDS_TAKEN: Readonly<Record<string, number>> = {
  logs: 2,
  why: 1,
  switch: 1,
  compare: 2,
  until: 1,
  rewind: 1,
  run: 1,
  help: 1,
};

function reply(text: string): Reply {
  return { text, ok: true, effects: [] };
}

/**
 * The words of `text`, split at white space but inside quotes ("a b" or 'a b', the quotes
 * dropped), as a shell would for a path; null when a quote is not closed.
 */
export function quotedWords(text: string): string[] | null {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(["'])|(\s+)|([^\s"']+)/g;
  let word: string | null = null;
  for (const m of text.matchAll(pattern)) {
    if (m[3] !== undefined) return null;
    if (m[4] !== undefined) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + (m[1] ?? m[2] ?? m[5]);
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/**
 * A panic's error as the logs print it (`goPanicText`) and, where the simulated scheduler threw
 * something else, what it threw: the model's own words, kept for whoever asks why.
 */
function panicWords(error: string | null): string {
  if (error === null) return "?";
  const go = goPanicText(error);
  return go === error ? error : `${go}; the simulated scheduler threw ${error}`;
}

function optText(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** `3 chapters pause it`, `1 chapter pauses it`, `no chapter pauses it`: the verb agrees. */
function chapterCount(count: number): string {
  if (count === 0) return "no chapter pauses it";
  return count === 1 ? "1 chapter pauses it" : `${plural(count, "chapter")} pause it`;
}

function hint(text: string): Reply {
  return { text, ok: false, effects: [] };
}

/** A command understood but not possible where the session is. */
function refusal(text: string): Reply {
  return { text, ok: false, refused: true, effects: [] };
}

/** A moment `until` or `rewind` cannot go to: a hint on writing times, or a refusal of one read. */
function momentFailure(m: { readonly message: string; readonly understood: boolean }): Reply {
  return m.understood ? refusal(m.message) : hint(m.message);
}
