/**
 * Imported for its effect: registers the hooks of ts-hooks.ts in the thread that imports it, so
 * that a TypeScript scheduler module can be imported there. A worker thread does not inherit the
 * hooks its parent registered; the exploration pool's threads import this first (`preload` of a
 * `SchedulerModuleRef`).
 */
import { register } from "node:module";

register(new URL("./ts-hooks.js", import.meta.url));
// The stripped code keeps an inline source map: stack frames then name the .ts file's lines.
process.setSourceMapsEnabled(true);
