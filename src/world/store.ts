import { invariant, type Simulation } from "../kernel/index.js";
import { type CronSpec, nextFireAfter, parseCron } from "./cron.js";
import { DueQueue } from "./due-queue.js";
import { emitEvent } from "./emit.js";
import type { EventFields, EventType } from "./events.js";
import type { Account, DueWork, Message, ScheduleInfo } from "./runtime.js";

/** A schedule row. `nextFireAt` is the due time of its next firing (null: never again). */
export interface ScheduleRow {
  readonly id: string;
  readonly account: string;
  readonly cron: CronSpec;
  readonly destination: string;
  readonly retries: number;
  readonly partition: number;
  nextFireAt: number | null;
  paused: boolean;
  quarantined: boolean;
  deleted: boolean;
  /** The fire item of this schedule in its partition's queue. */
  item: DueItem | null;
  readonly info: ScheduleInfo;
}

/** What a retry item carries besides the common fields. */
interface RetryParts {
  readonly message: Message;
  readonly attempt: number;
  readonly schedule: ScheduleInfo;
  /** The seq of the `delivery.failed` that asked for this retry: what the retry follows from. */
  readonly failedSeq: number;
}

/**
 * A unit of due work in a partition's queue: a schedule's next firing or a message retry.
 * One class with every field always present, so the hot paths see a single shape.
 */
export class DueItem {
  /** The queue entry (its seq) that currently represents this item; -1 when not queued. */
  queuedSeq = -1;
  /** The lease token of the worker that claimed it; -1 when not claimed. */
  claimToken = -1;
  /** How many times this work was started. */
  starts = 0;
  /** Whether it is in its partition's in-flight list (claimed and not finished). */
  inflight = false;
  /** Its neighbours in that list, in the order the work was claimed (null at either end). */
  inflightPrev: DueItem | null = null;
  inflightNext: DueItem | null = null;

  constructor(
    readonly id: number,
    readonly kind: "fire" | "retry",
    readonly partition: number,
    readonly scheduleId: string,
    /** For a fire: the schedule row it advances (null for a retry). */
    readonly row: ScheduleRow | null,
    /** When the work is due (for a fire, the due time; for a retry, when to retry). */
    public time: number,
    /** The due time of the firing this work belongs to. */
    public due: number,
    readonly retry: RetryParts | null,
  ) {}
}

/**
 * A partition's work in flight, as a list threaded through the items themselves, oldest claim
 * first. Every fire is claimed and finished once: a map by item id cost about five lookups a
 * fire (claim, the fence checked on both sides of the commit, finish) and churned its table.
 */
class InflightList {
  first: DueItem | null = null;
  last: DueItem | null = null;
  size = 0;

  add(item: DueItem): void {
    invariant(!item.inflight, () => `work ${item.id} is in flight twice`);
    item.inflight = true;
    item.inflightPrev = this.last;
    item.inflightNext = null;
    if (this.last === null) this.first = item;
    else this.last.inflightNext = item;
    this.last = item;
    this.size++;
  }

  remove(item: DueItem): void {
    invariant(item.inflight, () => `work ${item.id} is not in flight`);
    const prev = item.inflightPrev;
    const next = item.inflightNext;
    if (prev === null) this.first = next;
    else prev.inflightNext = next;
    if (next === null) this.last = prev;
    else next.inflightPrev = prev;
    item.inflight = false;
    item.inflightPrev = null;
    item.inflightNext = null;
    this.size--;
  }
}

export interface LeaseState {
  owner: string | null;
  token: number;
  expiresAt: number;
  /** Seq of the `lease.acquired` event of the current grant: the cause of work done under it. */
  acquiredSeq: number | null;
}

/** What a worker sees of the fleet at a rebalance (`Store.fleetView`): `held[i]` is `workers[i]`'s. */
export interface FleetView {
  readonly workers: string[];
  readonly held: number[];
}

interface PartitionState {
  readonly index: number;
  readonly lease: LeaseState;
  readonly queue: DueQueue<DueItem>;
  /** Work claimed and not finished, oldest claim first (`DueItem.inflightPrev`, `inflightNext`). */
  readonly inflight: InflightList;
  /** The token that last claimed: when it changes, stale in-flight work is handed over. */
  lastClaimToken: number;
}

export interface DeadLetter {
  readonly message: Message;
  readonly at: number;
  readonly attempts: number;
}

