import type { TraceEvent, TraceSink } from "../kernel/trace.js";
import { textField } from "./event-view.js";
import { formatDuration, plural } from "./format.js";
import { isHolderDeath } from "./holder-death.js";

type Lookup = (seq: number) => TraceEvent | undefined;

/**
 * How a chain element joins the one before it: `cause` (its `cause` is the element before it,
 * a trace cause link), `root` (its `cause` is null: nothing led to it) or `context` (not led to
 * by the element before it, and the chain does not follow its own `cause`; `context` says why it
 * is there).
 */
export type ChainLinkKind = "cause" | "root" | "context";

/**
 * A chain element: the trace event as it is, with how it joins the element before it (`link`)
 * and, for an element shown as context (`link` is `context`, or one of the context steps put
 * before the chain), why it is there (`context`).
 */
export interface ChainLink extends TraceEvent {
  readonly link: ChainLinkKind;
  readonly context?: string;
}

/**
 * The causal chain behind an event (what `aftershock why` prints): first the context the trace's
 * cause links do not carry, each piece root first, pieces in time order; then the chain itself,
 * from its root to the event, in time order (time, then seq).
 *
 * For an event of a task (a crash by a panic, a fire) the chain follows that task alone: its
 * fires, the faults injected into it, the deaths it caused, and each expiry and acquisition of the lease on its partition
 * that handed it to the next owner, with the death behind each expiry. Plain `cause` links
 * cannot do this on their own: a dead worker's leases all expire with its death as their cause,
 * so a walk of single links from a crash jumps to whichever poison task killed a previous holder
 * of some partition. When a hand-off of this task's partition was caused by a death from another
 * task (two poison tasks on one worker), that death is shown, marked as context: it is what
 * moved this task on. The chain starts at the task's first fire and says so (its `cause`, how
 * the partition came to be owned, is not followed). An event of a message (its send, failure,
 * acknowledgement or dead letter, a retry's too) follows the task that fired the message, with
 * each attempt of the message before it: the trace links a retry's events to the failure that
 * scheduled it, so cause links alone would skip the attempts between.
 *
 * Any other event gets its `cause` links followed back to a root (cause null).
 *
 * A later attempt of a task shows what each attempt before it came to (`EARLIER_OUTCOME`): its
 * delivery, the store call refused or the commit fenced that left the task due again.
 *
 * Context, put first: for a crash, the deploy that put the dead process's scheduler on its worker
 * (`schedulerPiece`); the deletion of the account the chain is about (a panic on a deleted
 * account is caused by the deletion, though no code path links them), with the operator action
 * that deleted it; the arming (when it came due) of an injected fault in the chain
 * (`fault.injected`'s `armed`); the pause of a holder, or the store outage or slowness, under
 * which a lease in the chain ran out with no death behind it (the trace links such an expiry to
 * the tick of the worker that found it expired), or, given the lease TTL (`ChainOptions`), one
 * that ended in the lease's last TTL before it ran out, the renewals it stopped leaving the lease
 * to run out after it (the same for a lease its holder learned it had lost, `lease.lost`); the
 * `http-errors` fault active when a delivery in the chain failed with an HTTP status, and the
 * `http-timeouts` fault active when one that timed out was sent (either kind, if aimed at an
 * account, for that account's deliveries alone).
 * Returns [] when no event has that seq. Bounded by the number of events (a cycle cannot loop).
 */
export function causalChain(
  events: readonly TraceEvent[],
  seq: number,
  options: ChainOptions = {},
): ChainLink[] {
  const lookup = indexBySeq(events);
  const target = lookup(seq);
  if (target === undefined) return [];
  // A message's delivery (a retry's too) follows the task that fired it, and the message's attempts.
  const message = textField(target, "message");
  const task = (message === undefined ? undefined : firingTask(events, message)) ?? textField(target, "task");
  const ofTask = task === undefined ? undefined : taskChain(events, lookup, target, task, message);
  const main = ofTask ?? causeLinks(lookup, target, events.length);
  main.sort((a, b) => a.t - b.t || a.seq - b.seq);
  const shown = new Set(main.map((e) => e.seq));
  const pieces = contextPieces(events, lookup, target, main, options).filter((p) => {
    const fresh = !p.events.some((e) => shown.has(e.seq));
    for (const e of p.events) shown.add(e.seq);
    return fresh;
  });
  pieces.sort((a, b) => a.events[0].t - b.events[0].t || a.events[0].seq - b.events[0].seq);
  const chain: ChainLink[] = [];
  for (const piece of pieces)
    for (const e of piece.events) chain.push(withLink(e, linkKind(e, chain.at(-1)), piece.why));
  main.forEach((e, i) => {
    // The chain's first step joins no step before it, whatever context came first.
    const link = linkKind(e, i === 0 ? undefined : main[i - 1]);
    const context = link === "cause" || (link === "root" && i === 0);
    chain.push(
      withLink(e, link, context ? undefined : stepContext(e, main, lookup, task, ofTask !== undefined)),
    );
  });
  return chain;
}

