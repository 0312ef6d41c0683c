import { EventQueue, invariant, type Simulation } from "../kernel/index.js";
import { type CronSpec, nextFireAfter, parseCron } from "./cron.js";
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

/** A unit of due work in a partition's queue: a schedule's next firing or a message retry. */
export interface DueItem {
  readonly id: number;
  readonly kind: "fire" | "retry";
  readonly partition: number;
  readonly scheduleId: string;
  /** When the work is due (for a fire, the due time; for a retry, when to retry). */
  time: number;
  /** The due time of the firing this work belongs to. */
  due: number;
  /** The queue entry (its seq) that currently represents this item; -1 when not queued. */
  queuedSeq: number;
  /** The lease token of the worker that claimed it; -1 when not claimed. */
  claimToken: number;
  /** How many times this work was started. */
  starts: number;
  readonly message?: Message;
  readonly retryAttempt?: number;
  readonly retrySchedule?: ScheduleInfo;
}

export interface LeaseState {
  owner: string | null;
  token: number;
  expiresAt: number;
  /** Seq of the `lease.acquired` event of the current grant: the cause of work done under it. */
  acquiredSeq: number | null;
}

interface PartitionState {
  readonly index: number;
  readonly lease: LeaseState;
  readonly queue: EventQueue;
  readonly inflight: Map<number, DueItem>;
  /** The token that last claimed: when it changes, stale in-flight work is handed over. */
  lastClaimToken: number;
}

export interface DeadLetter {
  readonly message: Message;
  readonly at: number;
  readonly attempts: number;
}

const DEAD_LETTERS_KEPT_MAX = 10_000;

/**
 * The region's shared store (Redis in QStash): accounts, schedules, partition leases with
 * fencing tokens, per-partition due queues and a dead-letter queue. Methods here are the
 * store's server side and act at once; latency and failures are added by the ports that
 * call them (`store-port.ts`).
 */
export class Store {
  readonly accounts = new Map<string, Account>();
  readonly schedules = new Map<string, ScheduleRow>();
  private readonly schedulesByAccount = new Map<string, Set<string>>();
  private readonly partitions: PartitionState[] = [];
  private readonly items: (DueItem | undefined)[] = [];
  private readonly members = new Map<string, number>();
  readonly deadLetters: DeadLetter[] = [];
  deadLettersTotal = 0;
  private tokenCounter = 0;

  constructor(
    private readonly sim: Simulation,
    readonly partitionCount: number,
    readonly leaseTtlMs: number,
    /** Seq of a worker's latest crash, for causal links of expired leases (trace bookkeeping only). */
    private readonly lastCrashSeqOf: (worker: string) => number | null,
  ) {
    for (let i = 0; i < partitionCount; i++) {
      this.partitions.push({
        index: i,
        lease: { owner: null, token: 0, expiresAt: 0, acquiredSeq: null },
        queue: new EventQueue(64),
        inflight: new Map(),
        lastClaimToken: -1,
      });
    }
  }

  private emit<K extends EventType>(type: K, fields: EventFields[K], cause?: number | null): number {
    return emitEvent(this.sim, type, fields, cause === undefined ? this.sim.cause : cause);
  }

  // ------------------------------------------------------------ accounts and schedules

  createAccount(id: string, plan = { name: "pay-as-you-go", maxRetries: 3 }): boolean {
    if (this.accounts.has(id)) return false;
    this.accounts.set(id, { id, plan });
    this.emit("account.created", { account: id });
    return true;
  }

  /** Deletes the account row. Its schedules stay until a task of theirs cleans them up. */
  deleteAccount(id: string): boolean {
    if (!this.accounts.delete(id)) return false;
    this.emit("account.deleted", { account: id, schedules: this.schedulesByAccount.get(id)?.size ?? 0 });
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
    const cron = parseCron(cronText);
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
    let set = this.schedulesByAccount.get(account);
    if (!set) {
      set = new Set();
      this.schedulesByAccount.set(account, set);
    }
    set.add(id);
    if (next !== null) {
      const item = this.newItem({ kind: "fire", partition, scheduleId: id, time: next, due: next });
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
    row.deleted = true;
    this.schedules.delete(id);
    this.schedulesByAccount.get(row.account)?.delete(id);
    if (row.item && row.item.claimToken === -1) this.dropItem(row.item);
    row.item = null;
    this.emit("schedule.deleted", { schedule: id, account: row.account, by, worker });
    return true;
  }

  pauseSchedule(id: string, paused: boolean): boolean {
    const row = this.schedules.get(id);
    if (!row || row.paused === paused) return false;
    row.paused = paused;
    this.emit("schedule.paused", { schedule: id, account: row.account, paused });
    if (!paused) this.requeueAfterResume(row);
    return true;
  }

  quarantineSchedule(id: string, by: string): boolean {
    const row = this.schedules.get(id);
    if (!row || row.quarantined) return false;
    row.quarantined = true;
    this.emit("schedule.quarantined", { schedule: id, account: row.account, by });
    return true;
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
    row.item = this.newItem({
      kind: "fire",
      partition: row.partition,
      scheduleId: row.id,
      time: next,
      due: next,
    });
    this.enqueue(row.item);
  }

  // ------------------------------------------------------------ membership and leases

  registerMember(worker: string): void {
    this.members.set(worker, this.sim.now + this.leaseTtlMs);
  }

  removeMember(worker: string): void {
    this.members.delete(worker);
  }

  liveMembers(): number {
    let n = 0;
    for (const expires of this.members.values()) if (expires > this.sim.now) n++;
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
      const crashSeq = this.lastCrashSeqOf(previous);
      const expiredCause =
        crashSeq !== null && lease.acquiredSeq !== null && crashSeq > lease.acquiredSeq ? crashSeq : cause;
      cause = this.emit(
        "lease.expired",
        { worker: previous, partition, token: lease.token, expiredAt: lease.expiresAt },
        expiredCause,
      );
    }
    const token = ++this.tokenCounter;
    lease.owner = worker;
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
    lease.expiresAt = 0;
    this.emit("lease.released", { worker, partition, token });
    return true;
  }

