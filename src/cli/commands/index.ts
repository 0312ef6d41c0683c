/**
 * Every CLI command, in help order. A command is one module exporting a `CliCommand` (its
 * spec and its action); adding one is a new file and a line here.
 */
import type { CliCommand } from "../spec.js";
import { compare } from "./compare.js";
import { exploreCli } from "./explore.js";
import { gate } from "./gate.js";
import { list } from "./list.js";
import { merge } from "./merge.js";
import { report } from "./report.js";
import { run } from "./run.js";
import { schema } from "./schema.js";
import { train } from "./train.js";
import { validate } from "./validate.js";
import { why } from "./why.js";

export const COMMANDS: readonly CliCommand[] = [
  run,
  compare,
  why,
  report,
  gate,
  exploreCli,
  merge,
  train,
  validate,
  schema,
  list,
];
