import type { PathKey, UnplacedIssue } from "./issue.js";
import { field, items } from "./raw-fields.js";
import type { SourceMap } from "./source-map.js";

/**
 * A scheduler module a scenario names (`scheduler.module`, a deploy's `module`), placed in its
 * file. The parser does no I/O, so whether the file is there is the caller's to check; a
 * scenario with problems still lists the modules of entries that have none, so that a missing
 * module is reported with those problems rather than once they are fixed.
 */
export interface ModuleRef {
  /** The path as written. */
  readonly module: string;
  /** Where the `module` value is, e.g. `["timeline", 3, "module"]`. */
  readonly path: readonly PathKey[];
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
}

/**
 * The modules named by the scheduler and the timeline's deploys of a raw document, each only
 * when its entry (the whole `scheduler`, the whole deploy) has no issue: an entry with a problem
 * may not mean the module it names.
 */
export function validModuleRefs(
  data: unknown,
  issues: readonly UnplacedIssue[],
  map: SourceMap,
): ModuleRef[] {
  const entries: { readonly value: unknown; readonly at: readonly PathKey[] }[] = [
    { value: field(data, "scheduler"), at: ["scheduler"] },
    ...items(field(data, "timeline"))
      .map((value, i) => ({ value, at: ["timeline", i] }))
      .filter(({ value }) => field(value, "action") === "deploy"),
  ];
  const refs: ModuleRef[] = [];
  for (const { value, at } of entries) {
    const module = field(value, "module");
    if (typeof module !== "string" || issues.some((issue) => startsWith(issue.path, at))) continue;
    const path = [...at, "module"];
    const position = map.locate(path);
    if (position !== null) refs.push({ module, path, ...position });
  }
  return refs;
}

function startsWith(path: readonly PathKey[], prefix: readonly PathKey[]): boolean {
  return prefix.every((key, i) => path[i] === key);
}
