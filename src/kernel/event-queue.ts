/**
 * The pending events, ordered by (time, seq), in flat typed arrays: nothing is allocated per event.
 *
 * `seq` is assigned by the queue at push and strictly increases, so two events at the same
 * time pop in the order they were scheduled (first in, first out). Each entry carries a
 * non-negative integer payload (`slot`) that the caller uses to find the event's data.
 *
 * Simulated time is lumpy: cron fires on the minute, many goroutines wake on the same
 * millisecond, periodic timers share whole seconds (in a simulated region, 19 pops in 20 have
 * the time of the one before). A binary min-heap ordered by (time, seq) holds entries of two
 * kinds: a single event, or a bucket, a first-in-first-out run of events of one time, keyed by
 * the seq of its first event. A small direct-mapped cache remembers, per time, the latest entry:
 * a push joins that entry's bucket, or opens a bucket after a single, or else goes in as a
 * single. A bucket only ever receives events later than every event of an older entry of its
 * time, so the pop order is exactly (time, seq). Where times repeat, the heap holds hundreds of
 * entries for 100,000 events and stays in cache; where they do not, it is a plain heap of singles.
 * Losing a cache entry (to a colliding time) costs only a new bucket, never the order.
 */
export class EventQueue {
  // The heap: `heapKeys[2i]` is the time, `heapKeys[2i + 1]` the seq; `heapEntry[i]` is the
  // event's slot (a single) or the bitwise complement of a bucket number (a bucket).
  private heapKeys: Float64Array;
  private heapEntry: Int32Array;
  private heapCount = 0;

  // Nodes, the events of buckets: slot and next node (of the bucket, or of the free list) side
  // by side in `nodeLinks`, so following a bucket touches one cache line per event.
  private nodeLinks: Int32Array;
  private nodeSeq: Float64Array;
  private nodesUsed = 0;
  private freeNode = NONE;

  // Buckets: first and last node, and time. `bucketHead` also links the free buckets.
  private bucketHead: Int32Array;
  private bucketTail: Int32Array;
  private bucketTime: Float64Array;
  private bucketsUsed = 0;
  private freeBucket = NONE;

  // Direct-mapped cache: per line, a time and its latest entry (a bucket number, or SINGLE).
  private cacheTime: Float64Array;
  private cacheEntry: Int32Array;
  private cacheMask: number;

  private count = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.heapKeys = new Float64Array(2 * capacity);
    this.heapEntry = new Int32Array(capacity);
    this.nodeLinks = new Int32Array(2 * capacity);
    this.nodeSeq = new Float64Array(capacity);
    this.bucketHead = new Int32Array(capacity);
    this.bucketTail = new Int32Array(capacity);
    this.bucketTime = new Float64Array(capacity);
    const lines = CACHE_LINES_MIN;
    this.cacheTime = new Float64Array(lines);
    this.cacheEntry = new Int32Array(lines).fill(EMPTY);
    this.cacheMask = lines - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The seq the next push will receive. */
  get seqNext(): number {
    return this.nextSeq;
  }

  /** Adds an event; returns its seq. `slot` is an integer in [0, 2^31). */
  push(time: number, slot: number): number {
    if (Number.isNaN(time)) throw new RangeError("EventQueue.push: time is NaN");
    if (!(slot >= 0 && slot <= 0x7fffffff))
      throw new RangeError(`EventQueue.push: slot ${slot} out of range`);
    const seq = this.nextSeq++;
    this.count++;
    const line = hashOf(time) & this.cacheMask;
    const latest = this.cacheEntry[line];
    if (latest === EMPTY || this.cacheTime[line] !== time) {
      this.cacheTime[line] = time;
      this.cacheEntry[line] = SINGLE;
      this.heapPush(time, seq, slot);
      return seq;
    }
    const node = this.allocNode();
    const links = this.nodeLinks;
    links[2 * node] = slot;
    links[2 * node + 1] = NONE;
    this.nodeSeq[node] = seq;
    if (latest === SINGLE) {
      this.cacheEntry[line] = this.openBucket(time, seq, node);
    } else {
      links[2 * this.bucketTail[latest] + 1] = node;
      this.bucketTail[latest] = node;
    }
    return seq;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.heapKeys[0] : Number.POSITIVE_INFINITY;
  }

  /** Seq of the earliest event; -1 when empty. */
  peekSeq(): number {
    if (this.count === 0) return -1;
    const entry = this.heapEntry[0];
    return entry >= 0 ? this.heapKeys[1] : this.nodeSeq[this.bucketHead[~entry]];
  }

  /** Slot of the earliest event, left in the queue; -1 when empty. */
  peekSlot(): number {
    if (this.count === 0) return -1;
    const entry = this.heapEntry[0];
    return entry >= 0 ? entry : this.nodeLinks[2 * this.bucketHead[~entry]];
  }

  /** Removes the earliest event and returns its slot; -1 when empty. Read its time first with peekTime. */
  pop(): number {
    if (this.count === 0) return -1;
    this.count--;
    const entry = this.heapEntry[0];
    if (entry >= 0) {
      this.heapPopTop();
      return entry;
    }
    const bucket = ~entry;
    const node = this.bucketHead[bucket];
    const links = this.nodeLinks;
    const slot = links[2 * node];
    const next = links[2 * node + 1];
    if (next === NONE) this.closeBucket(bucket);
    else this.bucketHead[bucket] = next;
    links[2 * node + 1] = this.freeNode;
    this.freeNode = node;
    return slot;
  }

