/**
 * The folder explore writes reproducers to (`--out`): checked before the search starts, so a
 * bad path is bad input (exit 2) rather than a crash after an hour of exploring, and created
 * one level at a time when the first reproducer is written.
 */
import { mkdirSync, readFileSync, rmSync, type Stats, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import YAML from "yaml";
import type { ExploreFailure } from "../../explore/explore.js";
import type { WrittenReproducer } from "../../explore/explore-report.js";
import type { ScenarioDocument } from "../../explore/generate/document.js";
import type { SchedulerModuleRef } from "../../explore/run-one.js";
import { moduleSchedulerName } from "../../scenario/compile.js";
import type { SchedulerRegistry } from "../../world/world.js";
import { CliError } from "../errors.js";
import { checkOverwrite, outputTarget, standardStreamAt } from "../io.js";
import { modulePathFrom, scenarioModuleName, schedulerModuleRef } from "../load.js";
import { inputAt, REPRODUCER_SIGNATURE, writtenKindOf } from "../outputs.js";
import { headerOf, reproducerTraceHash } from "../reproducer-header.js";
import { REPRODUCER_SEAL, type SealState, sealRefusal } from "../seal.js";

/**
 * Refuses an `--out` that cannot hold reproducers: empty, a file (or a path through one), or
 * a folder that cannot be written to (the nearest existing one is probed with a file). Creates
 * nothing, so an exploration that finds nothing leaves no empty folder behind. `name` is how
 * messages call the folder (the gate checks its golden folders with it too).
 */
export function checkOutDir(out: string, name = `--out ${out}`): void {
  if (out.trim() === "") throw new CliError(`${name.trimEnd()}: expected a folder, found an empty string`);
  const missing: string[] = [];
  let dir = resolve(out);
  for (;;) {
    const kind = kindOf(dir);
    if (kind === "folder") break;
    if (kind === "other") throw new CliError(`${name}: ${dir} exists and is not a folder`);
    if (kind === "unreachable") throw new CliError(`${name}: cannot look into ${dirname(dir)}`);
    const parent = dirname(dir);
    if (parent === dir) throw new CliError(`${name}: no folder of it exists`);
    missing.push(dir);
    dir = parent;
  }
  const probe = join(dir, `.aftershock-probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    // In words where they are known, as an output file's folder is refused (`outputs.ts`).
    const why =
      code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EROFS"
          ? "a read-only file system"
          : code;
    const what =
      missing.length > 0 ? `cannot create ${missing.at(-1)} in ${dir}` : `cannot write in the folder ${dir}`;
    throw new CliError(`${name}: ${what} (${why})`);
  } finally {
    rmSync(probe, { force: true });
  }
}

/**
 * Creates `out` and its missing parents, one level at a time: Node's recursive mkdir spins
 * forever under /proc, which refuses a new entry with ENOENT whatever its parents.
 */
export function makeOutDir(out: string): void {
  const missing: string[] = [];
  for (let dir = resolve(out); kindOf(dir) === "missing"; dir = dirname(dir)) {
    if (dirname(dir) === dir) break;
    missing.push(dir);
  }
  for (const dir of missing.reverse()) mkdirSync(dir);
}

/**
 * A reproducer's text with a digest of itself in its header (second line), so that a rerun
 * replaces it only while it is as aftershock wrote it: a user who adds an `expect:` to keep it
 * as a gate scenario, or edits its description, keeps the edit.
 */
export function sealReproducer(text: string): string {
  return REPRODUCER_SEAL.seal(text);
}

/** Whether a reproducer's text is as aftershock wrote it, edited since, or without a digest (earlier versions). */
export function reproducerSeal(text: string): SealState {
  return REPRODUCER_SEAL.state(text);
}

/** The header line naming the exploration that wrote a reproducer (`ReproducerHeader.explored`). */
const EXPLORED_LINE = /^# explored: (.*)$/m;

/** What makes a reproducer one exploration's own, to tell its earlier reproducers from others'. */
export interface ReproducerOwner {
  /** The exploration, as its reproducers' `# explored:` line names it (paths from `--out`). */
  readonly explored: string;
  /** The module its reproducers start with (`scheduler.module`, from `--out`), or null. */
  readonly module: string | null;
}

/**
 * Which other exploration wrote an intact reproducer, or null when `owner` did. Its `# explored:`
 * line says; a reproducer written before that line was has only its module to tell (as written
 * in it, from its folder, which is `--out`): another module's, or a module's where none runs, is
 * another exploration's, and one of the same module, or of none, is taken to be its own.
 */
function otherExploration(text: string, owner: ReproducerOwner): string | null {
  const explored = EXPLORED_LINE.exec(headerOf(text));
  if (explored !== null) return explored[1] === owner.explored ? null : explored[1];
  const module = startingModule(text);
  if (module === owner.module) return null;
  return module === null ? "a bundled scheduler" : `module ${module}`;
}

/** The module a reproducer's world starts with (`scheduler.module`), or null. */
function startingModule(text: string): string | null {
  const scheduler = parsedOrNull(text)?.scheduler as { module?: unknown } | undefined;
  return typeof scheduler?.module === "string" ? scheduler.module : null;
}

/** A reproducer's document, or null if it is none. */
function parsedOrNull(text: string): Record<string, unknown> | null {
  try {
    const doc: unknown = YAML.parse(text);
    return typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>) : null;
  } catch {
    return null; // intact, so written by aftershock: only a document of another version fails
  }
}

/** The header line recording what a reproducer's exploration ran (its trace: reproducer-header.ts). */
const TARGET_DIGEST_LINE = /^# target digest (\S+)$/m;

/** How far its shrink went, as its description says (reproducers of every version say it so). */
const SHRUNK_STEPS = /shrunk in (\d+) steps \(\d+ runs\)/;

/**
 * The earlier reproducer at `file`, the exploration's own and intact, to keep in place of a
 * failure's new one, or null to replace it. It is kept when the new one's shrink did not run to
 * its end (`shrink` null: not shrunk; or exhausted: interrupted, out of time or out of runs) and
 * the earlier one went further (more steps) with the same code (`targetDigest`): the failure
 * and the search are the same, so its shrink is this one's, taken further. A new shrink that
 * ran to its end replaces it, and so does one of other code, whose reproducers the earlier one's
 * may no longer be.
 */
export function keptReproducer(
  file: string,
  shrink: ExploreFailure["shrink"],
  targetDigest: string | null,
): NonNullable<WrittenReproducer["kept"]> | null {
  if (shrink !== null && !shrink.exhausted) return null;
  const text = readFileSync(file, "utf8");
  const header = headerOf(text);
  if ((TARGET_DIGEST_LINE.exec(header)?.[1] ?? null) !== targetDigest) return null;
  const doc = parsedOrNull(text);
  const description = typeof doc?.description === "string" ? doc.description : "";
  const earlier = Number(SHRUNK_STEPS.exec(description)?.[1] ?? 0);
  const steps = shrink?.steps ?? 0;
  if (earlier <= steps) return null;
  return {
    why: `an earlier exploration's reproducer of this failure, shrunk further (${earlier} steps; ${shrinkCutText(shrink)})`,
    seed: typeof doc?.seed === "number" ? doc.seed : null,
    traceHash: reproducerTraceHash(header),
  };
}

/** How a failure's shrink fell short of its end: `this exploration's shrink was interrupted after 0`. */
function shrinkCutText(shrink: ExploreFailure["shrink"]): string {
  if (shrink === null) return "this exploration did not shrink it";
  const ended =
    shrink.cutBy === "interrupted"
      ? "was interrupted"
      : shrink.cutBy === "time-budget"
        ? "ran out of the time budget"
        : "spent its budget";
  return `this exploration's shrink ${ended} after ${shrink.steps}`;
}

/** Other names tried for a reproducer whose name is taken (a bound, as on every loop). */
const FREE_NAME_TRIES_MAX = 1000;

export interface ReproducerPlace {
  readonly file: string;
  /** The file that holds the reproducer's own name and is kept, and why; null if none. */
  readonly taken: { readonly file: string; readonly why: string } | null;
  /** Whether `file` holds an earlier reproducer that this one replaces. */
  readonly replaces: boolean;
  /**
   * Why that file would have been kept but for --force (`was edited since aftershock wrote
   * it`), or null: it is the exploration's own reproducer, unchanged. Absent when not replaced.
   */
  readonly forced?: string | null;
}

/**
 * Where the reproducer `name` goes in `out`: under that name, unless a file holds it that
 * aftershock did not write, or wrote and someone edited since, or that is another exploration's
 * reproducer (`owner`: another module or scenario whose name makes the same file name), and no
 * --force, or that is one of the exploration's `inputs` (its scenario, a reproducer explored
 * again, whatever --force says): then under the first free `<name>-2.yaml`, `-3`, ..., so the
 * file stays and the finding is not lost.
 */
export function reproducerPlace(
  out: string,
  name: string,
  force: boolean,
  inputs: readonly string[] = [],
  owner: ReproducerOwner | null = null,
): ReproducerPlace {
  const wanted = join(out, name);
  const held = holder(wanted, force, inputs, owner);
  if (held === null) {
    const replaces = holdsText(wanted);
    if (!replaces || !force) return { file: wanted, taken: null, replaces };
    return { file: wanted, taken: null, replaces, forced: holder(wanted, false, inputs, owner) };
  }
  const stem = name.replace(/\.yaml$/, "");
  for (let k = 2; k <= FREE_NAME_TRIES_MAX; k++) {
    const file = join(out, `${stem}-${k}.yaml`);
    if (holder(file, false, inputs, owner) === null)
      return { file, taken: { file: wanted, why: held }, replaces: holdsText(file) };
  }
  throw new CliError(`${wanted}: exists, and so do ${FREE_NAME_TRIES_MAX - 1} other names for it`);
}

/**
 * Why writing `file` would lose something (what holds it), or null when it would not: it is
 * missing, a stream, the exploration's own reproducer unchanged since, or --force says so. An
 * input of the exploration is never replaced.
 */
function holder(
  file: string,
  force: boolean,
  inputs: readonly string[],
  owner: ReproducerOwner | null,
): string | null {
  const existing = existingFile(file);
  if (existing !== null && inputs.length > 0 && inputAt(existing, inputs) !== null)
    return "is an input of this exploration";
  const stream = existing === null ? null : standardStreamAt(existing);
  if (stream !== null) return `is the file this command's ${stream === 1 ? "stdout" : "stderr"} goes to`;
  try {
    checkOverwrite(file, force, REPRODUCER_SIGNATURE, file, null, writtenKindOf);
  } catch (error) {
    // As the check says it: a file aftershock wrote of another kind is named as one.
    if (error instanceof CliError)
      return /: (exists and [^;]*);/.exec(error.message)?.[1] ?? "exists and was not written by aftershock";
    throw error;
  }
  if (force) return null;
  const target = outputTarget(file);
  // An empty file holds nothing to lose (checkOverwrite let it through for that).
  if (target.kind !== "file" || target.stat === null || target.stat.size === 0) return null;
  const text = readFileSync(target.real, "utf8");
  const refusal = sealRefusal(reproducerSeal(text));
  if (refusal !== null) return refusal;
  const other = owner === null ? null : otherExploration(text, owner);
  return other === null ? null : `is the reproducer of another exploration (${other})`;
}

/** Whether `file` is there with something in it: an empty file replaced is not worth a word. */
function holdsText(file: string): boolean {
  return (existingFile(file)?.size ?? 0) > 0;
}

/** What the file at `file` is, or null when there is none (or it is not a file). */
function existingFile(file: string): Stats | null {
  try {
    const target = outputTarget(file);
    return target.kind === "file" ? target.stat : null;
  } catch (error) {
    if (error instanceof CliError) return null; // not a file: what holds it is said next
    throw error;
  }
}

function kindOf(path: string): "folder" | "other" | "missing" | "unreachable" {
  try {
    return statSync(path).isDirectory() ? "folder" : "other";
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOTDIR: a parent is a file, which the walk up finds and names.
    if (code === "ENOENT" || code === "ENOTDIR") return "missing";
    return "unreachable";
  }
}

/**
 * The scenario's document with its module paths (its `scheduler`, its deploys) written from the
 * `out` folder, where its reproducers are, instead of from the scenario's folder, and the
 * registry with each module under its name from there too. A module is named in the trace by
 * that path, so the failures are shrunk with the names `aftershock run <reproducer>` gives, and
 * a reproducer replays with the trace hash it records. `threadModules` are those names with each
 * module's file, for the worker threads a module's shrinks run on (`threadModuleRefs` gives the
 * scenario's names).
 */
export function modulesFromOut(
  document: ScenarioDocument,
  scenarioFile: string,
  out: string,
  schedulers: SchedulerRegistry,
): {
  readonly document: ScenarioDocument;
  readonly schedulers: SchedulerRegistry;
  readonly threadModules: readonly SchedulerModuleRef[];
} {
  const registry = new Map(schedulers);
  const threadModules: SchedulerModuleRef[] = [];
  const reproducer = join(out, "reproducer.yaml");
  const moved = (module: string): string => {
    const absolute = resolve(dirname(scenarioFile), module);
    const path = modulePathFrom(absolute, reproducer);
    const factory = schedulers.get(scenarioModuleName(module, scenarioFile));
    const name = moduleSchedulerName(path);
    if (factory !== undefined) registry.set(name, factory);
    if (!threadModules.some((m) => m.name === name)) threadModules.push(schedulerModuleRef(name, absolute));
    return path;
  };
  const doc = structuredClone(document) as Record<string, unknown>;
  const scheduler = doc.scheduler as { module?: unknown } | undefined;
  if (typeof scheduler?.module === "string") scheduler.module = moved(scheduler.module);
  for (const entry of Array.isArray(doc.timeline) ? doc.timeline : []) {
    const action = entry as { action?: unknown; module?: unknown };
    if (action.action === "deploy" && typeof action.module === "string") action.module = moved(action.module);
  }
  return { document: doc as ScenarioDocument, schedulers: registry, threadModules };
}
