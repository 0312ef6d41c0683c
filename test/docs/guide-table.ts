// Replays rows of the facilitator's guide's what-if table (docs/training.md) on the bundled May 8 scenario and checks their numbers against `score`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { BUNDLED, newSession, play } from "../train/helpers.js";

const GUIDE = join(import.meta.dirname, "..", "..", "docs", "training.md");

/**
 * The rows of the table the long tier replays (training-guide.long.test.ts), by the start of their
 * first cell: forks of one what-if each, as `deploy fixed`'s row, whose score the default run
 * checks; and the chain of all three quarantines, a longer chain than the default run's chain of two.
 */
export const LONG_ROWS = [
  "`deploy fixed step 0s`",
  "`deploy early-return`",
  "`deploy panic-recovery`",
  "`rollback`",
  "`scale 16`",
  "`quarantine sched-deleted-a`, `quarantine sched-deleted-b`, then",
];

export interface GuideRow {
  /** The row's first cell, as the guide writes it. */
  readonly cell: string;
  /** Each alternative (`a` or `b`) is a chain of what-ifs typed one after the other. */
  readonly alternatives: readonly (readonly string[])[];
  readonly numbers: readonly string[];
}

/** The what-if table of the guide: its moment, and a row per what-if (the original has none). */
function guideTable(): { at: string; rows: GuideRow[] } {
  const guide = readFileSync(GUIDE, "utf8");
  const section = /### What the what-ifs show on May 8\n([\s\S]*?)\n#/.exec(guide)?.[1] ?? "";
  const lines = section.split("\n").filter((l) => l.startsWith("|"));
  const at = /what-if at (\d\d:\d\d:\d\d)/.exec(lines[0] ?? "")?.[1] ?? "";
  const rows = lines.slice(2).map((line) => {
    const [cell, ...numbers] = line
      .split("|")
      .slice(1, -1)
      .map((c) => c.trim());
    const chain = (part: string) => [...part.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    return { cell, alternatives: cell.split(" or ").map(chain), numbers };
  });
  return { at, rows };
}

/** `score`'s rows by line: all clear, time to all clear, late, missed and duplicate deliveries, panic deaths. */
function scoreRows(text: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of text.split("\n")) {
    const cells = line.trim().split(/\s{2,}/);
    if (cells.length !== 8 || !/^(original|fork-\d+)$/.test(cells[0])) continue;
    rows.set(
      cells[0],
      cells.slice(2).map((c) => c.replace(/ \([^)]*\)$/, "")),
    );
  }
  return rows;
}

/**
 * Replays the original and each what-if row `chosen` picks (at least one) at the table's moment,
 * each chain from the original, and checks every number of theirs against `score`. A chain that
 * begins as one typed before goes on from that one's line (the same what-ifs at the same moment):
 * `quarantine sched-deleted-a`, then `-b` forks `-b` from the line of `quarantine sched-deleted-a` alone.
 */
export function expectGuideTable(chosen: (row: GuideRow) => boolean): void {
  const { at, rows } = guideTable();
  expect(rows.length).toBeGreaterThanOrEqual(8);
  expect(rows[0].alternatives).toEqual([[]]);
  const picked = rows.slice(1).filter(chosen);
  expect(picked.length).toBeGreaterThan(0);
  const session = newSession({}, BUNDLED);
  // Quarantines take ids the on-call view does not show: revealed, as the guide says.
  play(session, ["next", "next", "next", "reveal"]);
  expect(session.prompt()).toBe(`${at} original> `);
  /** The line each chain of what-ifs typed so far led to, by the chain. */
  const reached = new Map<string, string>([["", "original"]]);
  const lineOf = new Map<GuideRow, string[]>();
  for (const row of picked) {
    const names: string[] = [];
    for (const chain of row.alternatives) {
      expect(chain.length, row.cell).toBeGreaterThan(0);
      let done = chain.length;
      while (!reached.has(chain.slice(0, done).join("\n"))) done--;
      const steps = play(session, [`switch ${reached.get(chain.slice(0, done).join("\n"))}`]);
      for (let k = done; k < chain.length; k++) {
        steps.push(...play(session, [`what-if ${chain[k]}`]));
        reached.set(chain.slice(0, k + 1).join("\n"), session.lineName);
      }
      for (const step of steps) expect(step.ok, `${row.cell}: ${step.text}`).toBe(true);
      names.push(session.lineName);
    }
    lineOf.set(row, names);
  }
  const score = scoreRows(play(session, ["score"])[0].text);
  expect(score.get("original"), "the original row").toEqual(rows[0].numbers);
  for (const [row, names] of lineOf)
    for (const name of names) expect(score.get(name), `${row.cell} (${name})`).toEqual(row.numbers);
}
