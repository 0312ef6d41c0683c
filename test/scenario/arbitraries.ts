/**
 * fast-check arbitraries of valid scenario documents over the format's main knobs, and a YAML
 * writer that records the line each key was written on, so tests can check `locate`.
 */
import fc from "fast-check";
import { formatDurationText, instantText, type PathKey } from "../../src/scenario/index.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** A YAML value the writer knows: scalars, lists and mappings (insertion-ordered). */
export type Doc = string | number | boolean | null | Doc[] | { [key: string]: Doc };

/** A mapping the writer prints on one line, `{ a: 1, b: x }`. */
const FLOW = Symbol("flow");
type FlowMarked = { [FLOW]?: true };

export function flow<T extends { [key: string]: Doc }>(map: T): T {
  (map as FlowMarked)[FLOW] = true;
  return map;
}

const durationText = (ms: number) => formatDurationText(ms);
const durationMs = (minMs: number, maxMs: number, stepMs = SECOND) =>
  fc.integer({ min: Math.ceil(minMs / stepMs), max: Math.floor(maxMs / stepMs) }).map((n) => n * stepMs);

const CRONS = [
  "* * * * *",
  "*/5 * * * *",
  "0 * * * *",
  "15,45 9-17 * * 1-5",
  "CRON_TZ=Europe/Paris 30 10 * * *",
];
const ids = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/);

/** An `at` inside [startMs, startMs + durationMs], in one of the three forms. */
function atText(startMs: number, durationMs: number) {
  return fc
    .tuple(fc.integer({ min: 0, max: Math.floor(durationMs / SECOND) }), fc.constantFrom(0, 1, 2))
    .map(([offsetS, form]) => {
      const t = startMs + offsetS * SECOND;
      const sameDay = instantText(t).slice(0, 10) === instantText(startMs).slice(0, 10);
      if (form === 1 && sameDay) return instantText(t).slice(11, 19);
      if (form === 2) return instantText(t);
      return `+${formatDurationText(offsetS * SECOND)}`;
    });
}

export interface GeneratedScenario {
  readonly doc: { [key: string]: Doc };
  readonly startMs: number;
  readonly durationMs: number;
  readonly leaseTtlMs: number;
  readonly workers: number;
}

/** Valid scenario documents. */
export const scenarioDoc: fc.Arbitrary<GeneratedScenario> = fc
  .record({
    name: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    seed: fc.nat(),
    startS: fc.integer({ min: Date.UTC(2020, 0, 1) / SECOND, max: Date.UTC(2030, 0, 1) / SECOND }),
    durationMs: durationMs(MINUTE, 6 * HOUR, MINUTE),
    workers: fc.integer({ min: 1, max: 256 }),
    partitions: fc.integer({ min: 1, max: 4096 }),
    heartbeatMs: durationMs(SECOND, 10 * SECOND),
    leaseExtraMs: durationMs(SECOND, MINUTE),
    flowSupervisor: fc.boolean(),
    version: fc.constantFrom("v1", "v2"),
    fixes: fc.subarray(["early-return", "panic-recovery"]),
    accounts: fc.integer({ min: 0, max: 40 }),
    perAccount: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    crons: fc.uniqueArray(fc.constantFrom(...CRONS), { minLength: 1, maxLength: 3 }),
    latencyMs: durationMs(0, 500, 1),
    failureRate: fc.double({ min: 0, max: 1, noNaN: true }),
    named: fc.uniqueArray(ids, { maxLength: 3 }),
  })
  .chain((k) => {
    const startMs = k.startS * SECOND;
    const at = atText(startMs, k.durationMs);
    // A deletion names an account that exists: a named one or a generated one.
    const generated = Array.from(
      { length: Math.min(k.accounts, 3) },
      (_, i) => `acct-${String(i + 1).padStart(5, "0")}`,
    );
    const accounts = [...k.named, ...generated];
    const deletions =
      accounts.length === 0
        ? []
        : [fc.record({ at, action: fc.constant("delete-account"), account: fc.constantFrom(...accounts) })];
    const action = fc.oneof(
      ...deletions,
      fc.record({ at, action: fc.constant("kill-worker"), worker: fc.constantFrom("w1", "random") }),
      // At least one worker: a scale-down keeps w1, which the kills and skews name.
      fc.record({ at, action: fc.constant("scale"), workers: fc.integer({ min: 1, max: 256 }) }),
      // Only v2 has fixes.
      fc.record({
        at,
        action: fc.constant("deploy"),
        scheduler: fc.constant("v1"),
        stepDelay: durationMs(0, MINUTE).map(durationText),
      }),
      fc.record({
        at,
        action: fc.constant("deploy"),
        scheduler: fc.constant("v2"),
        fixes: fc.subarray(["early-return", "panic-recovery"]),
        stepDelay: durationMs(0, MINUTE).map(durationText),
      }),
    );
    const fault = fc.oneof(
      fc.record({
        at,
        fault: fc.constant("store-outage"),
        duration: durationMs(SECOND, HOUR).map(durationText),
      }),
      fc.record(
        {
          at,
          fault: fc.constant("clock-skew"),
          worker: fc.constantFrom("w1", "random"),
          skew: fc
            .integer({ min: -60, max: 60 })
            .map((s) => (s === 0 ? "0s" : formatDurationText(s * SECOND))),
          duration: durationMs(SECOND, HOUR).map(durationText),
        },
        { requiredKeys: ["at", "fault", "worker", "skew"] },
      ),
      fc.record({
        at,
        fault: fc.constant("inject-panic"),
        point: fc.constantFrom("before-account-read", "before-commit"),
        probability: fc.double({ min: 0, max: 1, noNaN: true }),
      }),
    );
    const expectation = fc.oneof(
      fc.record({
        variant: fc.constantFrom("buggy", "fixed", "v1"),
        metric: fc.constantFrom("cascadeDepth", "deliveries.late", "crashes"),
        op: fc.constantFrom(">", ">=", "==", "!="),
        value: fc.nat({ max: 100 }),
      }),
      fc.record({
        variant: fc.constantFrom("early-return", "panic-recovery"),
        property: fc.constantFrom("no-cascade", "deterministic"),
        holds: fc.boolean(),
      }),
    );
    return fc
      .record({
        timeline: fc.array(action, { maxLength: 4 }),
        faults: fc.array(fault, { maxLength: 4 }),
        chapters: fc.array(fc.record({ at, title: fc.constant("Chapter"), text: fc.string() }), {
          maxLength: 2,
        }),
        expect: fc.array(expectation, { maxLength: 4 }),
        flowItems: fc.boolean(),
      })
      .map((lists): GeneratedScenario => {
        const leaseTtlMs = k.heartbeatMs + k.leaseExtraMs;
        const supervisor = { backoffInitial: "10s", backoffMax: "5m" };
        const item = (o: Record<string, Doc>) => (lists.flowItems ? flow(o) : o);
        const doc: { [key: string]: Doc } = {
          name: k.name,
          description: "A generated scenario.",
          seed: k.seed,
          start: instantText(startMs),
          duration: durationText(k.durationMs),
          fleet: {
            workers: k.workers,
            partitions: k.partitions,
            leaseTtl: durationText(leaseTtlMs),
            heartbeat: durationText(k.heartbeatMs),
            supervisor: k.flowSupervisor ? flow(supervisor) : supervisor,
          },
          scheduler: { version: k.version, fixes: k.version === "v1" ? [] : k.fixes },
          store: flow({ latency: `${k.latencyMs}ms`, failureRate: k.failureRate }),
          workload: {
            accounts: k.accounts,
            schedulesPerAccount: flow({
              min: Math.min(...k.perAccount),
              max: Math.max(...k.perAccount),
            }),
            cron: k.crons.map((expr, i) => flow({ expr, weight: i + 1 })),
            named: k.named.map((id) => ({
              id,
              schedules: [flow({ id: `${id}-s`, cron: "* * * * *" })],
            })),
          },
          timeline: deletingOnce(lists.timeline).map(item),
          faults: lists.faults.map(item),
          chapters: lists.chapters.map(item),
          expect: lists.expect.map(item),
          // A valid document may be too big to run under the default limit (v1 claims each of
          // thousands of partitions every second for hours); the size caps have their own tests.
          limits: flow({ maxEvents: 1_000_000_000_000 }),
        };
        return { doc, startMs, durationMs: k.durationMs, leaseTtlMs, workers: k.workers };
      });
  });