const DEAD_LETTERS_KEPT_MAX = 10_000;
/** Distinct cron texts and destinations kept parsed or interned (beyond that, each is kept on its own). */
const CRON_SPECS_KEPT_MAX = 10_000;
const DESTINATIONS_KEPT_MAX = 200_000;

/** Every account's plan unless told otherwise: one shared object, not one per account. */
const DEFAULT_PLAN: Account["plan"] = Object.freeze({ name: "pay-as-you-go" });

/**
 * The region's shared store (Redis in QStash): accounts, schedules, partition leases with
 * fencing tokens, per-partition due queues and a dead-letter queue. Methods here are the
 * store's server side and act at once; latency and failures are added by the ports that
 * call them (`store-port.ts`).
 */
export class Store {
  readonly accounts = new Map<string, Account>();
  readonly schedules = new Map<string, ScheduleRow>();
  /** Schedule ids by account, in creation order (arrays: a Set per account cost ~400 bytes). */
  private readonly schedulesByAccount = new Map<string, string[]>();
  /** Parsed cron expressions by text: thousands of schedules share a handful of expressions. */
  private readonly cronSpecs = new Map<string, CronSpec>();
  /** One copy of each destination URL (they repeat for every schedule of an account). */
  private readonly destinations = new Map<string, string>();
  /**
   * Next fire times of the schedules the backlog gauge counts (not paused, quarantined or
   * deleted), as due time -> number of schedules. Kept up to date at every change of a row, so
   * a sample costs the number of distinct due times (cron times share minutes), not a walk of
   * every due item: with workers down, the backlog is every schedule.
   */
  private readonly activeDues = new Map<number, number>();
  private readonly partitions: PartitionState[] = [];
  private itemsCreated = 0;
  /** Workers by number (`memberNumber`), so that lease holders are counted without strings. */
  private readonly memberNames: string[] = [];
  private readonly memberNumbers = new Map<string, number>();
  /** Registered members by number, in the order they registered (`registerMember`). */
  private readonly memberOrder: number[] = [];
  /** When each worker's registration runs out, by number (-Infinity: not registered). */
  private readonly memberExpiry: number[] = [];
  private readonly view: FleetView = { workers: [], held: [] };
  /** Per partition, the number of its lease holder, or -1 when the lease is free. */
  private readonly leaseOwners: Int32Array;
  /** Scratch list of `leasesByMember`: leases per member number, -1 for workers not counted. */
  private readonly memberCounts: number[] = [];
  readonly deadLetters: DeadLetter[] = [];
  deadLettersTotal = 0;
  private tokenCounter = 0;

  constructor(
    private readonly sim: Simulation,
    readonly partitionCount: number,
    readonly leaseTtlMs: number,
    /**
     * Seq of a worker's first crash after a given seq if it came before a given time, for causal
     * links of expired leases (trace bookkeeping only): the crash that stopped the renewals of a
     * lease granted at that seq and running out at that time.
     */
    private readonly crashSeqAfter: (worker: string, seq: number, beforeMs: number) => number | null,
  ) {
    this.leaseOwners = new Int32Array(partitionCount).fill(-1);
    for (let i = 0; i < partitionCount; i++) {
      this.partitions.push({
        index: i,
        lease: { owner: null, token: 0, expiresAt: 0, acquiredSeq: null },
        queue: new DueQueue<DueItem>(64),
        inflight: new InflightList(),
        lastClaimToken: -1,
      });
    }
  }

  private emit<K extends EventType>(type: K, fields: EventFields[K], cause?: number | null): number {
    return emitEvent(this.sim, type, fields, cause === undefined ? this.sim.cause : cause);
  }

  // ------------------------------------------------------------ accounts and schedules

  createAccount(id: string, plan: Account["plan"] = DEFAULT_PLAN): boolean {
    if (this.accounts.has(id)) return false;
    this.accounts.set(id, { id, plan });
    this.emit("account.created", { account: id });
    return true;
  }

  /** Deletes the account row. Its schedules stay until a task of theirs cleans them up. */
  deleteAccount(id: string): boolean {
    if (!this.accounts.delete(id)) return false;
    this.emit("account.deleted", { account: id, schedules: this.schedulesByAccount.get(id)?.length ?? 0 });
    return true;
  }

  /** Partition of a schedule: FNV-1a of its id. */
  partitionOf(scheduleId: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < scheduleId.length; i++) {
      h ^= scheduleId.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return (h >>> 0) % this.partitionCount;
  }

