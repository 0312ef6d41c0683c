import { scenarioJsonSchema } from "../../scenario/index.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../errors.js";
import type { CliCommand } from "../spec.js";
import { schemaSpec } from "./specs.js";

/** `aftershock schema`: the JSON Schema of scenario files, for editors. */
export function schemaCommand(ctx: CliContext): number {
  ctx.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}

export const schema: CliCommand = {
  spec: schemaSpec,
  run: (ctx) => schemaCommand(ctx),
};
