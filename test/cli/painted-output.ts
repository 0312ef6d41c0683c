// Runs the CLI in this process on a terminal of a given width, painted or not, with a clock that makes its timings alike, for the tests that colour changes nothing of the layout.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { expect } from "vitest";
import { main } from "../../src/cli/main.js";
import { makePaint } from "../../src/cli/paint.js";
import { visible } from "../../src/train/format.js";
import { capturingContext } from "../explore/cli-helpers.js";

const TINY = join(import.meta.dirname, "fixtures", "tiny.yaml");

/** The lines wider than `columns`, but for a command line to copy (kept whole). */
export const tooWide = (text: string, columns: number) =>
  text.split("\n").filter((l) => visible(l) > columns && !/^\s*(?:\w+:\s+)?aftershock\s/.test(l));

/** `aftershock <argv>` on a terminal `columns` wide, painted or not, its timings made alike. */
export async function painted(argv: readonly string[], columns: number, colour: boolean): Promise<string> {
  const { ctx, captured } = capturingContext();
  const paint = makePaint(colour);
  // A clock that ticks a millisecond a reading: the timings the text says, and so where its
  // lines wrap, are the same in both runs however loaded the machine is.
  let clock = 0;
  const now = () => ++clock;
  const { out } = captured(
    await main([...argv], { ...ctx, paint, paintErr: paint, outColumns: () => columns, now }),
  );
  return out.replace(/\d+(?:\.\d+)? (s|runs\/s)\b/g, "N $1");
}

/**
 * run, compare and explore on a terminal `columns` wide: painted, the text is the plain text with
 * colour added (leads kept, command lines whole, headers fitted alike).
 */
export async function laidOutAsPlain(columns: number): Promise<void> {
  const out = join(tmpdir(), `aftershock-colour-fit-${process.pid}`);
  try {
    for (const argv of [
      ["run", TINY],
      ["compare", TINY],
      ["explore", TINY, ..."--shrink-runs 2 --runs 1 --jobs 1 --variant buggy --out".split(" "), out],
    ]) {
      const colour = await painted(argv, columns, true);
      expect(colour, argv[0]).not.toBe(stripVTControlCharacters(colour));
      expect(stripVTControlCharacters(colour), `${argv[0]} at ${columns}`).toBe(
        await painted(argv, columns, false),
      );
      if (argv[0] === "explore") {
        // The replay command on a line of its own, whole; the header wrapped.
        expect(stripVTControlCharacters(colour)).toMatch(/\n {4}replay: {4}aftershock run \S+\.yaml\n/);
        expect(tooWide(stripVTControlCharacters(colour), columns)).toEqual([]);
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