  createSchedule(
    id: string,
    account: string,
    cronText: string,
    destination: string,
    retries: number,
  ): ScheduleRow {
    invariant(!this.schedules.has(id), () => `schedule ${id} already exists`);
    const cron = this.cronSpec(cronText);
    destination = this.intern(destination);
    const partition = this.partitionOf(id);
    const next = nextFireAfter(cron, this.sim.now);
    const info: ScheduleInfo = { id, account, cron: cron.text, destination, retries, partition };
    const row: ScheduleRow = {
      id,
      account,
      cron,
      destination,
      retries,
      partition,
      nextFireAt: next,
      paused: false,
      quarantined: false,
      deleted: false,
      item: null,
      info,
    };
    this.schedules.set(id, row);
    this.trackDue(row, 1);
    const ids = this.schedulesByAccount.get(account);
    if (ids) ids.push(id);
    else this.schedulesByAccount.set(account, [id]);
    if (next !== null) {
      const item = this.newItem("fire", partition, id, row, next, next, null);
      row.item = item;
      this.enqueue(item);
    }
    this.emit("schedule.created", { schedule: id, account, cron: cron.text, partition, destination, next });
    return row;
  }

  /** Removes a schedule; `by` says who (`cleanup`, `operator`). */
  deleteSchedule(id: string, by: string, worker?: string): boolean {
    const row = this.schedules.get(id);
    if (!row) return false;
    this.trackDue(row, -1);
    row.deleted = true;
    this.schedules.delete(id);
    const ids = this.schedulesByAccount.get(row.account);
    if (ids) {
      const at = ids.indexOf(id);
      invariant(at >= 0, () => `schedule ${id} missing from account ${row.account}`);
      ids.splice(at, 1);
      if (ids.length === 0) this.schedulesByAccount.delete(row.account);
    }
    if (row.item && row.item.claimToken === -1) this.dropItem(row.item);
    row.item = null;
    this.emit("schedule.deleted", { schedule: id, account: row.account, by, worker });
    return true;
  }

  pauseSchedule(id: string, paused: boolean): boolean {
    const row = this.schedules.get(id);
    if (!row || row.paused === paused) return false;
    if (paused) this.trackDue(row, -1);
    row.paused = paused;
    this.emit("schedule.paused", { schedule: id, account: row.account, paused });
    if (!paused) {
      this.requeueAfterResume(row);
      this.trackDue(row, 1);
    }
    return true;
  }

  quarantineSchedule(id: string, by: string): boolean {
    const row = this.schedules.get(id);
    if (!row || row.quarantined) return false;
    this.trackDue(row, -1);
    row.quarantined = true;
    this.emit("schedule.quarantined", { schedule: id, account: row.account, by });
    return true;
  }

  /** A parsed cron expression (throws CronError for a bad one), shared by every schedule using it. */
  private cronSpec(text: string): CronSpec {
    const known = this.cronSpecs.get(text);
    if (known) return known;
    const spec = parseCron(text);
    if (this.cronSpecs.size < CRON_SPECS_KEPT_MAX) this.cronSpecs.set(text, spec);
    return spec;
  }

  private intern(text: string): string {
    const known = this.destinations.get(text);
    if (known !== undefined) return known;
    if (this.destinations.size < DESTINATIONS_KEPT_MAX) this.destinations.set(text, text);
    return text;
  }

  schedulesOf(account: string): ScheduleInfo[] {
    const ids = this.schedulesByAccount.get(account);
    if (!ids) return [];
    const out: ScheduleInfo[] = [];
    for (const id of ids) {
      const row = this.schedules.get(id);
      if (row) out.push(row.info);
    }
    return out;
  }

  /** After a pause, the schedule resumes from the next fire time after now (missed fires are skipped). */
  private requeueAfterResume(row: ScheduleRow): void {
    if (row.item && row.item.claimToken !== -1) return;
    if (row.item) this.dropItem(row.item);
    const next = nextFireAfter(row.cron, this.sim.now - 1);
    row.nextFireAt = next;
    row.item = null;
    if (next === null) return;
    row.item = this.newItem("fire", row.partition, row.id, row, next, next, null);
    this.enqueue(row.item);
  }

  // ------------------------------------------------------------ membership and leases