/** `e` as a chain element, with `why` it is there when it is context. */
function withLink(e: TraceEvent, link: ChainLinkKind, why: string | undefined): ChainLink {
  return why === undefined ? { ...e, link } : { ...e, link, context: why };
}

function linkKind(e: TraceEvent, before: TraceEvent | undefined): ChainLinkKind {
  if (e.cause === null) return "root";
  return before !== undefined && e.cause === before.seq ? "cause" : "context";
}

/** Why a step of the chain that its previous step did not lead to is there. */
function stepContext(
  e: TraceEvent,
  main: readonly TraceEvent[],
  lookup: Lookup,
  task: string | undefined,
  ofTask: boolean,
): string {
  const cause = e.cause === null ? undefined : lookup(e.cause);
  const from =
    e.cause === null
      ? "it has no cause"
      : cause === undefined
        ? `its cause #${e.cause} is not in the events read`
        : main.some((x) => x.seq === e.cause)
          ? `its cause is #${e.cause}, further up`
          : `its cause #${e.cause} (${cause.type}) is not followed`;
  const i = main.indexOf(e);
  const next = main[i + 1];
  if (ofTask && i === 0 && e.type === "schedule.fired")
    return `the chain follows the task from its first fire; ${from}`;
  if (ofTask && isHolderDeath(e) && e.task !== task) {
    const partition = next?.type === "lease.expired" ? ` let partition ${String(next.partition)} go` : "";
    return e.task === undefined
      ? `not a task: this ${e.type === "worker.stopped" && e.graceful !== false ? "stop" : "kill"}${partition}`
      : `a death from another task that${partition || " moved this task on"}`;
  }
  if (ofTask && EARLIER_OUTCOME.has(e.type) && textField(e, "task") === task && e !== main.at(-1))
    return earlierOutcomeText(e, cause);
  if (e.type === "lease.expired" && !isHolderDeath(cause))
    return `${String(e.worker)} did not die: its lease ran out, and the trace's cause (#${String(e.cause)}) is the worker whose tick found it expired, not followed`;
  return from;
}

/** Why an earlier attempt's outcome is in a later attempt's chain (`EARLIER_OUTCOME`). */
function earlierOutcomeText(e: TraceEvent, fire: TraceEvent | undefined): string {
  const attempt = fire?.type === "schedule.fired" ? `attempt ${String(fire.attempt)}` : "an earlier attempt";
  if (e.type === "delivery.acked")
    return `${attempt} delivered its message before the task was due again: the later attempt delivers it again`;
  if (e.type === "task.fenced")
    return `${attempt}'s commit was fenced (its worker no longer held the partition): rolled back, the task stayed due`;
  return e.call === "commit"
    ? `${attempt}'s commit was refused: its effects rolled back, the task stayed due and fired again`
    : `${attempt}'s ${String(e.call)} was refused: the task was let go, still due`;
}

/** What the trace does not say and a caller may know: the world's lease TTL. */
export interface ChainOptions {
  /**
   * A lease runs out this long after its last renewal, so a store outage or a pause of its
   * holder in that time before it ran out missed renewals it needed. Without it, only one under
   * way when the lease ran out is shown (a trace does not record the TTL).
   */
  readonly leaseTtlMs?: number;
}

/** A piece of context: events root first, and why they are there. */
interface ContextPiece {
  readonly events: readonly TraceEvent[];
  readonly why: string;
}

