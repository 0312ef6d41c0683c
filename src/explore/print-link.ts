import type { Trace, TraceEvent, TraceSink } from "../kernel/index.js";
import { BehaviourPrints } from "./compare.js";

/**
 * What one of the first two threads of a parallel compare shares with the other: its own
 * behaviour prints and the other's, in growable shared memory, and both published lengths.
 */
export interface PrintLink {
  readonly own: SharedArrayBuffer;
  readonly other: SharedArrayBuffer;
  /** Int32 [length of side 0, length of side 1]. */
  readonly lengths: SharedArrayBuffer;
  readonly side: 0 | 1;
}

/**
 * Prints a shared buffer holds at first, and at most: 4 M events, 16 MB of address space
 * reserved per side. Past it a thread goes on in its own memory and the other stops matching
 * there, so a longer run keeps at most `keep` events and replays for its divergence.
 */
const INITIAL_PRINTS = 1 << 16;
export const SHARED_PRINTS_MAX = 1 << 22;

/** The two ends of a link between the threads of the first two variants. */
export function makePrintLinks(initial = INITIAL_PRINTS, max = SHARED_PRINTS_MAX): [PrintLink, PrintLink] {
  const grown = () => new SharedArrayBuffer(4 * initial, { maxByteLength: 4 * max });
  const a = grown();
  const b = grown();
  const lengths = new SharedArrayBuffer(8);
  return [
    { own: a, other: b, lengths, side: 0 },
    { own: b, other: a, lengths, side: 1 },
  ];
}

/**
 * A parallel compare's sink on one of the first two threads. It writes each event's behaviour
 * print where the other thread can read it and compares its events with the other's prints as
 * both runs go on. An event is kept only until the other run's print at the same position is
 * known: equal, it is dropped; different, it is the divergence, kept, and nothing more is kept.
 * So the thread holds the events the other has not reached yet (a window bounded by `keep`;
 * past it the thread stops keeping and `eventAt` says it must replay), not the whole trace.
 */
export class PrintWatch implements TraceSink {
  length = 0;
  private own: Uint32Array;
  private readonly other: Uint32Array;
  private readonly lengths: Int32Array;
  private readonly side: 0 | 1;
  private readonly otherSide: 0 | 1;
  /** Prints once the shared buffer is full: this thread's own memory, sent with its result. */
  private local: Uint32Array<ArrayBuffer> | null = null;
  /** Events not yet matched, from position `pendingStart` (at `pending[head]`). */
  private pending: TraceEvent[] = [];
  private head = 0;
  private pendingStart = 0;
  private watching: boolean;
  private found: { readonly index: number; readonly event: TraceEvent } | null = null;
  private readonly print = new BehaviourPrints();

  constructor(
    private readonly link: PrintLink,
    private readonly keep: number,
  ) {
    this.own = new Uint32Array(link.own);
    this.other = new Uint32Array(link.other);
    this.lengths = new Int32Array(link.lengths);
    this.side = link.side;
    this.otherSide = link.side === 0 ? 1 : 0;
    this.watching = keep > 0;
  }

  attach(trace: Trace): void {
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

  /** Matches kept events against the prints the other thread has published so far. */
  private settle(): void {
    const end = Math.min(Atomics.load(this.lengths, this.otherSide), this.length);
    let at = this.pendingStart;
    let head = this.head;
    const own = this.own;
    const other = this.other;
    while (at < end) {
      if (own[at] !== other[at]) {
        this.found = { index: at, event: this.pending[head] };
        this.stopWatching();
        return;
      }
      at++;
      head++;
    }
    this.pendingStart = at;
    this.head = head;
    const kept = this.pending.length - head;
    if (kept > this.keep) {
      this.stopWatching();
    } else if (head >= 1024 && head * 2 >= this.pending.length) {
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
    const buffer = this.link.own;
    if (this.local === null && buffer.byteLength < buffer.maxByteLength) {
      buffer.grow(Math.min(buffer.maxByteLength, buffer.byteLength * 2));
      this.own = new Uint32Array(buffer);
      return;
    }
    // Past the shared maximum: go on privately; the other thread stops matching where this
    // one stopped publishing, and the caller gets these prints with the result.
    const local = new Uint32Array(this.own.length * 2);
    local.set(this.own);
    this.local = local;
    this.own = local;
  }

  /** Events held now, waiting for the other run's prints (or the divergence). */
  get kept(): number {
    return this.found === null ? this.pending.length - this.head : 1;
  }

  /** The prints, when they outgrew shared memory (the caller reads the shared buffer otherwise). */
  privatePrints(): Uint32Array<ArrayBuffer> | null {
    return this.local === null ? null : this.local.slice(0, this.length);
  }

  /**
   * The event at `index` if this thread still knows it (it is the divergence, or was never
   * matched), null if this run's trace ended before it, undefined if the thread must replay.
   */
  eventAt(index: number): TraceEvent | null | undefined {
    if (index >= this.length) return null;
    if (this.found !== null && this.found.index === index) return this.found.event;
    if (this.watching && index >= this.pendingStart)
      return this.pending[this.head + index - this.pendingStart];
    return undefined;
  }
}

/** The prints a thread published, read after it finished (or sent by it when they outgrew). */
export function publishedPrints(link: PrintLink, side: 0 | 1, sent: Uint32Array | null): Uint32Array {
  if (sent !== null) return sent;
  const length = Atomics.load(new Int32Array(link.lengths), side);
  return new Uint32Array(side === link.side ? link.own : link.other, 0, length);
}
