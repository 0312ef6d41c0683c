import type { TimeMs } from "./time.js";

/** Values a trace event may carry: JSON-compatible and hashed canonically. */
export type TraceValue =
  | string
  | number
  | boolean
  | null
  | readonly TraceValue[]
  | { readonly [k: string]: TraceValue };

/**
 * One state change. `seq` is the event's position in the trace (0, 1, 2, ...); `cause` is the
 * `seq` of the event that led to it, or null for a root (an operator action, a start-up).
 * Other fields name the ids involved (`worker`, `schedule`, `account`, `partition`, ...).
 */
export interface TraceEvent {
  readonly t: TimeMs;
  readonly seq: number;
  readonly type: string;
  readonly cause: number | null;
  readonly [field: string]: TraceValue | undefined;
}

/** Something that consumes the trace as it is produced. */
export interface TraceSink {
  onEvent(event: TraceEvent): void;
}

/**
 * A streaming 64-bit hash (two 32-bit multiply-xorshift lanes) over a canonical encoding of
 * each event: fields in the order the event was built, each value tagged by its kind. Equal
 * traces give equal hashes on every platform; it is not cryptographic, only a fingerprint.
 */
export class TraceHasher implements TraceSink {
  private h1 = 0x9e3779b9 | 0;
  private h2 = 0x85ebca6b | 0;
  private count = 0;

  onEvent(event: TraceEvent): void {
    this.count++;
    for (const key in event) {
      const value = event[key];
      if (value === undefined) continue;
      this.mixString(key);
      this.mixValue(value);
    }
    this.mixInt(0x7fffffff);
  }

  /** Sixteen hex digits. */
  digest(): string {
    let a = this.h1 ^ this.count;
    let b = this.h2 ^ Math.imul(this.count, 0x27d4eb2d);
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    a ^= a >>> 16;
    b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
  }

  private mixInt(x: number): void {
    // Int32 arithmetic throughout (`| 0`), so V8 keeps both lanes as small integers.
    let k = Math.imul(x | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h1 = this.h1 ^ k;
    h1 = (h1 << 13) | (h1 >>> 19);
    this.h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let h2 = (Math.imul(this.h2 ^ k, 0x2c1b3c6d) + 0x297a2d39) | 0;
    h2 ^= h2 >>> 15;
    this.h2 = h2;
  }

  private mixString(s: string): void {
    // Each string is folded to a 32-bit FNV-1a digest (one multiply per character), then mixed
    // in as one word with its length.
    let digest = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) digest = Math.imul(digest ^ s.charCodeAt(i), 0x01000193);
    this.mixInt(0x51 ^ (s.length << 8));
    this.mixInt(digest);
  }

  private mixValue(value: TraceValue): void {
    if (value === null) {
      this.mixInt(0x4e);
    } else if (typeof value === "number") {
      if (Number.isSafeInteger(value)) {
        this.mixInt(0x49);
        this.mixInt((value % 0x100000000) | 0);
        this.mixInt(Math.floor(value / 0x100000000) | 0);
      } else {
        this.mixInt(0x46);
        this.mixString(String(value));
      }
    } else if (typeof value === "string") {
      this.mixString(value);
    } else if (typeof value === "boolean") {
      this.mixInt(value ? 0x54 : 0x55);
    } else if (Array.isArray(value)) {
      this.mixInt(0x41 ^ (value.length << 8));
      for (const item of value) this.mixValue(item);
    } else {
      this.mixInt(0x4f);
      const record = value as { readonly [k: string]: TraceValue };
      for (const key in record) {
        this.mixString(key);
        this.mixValue(record[key]);
      }
      this.mixInt(0x6f);
    }
  }
}

/** Counts events by type. */
export class CounterSink implements TraceSink {
  readonly byType = new Map<string, number>();
  total = 0;

  onEvent(event: TraceEvent): void {
    this.total++;
    this.byType.set(event.type, (this.byType.get(event.type) ?? 0) + 1);
  }

  count(type: string): number {
    return this.byType.get(type) ?? 0;
  }
}

/** Keeps the last `capacity` events: bounded memory, enough context for a failure report. */
export class RingBufferSink implements TraceSink {
  private readonly buffer: TraceEvent[] = [];
  private next = 0;

  constructor(readonly capacity: number) {
    if (!(capacity > 0)) throw new RangeError("RingBufferSink: capacity must be positive");
  }

  onEvent(event: TraceEvent): void {
    if (this.buffer.length < this.capacity) {
      this.buffer.push(event);
    } else {
      this.buffer[this.next] = event;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** The kept events, oldest first. */
  events(): TraceEvent[] {
    return this.buffer.slice(this.next).concat(this.buffer.slice(0, this.next));
  }
}

/** Keeps every event: the full trace, for `why`, reports and tests. Memory grows with the run. */
export class CollectSink implements TraceSink {
  readonly events: TraceEvent[] = [];

  onEvent(event: TraceEvent): void {
    this.events.push(event);
  }
}

/** Writes one JSON line per event through a writer the caller owns (the kernel has no I/O). */
export class JsonlSink implements TraceSink {
  constructor(private readonly write: (line: string) => void) {}

  onEvent(event: TraceEvent): void {
    this.write(`${JSON.stringify(event)}\n`);
  }
}

/** Fields of a new event, without the ones the trace assigns. */
export type TraceFields = { readonly [field: string]: TraceValue | undefined };

/** The trace of one run: assigns `seq`, hashes every event, and streams it to the sinks. */
export class Trace {
  private nextSeq = 0;
  private readonly sinks: TraceSink[] = [];
  readonly hasher = new TraceHasher();

  constructor(private readonly clock: () => TimeMs) {}

  addSink(sink: TraceSink): void {
    this.sinks.push(sink);
  }

  /** Number of events emitted so far; also the seq the next one will get. */
  get length(): number {
    return this.nextSeq;
  }

  /** Emits an event and returns its seq. Undefined fields are left out. */
  emit(type: string, cause: number | null, fields?: TraceFields): number {
    const seq = this.nextSeq++;
    const event: Record<string, TraceValue> = { t: this.clock(), seq, type, cause };
    if (fields) {
      for (const key in fields) {
        const value = fields[key];
        if (value !== undefined) event[key] = value;
      }
    }
    const frozen = event as unknown as TraceEvent;
    this.hasher.onEvent(frozen);
    for (let i = 0; i < this.sinks.length; i++) this.sinks[i].onEvent(frozen);
    return seq;
  }

  get hash(): string {
    return this.hasher.digest();
  }
}
