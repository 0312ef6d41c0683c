import cliTruncate from "cli-truncate";
import stringWidth from "string-width";
import { parseScenario } from "../../scenario/index.js";
import { bundledScenarios } from "../bundled-scenarios.js";
import type { CliContext } from "../context.js";
import { EXIT } from "../errors.js";
import { terminalText } from "../glyphs.js";
import { readText } from "../io.js";
import type { CliCommand } from "../spec.js";
import { listSpec } from "./specs.js";

/** Fewest characters of a description shown before its cut: fewer says nothing, and the name stands alone. */
const DESCRIPTION_SHOWN_MIN = 8;

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
  // One line a scenario: on a terminal, its description cut to the width left (`…` where cut),
  // the name always whole (it is what `run` takes); piped, whole, for grep.
  const columns = ctx.outColumns?.();
  // cli-truncate and string-width directly: list loads no module of the other commands.
  const cut = ctx.ascii === true ? "..." : "…";
  for (const r of rows) {
    const description = terminalText(ctx, r.description);
    const room = columns === undefined ? Number.POSITIVE_INFINITY : columns - width - 2;
    const shown =
      stringWidth(description) <= room
        ? description
        : room >= cut.length + DESCRIPTION_SHOWN_MIN
          ? cliTruncate(description, room, { truncationCharacter: cut })
          : "";
    ctx.out(
      `${shown === "" ? ctx.paint.bold(r.name) : `${ctx.paint.bold(r.name.padEnd(width))}  ${shown}`}\n`,
    );
  }
  return EXIT.ok;
}

export const list: CliCommand = {
  spec: listSpec,
  run: (ctx, _args, options) => listCommand(ctx, options),
};