/** A timeline that deletes each account once: a second deletion would act on nothing, and is refused. */
function deletingOnce(timeline: readonly { [key: string]: Doc }[]): { [key: string]: Doc }[] {
  const deleted = new Set<Doc>();
  return timeline.filter((a) => {
    if (a.action !== "delete-account") return true;
    if (deleted.has(a.account)) return false;
    deleted.add(a.account);
    return true;
  });
}

/** YAML text of a document, and the line on which each path's key (or list item) was written. */
export function writeYaml(doc: { [key: string]: Doc }): { text: string; lines: Map<string, number> } {
  const writer = new YamlWriter();
  writer.map(doc, 0, [], null);
  return { text: `${writer.out.join("\n")}\n`, lines: writer.lines };
}

/** The key of a path in the `lines` map. */
export const pathKey = (path: readonly PathKey[]) => JSON.stringify(path);

class YamlWriter {
  readonly out: string[] = [];
  readonly lines = new Map<string, number>();

  map(map: { [key: string]: Doc }, indent: number, path: PathKey[], firstPrefix: string | null): void {
    Object.entries(map).forEach(([key, value], i) => {
      const pad = i === 0 && firstPrefix !== null ? firstPrefix : " ".repeat(indent);
      const here = [...path, key];
      if (isBlock(value)) {
        this.lines.set(pathKey(here), this.push(`${pad}${key}:`));
        this.block(value, indent + 2, here);
      } else {
        this.inline(value, here, this.push(`${pad}${key}: ${inline(value)}`));
      }
    });
  }

  private block(value: Doc, indent: number, path: PathKey[]): void {
    if (!Array.isArray(value)) {
      this.map(value as { [key: string]: Doc }, indent, path, null);
      return;
    }
    value.forEach((item, i) => {
      const here = [...path, i];
      const dash = `${" ".repeat(indent)}- `;
      if (isBlock(item) && !Array.isArray(item)) {
        // A block mapping item starts on the line of its first key.
        this.lines.set(pathKey(here), this.out.length + 1);
        this.map(item as { [key: string]: Doc }, indent + 2, here, dash);
      } else {
        this.inline(item, here, this.push(`${dash}${inline(item)}`));
      }
    });
  }

  /** Everything inside a one-line value is on that line. */
  private inline(value: Doc, path: PathKey[], line: number): void {
    this.lines.set(pathKey(path), line);
    if (value === null || typeof value !== "object") return;
    const children: [PathKey, Doc][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [key, v] of children) this.inline(v, [...path, key], line);
  }

  /** Appends a line; returns its 1-based number. */
  private push(line: string): number {
    this.out.push(line);
    return this.out.length;
  }
}

function isBlock(value: Doc): boolean {
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some((v) => v !== null && typeof v === "object");
  return !(value as FlowMarked)[FLOW] && Object.keys(value).length > 0;
}

function inline(value: Doc): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  return `{ ${Object.entries(value)
    .map(([k, v]) => `${k}: ${inline(v)}`)
    .join(", ")} }`;
}