/** The context the chain's own links do not carry (see `causalChain`). */
function contextPieces(
  events: readonly TraceEvent[],
  lookup: Lookup,
  target: TraceEvent,
  main: readonly TraceEvent[],
  options: ChainOptions,
): ContextPiece[] {
  const pieces: ContextPiece[] = [];
  const rootward = (e: TraceEvent) => causeLinks(lookup, e, CONTEXT_LINKS_MAX).reverse();
  const account = accountOf(main, target);
  if (account !== undefined) {
    const deletion = events.find(
      (e) => e.type === "account.deleted" && e.seq < target.seq && textField(e, "account") === account,
    );
    if (deletion !== undefined)
      pieces.push({
        events: rootward(deletion),
        why: `the deletion of ${account}, the account of this chain's task: no cause link joins a deletion to the panic it sets off`,
      });
  }
  if (target.type === "worker.crashed") {
    const ran = schedulerPiece(events, lookup, target);
    if (ran !== null) pieces.push(ran);
  }
  const faults = events.filter((e) => e.type === "fault.injected" && typeof e.durationMs === "number");
  const activeAt = (f: TraceEvent, t: number) => f.t <= t && t < f.t + (f.durationMs as number);
  // What stops a lease's renewals for a while: a pause of its holder, traced as `worker.paused`
  // whether a fault or a timeline action froze it, and a store outage or slowness.
  const stoppers = events.filter(
    (e) =>
      typeof e.durationMs === "number" &&
      (e.type === "worker.paused" ||
        (e.type === "fault.injected" && (e.fault === "store-outage" || e.fault === "store-latency"))),
  );
  const kindOf = (f: TraceEvent) => (f.type === "worker.paused" ? "pause-worker" : String(f.fault));
  // HTTP faults armed before they fire name themselves in each failure they answer (`fault`): a
  // failure without one is the destination's own (`failureRate`).
  const faultsNamed = faults.some(
    (x) => (x.fault === "http-errors" || x.fault === "http-timeouts") && typeof x.armed === "number",
  );
  for (const e of main) {
    if (e.type === "fault.injected" && typeof e.armed === "number") {
      const armed = lookup(e.armed);
      if (armed !== undefined)
        pieces.push({ events: rootward(armed), why: `the arming of the fault #${e.seq}, when it came due` });
    }
    // A lease that ran out with no death behind it, or that its holder learned it had lost (its
    // renewal came too late, or after another worker took the partition): timed from when it ran
    // out, which a lost lease's own expiry says when the trace has it.
    const expired = e.type === "lease.expired" && !isHolderDeath(lookup(e.cause ?? -1));
    if (expired || e.type === "lease.lost") {
      const ranOut = expired
        ? e
        : events.find(
            (x) => x.type === "lease.expired" && x.partition === e.partition && x.token === e.token,
          );
      const at = typeof ranOut?.expiredAt === "number" ? ranOut.expiredAt : e.t;
      const held = `lease on partition ${String(e.partition)} ${expired ? "ran out" : "was lost"}, #${e.seq}`;
      // The lease's last renewal was a TTL before it ran out: what stopped renewals after it.
      const renewedAt = options.leaseTtlMs === undefined ? at : at - options.leaseTtlMs;
      const holder = String(e.worker);
      for (const f of stoppers) {
        const endMs = f.t + (f.durationMs as number);
        if (f.t > at || endMs <= renewedAt) continue;
        if (f.type === "worker.paused" && f.worker !== holder) continue;
        // Under way when the lease ran out, or over before it with too few renewals left to save it.
        const when = activeAt(f, at) ? ", when" : `, until ${formatDuration(at - endMs)} before`;
        pieces.push({
          events: rootward(f),
          why: `${RENEWALS_STOPPED_BY[kindOf(f)](holder)}${when} ${holder}'s ${held}`,
        });
      }
    }
    if (e.type === "worker.stopped" && e.graceful === false)
      for (const f of stoppers.filter(
        (x) => x.type === "worker.paused" && x.worker === e.worker && activeAt(x, e.t),
      ))
        pieces.push({
          events: rootward(f),
          why: `${String(e.worker)} was frozen by this pause when it was stopped, #${e.seq}: it could not shut down`,
        });
    if (e.type === "worker.stopped" && typeof e.unreleased === "number")
      for (const f of stoppers.filter((x) => kindOf(x) === "store-outage" && activeAt(x, e.t)))
        pieces.push({
          events: rootward(f),
          why: `the store was down when ${String(e.worker)} stopped, #${e.seq}: it could not give its leases back`,
        });
    const failed = e.type === "delivery.failed" || e.type === "delivery.failure-dropped";
    if (failed && typeof e.fault === "number") {
      // The world names the HTTP fault that answered the send: the first of those on to strike.
      const f = lookup(e.fault);
      if (f !== undefined) {
        const answer = e.status === 0 ? "no answer in time" : `HTTP ${String(e.status)}`;
        pieces.push({
          events: rootward(f),
          why: `the fault that failed #${e.seq} (${answer}): of the HTTP faults on when it was sent, the first to strike it`,
        });
      }
    } else if (failed && typeof e.status === "number" && !faultsNamed) {
      // A trace written before failures named their fault: the faults of the kind on then.
      // A timeout (status 0) is no HTTP status: an http-errors fault did not answer it, an
      // http-timeouts fault did, one on when it was sent (its answer comes a timeout later).
      const timedOut = e.status === 0;
      const at = timedOut ? (sentBefore(events, e)?.t ?? e.t) : e.t;
      const kind = timedOut ? "http-timeouts" : "http-errors";
      for (const f of faults.filter(
        (x) =>
          x.fault === kind &&
          activeAt(x, at) &&
          // One aimed at an account's destination fails that account's deliveries alone.
          (x.account === undefined || x.account === e.account) &&
          // An http-errors fault answers with its own status: a 500 under a 503 fault is the
          // destination's own failure (`failureRate`), not the fault's.
          (timedOut || injectedStatus(x) === null || injectedStatus(x) === e.status),
      )) {
        const whose = f.account === undefined ? "deliveries" : `account ${String(f.account)}'s deliveries`;
        pieces.push({
          events: rootward(f),
          why: timedOut
            ? `${whose} were timing out by this fault when the send that #${e.seq} answers went out`
            : `${whose} were failing by this fault when #${e.seq} failed with HTTP ${e.status}`,
        });
      }
    }
  }
  return pieces;
}

