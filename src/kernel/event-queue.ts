/**
 * The pending events, ordered by (time, seq), in flat typed arrays: nothing is allocated per event.
 *
 * `seq` is assigned by the queue at push and strictly increases, so two events at the same
 * time pop in the order they were scheduled (first in, first out). Each entry carries an
 * integer payload (`slot`) that the caller uses to find the event's data.
 *
 * Simulated time is lumpy: cron fires on the minute, many goroutines wake on the same
 * millisecond, periodic timers share whole seconds (in a simulated region, 19 pops in 20 have
 * the time of the one before). So events are kept in one first-in-first-out list per distinct
 * time (a bucket), found through a hash table, and a binary min-heap orders the buckets by
 * time. FIFO within a bucket is seq order, so the pop order is exactly (time, seq); the heap
 * holds distinct times only (hundreds, where there are 100,000 events), stays in cache, and
 * needs no tie-break.
 */
export class EventQueue {
  // Nodes, one per queued event: its slot and the next node of its bucket (or of the free list)
  // side by side in `nodeLinks` (one cache line to follow a bucket), its seq in `nodeSeq`.
  private nodeLinks: Int32Array;
  private nodeSeq: Float64Array;
  private nodesUsed = 0;
  private freeNode = NONE;

  // Buckets, one per distinct pending time. `bucketHead` also links the free buckets.
  private bucketTime: Float64Array;
  private bucketHead: Int32Array;
  private bucketTail: Int32Array;
  private bucketsUsed = 0;
  private freeBucket = NONE;
  private bucketsLive = 0;

  // Open-addressing hash table (linear probing) from a time to its bucket; NONE marks empty.
  private tableTime: Float64Array;
  private tableBucket: Int32Array;
  private tableMask: number;

  // Binary min-heap of buckets by time (times are distinct: no tie-break needed).
  private heapTime: Float64Array;
  private heapBucket: Int32Array;

  private count = 0;
  private nextSeq = 0;

  constructor(initialCapacity = 1024) {
    const capacity = Math.max(16, initialCapacity);
    this.nodeLinks = new Int32Array(2 * capacity);
    this.nodeSeq = new Float64Array(capacity);
    const buckets = Math.max(16, capacity >> 2);
    this.bucketTime = new Float64Array(buckets);
    this.bucketHead = new Int32Array(buckets);
    this.bucketTail = new Int32Array(buckets);
    this.heapTime = new Float64Array(buckets);
    this.heapBucket = new Int32Array(buckets);
    const table = tableSizeFor(buckets);
    this.tableTime = new Float64Array(table);
    this.tableBucket = new Int32Array(table).fill(NONE);
    this.tableMask = table - 1;
  }

  get size(): number {
    return this.count;
  }

  /** The seq the next push will receive. */
  get seqNext(): number {
    return this.nextSeq;
  }

  /** Adds an event; returns its seq. */
  push(time: number, slot: number): number {
    if (Number.isNaN(time)) throw new RangeError("EventQueue.push: time is NaN");
    const seq = this.nextSeq++;
    const node = this.allocNode();
    const links = this.nodeLinks;
    links[2 * node] = slot;
    links[2 * node + 1] = NONE;
    this.nodeSeq[node] = seq;
    const bucket = this.findBucket(time);
    if (bucket !== NONE) {
      links[2 * this.bucketTail[bucket] + 1] = node;
      this.bucketTail[bucket] = node;
    } else {
      this.openBucket(time, node);
    }
    this.count++;
    return seq;
  }

  /** Time of the earliest event; Infinity when empty. */
  peekTime(): number {
    return this.count > 0 ? this.heapTime[0] : Number.POSITIVE_INFINITY;
  }

  /** Seq of the earliest event; -1 when empty. */
  peekSeq(): number {
    return this.count > 0 ? this.nodeSeq[this.bucketHead[this.heapBucket[0]]] : -1;
  }

