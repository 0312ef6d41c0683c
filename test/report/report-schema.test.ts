// Shows that the report checks a trace's events against the events catalogue itself: every field `EVENT_FIELD_KINDS` declares, of its kind, with the messages the report gives.
import { describe, expect, it } from "vitest";
import { catalogueEventSchema, checkRunStarted } from "../../src/cli/commands/report-schema.js";
import {
  EVENT_FIELD_KINDS,
  EVENT_TYPES,
  eventFieldProblem,
  type FieldKind,
  type FieldSpec,
} from "../../src/world/events.js";

const RUN_STARTED = {
  t: 1778232600000,
  seq: 0,
  type: "run.started",
  cause: null,
  scenario: "qstash-2026-05-08",
  seed: "20260508",
  scheduler: "v2",
  fixes: [],
  workers: 8,
  partitions: 64,
  sloMs: 60000,
  horizon: 1778235600000,
};

/** What a fleet's size must be: one a run can have, as a saved RunReport's run.workers. */
const WORKERS_WORDS = "a whole number of workers from 1 to 256";

/** What a fleet's partitions must be: as many as a scenario's fleet.partitions may be. */
const PARTITIONS_WORDS = "a whole number of partitions from 1 to 4096";

/** What an SLO must be: a duration a scenario's `slo` can give. */
const SLO_WORDS = "an SLO in whole ms from 1 to 9007199254740991 (a scenario's slo)";