/**
 * The scheduler the process that died ran, as its `worker.started` says, when a deploy put it on
 * the worker: that deploy (the `deploy.started` of the latest rollout step that replaced the
 * worker before the death, if it deployed that scheduler), from its operator action. A bad
 * deploy's crash loop is explained by this: the chain of the task alone never says the worker
 * runs new code. Null when no deploy put it there (the scheduler the run started with, which the
 * run's header names), or the trace has no start of the process.
 */
function schedulerPiece(
  events: readonly TraceEvent[],
  lookup: Lookup,
  crash: TraceEvent,
): ContextPiece | null {
  const worker = textField(crash, "worker");
  const before = events.filter((e) => e.seq < crash.seq && textField(e, "worker") === worker);
  const started = before.findLast(
    (e) =>
      e.type === "worker.started" && (crash.incarnation === undefined || e.incarnation === crash.incarnation),
  );
  if (worker === undefined || started === undefined) return null;
  const ran = `${worker} ran ${schedulerText(started)}`;
  const step = before.findLast((e) => e.type === "deploy.progressed");
  const deploy = step === undefined ? undefined : rolloutOf(lookup, step, events.length);
  const same = (d: TraceEvent) =>
    d.scheduler === started.scheduler && schedulerText(d) === schedulerText(started);
  if (step === undefined || deploy === undefined || !same(deploy)) return null;
  return {
    events: causeLinks(lookup, deploy, CONTEXT_LINKS_MAX).reverse(),
    why: `${ran} since deploy #${deploy.seq}, which replaced it at #${step.seq}: the scheduler of the process that died, #${crash.seq}`,
  };
}

/** `module:./x.mjs (no fixes)`, `v2 (early-return + panic-recovery)`: a started process's or a deploy's scheduler. */
function schedulerText(e: TraceEvent): string {
  const fixes = Array.isArray(e.fixes) ? e.fixes.map(String) : [];
  return `${String(e.scheduler)} (${fixes.length === 0 ? "no fixes" : fixes.join(" + ")})`;
}

/** The `deploy.started` a rollout step belongs to, by its cause links (each step follows the one before). */
function rolloutOf(lookup: Lookup, step: TraceEvent, bound: number): TraceEvent | undefined {
  let current: TraceEvent | undefined = step;
  for (let i = 0; current !== undefined && i <= bound; i++) {
    if (current.type === "deploy.started") return current;
    current = current.cause === null ? undefined : lookup(current.cause);
  }
  return undefined;
}

/**
 * The status an `http-errors` fault answers with, as its `fault.injected` says it (`50% of
 * deliveries answer 503 for 60000 ms`: the event has no field for it), or null if it does not.
 */
function injectedStatus(f: TraceEvent): number | null {
  const m = / answer (\d{3}) for /.exec(typeof f.detail === "string" ? f.detail : "");
  return m === null ? null : Number(m[1]);
}

