/**
 * The schedulers a worker thread runs with: the bundled ones and the user modules it is told of
 * (`SchedulerModuleRef`), imported in this thread, a TypeScript one after the module that
 * registers its loader hooks here (a thread does not inherit them). The exploration pool's
 * threads and the parallel compare's load them so.
 */
import { pathToFileURL } from "node:url";
import {
  bundledSchedulers,
  checkedFixSets,
  exportedSchedulerFactory,
  moduleFactory,
} from "../schedulers/index.js";
import { placeModule } from "../world/panic-location.js";
import type { SchedulerFactory } from "../world/runtime.js";
import type { SchedulerRegistry } from "../world/world.js";
import type { SchedulerModuleRef } from "./run-one.js";

/**
 * Says that `factory` was loaded from the file at `realPath` (links resolved), so that its panics
 * are placed by frames naming that file, as a path (CommonJS) or a `file:` URL (ES): on the CLI's
 * main thread (`loadSchedulerModule`) and on its worker threads alike.
 */
export function placeModuleAt(factory: SchedulerFactory, realPath: string): void {
  placeModule(factory, { path: realPath, url: pathToFileURL(realPath).href });
}

/** The bundled schedulers plus each of `refs`, imported in this thread under its name. */
export async function threadRegistry(refs: readonly SchedulerModuleRef[]): Promise<SchedulerRegistry> {
  const registry = bundledSchedulers();
  // As the CLI reads them on the main thread (`loadSchedulerModule`): a panic's place is traced.
  if (refs.length > 0) process.setSourceMapsEnabled(true);
  // A module under two names (a scenario's, and its reproducers' from `--out`) is one object, checked once, as on the main thread.
  const byUrl = new Map<string, SchedulerFactory>();
  for (const ref of refs) {
    const known = byUrl.get(ref.url);
    if (known !== undefined) {
      registry.set(ref.name, known);
      continue;
    }
    if (ref.preload !== undefined) await import(ref.preload);
    const loaded = (await import(ref.url)) as Record<string, unknown>;
    const factory = exportedSchedulerFactory(loaded) as SchedulerFactory | undefined;
    if (factory === undefined) throw new Error(`${ref.url}: no scheduler exported`);
    // As the CLI registers it on the main thread, so a run traces alike on any thread: the same
    // object, and the same calls made of it before any run (the CLI's check of `create`).
    const registered = moduleFactory(factory, `user scheduler ${ref.name}`);
    // As the CLI places it on the main thread (`loadSchedulerModule`): its panics are placed by frames in its file.
    if (ref.realPath !== undefined) placeModuleAt(registered, ref.realPath);
    for (const set of checkedFixSets(registered.fixes)) registered.create(set);
    registry.set(ref.name, registered);
    byUrl.set(ref.url, registered);
  }
  return registry;
}
