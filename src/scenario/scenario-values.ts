import { checkCaps, parsedCaps } from "./caps.js";
import { formatDurationText } from "./duration.js";
import { describeValue, type IssueCode, type PathKey, pathText, type UnplacedIssue } from "./issue.js";
import { scenarioInputSchema } from "./schema.js";
import { checkSemantics } from "./semantics.js";
import { closest } from "./suggest.js";
import { instantText } from "./time.js";
import type { Scenario } from "./types.js";
import { ACTION_NAMES, FAULT_NAMES } from "./vocabulary.js";
import { translateZodIssues } from "./zod-issues.js";

/**
 * A parsed `Scenario` given from code is checked again before it is compiled: the natural way to
 * vary one is `{ ...sc, fleet: { ...sc.fleet, workers: n } }`, and nothing in the types stops
 * `workers: 2.5`, `sloMs: 0` or a missing `seed`, which would run silently, crash deep in the
 * world or halt it as a broken invariant. The Scenario is written back as the document it
 * stands for (durations as `…ms`, times as ISO instants) and checked by the very schema and
 * cross-field rules a scenario file is (`scenarioInputSchema`, `checkSemantics`), so the bounds
 * live in one place; what a document cannot say (a missing or unknown field, a duration that is
 * not a whole number of ms, an `endMs` that is not `startMs + durationMs`) is checked here. Each
 * problem is said at the Scenario's own path (`fleet.leaseTtlMs`, `timeline[0].atMs`).
 */

/** A problem with a Scenario's value, at its path in the Scenario. */
export interface ScenarioValueIssue {
  readonly path: readonly PathKey[];
  readonly code: IssueCode;
  /** What is wrong, with what was expected and found. */
  readonly message: string;
}

/**
 * Every problem with a Scenario's values, none for one `parseScenario` could have given; its
 * names of generated ids at `seed` (its own when absent), the seed it is to run at.
 */
