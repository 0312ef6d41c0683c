import type { TraceEvent, TraceSink, TraceView } from "../kernel/index.js";
import { BehaviourPrints } from "./compare.js";

/**
 * What one thread of a parallel compare shares with the others: every variant's behaviour prints
 * in growable shared memory and their published lengths. The first variant's thread compares its
 * events with every other's prints; each other thread compares with the first's.
 */
export interface PrintLink {
  /** Each variant's prints, by run order. */
  readonly prints: readonly SharedArrayBuffer[];
  /** Int32, one per variant: how many prints it has published. */
  readonly lengths: SharedArrayBuffer;
  /** The variant this end belongs to. */
  readonly side: number;
}

/**
 * Prints a shared buffer holds at first, and at most: 4 M events, 16 MB of address space
 * reserved per variant. Past it a thread goes on in its own memory and the others stop matching
 * there, so a longer run keeps at most `keep` events and replays for its divergence.
 */
const INITIAL_PRINTS = 1 << 16;
export const SHARED_PRINTS_MAX = 1 << 22;

/** One end of the link for each of `count` variants (at least two). */
export function makePrintLinks(initial = INITIAL_PRINTS, max = SHARED_PRINTS_MAX, count = 2): PrintLink[] {
  if (count < 2) throw new RangeError("makePrintLinks: at least two variants");
  const prints = Array.from(
    { length: count },
    () => new SharedArrayBuffer(4 * initial, { maxByteLength: 4 * max }),
  );
  const lengths = new SharedArrayBuffer(4 * count);
  return prints.map((_, side) => ({ prints, lengths, side }));
}

/** A variant this thread compares with: its prints and how far they matched ours. */
interface Peer {
  readonly side: number;
  readonly prints: Uint32Array;
  matched: number;
}

/**
 * A parallel compare's sink on one thread. It writes each event's behaviour print where the
 * other threads can read it and compares its events with its peers' prints (the first variant's
 * thread: every other; another: the first) as the runs go on. An event is kept only until every
 * peer still agreeing has its print at the same position: equal, it is dropped; different, it is
 * that peer's divergence and stays kept. So the thread holds the events the slowest peer has not
 * reached yet (a window bounded by `keep`; past it the thread stops keeping and `eventAt` says
 * it must replay), not the whole trace.
 */
export class PrintWatch implements TraceSink {
  length = 0;
  private own: Uint32Array;
  private readonly lengths: Int32Array;
  private readonly side: number;
  /** Peers still agreeing with this run. */
  private peers: Peer[];
  /** Prints once the shared buffer is full: this thread's own memory, sent with its result. */
  private local: Uint32Array<ArrayBuffer> | null = null;
  /** Events not yet matched by every agreeing peer, from position `pendingStart` (at `pending[head]`). */
  private pending: TraceEvent[] = [];
  private head = 0;
  private pendingStart = 0;
  private watching: boolean;
  /** The event at each peer's divergence, in the order they were found. */
  private readonly found: { readonly index: number; readonly event: TraceEvent }[] = [];
  private readonly print = new BehaviourPrints();

  constructor(
    private readonly link: PrintLink,
    private readonly keep: number,
  ) {
    this.side = link.side;
    this.own = new Uint32Array(link.prints[link.side]);
    this.lengths = new Int32Array(link.lengths);
    const sides = link.side === 0 ? link.prints.map((_, k) => k).slice(1) : [0];
    this.peers = sides.map((side) => ({ side, prints: new Uint32Array(link.prints[side]), matched: 0 }));
    this.watching = keep > 0;
  }

  attach(trace: TraceView): void {
    this.print.attach(trace);
  }

  onEvent(e: TraceEvent): void {
    const i = this.length;
    if (i === this.own.length) this.grow();
    this.own[i] = this.print.of(e);
    this.length = i + 1;
    if (this.local === null) Atomics.store(this.lengths, this.side, i + 1);
    if (!this.watching) return;
    this.pending.push(e);
    this.settle();
  }

  /** Matches kept events against the prints the peers have published so far. */
  private settle(): void {
    // It runs on every event of a compare: locals and an indexed loop keep it cheap.
    const own = this.own;
    const length = this.length;
    const lengths = this.lengths;
    const peers = this.peers;
    let low = length;
    let parted = false;
    for (let k = 0; k < peers.length; k++) {
      const peer = peers[k];
      const end = Math.min(Atomics.load(lengths, peer.side), length);
      const other = peer.prints;
      let at = peer.matched;
      while (at < end && own[at] === other[at]) at++;
      if (at < end) {
        this.found.push({ index: at, event: this.pending[this.head + at - this.pendingStart] });
        peer.matched = -1;
        parted = true;
      } else {
        peer.matched = at;
        if (at < low) low = at;
      }
    }
    if (parted) this.peers = this.peers.filter((p) => p.matched >= 0);
    if (this.peers.length === 0) {
      this.stopWatching();
      return;
    }
    const head = this.head + low - this.pendingStart;
    this.head = head;
    this.pendingStart = low;
    const pending = this.pending.length;
    if (pending - head > this.keep) {
      this.stopWatching();
    } else if (head >= 1024 && head * 2 >= pending) {
      this.pending = this.pending.slice(head);
      this.head = 0;
    }
  }

  private stopWatching(): void {
    this.watching = false;
    this.pending = [];
    this.head = 0;
  }

  private grow(): void {
    const buffer = this.link.prints[this.side];
    if (this.local === null && buffer.byteLength < buffer.maxByteLength) {
      buffer.grow(Math.min(buffer.maxByteLength, buffer.byteLength * 2));
      this.own = new Uint32Array(buffer);
      return;
    }
    // Past the shared maximum: go on privately; the peers stop matching where this one
    // stopped publishing, and the caller gets these prints with the result.
    const local = new Uint32Array(this.own.length * 2);
    local.set(this.own);
    this.local = local;
    this.own = local;
  }

  /** Events held now, waiting for the peers' prints, or at a divergence. */
  get kept(): number {
    return this.pending.length - this.head + this.found.length;
  }

  /** The prints, when they outgrew shared memory (the caller reads the shared buffer otherwise). */
  privatePrints(): Uint32Array<ArrayBuffer> | null {
    return this.local === null ? null : this.local.slice(0, this.length);
  }

  /**
   * The event at `index` if this thread still knows it (it is a divergence, or was never
   * matched), null if this run's trace ended before it, undefined if the thread must replay.
   */
  eventAt(index: number): TraceEvent | null | undefined {
    if (index >= this.length) return null;
    const found = this.found.find((f) => f.index === index);
    if (found !== undefined) return found.event;
    if (this.watching && index >= this.pendingStart)
      return this.pending[this.head + index - this.pendingStart];
    return undefined;
  }
}

/** The prints a variant's thread published, read after it finished (or sent by it when they outgrew). */
export function publishedPrints(link: PrintLink, side: number, sent: Uint32Array | null): Uint32Array {
  if (sent !== null) return sent;
  const length = Atomics.load(new Int32Array(link.lengths), side);
  return new Uint32Array(link.prints[side], 0, length);
}
