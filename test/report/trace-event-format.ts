// A checker of the Chrome trace-event JSON object format, as Perfetto and chrome://tracing read it.
import type { TraceEventRecord } from "../../src/report/perfetto.js";

const PHASES = new Set(["B", "E", "X", "i", "C", "M"]);
const METADATA = new Set(["process_name", "thread_name", "process_sort_index", "thread_sort_index"]);

export interface TraceEventFile {
  readonly traceEvents: TraceEventRecord[];
  readonly displayTimeUnit?: string;
  readonly otherData?: Record<string, unknown>;
}

/** Every problem with a trace-event document: required fields, phases, matched B/E, no overlapping X. */
export function traceEventProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (typeof doc !== "object" || doc === null || !Array.isArray((doc as TraceEventFile).traceEvents))
    return ["not an object with a traceEvents array"];
  const events = (doc as TraceEventFile).traceEvents;
  const stacks = new Map<string, { name: string; ts: number }[]>();
  const lastTs = new Map<string, number>();
  const slices = new Map<string, { ts: number; end: number }[]>();
  events.forEach((e, i) => {
    const where = `event ${i} (${JSON.stringify(e).slice(0, 120)})`;
    if (typeof e.name !== "string" || e.name === "") problems.push(`${where}: no name`);
    if (!PHASES.has(e.ph)) problems.push(`${where}: unknown phase ${e.ph}`);
    if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid))
      problems.push(`${where}: pid and tid must be integers`);
    if (typeof e.ts !== "number" || !Number.isFinite(e.ts) || e.ts < 0) problems.push(`${where}: bad ts`);
    const track = `${e.pid}/${e.tid}`;
    switch (e.ph) {
      case "M":
        if (!METADATA.has(e.name)) problems.push(`${where}: unknown metadata ${e.name}`);
        if (e.args === undefined) problems.push(`${where}: metadata without args`);
        break;
      case "X":
        if (typeof e.dur !== "number" || e.dur < 0) problems.push(`${where}: X without a duration`);
        else slices.set(track, [...(slices.get(track) ?? []), { ts: e.ts, end: e.ts + e.dur }]);
        break;
      case "i":
        if (e.s !== undefined && !["g", "p", "t"].includes(e.s)) problems.push(`${where}: bad scope ${e.s}`);
        break;
      case "C":
        if (e.args === undefined || Object.values(e.args).some((v) => typeof v !== "number"))
          problems.push(`${where}: counter values must be numbers`);
        break;
      case "B":
      case "E": {
        if (e.ts < (lastTs.get(track) ?? 0)) problems.push(`${where}: B/E out of time order on ${track}`);
        lastTs.set(track, e.ts);
        const stack = stacks.get(track) ?? [];
        if (e.ph === "B") stack.push({ name: e.name, ts: e.ts });
        else if (stack.pop() === undefined) problems.push(`${where}: E without a B on ${track}`);
        stacks.set(track, stack);
        break;
      }
    }
  });
  for (const [track, stack] of stacks)
    if (stack.length > 0) problems.push(`${track}: ${stack.length} B without an E (${stack[0].name})`);
  for (const [track, list] of slices) {
    list.sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < list.length; i++)
      if (list[i].ts < list[i - 1].end) {
        problems.push(`${track}: X slices overlap at ts ${list[i].ts}`);
        break;
      }
  }
  return problems;
}

/** The names given to processes by `process_name` metadata, by pid. */
export function processNames(doc: TraceEventFile): Map<number, string> {
  const names = new Map<number, string>();
  for (const e of doc.traceEvents)
    if (e.ph === "M" && e.name === "process_name") names.set(e.pid, String(e.args?.name));
  return names;
}
