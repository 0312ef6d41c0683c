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

/**
 * Something that consumes the trace as it is produced. A sink that throws (a file that cannot be
 * written) stops the run after the event being run, and its error goes to the run's caller: it
 * is the caller's failure, never a panic of the code under test nor a halt. The trace throws it
 * as it was thrown; the library's functions (`runScenario`, `runWorld`, …) throw a `SinkError`
 * in its place, saying which of the caller's sinks threw and at which event, whose `cause` is
 * what the sink threw, unchanged (an error from `attach` alike). Every sink is handed the same
 * event object, which the trace has hashed already: a sink must not change it (the library
 * hands its callers' sinks each event frozen: `explore/user-sinks.ts`).
 */
export interface TraceSink {
  onEvent(event: TraceEvent): void;
  /**
   * Called when the sink is added to a trace, before any event reaches it, with what it may read
   * of that trace (a file sink its length and whether a stop cut it). The library hands its
   * callers' sinks a read-only view (`readOnlyTrace`); its own sinks get the trace itself.
   */
  attach?(trace: TraceView): void;
}

/**
 * What a trace sink may read of the trace it is added to: how far it has got, never a way to
 * change it (to emit an event, which would change the hash, or to add a sink, which would see
 * events unfrozen).
 */
export interface TraceView {
  /** Number of events emitted so far; also the seq the next one will get. */
  readonly length: number;
  /** The trace hash of the events so far (sixteen hex digits). */
  readonly hash: string;
  /** The seq of the event a stop from outside cut in the middle of being traced, or null (`Trace.cut`). */
  readonly cutEvent: number | null;
}

/**
 * A view of `trace` that reads it and nothing more: its getters close over the trace, which
 * nothing in the view leads to. What a library caller's sink is handed (`explore/user-sinks.ts`).
 */
export function readOnlyTrace(trace: TraceView): TraceView {
  return Object.freeze({
    get length() {
      return trace.length;
    },
    get hash() {
      return trace.hash;
    },
    get cutEvent() {
      return trace.cutEvent;
    },
  });
}

/**
 * A streaming 64-bit hash (two 32-bit multiply-xorshift lanes) over a canonical encoding of
 * each event: fields in the order the event was built, each value tagged by its kind. Equal
 * traces give equal hashes on every platform; it is not cryptographic, only a fingerprint.
 */
export class TraceHasher implements TraceSink {
  // The two lanes. A shape's hash (`shapeHashOf`) reads and writes them too.
  private h1 = 0x9e3779b9 | 0;
  private h2 = 0x85ebca6b | 0;
  protected count = 0;

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