export function scenarioValueIssues(scenario: unknown, seed?: number): ScenarioValueIssue[] {
  const writer = new DocumentWriter();
  const doc = writer.document(scenario);
  if (doc === null) return writer.issues;
  const parsed = scenarioInputSchema.safeParse(doc, { reportInput: true });
  const checked = [
    ...(parsed.success ? [] : translateZodIssues(parsed.error.issues, doc, scenarioInputSchema)),
    // A Scenario parsed at a chosen seed names the generated ids of that seed: they are judged at
    // the seed it runs at.
    ...checkSemantics(doc, seed),
  ].filter((i) => i.severity !== "warning");
  // A problem found here is said once, at the Scenario's path, in its terms.
  const fromDocument = checked
    .map((i) => documentIssue(i, scenario))
    .filter((i) => !writer.issues.some((own) => alongOnePath(own.path, i.path)));
  // The size caps last, once every value is right, as for a file (`parseScenario`): a world of a
  // hundred million accounts would otherwise be built until memory ran out.
  const capped =
    writer.issues.length === 0 && fromDocument.length === 0
      ? checkCaps(scenario as Scenario, parsedCaps(scenario))
          .filter((i) => i.severity !== "warning")
          // Said as a file's are: the message names the sizes, which the field's value is not.
          .map((i) => ({ path: i.path, code: i.code, message: withoutDocumentPlace(i.message, i.path) }))
      : [];
  const seen = new Set<string>();
  return [...writer.issues, ...fromDocument, ...capped].filter((i) => {
    const key = `${pathText(i.path)}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Throws unless `scenario` holds values a scenario file could have given: a TypeError when a
 * field is missing, unknown or of the wrong type, a RangeError for a value out of its range or
 * against another field's. The message has one line per problem, each naming its field
 * (`scenario.fleet.workers: …`).
 */
export function checkScenarioValues(scenario: unknown, field = "scenario", seed?: number): void {
  const issues = scenarioValueIssues(scenario, seed);
  if (issues.length === 0) return;
  const lines = issues.map((i) => `${field}${i.path.length === 0 ? "" : fieldPath(i.path)}: ${i.message}`);
  const typed = issues.some((i) => TYPE_CODES.has(i.code));
  const message =
    lines.length === 1
      ? lines[0]
      : `${lines[0]}\n${lines.slice(1).join("\n")}\n(${lines.length} problems with the Scenario's values)`;
  throw typed ? new TypeError(message) : new RangeError(message);
}

/** Whether one path leads to the other (or both to one field). */
function alongOnePath(a: readonly PathKey[], b: readonly PathKey[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

const TYPE_CODES: ReadonlySet<IssueCode> = new Set([
  "wrong-type",
  "missing-key",
  "unknown-key",
  "not-a-mapping",
]);

/** `.fleet.workers`, `.timeline[0].atMs`. */
function fieldPath(path: readonly PathKey[]): string {
  const text = pathText(path);
  return text.startsWith("[") ? text : `.${text}`;
}

/** A document's issue at the Scenario's path, its found value the Scenario's own. */
function documentIssue(issue: UnplacedIssue, scenario: unknown): ScenarioValueIssue {
  const path = scenarioPathOf(issue.path);
  const value = valueAt(scenario, path);
  const durationInMs = typeof value === "number" && MS_FIELD.test(String(path[path.length - 1]));
  // The Scenario's own value, not the document's text of it (`0`, not `"0s"`).
  const found = value === undefined ? undefined : describeValue(value);
  const expected =
    issue.expected === undefined ? undefined : durationInMs ? inMs(issue.expected) : issue.expected;
  const details = [expected && `expected ${expected}`, found && `found ${found}`].filter(Boolean);
  const suggestion =
    issue.suggestion === undefined || durationInMs ? "" : ` — did you mean ${issue.suggestion}?`;
  const said = withoutDocumentPlace(issue.message, issue.path);
  const message = `${said}${details.length > 0 ? ` (${details.join(", ")})` : ""}${suggestion}`;
  // `2.5` where a whole number goes is out of the field's range, not of the wrong type (a number
  // where text or an id goes is of the wrong type).
  const numeric = /\bnumber\b/.test(issue.expected ?? "");
  const code =
    issue.code === "wrong-type" && typeof value === "number" && numeric ? "out-of-range" : issue.code;
  return { path, code, message };
}

/**
 * A file's message less the place in the document it starts with (`fleet.leaseTtl: …`,
 * `fleet: …`): the Scenario's path is said instead.
 */
function withoutDocumentPlace(message: string, docPath: readonly PathKey[]): string {
  const colon = message.indexOf(": ");
  if (colon < 0) return message;
  const place = message.slice(0, colon);
  const full = pathText(docPath);
  return full === place || full.startsWith(`${place}.`) || full.startsWith(`${place}[`)
    ? message.slice(colon + 2)
    : message;
}

const MS_FIELD = /Ms$/;

/** What a duration field expects, said of its number of ms: `a duration longer than 0, like 30s` → `a number of ms above 0`. */
function inMs(expected: string): string {
  if (/longer than 0/.test(expected)) return "a whole number of ms above 0";
  if (/signed duration/.test(expected)) return "a whole number of ms";
  if (/^a duration like/.test(expected)) return "a whole number of ms, 0 or more";
  return expected;
}

/** The Scenario's field for a document's key where they differ: durations and times in ms, a deploy's scheduler. */
const SCENARIO_KEYS: Readonly<Record<string, string>> = {
  start: "startMs",
  duration: "durationMs",
  slo: "sloMs",
  sampleInterval: "sampleIntervalMs",
  leaseTtl: "leaseTtlMs",
  heartbeat: "heartbeatMs",
  rebalanceInterval: "rebalanceIntervalMs",
  startupTime: "startupTimeMs",
  shutdownGrace: "shutdownGraceMs",
  backoffInitial: "backoffInitialMs",
  backoffMax: "backoffMaxMs",
  resetAfter: "resetAfterMs",
  latency: "latencyMs",
  timeout: "timeoutMs",
  at: "atMs",
  stepDelay: "stepDelayMs",
  skew: "skewMs",
  for: "forMs",
  wallBudget: "wallBudgetMs",
};

function scenarioPathOf(docPath: readonly PathKey[]): PathKey[] {
  const out: PathKey[] = [];
  docPath.forEach((key, i) => {
    if (typeof key === "number") out.push(key);
    // A deploy's `scheduler` (its version), `module`, `fixes` and `options` are its Scenario's `scheduler`'s.
    else if (
      docPath[0] === "timeline" &&
      i === 2 &&
      ["scheduler", "module", "fixes", "options"].includes(key)
    )
      out.push("scheduler", key === "scheduler" ? "version" : key);
    else out.push(Object.hasOwn(SCENARIO_KEYS, key) ? SCENARIO_KEYS[key] : key);
  });
  return out;
}

function valueAt(value: unknown, path: readonly PathKey[]): unknown {
  let at = value;
  for (const key of path) {
    if (at === null || typeof at !== "object" || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PathKey, unknown>)[key];
  }
  return at;
}

type Fields = Record<string, unknown>;

/** No value to quote. */
const NONE = Symbol("none");

/** The fields of each kind of timeline action and fault beside `atMs` and `atText`. */
const ACTION_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "delete-account": ["account"],
  "create-account": ["account"],
  "create-schedule": ["schedule", "account", "cron", "destination"],
  "delete-schedule": ["schedule"],
  "pause-schedule": ["schedule", "paused"],
  "quarantine-schedule": ["schedule"],
  deploy: ["scheduler", "stepDelayMs", "bundled"],
  "kill-worker": ["worker"],
  "pause-worker": ["worker", "durationMs"],
  scale: ["workers"],
  "restart-worker": ["worker"],
};
const FAULT_FIELDS: Readonly<Record<string, readonly string[]>> = {
  "kill-worker": ["worker"],
  "pause-worker": ["worker", "durationMs"],
  "store-latency": ["durationMs", "latencyMs"],
  "store-outage": ["durationMs"],
  "clock-skew": ["worker", "skewMs", "durationMs"],
  "inject-panic": ["point", "schedule", "account", "probability", "count"],
  hang: ["schedule", "durationMs"],
  "http-errors": ["durationMs", "rate", "status", "account"],
  "http-timeouts": ["durationMs", "rate", "account"],
};
/** Fields a Scenario may hold as null, left out of the document (`destination: null`: the default endpoint). */
const NULLABLE = new Set(["destination", "schedule", "account", "question"]);

const TOP_KEYS = [
  "name",
  "description",
  "sources",
  "assumptions",
  "onCallAssumptions",
  "seed",
  "startMs",
  "durationMs",
  "endMs",
  "fleet",
  "scheduler",
  "store",
  "workload",
  "timeline",
  "faults",
  "sloMs",
  "sampleIntervalMs",
  "alerts",
  "chapters",
  "expect",
  "limits",
  "source",
];

/**
 * Writes a Scenario back as a scenario document, noting what no document could say. A field
 * that is missing or wrong where the document needs a value is written `null`, never left out:
 * left out, the schema would fill its default and the problem would go unsaid.
 */
class DocumentWriter {
  readonly issues: ScenarioValueIssue[] = [];

  document(scenario: unknown): Fields | null {
    const s = this.mapping(scenario, [], TOP_KEYS);
    if (s === null) return null;
    const source = this.mapping(s.source, ["source"], null);
    if (source !== null && typeof source.file !== "string")
      this.problem(
        ["source", "file"],
        "wrong-type",
        "expected the file name the scenario was parsed with",
        source.file,
      );
    const doc: Fields = {
      name: this.value(s, [], "name"),
      description: this.value(s, [], "description"),
      sources: this.value(s, [], "sources"),
      assumptions: this.value(s, [], "assumptions"),
      // Null or absent: the scenario has none, and the document leaves it out.
      ...(s.onCallAssumptions == null ? {} : { onCallAssumptions: this.value(s, [], "onCallAssumptions") }),
      seed: this.value(s, [], "seed"),
      start: this.instant(s, [], "startMs"),
      duration: this.duration(s, [], "durationMs"),
      fleet: this.fleet(s.fleet),
      scheduler: this.scheduler(s.scheduler, ["scheduler"]),
      store: this.section(s.store, ["store"], { latency: "ms", failureRate: "" }),
      workload: this.workload(s.workload),
      timeline: this.list(s, "timeline", (a, path) => this.action(a, path)),
      faults: this.list(s, "faults", (f, path) => this.fault(f, path)),
      slo: this.duration(s, [], "sloMs"),
      sampleInterval: this.duration(s, [], "sampleIntervalMs"),
      alerts: this.list(s, "alerts", (a, path) =>
        this.section(a, path, { name: "", metric: "", op: "", threshold: "", for: "ms" }),
      ),
      chapters: this.list(s, "chapters", (c, path) =>
        this.section(c, path, { at: "at", atText: "-", title: "", text: "", question: "" }),
      ),
      expect: this.list(s, "expect", (e, path) => this.expectation(e, path)),
      limits: this.section(s.limits, ["limits"], { maxEvents: "", wallBudget: "ms" }),
    };
    const { startMs, durationMs, endMs } = s;
    if (Number.isSafeInteger(startMs) && Number.isSafeInteger(durationMs) && endMs !== undefined) {
      const end = (startMs as number) + (durationMs as number);
      if (endMs !== end)
        this.problem(
          ["endMs"],
          "conflict",
          `expected startMs + durationMs, ${end}: set endMs with durationMs`,
          endMs,
        );
    }
    return doc;
  }

  private fleet(value: unknown): Fields | null {
    const fleet = this.section(value, ["fleet"], {
      workers: "",
      partitions: "",
      leaseTtl: "ms",
      heartbeat: "ms",
      rebalanceInterval: "ms",
      startupTime: "ms",
      concurrency: "",
      supervisor: "-",
      shutdownGrace: "ms",
    });
    if (fleet === null || value === null || typeof value !== "object") return fleet;
    const supervisor = (value as Fields).supervisor;
    const sv = { backoffInitial: "ms", backoffMax: "ms", resetAfter: "ms" } as const;
    return { ...fleet, supervisor: this.section(supervisor, ["fleet", "supervisor"], sv) };
  }

  private workload(value: unknown): Fields | null {
    const path = ["workload"];
    const w = this.section(value, path, {
      accounts: "",
      schedulesPerAccount: "",
      cron: "-",
      destination: "-",
      retries: "",
      named: "-",
    });
    if (w === null) return null;
    const raw = value as Fields;
    const destination = { latency: "ms", jitter: "", failureRate: "", timeout: "ms" } as const;
    return {
      ...w,
      cron: this.list(raw, "cron", (c, p) => this.section(c, p, { expr: "", weight: "" }), path),
      destination: this.section(raw.destination, [...path, "destination"], destination),
      named: this.list(
        raw,
        "named",
        (a, p) => {
          const account = this.section(a, p, { id: "", schedules: "-" });
          if (account === null) return null;
          const schedule = { id: "", cron: "", destination: "" };
          const schedules = this.list(a as Fields, "schedules", (x, q) => this.section(x, q, schedule), p);
          return { ...account, schedules };
        },
        path,
      ),
    };
  }

  private scheduler(value: unknown, path: PathKey[]): Fields | null {
    const spec = this.mapping(value, path, ["kind", "version", "module", "fixes", "options"]);
    if (spec === null) return null;
    const own = { fixes: this.value(spec, path, "fixes"), options: this.value(spec, path, "options") };
    if (spec.kind === "builtin") {
      if (Object.hasOwn(spec, "module"))
        this.problem(
          [...path, "module"],
          "unknown-key",
          "a builtin scheduler has a version, not a module",
          spec.module,
        );
      return { version: this.value(spec, path, "version"), ...own };
    }
    if (spec.kind === "module") {
      if (Object.hasOwn(spec, "version"))
        this.problem(
          [...path, "version"],
          "unknown-key",
          "a module scheduler has a module, not a version",
          spec.version,
        );
      return { module: this.value(spec, path, "module"), ...own };
    }
    this.problem(
      [...path, "kind"],
      "unknown-value",
      'expected "builtin" (with version) or "module" (with module)',
      spec.kind,
    );
    return null;
  }

  private action(value: unknown, path: PathKey[]): Fields | null {
    const kind = this.kind(value, path, "action", ACTION_NAMES, ACTION_FIELDS);
    if (kind === null) return null;
    const a = value as Fields;
    if (kind === "deploy") {
      const scheduler = this.scheduler(a.scheduler, [...path, "scheduler"]);
      const { version, ...rest } = scheduler ?? {};
      return {
        at: this.instant(a, path, "atMs"),
        action: kind,
        ...(version === undefined ? {} : { scheduler: version }),
        ...rest,
        stepDelay: this.duration(a, path, "stepDelayMs"),
        ...(Object.hasOwn(a, "bundled") ? { bundled: a.bundled } : {}),
      };
    }
    return this.timed(a, path, "action", kind, ACTION_FIELDS[kind]);
  }

  private fault(value: unknown, path: PathKey[]): Fields | null {
    const kind = this.kind(value, path, "fault", FAULT_NAMES, FAULT_FIELDS);
    if (kind === null) return null;
    return this.timed(value as Fields, path, "fault", kind, FAULT_FIELDS[kind]);
  }

  /** The kind of a timeline action or fault (`action: "scale"`), when it is a mapping of a known kind with only its fields. */
  private kind(
    value: unknown,
    path: PathKey[],
    tag: string,
    names: readonly string[],
    fields: Readonly<Record<string, readonly string[]>>,
  ): string | null {
    const entry = this.mapping(value, path, null);
    if (entry === null) return null;
    const kind = entry[tag];
    if (typeof kind !== "string" || !Object.hasOwn(fields, kind)) {
      const near = typeof kind === "string" ? closest(kind, names) : undefined;
      const code = kind === undefined ? "missing-key" : "unknown-value";
      this.problem([...path, tag], code, `expected one of ${names.join(", ")}`, kind, near);
      return null;
    }
    this.unknownKeys(entry, path, ["atMs", "atText", tag, ...fields[kind]]);
    return kind;
  }

  private timed(a: Fields, path: PathKey[], tag: string, kind: string, fields: readonly string[]): Fields {
    const doc: Fields = { at: this.instant(a, path, "atMs"), [tag]: kind };
    // A clock skew or a hang without an end has a null `durationMs`: the document leaves `duration` out.
    const endless = tag === "fault" && (kind === "clock-skew" || kind === "hang");
    for (const key of fields) {
      if (key === "skewMs") doc.skew = this.duration(a, path, key, true);
      else if (key === "durationMs" && endless && a[key] === null) continue;
      else if (key.endsWith("Ms")) doc[key.slice(0, -2)] = this.duration(a, path, key);
      else if (NULLABLE.has(key) && a[key] === null) continue;
      else doc[key] = this.value(a, path, key);
    }
    return doc;
  }

  private expectation(value: unknown, path: PathKey[]): Fields | null {
    const e = this.mapping(value, path, null);
    if (e === null) return null;
    if (e.kind === "metric") {
      this.unknownKeys(e, path, ["kind", "variant", "metric", "op", "value", "valueText"]);
      return {
        variant: this.value(e, path, "variant"),
        metric: this.value(e, path, "metric"),
        op: this.value(e, path, "op"),
        value: this.value(e, path, "value"),
      };
    }
    if (e.kind === "property") {
      this.unknownKeys(e, path, ["kind", "variant", "property", "holds"]);
      return {
        variant: this.value(e, path, "variant"),
        property: this.value(e, path, "property"),
        holds: this.value(e, path, "holds"),
      };
    }
    this.problem([...path, "kind"], "unknown-value", 'expected "metric" or "property"', e.kind);
    return null;
  }

  /**
   * A section written field by field: `ms` a duration from its `…Ms` field, `at` a time from
   * `atMs`, `-` a field the caller writes (or none: `atText`), anything else as it is.
   */
  private section(value: unknown, path: PathKey[], keys: Readonly<Record<string, string>>): Fields | null {
    const scenarioKeys = Object.entries(keys).map(([k, how]) =>
      how === "ms" || how === "at" ? `${k}Ms` : k,
    );
    const raw = this.mapping(value, path, scenarioKeys);
    if (raw === null) return null;
    const doc: Fields = {};
    for (const [key, how] of Object.entries(keys)) {
      if (how === "ms") doc[key] = this.duration(raw, path, `${key}Ms`);
      else if (how === "at") doc[key] = this.instant(raw, path, `${key}Ms`);
      else if (how === "-") continue;
      else if (NULLABLE.has(key) && raw[key] === null) continue;
      else doc[key] = this.value(raw, path, key);
    }
    return doc;
  }

  private list(
    owner: Fields,
    key: string,
    write: (item: unknown, path: PathKey[]) => Fields | null,
    path: PathKey[] = [],
  ): unknown[] | null {
    const value = owner[key];
    if (!Array.isArray(value)) {
      this.problem(
        [...path, key],
        value === undefined ? "missing-key" : "wrong-type",
        "expected a list",
        value,
      );
      return null;
    }
    return value.map((item, i) => write(item, [...path, key, i]));
  }

  /** `value` as a mapping whose keys are among `keys` (any keys for null), or null having said why not. */
  private mapping(value: unknown, path: PathKey[], keys: readonly string[] | null): Fields | null {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      this.problem(path, value === undefined ? "missing-key" : "not-a-mapping", "expected an object", value);
      return null;
    }
    if (keys !== null) this.unknownKeys(value as Fields, path, keys);
    return value as Fields;
  }

  private unknownKeys(value: Fields, path: PathKey[], keys: readonly string[]): void {
    for (const key of Object.keys(value)) {
      if (keys.includes(key)) continue;
      const near = closest(key, keys);
      const fields = near === undefined ? `: its fields here are ${keys.join(", ")}` : "";
      this.problem([...path, key], "unknown-key", `no such field of a parsed Scenario${fields}`, NONE, near);
    }
  }

  /** A field as it is; null when it is missing, so that no default stands in for it. */
  private value(owner: Fields, path: PathKey[], key: string): unknown {
    const v = owner[key];
    if (v !== undefined) return v;
    this.problem([...path, key], "missing-key", "missing: a parsed Scenario has every field");
    return null;
  }

  /** A duration from its whole number of ms, as a document writes it (`1m30s`). */
  private duration(owner: Fields, path: PathKey[], key: string, signed = false): unknown {
    const v = this.value(owner, path, key);
    if (v === null) return null;
    if (typeof v !== "number") return this.wrong([...path, key], "wrong-type", "expected a number of ms", v);
    if (!Number.isSafeInteger(v))
      return this.wrong([...path, key], "out-of-range", "expected a whole number of ms", v);
    if (v < 0 && !signed)
      return this.wrong([...path, key], "out-of-range", "expected a whole number of ms, 0 or more", v);
    return formatDurationText(v);
  }

  /** A time from its ms since the epoch, as an ISO instant. */
  private instant(owner: Fields, path: PathKey[], key: string): unknown {
    const v = this.value(owner, path, key);
    if (v === null) return null;
    if (typeof v !== "number")
      return this.wrong([...path, key], "wrong-type", "expected a time in ms since the epoch", v);
    if (!(Number.isSafeInteger(v) && v >= 0))
      return this.wrong(
        [...path, key],
        "out-of-range",
        "expected a time in whole ms since the epoch, 0 or more",
        v,
      );
    return instantText(v);
  }

  private wrong(path: PathKey[], code: IssueCode, message: string, found: unknown): null {
    this.problem(path, code, message, found);
    return null;
  }

  /** A problem; `found` is what the Scenario holds there, left out for none (an unknown key). */
  private problem(
    path: PathKey[],
    code: IssueCode,
    message: string,
    found: unknown = NONE,
    near?: string,
  ): void {
    const said = found === NONE ? message : `${message}, found ${describeValue(found)}`;
    this.issues.push({ path, code, message: near === undefined ? said : `${said} — did you mean ${near}?` });
  }
}