  /**
   * Counts `worker` in the fleet for a lease TTL from now. Renewed by the heartbeat that renews
   * its leases, so a member that dies stops counting when its leases run out, not later.
   */
  registerMember(worker: string): void {
    const n = this.memberNumber(worker);
    if (!this.memberOrder.includes(n)) this.memberOrder.push(n);
    this.memberExpiry[n] = this.sim.now + this.leaseTtlMs;
  }

  removeMember(worker: string): void {
    const n = this.memberNumber(worker);
    const at = this.memberOrder.indexOf(n);
    if (at >= 0) this.memberOrder.splice(at, 1);
    this.memberExpiry[n] = Number.NEGATIVE_INFINITY;
  }

  /**
   * What a worker sees of the fleet when it rebalances: the members whose registration has not
   * run out, and `self` (the caller, alive whatever its registration says), with the valid
   * leases each holds. `self` comes first, the others in the order they registered. The view is
   * reused by the next call: every worker's rebalance tick runs this, so it counts by member
   * number, without a string comparison or a map update per partition.
   */
  fleetView(self: string): FleetView {
    const now = this.sim.now;
    const counts = this.memberCounts;
    counts.length = this.memberNames.length;
    counts.fill(-1);
    const selfNumber = this.memberNumber(self);
    counts[selfNumber] = 0;
    const order = this.memberOrder;
    const expiry = this.memberExpiry;
    for (let i = 0; i < order.length; i++) if (expiry[order[i]] > now) counts[order[i]] = 0;
    const partitions = this.partitions;
    const owners = this.leaseOwners;
    for (let p = 0; p < partitions.length; p++) {
      const n = owners[p];
      if (n < 0 || counts[n] < 0 || partitions[p].lease.expiresAt <= now) continue;
      counts[n]++;
    }
    const view = this.view;
    view.workers.length = 0;
    view.held.length = 0;
    view.workers.push(self);
    view.held.push(counts[selfNumber]);
    for (let i = 0; i < order.length; i++) {
      const n = order[i];
      if (n === selfNumber || expiry[n] <= now) continue;
      view.workers.push(this.memberNames[n]);
      view.held.push(counts[n]);
    }
    return view;
  }

  /** `fleetView` as a map from worker to the valid leases it holds (a copy: for tests and tools). */
  leasesByMember(self: string): Map<string, number> {
    const view = this.fleetView(self);
    return new Map(view.workers.map((worker, i) => [worker, view.held[i]]));
  }

  /** A worker's number in `memberNames`, given at first sight. */
  private memberNumber(worker: string): number {
    let n = this.memberNumbers.get(worker);
    if (n === undefined) {
      n = this.memberNames.length;
      this.memberNames.push(worker);
      this.memberNumbers.set(worker, n);
      this.memberExpiry.push(Number.NEGATIVE_INFINITY);
    }
    return n;
  }

  lease(partition: number): Readonly<LeaseState> {
    return this.partitions[partition].lease;
  }

  /** Whether `worker` holds `partition` with `token` right now. */
  holds(worker: string, partition: number, token: number): boolean {
    const lease = this.partitions[partition].lease;
    return lease.owner === worker && lease.token === token && lease.expiresAt > this.sim.now;
  }

  /** Grants the lease if it is free or expired; returns the token, or -1. */
  acquire(worker: string, partition: number): number {
    const lease = this.partitions[partition].lease;
    const now = this.sim.now;
    if (lease.owner !== null && lease.expiresAt > now) return -1;
    let cause = this.sim.cause;
    const previous = lease.owner;
    if (previous !== null) {
      // The holder's first crash after the grant ended its renewals, if it came before the lease
      // ran out; a later crash of the same worker (a restarted incarnation dying again, a frozen
      // holder killed after its lease had run out) did not.
      const crashSeq =
        lease.acquiredSeq !== null ? this.crashSeqAfter(previous, lease.acquiredSeq, lease.expiresAt) : null;
      const expiredCause = crashSeq ?? cause;
      cause = this.emit(
        "lease.expired",
        { worker: previous, partition, token: lease.token, expiredAt: lease.expiresAt },
        expiredCause,
      );
    }
    const token = ++this.tokenCounter;
    lease.owner = worker;
    this.leaseOwners[partition] = this.memberNumber(worker);
    lease.token = token;
    lease.expiresAt = now + this.leaseTtlMs;
    lease.acquiredSeq = this.emit("lease.acquired", { worker, partition, token, previous }, cause);
    invariant(this.holds(worker, partition, token), "a lease just granted must be held");
    return token;
  }