  /** Removes the earliest event and returns its slot; -1 when empty. Read its time first with peekTime. */
  pop(): number {
    if (this.count === 0) return -1;
    this.count--;
    const bucket = this.heapBucket[0];
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

  /** A new bucket for `time`, holding `node`: into the table and the heap. */
  private openBucket(time: number, node: number): void {
    let bucket = this.freeBucket;
    if (bucket !== NONE) {
      this.freeBucket = this.bucketHead[bucket];
    } else {
      if (this.bucketsUsed === this.bucketTime.length) this.growBuckets();
      bucket = this.bucketsUsed++;
    }
    this.bucketTime[bucket] = time;
    this.bucketHead[bucket] = node;
    this.bucketTail[bucket] = node;
    this.bucketsLive++;
    if (2 * this.bucketsLive > this.tableMask + 1) this.rehash(2 * (this.tableMask + 1));
    this.tableInsert(time, bucket);
    this.heapPush(time, bucket);
  }

  /** The earliest bucket has emptied: out of the heap and the table, onto the free list. */
  private closeBucket(bucket: number): void {
    this.tableRemove(this.bucketTime[bucket]);
    this.heapPopTop();
    this.bucketsLive--;
    this.bucketHead[bucket] = this.freeBucket;
    this.freeBucket = bucket;
  }

  // ---------------------------------------------------------------- hash table

  private findBucket(time: number): number {
    const times = this.tableTime;
    const buckets = this.tableBucket;
    const mask = this.tableMask;
    for (let i = hashOf(time) & mask; ; i = (i + 1) & mask) {
      const bucket = buckets[i];
      if (bucket === NONE || times[i] === time) return bucket;
    }
  }

  private tableInsert(time: number, bucket: number): void {
    const mask = this.tableMask;
    let i = hashOf(time) & mask;
    while (this.tableBucket[i] !== NONE) i = (i + 1) & mask;
    this.tableTime[i] = time;
    this.tableBucket[i] = bucket;
  }

  /** Removes `time` (which must be present), shifting later entries of its probe run back. */
  private tableRemove(time: number): void {
    const times = this.tableTime;
    const buckets = this.tableBucket;
    const mask = this.tableMask;
    let hole = hashOf(time) & mask;
    while (times[hole] !== time || buckets[hole] === NONE) hole = (hole + 1) & mask;
    for (let j = (hole + 1) & mask; buckets[j] !== NONE; j = (j + 1) & mask) {
      const home = hashOf(times[j]) & mask;
      // Move j into the hole unless its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (stays) continue;
      times[hole] = times[j];
      buckets[hole] = buckets[j];
      hole = j;
    }
    buckets[hole] = NONE;
  }

  private rehash(size: number): void {
    const oldTimes = this.tableTime;
    const oldBuckets = this.tableBucket;
    this.tableTime = new Float64Array(size);
    this.tableBucket = new Int32Array(size).fill(NONE);
    this.tableMask = size - 1;
    for (let i = 0; i < oldBuckets.length; i++) {
      if (oldBuckets[i] !== NONE) this.tableInsert(oldTimes[i], oldBuckets[i]);
    }
  }

  // ---------------------------------------------------------------- heap of buckets

  private heapPush(time: number, bucket: number): void {
    const times = this.heapTime;
    const buckets = this.heapBucket;
    // Sift the hole up rather than swapping: one write per level.
    let i = this.bucketsLive - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent];
      if (pt < time) break;
      times[i] = pt;
      buckets[i] = buckets[parent];
      i = parent;
    }
    times[i] = time;
    buckets[i] = bucket;
  }

  /** Removes the heap's top; `bucketsLive` still counts it. */
  private heapPopTop(): void {
    const times = this.heapTime;
    const buckets = this.heapBucket;
    const n = this.bucketsLive - 1;
    if (n === 0) return;
    const time = times[n];
    const bucket = buckets[n];
    let i = 0;
    const half = n >> 1;
    while (i < half) {
      let child = 2 * i + 1;
      let ct = times[child];
      const right = child + 1;
      if (right < n && times[right] < ct) {
        child = right;
        ct = times[right];
      }
      if (time < ct) break;
      times[i] = ct;
      buckets[i] = buckets[child];
      i = child;
    }
    times[i] = time;
    buckets[i] = bucket;
  }

  // ---------------------------------------------------------------- growth

  private growNodes(): void {
    const n = this.nodeSeq.length * 2;
    this.nodeSeq = grownFloat(this.nodeSeq, n);
    this.nodeLinks = grownInt(this.nodeLinks, 2 * n);
  }

  private growBuckets(): void {
    const n = this.bucketTime.length * 2;
    this.bucketTime = grownFloat(this.bucketTime, n);
    this.bucketHead = grownInt(this.bucketHead, n);
    this.bucketTail = grownInt(this.bucketTail, n);
    this.heapTime = grownFloat(this.heapTime, n);
    this.heapBucket = grownInt(this.heapBucket, n);
  }
}

const NONE = -1;

/** A power of two with room for `buckets` at a load factor of at most one half. */
function tableSizeFor(buckets: number): number {
  let size = 16;
  while (size < 2 * buckets) size *= 2;
  return size;
}

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