  /**
   * `onEvent` for an event the trace built from a learned shape (`ShapeHash`): the same hash,
   * from code made for the shape, which knows its field names and their digests and reads each
   * field where it is rather than by enumerating the event.
   */
  onShapedEvent(event: TraceEvent, hash: ShapeHash): void {
    this.count++;
    hash(this, event);
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

  protected mixInt(x: number): void {
    // Int32 arithmetic throughout (`| 0`), so V8 keeps both lanes as small integers. A shape's
    // hash (`shapeHashOf`) writes the same arithmetic out: change both or neither.
    const k = scrambled(x);
    let h1 = this.h1 ^ k;
    h1 = (h1 << 13) | (h1 >>> 19);
    this.h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let h2 = (Math.imul(this.h2 ^ k, 0x2c1b3c6d) + 0x297a2d39) | 0;
    h2 ^= h2 >>> 15;
    this.h2 = h2;
  }

  /** Mixes in a string and returns its digest (`stringDigest`). */
  protected mixString(s: string): number {
    // Each string is folded to a 32-bit FNV-1a digest (one multiply per character), then mixed
    // in as one word with its length.
    const digest = stringDigest(s);
    this.mixInt(0x51 ^ (s.length << 8));
    this.mixInt(digest);
    return digest;
  }

  /** Mixes in a safe integer: its tag, then its two 32-bit halves. */
  protected mixInteger(value: number): void {
    // `value | 0` is the low half of any safe integer (ToInt32 works modulo 2^32), without the
    // floating-point remainder `%` would cost.
    this.mixInt(0x49);
    this.mixInt(value | 0);
    this.mixInt(Math.floor(value / 0x100000000) | 0);
  }

  protected mixValue(value: TraceValue): void {
    if (value === null) {
      this.mixInt(0x4e);
    } else if (typeof value === "number") {
      if (Number.isSafeInteger(value)) {
        this.mixInteger(value);
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

const PRINT_PRIME = 0x01000193;

/** A word as `TraceHasher` scrambles it before mixing it into both lanes. */
function scrambled(x: number): number {
  const k = Math.imul(x | 0, 0xcc9e2d51);
  return Math.imul((k << 15) | (k >>> 17), 0x1b873593);
}

/** The 32-bit FNV-1a digest of a string, as the hasher folds it. */
export function stringDigest(s: string): number {
  let digest = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) digest = Math.imul(digest ^ s.charCodeAt(i), PRINT_PRIME);
  return digest;
}

/** A value's 32-bit digest for an event print: its kind and its content. */
function valueDigest(value: TraceValue): number {
  if (typeof value === "string") return Math.imul(stringDigest(value) ^ 0x53, PRINT_PRIME);
  if (typeof value === "number") {
    if (Number.isSafeInteger(value)) return integerDigest(value);
    return Math.imul(stringDigest(String(value)) ^ 0x46, PRINT_PRIME);
  }
  if (value === null) return 0x4e;
  if (typeof value === "boolean") return value ? 0x54 : 0x55;
  return Math.imul(stringDigest(JSON.stringify(value)) ^ 0x4a, PRINT_PRIME);
}

function integerDigest(value: number): number {
  const low = value | 0;
  const high = Math.floor(value / 0x100000000) | 0;
  return Math.imul(Math.imul(low ^ 0x49, PRINT_PRIME) ^ high, PRINT_PRIME);
}

/**
 * A 32-bit fingerprint of an event's fields, names and values, but the `ignored` ones (at most
 * four): what `PrintingHasher` gives as it hashes, computed on its own. Not cryptographic.
 */
export function eventPrint(event: TraceEvent, ignored: readonly string[]): number {
  let print = 0x811c9dc5 | 0;
  for (const key in event) {
    const value = event[key];
    if (value === undefined || ignored.includes(key)) continue;
    print = Math.imul(print ^ stringDigest(key), PRINT_PRIME);
    print = Math.imul(print ^ valueDigest(value), PRINT_PRIME);
  }
  return print >>> 0;
}

/**
 * The trace hasher that also leaves each event's print (`eventPrint`) in `lastPrint`, from the
 * digests it computes anyway, so a sink that compares runs event by event does not walk every
 * event a second time. Its trace hash is the plain hasher's.
 */
export class PrintingHasher extends TraceHasher {
  /** The print of the event hashed last. */
  lastPrint = 0;
  private readonly i0: string;
  private readonly i1: string;
  private readonly i2: string;
  private readonly i3: string;

  constructor(readonly ignored: readonly string[]) {
    super();
    if (ignored.length > 4) throw new RangeError("PrintingHasher: at most four ignored fields");
    // A name no event field has pads the list, so the test per field is four identity checks.
    const pad = "\u0000";
    [this.i0, this.i1, this.i2, this.i3] = [...ignored, pad, pad, pad, pad];
  }

  /** Prints need every field enumerated: the shape's code is left aside. */
  override onShapedEvent(event: TraceEvent): void {
    this.onEvent(event);
  }

  override onEvent(event: TraceEvent): void {
    this.count++;
    let print = 0x811c9dc5 | 0;
    for (const key in event) {
      const value = event[key];
      if (value === undefined) continue;
      const keyDigest = this.mixString(key);
      let digest: number;
      if (typeof value === "string") {
        digest = Math.imul(this.mixString(value) ^ 0x53, PRINT_PRIME);
      } else if (typeof value === "number" && Number.isSafeInteger(value)) {
        this.mixInteger(value);
        digest = integerDigest(value);
      } else {
        this.mixValue(value);
        digest = valueDigest(value);
      }
      if (key === this.i0 || key === this.i1 || key === this.i2 || key === this.i3) continue;
      print = Math.imul(print ^ keyDigest, PRINT_PRIME);
      print = Math.imul(print ^ digest, PRINT_PRIME);
    }
    this.mixInt(0x7fffffff);
    this.lastPrint = print >>> 0;
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

type EventBuilder = (
  t: TimeMs,
  seq: number,
  type: string,
  cause: number | null,
  fields: TraceFields,
) => Record<string, TraceValue>;

/**
 * Mixes an event of one shape into a hasher exactly as `TraceHasher.onEvent` does between its
 * count and its end mark: the same names and values in the same order. Made by `shapeHashOf`.
 */
export type ShapeHash = (hasher: TraceHasher, event: TraceEvent) => void;

/** An event type with its field names in order, and the hash of exactly those once it is hot. */
interface HashedShape {
  readonly type: string;
  readonly keys: readonly string[];
  /** Made once the shape is hot (`hotShapeHash`); null before, or for good if no hash can be. */
  hash: ShapeHash | null;
  /** Events of the shape hashed while it had no hash, up to `SHAPE_HASH_AFTER`. */
  events: number;
}

/** One way an event type's fields come: their names in order, a builder and a hash for exactly those. */
interface EventShape extends HashedShape {
  readonly build: EventBuilder;
}

/** Shapes seen per event type (a few each: emit sites differ in their optional fields). */
const shapesByType = new Map<string, EventShape[]>();
/** Builders by type and field names, so a shape is generated once per process. */
const buildersByKeys = new Map<string, EventBuilder>();
/** The shape `buildEvent` built its last event from, or null: read by `Trace.emit` right after. */
let builtShape: EventShape | null = null;
const SHAPES_PER_TYPE = 4;
const BUILDERS_MAX = 1024;
/**
 * Events of a shape the plain hasher takes before the shape gets a hash of its own. A shape's
 * hash is fast once V8 has compiled it, but slower than the plain hasher (long warm already)
 * while interpreted; and explorations meet many shapes a few hundred times each.
 */
export const SHAPE_HASH_AFTER = 4096;

/**
 * The event `{ t, seq, type, cause, ...fields }` without its undefined fields. Copying the
 * fields one by one makes V8 add each property to a growing object (a map transition per
 * store, about a third of a microsecond per event); a builder made for the event's type and
 * field names creates it as one object literal instead. Both give the same object, field for
 * field and in the same order, so the trace and its hash do not depend on which one ran.
 */
function buildEvent(
  t: TimeMs,
  seq: number,
  type: string,
  cause: number | null,
  fields: TraceFields,
): Record<string, TraceValue> {
  const shapes = shapesByType.get(type);
  if (shapes !== undefined) {
    for (let s = 0; s < shapes.length; s++) {
      const keys = shapes[s].keys;
      let i = 0;
      let fits = true;
      for (const key in fields) {
        if (key !== keys[i] || fields[key] === undefined) {
          fits = false;
          break;
        }
        i++;
      }
      if (fits && i === keys.length) {
        builtShape = shapes[s];
        return shapes[s].build(t, seq, type, cause, fields);
      }
    }
  }
  builtShape = null;
  const event: Record<string, TraceValue> = { t, seq, type, cause };
  const keys: string[] = [];
  let complete = true;
  for (const key in fields) {
    const value = fields[key];
    if (value === undefined) complete = false;
    else event[key] = value;
    keys.push(key);
  }
  if (complete) learnShape(type, keys);
  return event;
}

/** How many event builders this process has made (for tests and diagnostics). */
export function eventBuilderCount(): number {
  return buildersByKeys.size;
}

/** The fields every trace event begins with, in this order, before those of its type. */
export const LEADING_FIELDS = ["t", "seq", "type", "cause"] as const;

/** Names the trace assigns, or that an object literal treats specially: no builder takes them. */
const UNBUILT_NAMES: ReadonlySet<string> = new Set([...LEADING_FIELDS, "__proto__"]);

/**
 * Whether this process may compile code from text (`new Function`): not under Node's
 * `--disallow-code-generation-from-strings`. Without it, events are built and hashed by the
 * generic code, which gives the same events and the same hash, only slower.
 */
const GENERATES_CODE = (() => {
  try {
    return new Function("return true")() === true;
  } catch {
    return false;
  }
})();

function learnShape(type: string, keys: readonly string[]): void {
  if (!GENERATES_CODE) return;
  let shapes = shapesByType.get(type);
  if (shapes === undefined) {
    if (shapesByType.size >= BUILDERS_MAX) return;
    shapes = [];
    shapesByType.set(type, shapes);
  }
  if (shapes.length >= SHAPES_PER_TYPE) return;
  // Names the trace assigns, or that an object literal would treat specially, stay on the copy.
  if (keys.some((k) => UNBUILT_NAMES.has(k))) return;
  const signature = JSON.stringify([type, keys]);
  let build = buildersByKeys.get(signature);
  if (build === undefined) {
    if (buildersByKeys.size >= BUILDERS_MAX) return;
    // Each name is quoted by JSON.stringify, so any name makes a valid property and nothing else.
    const properties = keys.map((k) => `${JSON.stringify(k)}: f[${JSON.stringify(k)}]`).join(", ");
    build = new Function(
      "t",
      "seq",
      "type",
      "cause",
      "f",
      `return { t, seq, type, cause, ${properties} };`,
    ) as EventBuilder;
    buildersByKeys.set(signature, build);
  }
  shapes.push({ type, keys, build, hash: null, events: 0 });
}

/** The shape's hash once it has built `SHAPE_HASH_AFTER` events, else null (the plain hasher's turn). */
function hotShapeHash(shape: HashedShape): ShapeHash | null {
  if (shape.events === SHAPE_HASH_AFTER) return null; // no hash for its names (see `shapeHashOf`)
  if (++shape.events < SHAPE_HASH_AFTER) return null;
  shape.hash = shapeHashOf(shape.type, shape.keys);
  return shape.hash;
}

/** A name a shape's hash reads as `e.name`: an identifier, so never an array index either. */
const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The hash of the events of one shape: `{ t, seq, type, cause, ...keys }`, every field defined,
 * `type` always `type`. It mixes what `TraceHasher.onEvent` would, word for word: each name's
 * two words (its tagged length and its digest) computed and scrambled here once, `type`'s too;
 * each value as `mixValue` would, read from a field of one object shape. Both lanes stay in
 * locals, and strings and safe integers (nearly every value) are mixed inline, `mixInt`'s
 * arithmetic written out here; anything else goes through the hasher.
 * Null unless every name is a plain identifier: an array index would come first in the event's
 * own order, and the code reads fields as `e.name`.
 */
function shapeHashOf(type: string, keys: readonly string[]): ShapeHash | null {
  if (!GENERATES_CODE || !keys.every((k) => PLAIN_NAME.test(k))) return null;
  // `mixInt`'s mixing into the lanes `a` and `b` of a word scrambled in `k` (or a constant).
  const mix = (k: string): string =>
    `a ^= ${k}; a = (a << 13) | (a >>> 19); a = (Math.imul(a, 5) + 0xe6546b64) | 0; ` +
    `b = (Math.imul(b ^ ${k}, 0x2c1b3c6d) + 0x297a2d39) | 0; b ^= b >>> 15;`;
  // `mixInt` of the expression `x`.
  const word = (x: string): string =>
    `k = Math.imul((${x}) | 0, 0xcc9e2d51); k = Math.imul((k << 15) | (k >>> 17), 0x1b873593); ${mix("k")}`;
  const name = (k: string): string =>
    mix(String(scrambled(0x51 ^ (k.length << 8)))) + mix(String(scrambled(stringDigest(k))));
  const value = (k: string): string =>
    `v = e.${k}; if (typeof v === "string") { ${word("0x51 ^ (v.length << 8)")} ${word("digest(v)")} } ` +
    `else if (typeof v === "number" && Number.isSafeInteger(v)) { ${mix(String(scrambled(0x49)))} ` +
    `${word("v")} ${word("Math.floor(v / 0x100000000)")} } ` +
    "else { h.h1 = a; h.h2 = b; h.mixValue(v); a = h.h1; b = h.h2; }";
  const lines = ["let a = h.h1, b = h.h2, k = 0, v;"];
  for (const k of ["t", "seq"]) lines.push(name(k), value(k));
  lines.push(name("type"), name(type));
  for (const k of ["cause", ...keys]) lines.push(name(k), value(k));
  lines.push("h.h1 = a; h.h2 = b;");
  const make = new Function("digest", `return function shapeHash(h, e) {\n${lines.join("\n")}\n};`);
  return make(stringDigest) as ShapeHash;
}

/** Fields a prepared event may have at most (`Trace.emitPrepared` takes that many values). */
export const PREPARED_FIELDS_MAX = 11;

type PreparedBuilder = (
  t: TimeMs,
  seq: number,
  type: string,
  cause: number | null,
  ...values: (TraceValue | undefined)[]
) => Record<string, TraceValue> | null;

/**
 * An event type whose fields always come in one order, prepared once (at module load) for
 * `Trace.emitPrepared`: its events are built from their values alone, as one object literal, and
 * hashed by the shape's code once hot. `emit` allocates a fields object per event, matches its
 * names against the type's shapes and copies it; for the few events a run emits by the million
 * (a fire's four, a failed delivery's), that was the larger part of emitting them. The event, its trace and its hash
 * are the ones `emit` gives for the same fields.
 */
export class PreparedEvent implements HashedShape {
  hash: ShapeHash | null = null;
  events = 0;
  /** The event from its values, or null when one is undefined (`emit` leaves such a field out). */
  readonly build: PreparedBuilder;

  constructor(
    readonly type: string,
    readonly keys: readonly string[],
  ) {
    if (keys.length > PREPARED_FIELDS_MAX)
      throw new RangeError(`PreparedEvent ${type}: at most ${PREPARED_FIELDS_MAX} fields`);
    // Plain names only: an index would come first in the object, and the trace's own names are its.
    for (const k of keys)
      if (!PLAIN_NAME.test(k) || UNBUILT_NAMES.has(k))
        throw new RangeError(`PreparedEvent ${type}: field name ${JSON.stringify(k)} cannot be prepared`);
    if (new Set(keys).size !== keys.length)
      throw new RangeError(`PreparedEvent ${type}: a field name repeats`);
    this.build = GENERATES_CODE ? compiledBuilder(keys) : genericBuilder(keys);
  }

  /** The fields object `emit` would be given for these values. */
  fields(values: readonly (TraceValue | undefined)[]): TraceFields {
    const fields: Record<string, TraceValue | undefined> = {};
    for (let i = 0; i < this.keys.length; i++) fields[this.keys[i]] = values[i];
    return fields;
  }
}

/** A prepared event's builder as one object literal, compiled for its names. */
function compiledBuilder(keys: readonly string[]): PreparedBuilder {
  const values = keys.map((_, i) => `v${i}`);
  const defined = values.map((v) => `${v} === undefined`).join(" || ");
  const properties = keys.map((k, i) => `${k}: v${i}`).join(", ");
  return new Function(
    "t",
    "seq",
    "type",
    "cause",
    ...values,
    `${keys.length > 0 ? `if (${defined}) return null; ` : ""}return { t, seq, type, cause${keys.length > 0 ? ", " : ""}${properties} };`,
  ) as PreparedBuilder;
}

/** The same builder where code cannot be compiled (`GENERATES_CODE`): the same object, field by field. */
function genericBuilder(keys: readonly string[]): PreparedBuilder {
  return (t, seq, type, cause, ...values) => {
    for (let i = 0; i < keys.length; i++) if (values[i] === undefined) return null;
    const event: Record<string, TraceValue> = { t, seq, type, cause };
    for (let i = 0; i < keys.length; i++) event[keys[i]] = values[i]!;
    return event;
  };
}

/** The trace of one run: assigns `seq`, hashes every event, and streams it to the sinks. */
export class Trace implements TraceView {
  private nextSeq = 0;
  private readonly sinks: TraceSink[] = [];
  private hasherNow: TraceHasher = new TraceHasher();
  /** The first error a sink threw, held for the run loop to throw (`throwSinkFailure`). */
  private sinkFailure: { readonly error: unknown } | null = null;
  /** Events handed to every sink: `nextSeq`, but while one is on its way. */
  private handedOut = 0;
  /** The seq of the event a stop from outside cut in the middle of being traced (`cut`), or null. */
  private cutSeq: number | null = null;

  constructor(private readonly clock: () => TimeMs) {}

  /** Whether a sink threw: the run must stop and `throwSinkFailure` say why. */
  get sinkFailed(): boolean {
    return this.sinkFailure !== null;
  }

  /** Throws the error a sink threw, if one did. */
  throwSinkFailure(): void {
    if (this.sinkFailure !== null) throw this.sinkFailure.error;
  }

  get hasher(): TraceHasher {
    return this.hasherNow;
  }

  addSink(sink: TraceSink): void {
    this.sinks.push(sink);
    sink.attach?.(this);
  }

  /**
   * Makes the trace hash with a `PrintingHasher` (same hash), so sinks can read each event's
   * print in `lastPrint` as they receive it. Only before the first event; the same ignored
   * fields give the same hasher again.
   */
  usePrints(ignored: readonly string[]): PrintingHasher {
    const now = this.hasherNow;
    if (now instanceof PrintingHasher) {
      if (ignored.join("\n") !== now.ignored.join("\n"))
        throw new Error("Trace.usePrints: the trace already prints with other ignored fields");
      return now;
    }
    if (this.nextSeq > 0) throw new Error("Trace.usePrints: events were already hashed");
    const printing = new PrintingHasher(ignored);
    this.hasherNow = printing;
    return printing;
  }

  /** Number of events emitted so far; also the seq the next one will get. */
  get length(): number {
    return this.nextSeq;
  }

  /** Emits an event and returns its seq. Undefined fields are left out. */
  emit(type: string, cause: number | null, fields?: TraceFields): number {
    const seq = this.nextSeq++;
    const t = this.clock();
    const event = fields ? buildEvent(t, seq, type, cause, fields) : { t, seq, type, cause };
    const shape = fields ? builtShape : null;
    this.handOut(event as unknown as TraceEvent, shape === null ? null : (shape.hash ?? hotShapeHash(shape)));
    return seq;
  }

  /**
   * Emits an event of a prepared type (`PreparedEvent`) with its fields' values in the prepared
   * order, and returns its seq: the event `emit` would give for those fields. Values past the
   * type's fields are ignored; an undefined one is left out, as by `emit`.
   */
  emitPrepared(
    prepared: PreparedEvent,
    cause: number | null,
    v0?: TraceValue,
    v1?: TraceValue,
    v2?: TraceValue,
    v3?: TraceValue,
    v4?: TraceValue,
    v5?: TraceValue,
    v6?: TraceValue,
    v7?: TraceValue,
    v8?: TraceValue,
    v9?: TraceValue,
    v10?: TraceValue,
  ): number {
    const seq = this.nextSeq;
    const t = this.clock();
    const event = prepared.build(t, seq, prepared.type, cause, v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10);
    if (event === null)
      return this.emit(prepared.type, cause, prepared.fields([v0, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10]));
    this.nextSeq++;
    this.handOut(event as unknown as TraceEvent, prepared.hash ?? hotShapeHash(prepared));
    return seq;
  }

  /** Hashes a new event (by its shape's `hash` when it has one) and hands it to every sink. */
  private handOut(event: TraceEvent, hash: ShapeHash | null): void {
    if (hash !== null) this.hasherNow.onShapedEvent(event, hash);
    else this.hasherNow.onEvent(event);
    // Not thrown from here: code under test emits, and would take the sink's error for its own.
    try {
      for (let i = 0; i < this.sinks.length; i++) this.sinks[i].onEvent(event);
    } catch (error) {
      if (this.sinkFailure === null) this.sinkFailure = { error };
    }
    this.handedOut++;
  }

  /**
   * Notes that the run was stopped from outside, wherever it was (see `WallGuard`): if that was in
   * the middle of an event, the hash and the sinks may have had part of it, or none of it, and
   * `cutEvent` says which one it was. A file of the trace is then not whole.
   */
  cut(): void {
    if (this.handedOut !== this.nextSeq) this.cutSeq = this.handedOut;
  }

  /** The seq of the event the run was stopped in the middle of tracing (`cut`), or null. */
  get cutEvent(): number | null {
    return this.cutSeq;
  }

  get hash(): string {
    return this.hasherNow.digest();
  }
}