  /** Extends the lease; false (and the lease is gone) if it was lost or had expired. */
  renew(worker: string, partition: number, token: number): boolean {
    const lease = this.partitions[partition].lease;
    if (lease.owner !== worker || lease.token !== token) return false;
    if (lease.expiresAt <= this.sim.now) {
      // Expired before the renewal arrived (a paused or partitioned worker): Redis dropped the key.
      this.emit("lease.expired", { worker, partition, token, expiredAt: lease.expiresAt });
      lease.owner = null;
      this.leaseOwners[partition] = -1;
      lease.expiresAt = 0;
      return false;
    }
    lease.expiresAt = this.sim.now + this.leaseTtlMs;
    return true;
  }

  release(worker: string, partition: number, token: number): boolean {
    const lease = this.partitions[partition].lease;
    if (lease.owner !== worker || lease.token !== token) return false;
    lease.owner = null;
    this.leaseOwners[partition] = -1;
    lease.expiresAt = 0;
    this.emit("lease.released", { worker, partition, token });
    return true;
  }

  // ------------------------------------------------------------ due work

  /**
   * Claims up to `limit` due units of work of a partition for the holder of `token`: first
   * work claimed under an older token (its worker lost the lease: hand-off), then queued work
   * due by `nowMs`. That is the caller's wall clock, as a `next_fire <= now()` query sent with
   * the worker's own `now()` is: a worker whose clock is behind finds nothing due until its clock
   * reaches the due time, one whose clock is ahead claims work before it is due. Leases keep
   * the store's own time. Returns null if the caller does not hold the lease.
   */
  claimDue(
    worker: string,
    partition: number,
    token: number,
    limit: number,
    nowMs: number = this.sim.now,
  ): DueItem[] | null {
    if (!this.holds(worker, partition, token)) return null;
    const state = this.partitions[partition];
    const out: DueItem[] = [];
    if (state.lastClaimToken !== token) {
      let next = state.inflight.first;
      while (next !== null) {
        const item = next;
        next = item.inflightNext;
        if (out.length >= limit) break;
        if (item.claimToken === token) continue;
        // Hand-off: the token that claimed it is older than the lease now held (tokens only grow).
        invariant(item.claimToken < token, () => `in-flight work ${item.id} claimed by a newer token`);
        const row = item.kind === "fire" ? item.row! : null;
        if (row !== null && (row.deleted || row.paused || row.quarantined || row.item !== item)) {
          // Taken out of scheduling while its worker held it (an operator quarantined the
          // poison task, say): the next owner must not pick it up again.
          state.inflight.remove(item);
          item.claimToken = -1;
          continue;
        }
        item.claimToken = token;
        item.starts++;
        out.push(item);
      }
      if (out.length < limit) state.lastClaimToken = token;
    }
    const queue = state.queue;
    while (out.length < limit && queue.size > 0 && queue.peekTime() <= nowMs) {
      const seq = queue.peekSeq();
      const item = queue.pop()!;
      if (item.queuedSeq !== seq) continue;
      item.queuedSeq = -1;
      if (item.kind === "fire") {
        const row = item.row!;
        if (row.deleted || row.paused || row.quarantined || row.item !== item) continue;
      }
      // Queued work is unclaimed: nobody else can be running it.
      invariant(
        item.claimToken === -1,
        () => `queued work ${item.id} is claimed by token ${item.claimToken}`,
      );
      invariant(!item.inflight, () => `queued work ${item.id} is also in flight`);
      item.claimToken = token;
      item.starts++;
      state.inflight.add(item);
      out.push(item);
    }
    return out;
  }

  /** Work of a partition claimed under `token` and not finished yet. */
  inflightUnder(partition: number, token: number): number {
    let n = 0;
    for (let item = this.partitions[partition].inflight.first; item !== null; item = item.inflightNext)
      if (item.claimToken === token) n++;
    return n;
  }

  /** Earliest due time queued in a partition (stale entries are dropped on the way); null if none. */
  nextDueAt(partition: number): number | null {
    const queue = this.partitions[partition].queue;
    while (queue.size > 0) {
      if (queue.peek()!.queuedSeq === queue.peekSeq()) return queue.peekTime();
      queue.pop();
    }
    return null;
  }

