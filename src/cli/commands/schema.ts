import { scenarioJsonSchema } from "../../scenario/index.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../errors.js";
import type { CliCommand } from "../spec.js";

/** `aftershock schema`: the JSON Schema of scenario files, for editors. */
export function schemaCommand(ctx: CliContext): number {
  ctx.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return EXIT.ok;
}

export const schema: CliCommand = {
  spec: {
    name: "schema",
    args: "",
    summary: "print the JSON Schema of scenario files (for editor completion)",
    options: [],
    examples: ["aftershock schema > scenario.schema.json"],
  },
  run: (ctx) => schemaCommand(ctx),
};