/** What each fault that stops a lease's renewals did to them, for the holder named. */
const RENEWALS_STOPPED_BY: Readonly<Record<string, (holder: string) => string>> = {
  "pause-worker": (holder) => `${holder} was paused, missing renewals`,
  "store-outage": () => "the store was down, failing renewals",
  "store-latency": () => "store calls were slowed, delaying renewals",
};

/** How far a piece of context is followed back: a deletion is an operator action's, a fault a root. */
const CONTEXT_LINKS_MAX = 4;

/**
 * The `cause` links from `target` back to a root, target first. A lease that ran out with no
 * death of its holder behind it ends the walk: its trace cause is the tick of the worker that
 * found it expired, whose own history (its start, the death it restarted from) did not end the
 * lease. So does a lease its holder learned it had lost: its cause is that holder's heartbeat.
 */
function causeLinks(lookup: Lookup, target: TraceEvent, bound: number): TraceEvent[] {
  const chain: TraceEvent[] = [];
  const seen = new Set<number>();
  let current: TraceEvent | undefined = target;
  while (current !== undefined && !seen.has(current.seq) && chain.length <= bound) {
    chain.push(current);
    seen.add(current.seq);
    const cause: TraceEvent | undefined = current.cause === null ? undefined : lookup(current.cause);
    if ((current.type === "lease.expired" && !isHolderDeath(cause)) || current.type === "lease.lost") break;
    current = cause;
  }
  return chain;
}

/**
 * The history of `task` up to `target`, target first: every fire of the task, every death of a
 * worker running it, every panic of it recovered, for a quarantine its sends and their failures
 * (what it answers), and from its first fire on, every lease expiry and acquisition of its
 * partition, with the death of the holder that let each lease expire. The first fire's own lease
 * grant is left out: it is how the partition was owned, not a hand-off of the task. Undefined
 * when the task never fired (a message redelivery, or a trace cut before its first fire).
 */
function taskChain(
  events: readonly TraceEvent[],
  lookup: Lookup,
  target: TraceEvent,
  task: string,
  message?: string,
): TraceEvent[] | undefined {
  const first = events.find((e) => e.type === "schedule.fired" && textField(e, "task") === task);
  if (first === undefined || first.seq > target.seq) return undefined;
  const partition = first.partition;
  const chain: TraceEvent[] = [target];
  const seen = new Set<number>([target.seq]);
  const add = (e: TraceEvent | undefined) => {
    if (e === undefined || seen.has(e.seq)) return;
    seen.add(e.seq);
    chain.push(e);
  };
  const holder = new LeaseHolder();
  // What a quarantine answers: the task's sends and their failures, beside its panics.
  const quarantine = target.type === "task.quarantined";
  // The attempt the target belongs to starts at the task's last fire up to it: what each attempt
  // before it came to (a delivery, a commit refused or fenced) is why the task was due again.
  const lastFire = events.findLast(
    (e) => e.seq <= target.seq && e.type === "schedule.fired" && textField(e, "task") === task,
  );
  for (const e of events) {
    if (e.seq >= target.seq) break;
    holder.onEvent(e, partition);
    if (e.seq < first.seq) continue;
    const eTask = textField(e, "task");
    // A retry of the message is a task of its own, `<message>#<attempt>`.
    const ofTask = eTask === task || (message !== undefined && eTask?.startsWith(`${message}#`) === true);
    if (ofTask && TASK_HISTORY.has(e.type)) add(e);
    if (eTask === task && lastFire !== undefined && e.seq < lastFire.seq && EARLIER_OUTCOME.has(e.type))
      add(e);
    if (quarantine && ofTask && e.type.startsWith("delivery.")) add(e);
    // The message's attempts before the event: each send, failure and retry.
    if (message !== undefined && e.type.startsWith("delivery.") && textField(e, "message") === message)
      add(e);
    if (e.type === "lease.acquired" && e.partition === partition) add(e);
    if (e.type === "lease.expired" && e.partition === partition) {
      add(holder.deathBehind(e, lookup));
      add(e);
    }
  }
  return chain;
}

/** The events of a task's own history a chain of it shows: its fires, deaths, faults and recovered panics. */
const TASK_HISTORY: ReadonlySet<string> = new Set([
  "schedule.fired",
  "worker.crashed",
  "fault.injected",
  "panic.recovered",
]);

/**
 * What an earlier attempt of a task came to, shown in a later attempt's chain: its delivery, and
 * the store call refused or the commit fenced that rolled it back and left the task due again
 * (a crash is in `TASK_HISTORY`). A task delivered twice is explained by these.
 */
const EARLIER_OUTCOME: ReadonlySet<string> = new Set(["delivery.acked", "store.refused", "task.fenced"]);