  /** The work a claimed item stands for, as the scheduler sees it. */
  workOf(item: DueItem): DueWork | null {
    const retry = item.retry;
    if (retry !== null) {
      return {
        kind: "retry",
        schedule: retry.schedule,
        due: item.due,
        message: retry.message,
        attempt: retry.attempt,
      };
    }
    const row = item.row!;
    if (row.deleted) return null;
    return { kind: "fire", schedule: row.info, due: item.due };
  }

  /** Whether `item` is in flight under `token` (claimed by it and not finished). */
  claimedBy(item: DueItem, token: number): boolean {
    return item.claimToken === token && item.inflight;
  }

  /**
   * Finishes claimed work for the holder of `token`: fire items advance to the schedule's next
   * fire time, retries leave. Returns the schedule's next due time after it (null: the schedule
   * is gone or never fires again). The caller checked the fence (lease held, work claimed by it).
   */
  complete(item: DueItem, token: number): number | null {
    const state = this.partitions[item.partition];
    this.assertFenced(item, token, "completed");
    state.inflight.remove(item);
    item.claimToken = -1;
    if (item.kind === "retry") return this.nextDueOf(item.retry!.schedule);
    const row = item.row!;
    if (row.deleted || row.item !== item) return null;
    invariant(
      row.nextFireAt === item.due,
      () => `schedule ${row.id} is due ${row.nextFireAt}, its work ${item.due}`,
    );
    const next = nextFireAfter(row.cron, item.due);
    invariant(next === null || next > item.due, () => `schedule ${row.id} does not advance past ${item.due}`);
    this.trackDue(row, -1);
    row.nextFireAt = next;
    this.trackDue(row, 1);
    if (next === null) {
      row.item = null;
      return null;
    }
    item.time = next;
    item.due = next;
    // A new due is a new task: its attempts count from zero.
    item.starts = 0;
    if (!row.quarantined && !row.paused) this.enqueue(item);
    return next;
  }

  /**
   * The next due time of `schedule` as it stands (a retry does not move it); null once it was
   * deleted, even if a schedule of the same id was created since.
   */
  private nextDueOf(schedule: ScheduleInfo): number | null {
    const row = this.schedules.get(schedule.id);
    return row !== undefined && row.info === schedule ? row.nextFireAt : null;
  }

  /** Puts work claimed under `token` back, due again now, without effects; false if it is not claimed by it. */
  abandon(item: DueItem, token: number): boolean {
    if (!this.claimedBy(item, token)) return false;
    this.assertFenced(item, token, "abandoned");
    this.partitions[item.partition].inflight.remove(item);
    item.claimToken = -1;
    if (item.kind === "fire") {
      const row = item.row!;
      if (row.deleted || row.item !== item) return true;
    }
    this.enqueue(item);
    return true;
  }

  addRetry(
    schedule: ScheduleInfo,
    due: number,
    message: Message,
    attempt: number,
    atMs: number,
    failedSeq: number,
  ): void {
    const item = this.newItem("retry", schedule.partition, schedule.id, null, atMs, due, {
      message,
      attempt,
      schedule,
      failedSeq,
    });
    this.enqueue(item);
  }

  addDeadLetter(message: Message, attempts: number): void {
    this.deadLettersTotal++;
    if (this.deadLetters.length < DEAD_LETTERS_KEPT_MAX)
      this.deadLetters.push({ message, at: this.sim.now, attempts });
  }

  /**
   * Due work across all partitions: schedules whose fire time has passed and that are not
   * committed yet (queued or in flight). What a backlog gauge shows: a schedule counts once, at
   * its next fire, however many of its cron times have passed since (the fires after it are made
   * as it commits), as a count of a scheduler's table of next fires would. Pushes onto `ageGroups`
   * an `age, schedules` pair per distinct due time, rather than one age per schedule: with
   * workers down that would be every schedule at every sample.
   */
  dueBacklog(now: number, ageGroups: number[]): number {
    let count = 0;
    for (const [due, schedules] of this.activeDues) {
      if (due > now) continue;
      count += schedules;
      ageGroups.push(now - due, schedules);
    }
    return count;
  }

  /** Counts a row's next fire time in (+1) or out of (-1) the backlog, if the gauge counts the row. */
  private trackDue(row: ScheduleRow, delta: 1 | -1): void {
    const due = row.nextFireAt;
    if (due === null || row.paused || row.quarantined || row.deleted) return;
    const schedules = (this.activeDues.get(due) ?? 0) + delta;
    invariant(schedules >= 0, () => `schedule ${row.id} left the backlog at ${due} twice`);
    if (schedules === 0) this.activeDues.delete(due);
    else this.activeDues.set(due, schedules);
  }