  // ---------------------------------------------------------------- nodes and buckets

  private allocNode(): number {
    const node = this.freeNode;
    if (node !== NONE) {
      this.freeNode = this.nodeLinks[2 * node + 1];
      return node;
    }
    if (this.nodesUsed === this.nodeSeq.length) this.growNodes();
    return this.nodesUsed++;
  }

  /** A new bucket for `time`, starting with `node` (whose seq is `seq`), into the heap; returns it. */
  private openBucket(time: number, seq: number, node: number): number {
    let bucket = this.freeBucket;
    if (bucket !== NONE) {
      this.freeBucket = this.bucketHead[bucket];
    } else {
      if (this.bucketsUsed === this.bucketTime.length) this.growBuckets();
      bucket = this.bucketsUsed++;
    }
    this.bucketHead[bucket] = node;
    this.bucketTail[bucket] = node;
    this.bucketTime[bucket] = time;
    this.heapPush(time, seq, ~bucket);
    return bucket;
  }

  /** The earliest bucket has emptied: out of the heap and the cache, onto the free list. */
  private closeBucket(bucket: number): void {
    const line = hashOf(this.bucketTime[bucket]) & this.cacheMask;
    if (this.cacheEntry[line] === bucket) this.cacheEntry[line] = EMPTY;
    this.heapPopTop();
    this.bucketHead[bucket] = this.freeBucket;
    this.freeBucket = bucket;
  }

  // ---------------------------------------------------------------- heap

  private heapPush(time: number, seq: number, entry: number): void {
    if (this.heapCount === this.heapEntry.length) this.growHeap();
    // A cache of about twice the heap's entries keeps collisions rare (up to a bound: it is a cache).
    if (2 * this.heapCount > this.cacheMask + 1 && this.cacheMask + 1 < CACHE_LINES_MAX) {
      this.resizeCache(2 * (this.cacheMask + 1));
    }
    const keys = this.heapKeys;
    const entries = this.heapEntry;
    // Sift the hole up rather than swapping: one write per level.
    let i = this.heapCount++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = keys[2 * parent];
      if (pt < time || (pt === time && keys[2 * parent + 1] < seq)) break;
      keys[2 * i] = pt;
      keys[2 * i + 1] = keys[2 * parent + 1];
      entries[i] = entries[parent];
      i = parent;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    entries[i] = entry;
  }

  private heapPopTop(): void {
    const n = --this.heapCount;
    if (n === 0) return;
    const keys = this.heapKeys;
    const entries = this.heapEntry;
    const time = keys[2 * n];
    const seq = keys[2 * n + 1];
    const entry = entries[n];
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let ct = keys[2 * child];
      let cs = keys[2 * child + 1];
      const right = child + 1;
      if (right < n) {
        const rt = keys[2 * right];
        if (rt < ct || (rt === ct && keys[2 * right + 1] < cs)) {
          child = right;
          ct = rt;
          cs = keys[2 * right + 1];
        }
      }
      if (time < ct || (time === ct && seq < cs)) break;
      keys[2 * i] = ct;
      keys[2 * i + 1] = cs;
      entries[i] = entries[child];
      i = child;
    }
    keys[2 * i] = time;
    keys[2 * i + 1] = seq;
    entries[i] = entry;
  }

  // ---------------------------------------------------------------- growth

  /**
   * A bigger cache, refilled with nothing: every entry is forgotten, which is allowed (the next
   * push of a forgotten time goes in as a single), so open buckets simply stop growing.
   */
  private resizeCache(lines: number): void {
    this.cacheTime = new Float64Array(lines);
    this.cacheEntry = new Int32Array(lines).fill(EMPTY);
    this.cacheMask = lines - 1;
  }

  private growHeap(): void {
    const n = this.heapEntry.length * 2;
    this.heapKeys = grownFloat(this.heapKeys, 2 * n);
    this.heapEntry = grownInt(this.heapEntry, n);
  }

  private growNodes(): void {
    const n = this.nodeSeq.length * 2;
    this.nodeSeq = grownFloat(this.nodeSeq, n);
    this.nodeLinks = grownInt(this.nodeLinks, 2 * n);
  }

  private growBuckets(): void {
    const n = this.bucketTime.length * 2;
    this.bucketHead = grownInt(this.bucketHead, n);
    this.bucketTail = grownInt(this.bucketTail, n);
    this.bucketTime = grownFloat(this.bucketTime, n);
  }
}

const NONE = -1;
/** Cache entries: nothing remembered, or the latest entry of the time is a single event. */
const EMPTY = -1;
const SINGLE = -2;
const CACHE_LINES_MIN = 64;
/** 64 K lines (768 KB): beyond this a bigger cache costs more misses than its hits save. */
const CACHE_LINES_MAX = 0x10000;

/** Mixes both halves of an integer time (any double hashes; equal times hash equal, 0 and -0 too). */
function hashOf(time: number): number {
  const lo = time | 0;
  const hi = (time / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1);
  h ^= h >>> 15;
  return h;
}

function grownFloat(array: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  out.set(array);
  return out;
}

function grownInt(array: Int32Array, length: number): Int32Array {
  const out = new Int32Array(length);
  out.set(array);
  return out;
}