/** The task that fired `message` (the task of its first send), if the trace has it. */
function firingTask(events: readonly TraceEvent[], message: string): string | undefined {
  const sent = events.find((e) => e.type === "delivery.sent" && textField(e, "message") === message);
  return sent === undefined ? undefined : textField(sent, "task");
}

/**
 * Who holds one partition's lease as the trace goes by, and the death that ended that holder:
 * a crash, or a kill while frozen (`worker.stopped`, not graceful). A lease outlives its holder's
 * death by up to a TTL, and a restarted worker can die again before the old lease expires: the
 * death that let the lease expire is the first one after its grant, not the worker's latest, and
 * only if it came before the lease ran out (a frozen holder killed after its lease had run out did
 * not end it). Traces written since the world links a `lease.expired` to exactly that death
 * (`cause`) agree with it; traces saved by earlier versions (for `report`) linked the latest
 * death, so the chain works it out from the trace rather than trust the link.
 */
class LeaseHolder {
  private token: unknown = null;
  private worker: unknown = null;
  private death: TraceEvent | undefined;

  onEvent(e: TraceEvent, partition: unknown): void {
    if (e.type === "lease.acquired" && e.partition === partition) {
      this.token = e.token;
      this.worker = e.worker;
      this.death = undefined;
    } else if (isHolderDeath(e) && e.worker === this.worker && this.death === undefined) {
      this.death = e;
    }
  }

  /** The death behind `expiry`: its holder's, else (the grant not in the trace) its cause if a death. */
  deathBehind(expiry: TraceEvent, lookup: Lookup): TraceEvent | undefined {
    if (this.worker !== null && expiry.token === this.token) {
      const ranOut = typeof expiry.expiredAt === "number" ? expiry.expiredAt : expiry.t;
      return this.death !== undefined && this.death.t < ranOut ? this.death : undefined;
    }
    const cause = expiry.cause === null ? undefined : lookup(expiry.cause);
    return isHolderDeath(cause) ? cause : undefined;
  }
}

/**
 * Resolves what a user typed to name a crash: `w3` (the worker's first panic death, or its first
 * crash if it never panicked), `w3#2` (the second), or a seq number (the event with that seq,
 * whatever its type, so `why` can explain any event). Undefined when nothing matches.
 */
export function findCrash(events: readonly TraceEvent[], workerOrSeq: string): TraceEvent | undefined {
  const target = crashTarget(workerOrSeq);
  if (target === null) return undefined;
  if (target.seq !== null) return indexBySeq(events)(target.seq);
  return numberedCrashes(events, target.worker)[target.nth - 1];
}

/** What `why` names: a trace seq (`1234`), or a worker's nth crash (`w3` for the first, `w3#2`). */
export type CrashTarget =
  | { readonly seq: number; readonly worker: null; readonly nth: 0 }
  | { readonly seq: null; readonly worker: string; readonly nth: number };

/**
 * Why `text` can name no target in any run (null when it may name one): neither a trace seq nor a
 * worker id (`w3`, `w3#2`), or a crash counted from 0 (`w3#0`, told that `w3#1` names the first
 * crash, in the lower case `why` takes, if the run has one: whether the worker crashed, or exists,
 * is known only after the run, `noSuchTarget`). Said before a run, which could not change it.
 */