  /**
   * Checks the whole store against its invariants (a state checker, for tests and debugging:
   * it costs O(schedules + queued work)). Throws InvariantViolation on the first broken one.
   */
  verify(): void {
    const now = this.sim.now;
    for (const row of this.schedules.values()) {
      invariant(!row.deleted, () => `deleted schedule ${row.id} still listed`);
      invariant(
        row.nextFireAt === (row.item === null ? null : row.item.due),
        () => `schedule ${row.id}: next fire ${row.nextFireAt} differs from its work`,
      );
      invariant(
        this.schedulesByAccount.get(row.account)?.includes(row.id),
        () => `schedule ${row.id} missing from its account`,
      );
      const item = row.item;
      if (item === null) continue;
      invariant(
        item.row === row && item.partition === row.partition,
        () => `schedule ${row.id}: work belongs elsewhere`,
      );
      const inflight = item.inflight;
      invariant(
        inflight === (item.claimToken !== -1),
        () => `schedule ${row.id}: claimed ${item.claimToken} but in flight ${inflight}`,
      );
      invariant(
        !(inflight && item.queuedSeq !== -1),
        () => `schedule ${row.id}: work both queued and in flight`,
      );
    }
    const dues = new Map<number, number>();
    for (const row of this.schedules.values()) {
      if (row.nextFireAt === null || row.paused || row.quarantined) continue;
      dues.set(row.nextFireAt, (dues.get(row.nextFireAt) ?? 0) + 1);
    }
    invariant(dues.size === this.activeDues.size, "the backlog's due times differ from the schedules'");
    for (const [due, schedules] of dues) {
      invariant(
        this.activeDues.get(due) === schedules,
        () => `backlog at ${due}: ${this.activeDues.get(due)}, schedules ${schedules}`,
      );
    }
    for (const state of this.partitions) {
      const lease = state.lease;
      invariant(lease.token <= this.tokenCounter, "a lease token was never granted");
      invariant(
        lease.owner === null || lease.token > 0,
        () => `partition ${state.index} owned without a token`,
      );
      invariant(
        lease.expiresAt <= now + this.leaseTtlMs,
        () => `partition ${state.index} leased beyond its TTL`,
      );
      let listed = 0;
      let previous: DueItem | null = null;
      for (let item = state.inflight.first; item !== null; item = item.inflightNext) {
        listed++;
        invariant(
          item.inflight && item.inflightPrev === previous,
          () => `work ${item.id}: the in-flight list of partition ${state.index} is broken`,
        );
        previous = item;
        invariant(item.partition === state.index, () => `work ${item.id} in flight in the wrong partition`);
        invariant(
          item.claimToken > 0 && item.claimToken <= this.tokenCounter,
          () => `work ${item.id} in flight without a claim`,
        );
        invariant(item.queuedSeq === -1, () => `work ${item.id} in flight and queued`);
      }
      invariant(
        previous === state.inflight.last && listed === state.inflight.size,
        () => `partition ${state.index}: ${state.inflight.size} in flight, ${listed} listed`,
      );
    }
  }

  /** Commit fencing on the store side: the work is claimed by `token` and that lease is held now. */
  private assertFenced(item: DueItem, token: number, verb: string): void {
    const state = this.partitions[item.partition];
    invariant(
      this.claimedBy(item, token),
      () => `work ${item.id} ${verb} by token ${token} that did not claim it`,
    );
    const lease = state.lease;
    invariant(
      lease.token === token && lease.owner !== null && lease.expiresAt > this.sim.now,
      () =>
        `work ${item.id} ${verb} under token ${token} while partition ${state.index} is leased to ${lease.owner}#${lease.token}`,
    );
  }

  private newItem(
    kind: "fire" | "retry",
    partition: number,
    scheduleId: string,
    row: ScheduleRow | null,
    time: number,
    due: number,
    retry: RetryParts | null,
  ): DueItem {
    return new DueItem(this.itemsCreated++, kind, partition, scheduleId, row, time, due, retry);
  }

  private enqueue(item: DueItem): void {
    invariant(
      item.queuedSeq === -1 && item.claimToken === -1,
      () => `work ${item.id} queued twice or while claimed`,
    );
    item.queuedSeq = this.partitions[item.partition].queue.push(item.time, item);
  }

  private dropItem(item: DueItem): void {
    item.queuedSeq = -1;
  }
}
