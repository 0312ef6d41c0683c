/**
 * A partition's queue of due work: a binary min-heap ordered by (time, seq), `seq` assigned at
 * push and strictly increasing, so work due at the same time is claimed first in, first out.
 *
 * Like the kernel's event queue it keeps times and seqs in flat typed arrays, but it holds the
 * entries themselves (no id-to-entry table to keep alive) and can peek at the head's entry.
 *
 * Entries are never removed from the middle: the caller marks an entry stale (by changing the
 * seq it remembers for it) and skips it when it surfaces.
 */
export class DueQueue<T> {
  private times: Float64Array;
  private seqs: Float64Array;
  private entries: (T | undefined)[];
  private count = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 16) {
    this.times = new Float64Array(initialCapacity);
    this.seqs = new Float64Array(initialCapacity);
    this.entries = new Array<T | undefined>(initialCapacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds an entry due at `time`; returns its seq. */
  push(time: number, entry: T): number {
    if (this.count === this.times.length) this.grow();
    const seq = this.nextSeq++;
    const times = this.times;
    const seqs = this.seqs;
    const entries = this.entries;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time || (pt === time && seqs[parent] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[parent];
      entries[i] = entries[parent];
      i = parent;
    }
    times[i] = time;
    seqs[i] = seq;
    entries[i] = entry;
    return seq;
  }

  /** Time of the earliest entry; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.times[0] : Number.POSITIVE_INFINITY;
  }

  /** Seq of the earliest entry; -1 when empty. */
  peekSeq(): number {
    return this.count > 0 ? this.seqs[0] : -1;
  }

  /** The earliest entry, without removing it. */
  peek(): T | undefined {
    return this.count > 0 ? this.entries[0] : undefined;
  }

  /** Removes the earliest entry and returns it (read its time and seq first with the peeks). */
  pop(): T | undefined {
    if (this.count === 0) return undefined;
    const times = this.times;
    const seqs = this.seqs;
    const entries = this.entries;
    const top = entries[0];
    const n = --this.count;
    if (n === 0) {
      entries[0] = undefined;
      return top;
    }
    const time = times[n];
    const seq = seqs[n];
    const entry = entries[n];
    entries[n] = undefined;
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let ct = times[child];
      let cs = seqs[child];
      const right = child + 1;
      if (right < n) {
        const rt = times[right];
        if (rt < ct || (rt === ct && seqs[right] < cs)) {
          child = right;
          ct = rt;
          cs = seqs[right];
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      times[i] = ct;
      seqs[i] = cs;
      entries[i] = entries[child];
      i = child;
    }
    times[i] = time;
    seqs[i] = seq;
    entries[i] = entry;
    return top;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const seqs = new Float64Array(capacity);
    times.set(this.times);
    seqs.set(this.seqs);
    this.times = times;
    this.seqs = seqs;
    this.entries.length = capacity;
  }
}