  // ------------------------------------------------------------ due work

  /**
   * Claims up to `limit` due units of work of a partition for the holder of `token`: first
   * work claimed under an older token (its worker lost the lease: hand-off), then queued work
   * due by now. Returns null if the caller does not hold the lease.
   */
  claimDue(worker: string, partition: number, token: number, limit: number): DueItem[] | null {
    if (!this.holds(worker, partition, token)) return null;
    const state = this.partitions[partition];
    const out: DueItem[] = [];
    if (state.lastClaimToken !== token) {
      for (const item of state.inflight.values()) {
        if (out.length >= limit) break;
        if (item.claimToken === token) continue;
        item.claimToken = token;
        item.starts++;
        out.push(item);
      }
      if (out.length < limit) state.lastClaimToken = token;
    }
    const queue = state.queue;
    const now = this.sim.now;
    while (out.length < limit && queue.size > 0 && queue.peekTime() <= now) {
      const seq = queue.peekSeq();
      const item = this.items[queue.pop()];
      if (!item || item.queuedSeq !== seq) continue;
      item.queuedSeq = -1;
      if (item.kind === "fire") {
        const row = this.schedules.get(item.scheduleId);
        if (!row || row.paused || row.quarantined || row.item !== item) continue;
      }
      item.claimToken = token;
      item.starts++;
      state.inflight.set(item.id, item);
      out.push(item);
    }
    return out;
  }

  /** Earliest due time queued in a partition (stale entries are dropped on the way); null if none. */
  nextDueAt(partition: number): number | null {
    const queue = this.partitions[partition].queue;
    while (queue.size > 0) {
      const seq = queue.peekSeq();
      const time = queue.peekTime();
      const item = this.items[queue.pop()];
      if (!item || item.queuedSeq !== seq) continue;
      // Still valid: put it back (it keeps its place among equal times by a fresh seq).
      item.queuedSeq = queue.push(time, item.id);
      return time;
    }
    return null;
  }

  /** The work a claimed item stands for, as the scheduler sees it. */
  workOf(item: DueItem): DueWork | null {
    if (item.kind === "retry") {
      return {
        kind: "retry",
        schedule: item.retrySchedule!,
        due: item.due,
        message: item.message!,
        attempt: item.retryAttempt!,
      };
    }
    const row = this.schedules.get(item.scheduleId);
    if (!row) return null;
    return { kind: "fire", schedule: row.info, due: item.due };
  }

  /** Finishes claimed work: fire items advance to the schedule's next fire time, retries leave. */
  complete(item: DueItem): number | null {
    const state = this.partitions[item.partition];
    state.inflight.delete(item.id);
    item.claimToken = -1;
    if (item.kind === "retry") {
      this.items[item.id] = undefined;
      return null;
    }
    const row = this.schedules.get(item.scheduleId);
    if (!row || row.item !== item) {
      this.items[item.id] = undefined;
      return null;
    }
    const next = nextFireAfter(row.cron, item.due);
    row.nextFireAt = next;
    if (next === null) {
      this.items[item.id] = undefined;
      row.item = null;
      return null;
    }
    item.time = next;
    item.due = next;
    if (!row.quarantined && !row.paused) this.enqueue(item);
    return next;
  }

  /** Puts claimed work back, due again now, without effects. */
  abandon(item: DueItem): void {
    const state = this.partitions[item.partition];
    if (!state.inflight.delete(item.id)) return;
    item.claimToken = -1;
    if (item.kind === "fire") {
      const row = this.schedules.get(item.scheduleId);
      if (!row || row.item !== item) {
        this.items[item.id] = undefined;
        return;
      }
    }
    this.enqueue(item);
  }

  addRetry(schedule: ScheduleInfo, due: number, message: Message, attempt: number, atMs: number): void {
    const item = this.newItem({
      kind: "retry",
      partition: schedule.partition,
      scheduleId: schedule.id,
      time: atMs,
      due,
      message,
      retryAttempt: attempt,
      retrySchedule: schedule,
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
   * committed yet (queued or in flight), with the age of each. What a backlog gauge shows.
   */
  dueBacklog(now: number, ages: number[]): number {
    let count = 0;
    for (const row of this.schedules.values()) {
      const t = row.nextFireAt;
      if (t === null || t > now || row.paused || row.quarantined) continue;
      count++;
      ages.push(now - t);
    }
    return count;
  }

  private newItem(fields: Omit<DueItem, "id" | "queuedSeq" | "claimToken" | "starts">): DueItem {
    const item: DueItem = { ...fields, id: this.items.length, queuedSeq: -1, claimToken: -1, starts: 0 };
    this.items.push(item);
    return item;
  }

  private enqueue(item: DueItem): void {
    item.queuedSeq = this.partitions[item.partition].queue.push(item.time, item.id);
  }

  private dropItem(item: DueItem): void {
    item.queuedSeq = -1;
    this.items[item.id] = undefined;
  }
}
