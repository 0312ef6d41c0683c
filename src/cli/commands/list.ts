import { parseScenario } from "../../scenario/index.js";
import { bundledScenarios } from "../bundled-scenarios.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../errors.js";
import { readText } from "../io.js";
import type { CliCommand } from "../spec.js";
import { listSpec } from "./specs.js";

/** `aftershock list`: the bundled scenarios, one line each. */
export function listCommand(ctx: CliContext, o: { json?: boolean }): number {
  const rows = bundledScenarios().map((s) => {
    const parsed = parseScenario(readText(s.path), s.path);
    const description = parsed.ok
      ? parsed.scenario.description.replace(/\s+/g, " ").trim()
      : "(invalid: run validate)";
    return { name: s.name, path: s.path, description };
  });
  if (o.json) {
    ctx.out(`${JSON.stringify(rows, null, 2)}\n`);
    return EXIT.ok;
  }
  const width = Math.max(0, ...rows.map((r) => r.name.length));
  for (const r of rows) {
    const line = r.description.length > 100 ? `${r.description.slice(0, 97)}...` : r.description;
    ctx.out(`${ctx.paint.bold(r.name.padEnd(width))}  ${line}\n`);
  }
  return EXIT.ok;
}

export const list: CliCommand = {
  spec: listSpec,
  run: (ctx, _args, options) => listCommand(ctx, options),
};
