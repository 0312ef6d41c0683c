import { scenarioJsonSchema } from "../../scenario/index.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../errors.js";

/** `aftershock schema`: the JSON Schema of scenario files, for editors. */
export function schemaCommand(ctx: CliContext): number {
  ctx.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}