export function crashTargetProblem(text: string): string | null {
  const ref = text.trim();
  if (/^\d+$/.test(ref)) return null;
  const worker = /^(w\d+)(?:#(\d+))?$/i.exec(ref);
  if (worker === null)
    return `${text}: expected a worker (w3), its nth panic death (w3#2; its nth crash if it never panicked) or a trace seq (a whole number)`;
  if (worker[2] !== undefined && Number(worker[2]) < 1) {
    // Named as `why` takes it: worker ids are lower case (`W3#1` would be refused in turn).
    const first = `${worker[1].toLowerCase()}#1`;
    const lower = first === `${worker[1]}#1` ? "" : "; worker ids are lower case";
    return `${text}: a worker's crashes are counted from 1 (${first} names its first crash, if it has one in the run${lower})`;
  }
  return null;
}

/** `workerOrSeq` read as a target, or null when it names none (`w3#0`, an empty word). */
export function crashTarget(workerOrSeq: string): CrashTarget | null {
  const ref = workerOrSeq.trim();
  if (/^\d+$/.test(ref)) return { seq: Number(ref), worker: null, nth: 0 };
  const match = /^(.+?)(?:#(\d+))?$/.exec(ref);
  if (!match) return null;
  const nth = match[2] === undefined ? 1 : Number(match[2]);
  return nth < 1 ? null : { seq: null, worker: match[1], nth };
}

/** A worker's crashes as `w3#n` numbers them: its panic deaths when it has some, else all its crashes. */
export function numberedCrashes(events: readonly TraceEvent[], worker: string): TraceEvent[] {
  const crashes = events.filter((e) => e.type === "worker.crashed" && textField(e, "worker") === worker);
  const panics = crashes.filter((e) => textField(e, "reason") === "panic");
  return panics.length > 0 ? panics : crashes;
}

/** Each worker that crashed, with its crashes and panic deaths, in order of its first crash. */
export function crashCounts(events: readonly TraceEvent[]): Map<string, { all: number; panics: number }> {
  const crashes = new Map<string, { all: number; panics: number }>();
  for (const e of events) {
    if (e.type !== "worker.crashed") continue;
    const worker = String(e.worker);
    const n = crashes.get(worker) ?? { all: 0, panics: 0 };
    n.all++;
    if (e.reason === "panic") n.panics++;
    crashes.set(worker, n);
  }
  return crashes;
}

/** `w3 (2 panic deaths)`: the crashes `w3#n` counts, as a phrase. */
export function crashCountText(n: { all: number; panics: number }): string {
  return n.panics > 0 ? plural(n.panics, "panic death") : plural(n.all, "crash", "crashes");
}

/** A fleet's worker ids in few words: `w1 to w8` when they run on from w1, else each one. */
export function fleetText(fleet: readonly string[]): string {
  const contiguous = fleet.every((w, i) => w === `w${i + 1}`);
  return contiguous && fleet.length > 1 ? `w1 to w${fleet.length}` : fleet.join(", ");
}

/**
 * For `w3#n` naming a worker that crashed but not that crash (`#0`, or beyond its last): which
 * numbers it has, e.g. `w3#9: w3 has 2 panic deaths, so #1 to #2 (workers that crashed: …)`.
 * Null for any other target. `aftershock why` and the training session's `why` both say this.
 */
export function crashRangeText(target: string, events: readonly TraceEvent[]): string | null {
  const match = /^(.+?)#(\d+)$/.exec(target.trim());
  if (match === null) return null;
  const crashes = crashCounts(events);
  const known = crashes.get(match[1]);
  if (known === undefined) return null;
  const n = known.panics > 0 ? known.panics : known.all;
  const nth = Number(match[2]);
  if (nth >= 1 && nth <= n) return null;
  const list = [...crashes].map(([w, c]) => `${w} (${crashCountText(c)})`).join(", ");
  const numbers = n === 1 ? "only #1" : `#1 to #${n}`;
  return `${target}: ${match[1]} has ${crashCountText(known)}, so ${numbers} (workers that crashed: ${list})`;
}

function indexBySeq(events: readonly TraceEvent[]): Lookup {
  // A full trace has events[i].seq === i; a filtered or partial one needs a map.
  const dense = events.every((e, i) => e.seq === i);
  if (dense) return (seq) => events[seq];
  const bySeq = new Map<number, TraceEvent>();
  for (const e of events) bySeq.set(e.seq, e);
  return (seq) => bySeq.get(seq);
}

/**
 * The account the chain is about: the target's own, else that of the link nearest the target
 * naming one (a lease expiry's chain names the account whose task killed its holder).
 */
function accountOf(main: readonly TraceEvent[], target: TraceEvent): string | undefined {
  const own = textField(target, "account");
  if (own !== undefined) return own;
  for (let i = main.length - 1; i >= 0; i--) {
    const account = textField(main[i], "account");
    if (account !== undefined) return account;
  }
  return undefined;
}

/**
 * The send that a failed delivery answers: the latest before it by the same worker in the same
 * task, of its message and attempt, or of the message it `answers` (a retry given a new id, whose
 * `attempt` is the new message's: the send's own is not traced).
 */
function sentBefore(events: readonly TraceEvent[], failure: TraceEvent): TraceEvent | undefined {
  const renamed = typeof failure.answers === "string";
  const message = renamed ? failure.answers : failure.message;
  // A trace's events sit at their seq, or before it in one that left some out.
  for (let i = Math.min(events.length, failure.seq) - 1; i >= 0; i--) {
    const e = events[i];
    if (e.seq >= failure.seq || e.type !== "delivery.sent" || e.message !== message) continue;
    if (e.worker === failure.worker && e.task === failure.task && (renamed || e.attempt === failure.attempt))
      return e;
  }
  return undefined;
}

/** The events a delivery makes by the thousand: a fire, its send, its answer and its commit. */
const PER_DELIVERY: ReadonlySet<string> = new Set([
  "schedule.fired",
  "delivery.sent",
  "delivery.acked",
  "task.committed",
]);

/**
 * The events a causal chain may read, kept as a run goes, in memory that follows the run's live
 * state rather than its length (`why` on a long run once held every event before its target,
 * gigabytes for a death tens of millions of events in): every event but those a delivery makes by
 * the thousand, which are kept for a task only while a worker has it under way, or for good once
 * anything else of the task is traced (a failed send, a panic, a fence, a crash in it, an event
 * caused by one of them). A task's events are dropped one event after the last worker that had it
 * under way commits it (a lease handed over mid-task gives a due to two), so a run stopped at the
 * commit still has them. A task committed with
 * nothing else of it traced is in no chain: neither a death's, whose task never committed, nor a
 * message's, whose sends failed.
 */
export class ChainEvents implements TraceSink {
  private readonly kept: TraceEvent[] = [];
  /** A delivery's events under way, by task and worker. */
  private readonly underWay = new Map<string, TraceEvent[]>();
  /** The keys of `underWay` of each task. */
  private readonly keysOfTask = new Map<string, Set<string>>();
  /** The task of each event under way, for an event kept whose cause it is. */
  private readonly taskOfSeq = new Map<number, string>();
  /** Tasks with an event kept for good: their deliveries' events are kept for good too. */
  private readonly noted = new Set<string>();
  /** The keys of `underWay` whose worker committed the task (another may still have it under way). */
  private readonly committed = new Set<string>();
  private dropNext: string | null = null;
  /** The seq of the last event seen (-1 before any). */
  lastSeq = -1;

  onEvent(e: TraceEvent): void {
    if (this.dropNext !== null) {
      this.drop(this.dropNext);
      this.dropNext = null;
    }
    this.lastSeq = e.seq;
    const task = typeof e.task === "string" ? e.task : undefined;
    if (!PER_DELIVERY.has(e.type) || task === undefined) {
      this.kept.push(e);
      if (task !== undefined) this.note(task);
      const caused = e.cause === null ? undefined : this.taskOfSeq.get(e.cause);
      if (caused !== undefined) this.note(caused);
      return;
    }
    if (this.noted.has(task)) {
      this.kept.push(e);
      return;
    }
    const key = `${task}\u0000${typeof e.worker === "string" ? e.worker : ""}`;
    let held = this.underWay.get(key);
    if (held === undefined) {
      held = [];
      this.underWay.set(key, held);
      let keys = this.keysOfTask.get(task);
      if (keys === undefined) {
        keys = new Set();
        this.keysOfTask.set(task, keys);
      }
      keys.add(key);
    }
    held.push(e);
    this.taskOfSeq.set(e.seq, task);
    if (e.type !== "task.committed") return;
    // Dropped once every worker that had the task under way committed it: one still holding it
    // (frozen past its lease) may yet be fenced, and its chain shows every fire of the task.
    this.committed.add(key);
    const keys = this.keysOfTask.get(task);
    if (keys !== undefined && [...keys].every((k) => this.committed.has(k))) this.dropNext = task;
  }

  /** Keeps every event of `task` for good, those under way on any worker too. */
  private note(task: string): void {
    if (this.noted.has(task)) return;
    this.noted.add(task);
    for (const key of this.keysOfTask.get(task) ?? []) {
      for (const x of this.underWay.get(key) ?? []) {
        this.kept.push(x);
        this.taskOfSeq.delete(x.seq);
      }
      this.underWay.delete(key);
      this.committed.delete(key);
    }
    this.keysOfTask.delete(task);
  }

  /** Drops a task's events, every worker having committed it with nothing else of it traced. */
  private drop(task: string): void {
    for (const key of this.keysOfTask.get(task) ?? []) {
      for (const x of this.underWay.get(key) ?? []) this.taskOfSeq.delete(x.seq);
      this.underWay.delete(key);
      this.committed.delete(key);
    }
    this.keysOfTask.delete(task);
  }

  /** The events kept, in trace order. */
  get events(): TraceEvent[] {
    const all = this.kept.slice();
    for (const held of this.underWay.values()) for (const e of held) all.push(e);
    return all.sort((a, b) => a.seq - b.seq);
  }
}