/** The problems of RUN_STARTED edited, as line 1 of `t.jsonl`, with each place's column as `@field`. */
const check = (edit: (e: Record<string, unknown>) => void): string | null => {
  const e: Record<string, unknown> = structuredClone(RUN_STARTED);
  edit(e);
  const text = JSON.stringify(e);
  const problem = checkRunStarted(e, "t.jsonl", 1, text);
  // Each problem's column, said as the field whose value starts there (1: the line's start).
  return (
    problem?.replace(/^t\.jsonl:1:(\d+): error: /gm, (_, column: string) => {
      const at = Number(column) - 1;
      if (at === 0) return "t.jsonl:1 @line: ";
      const before = text.slice(0, at);
      const field = before.match(/"(\w+)":(\[)?$/);
      return `t.jsonl:1 @${field === null ? `?${before.slice(-12)}` : `${field[1]}${field[2] ?? ""}`}: `;
    }) ?? null
  );
};

/** A problem as `check` says it: at the value of the field it names (an item: its list's `[`). */
function placed(message: string): string {
  const field = message.match(/^run\.started\.(\w+)(\[\d+\])?:/)!;
  return `t.jsonl:1 @${field[1]}${field[2] === undefined ? "" : "["}: ${message}`;
}

describe("the run.started line of a trace", () => {
  it("is accepted as a run writes it", () => {
    expect(check(() => {})).toBeNull();
  });

  it("needs every field the catalogue declares for run.started", () => {
    for (const field of Object.keys(EVENT_FIELD_KINDS["run.started"])) {
      const problem = check((e) => {
        delete e[field];
      });
      expect(problem, field).toMatch(
        new RegExp(`^t\\.jsonl:1 @line: run\\.started\\.${field}: expected .+, found nothing$`),
      );
    }
  });

  it("says what each field expects, as it always has", () => {
    const cases: [(e: Record<string, unknown>) => void, string][] = [
      [(e) => (e.scenario = 1.5), "run.started.scenario: expected a string, found 1.5"],
      [(e) => (e.seed = 7), "run.started.seed: expected a string, found 7"],
      [(e) => (e.seed = "12a"), 'run.started.seed: expected a seed as a string of digits, found "12a"'],
      [(e) => (e.fixes = "x"), 'run.started.fixes: expected a list, found "x"'],
      [(e) => (e.fixes = [1]), "run.started.fixes[0]: expected a string, found 1"],
      [(e) => (e.workers = 1.5), `run.started.workers: expected ${WORKERS_WORDS}, found 1.5`],
      [(e) => (e.workers = 257), `run.started.workers: expected ${WORKERS_WORDS}, found 257`],
      [(e) => (e.workers = 1e9), `run.started.workers: expected ${WORKERS_WORDS}, found 1000000000`],
      [(e) => (e.partitions = 0), `run.started.partitions: expected ${PARTITIONS_WORDS}, found 0`],
      [(e) => (e.partitions = 4097), `run.started.partitions: expected ${PARTITIONS_WORDS}, found 4097`],
      [
        (e) => (e.partitions = Number.MAX_SAFE_INTEGER),
        `run.started.partitions: expected ${PARTITIONS_WORDS}, found 9007199254740991`,
      ],
      [(e) => (e.sloMs = -1), `run.started.sloMs: expected ${SLO_WORDS}, found -1`],
      [(e) => (e.sloMs = 0), `run.started.sloMs: expected ${SLO_WORDS}, found 0`],
      [(e) => (e.sloMs = 0.5), `run.started.sloMs: expected ${SLO_WORDS}, found 0.5`],
      [(e) => (e.sloMs = 1e300), `run.started.sloMs: expected ${SLO_WORDS}, found 1e+300`],
      [(e) => (e.horizon = null), "run.started.horizon: expected a time in ms since the epoch, found null"],
      [
        (e) => (e.horizon = -1),
        "run.started.horizon: expected a time in whole ms from 0 to 8640000000000000 (a valid date), found -1",
      ],
    ];
    for (const [edit, message] of cases) expect(check(edit)).toBe(placed(message));
    expect(
      check((e) => {
        delete e.seed;
        e.workers = "8";
      }),
    ).toBe(
      "t.jsonl:1 @line: run.started.seed: expected a string, found nothing\n" +
        't.jsonl:1 @workers: run.started.workers: expected a number, found "8"',
    );
  });

  it("names a scheduler run takes, with fixes it has: the report's Reproduce line runs it", () => {
    const scheduler =
      "run.started.scheduler: expected a bundled scheduler (v1, v2) or a module (module:PATH)";
    const cases: [(e: Record<string, unknown>) => void, string][] = [
      [(e) => (e.scheduler = "v3"), `${scheduler}, found "v3"`],
      [(e) => (e.scheduler = "module:"), `${scheduler}, found "module:"`],
      [
        (e) => (e.fixes = ["bogus"]),
        'run.started.fixes[0]: expected one of early-return, panic-recovery, found "bogus"',
      ],
      [
        (e) => {
          e.scheduler = "v1";
          e.fixes = ["early-return"];
        },
        'run.started.fixes[0]: expected no fix: v1 has none, found "early-return"',
      ],
    ];
    for (const [edit, message] of cases) expect(check(edit)).toBe(placed(message));
    for (const [name, fixes] of [
      ["v1", []],
      ["v2", ["early-return", "panic-recovery"]],
      ["module:../mods/x.mjs", ["its-own-fix"]],
    ] as const)
      expect(
        check((e) => {
          e.scheduler = name;
          e.fixes = [...fixes];
        }),
        name,
      ).toBeNull();
  });
});

/** A value of a kind, and one of another kind. */
function sample(kind: FieldKind): { good: unknown; bad: unknown } {
  if (typeof kind !== "string") return { good: kind[0], bad: "none of them" };
  const samples: Record<typeof kind, { good: unknown; bad: unknown }> = {
    string: { good: "w-1", bad: 5 },
    number: { good: 3, bad: "3" },
    boolean: { good: true, bad: "true" },
    "string|null": { good: null, bad: 5 },
    "number|null": { good: 4, bad: "4" },
    strings: { good: ["a"], bad: [1] },
  };
  return samples[kind];
}

const kindOf = (spec: FieldSpec): { kind: FieldKind; optional: boolean } =>
  typeof spec === "object" && "optional" in spec
    ? { kind: spec.optional, optional: true }
    : { kind: spec as FieldKind, optional: false };

describe("an event schema derived from the catalogue", () => {
  it("agrees with the trace reader's field check for every event type", () => {
    for (const type of EVENT_TYPES) {
      const schema = catalogueEventSchema(type);
      const specs = Object.entries(EVENT_FIELD_KINDS[type] as Readonly<Record<string, FieldSpec>>);
      const valid: Record<string, unknown> = { t: 0, seq: 1, type, cause: 0 };
      for (const [field, spec] of specs) valid[field] = sample(kindOf(spec).kind).good;
      expect(schema.safeParse(valid).success, type).toBe(true);
      expect(eventFieldProblem(valid), type).toBeNull();
      for (const [field, spec] of specs) {
        const { kind, optional } = kindOf(spec);
        const missing = { ...valid };
        delete missing[field];
        const wrong = { ...valid, [field]: sample(kind).bad };
        for (const [name, event, accepted] of [
          ["missing", missing, optional],
          ["of another kind", wrong, false],
        ] as const) {
          const what = `${type}.${field} ${name}`;
          expect(eventFieldProblem(event) === null, what).toBe(accepted);
          const parsed = schema.safeParse(event);
          expect(parsed.success, what).toBe(accepted);
          if (!parsed.success) expect(parsed.error.issues[0].path[0], what).toBe(field);
        }
      }
    }
  });

  it("keeps fields the catalogue does not list, as the trace reader does", () => {
    const event = {
      t: 0,
      seq: 0,
      type: "lease.lost",
      cause: null,
      worker: "w",
      partition: 1,
      token: 2,
      extra: 1,
    };
    expect(catalogueEventSchema("lease.lost").parse(event)).toEqual(event);
  });
});
