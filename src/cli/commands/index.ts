/**
 * Every CLI command, in help order: its spec, and how to load what it does. Parsing and help
 * need only the specs; a command's module (and the dependencies it pulls in: zod, yaml, worker
 * pools, report writers, training) is imported when that command is dispatched, so
 * `aftershock --help` and `aftershock list` do not pay for `explore` or `report`. Adding a
 * command is a module exporting a `CliCommand`, its spec in specs.ts and a line here.
 */
import type { CliCommand, CommandSpec } from "../spec.js";
import {
  compareSpec,
  exploreSpec,
  gateSpec,
  listSpec,
  mergeSpec,
  reportSpec,
  runSpec,
  schemaSpec,
  trainSpec,
  validateSpec,
  whySpec,
} from "./specs.js";

/** A command known by its spec; `load()` imports its implementation. */
export interface LazyCommand {
  readonly spec: CommandSpec;
  load(): Promise<CliCommand>;
}

export const COMMANDS: readonly LazyCommand[] = [
  { spec: runSpec, load: async () => (await import("./run.js")).run },
  { spec: compareSpec, load: async () => (await import("./compare.js")).compare },
  { spec: whySpec, load: async () => (await import("./why.js")).why },
  { spec: reportSpec, load: async () => (await import("./report.js")).report },
  { spec: gateSpec, load: async () => (await import("./gate.js")).gate },
  { spec: exploreSpec, load: async () => (await import("./explore.js")).exploreCli },
  { spec: mergeSpec, load: async () => (await import("./merge.js")).merge },
  { spec: trainSpec, load: async () => (await import("./train.js")).train },
  { spec: validateSpec, load: async () => (await import("./validate.js")).validate },
  { spec: schemaSpec, load: async () => (await import("./schema.js")).schema },
  { spec: listSpec, load: async () => (await import("./list.js")).list },
];
