/**
 * What a comparison's divergences say, for every renderer of one (terminal, Markdown, HTML):
 * for each run after the first, where it first parts from the first run, or that it never does.
 */
import { type HtmlDivergence, runName } from "./html/model.js";
import type { RunReport } from "./run-report.js";

/** A run after the first, and its first divergence from the first run (null: none). */
export interface Parting {
  /** The first run's name, then this run's. */
  readonly names: readonly [string, string];
  readonly divergence: HtmlDivergence | null;
}

/**
 * One parting per run after the first, from the comparison's `divergences` (which name their
 * variants); without them (a comparison saved before they were listed), only the first two
 * runs', from `divergence`.
 */
export function partingsOf(
  reports: readonly RunReport[],
  divergence: HtmlDivergence | null | undefined,
  divergences: readonly HtmlDivergence[] | null | undefined,
): Parting[] {
  if (reports.length < 2) return [];
  const first = runName(reports[0]);
  if (divergences === undefined || divergences === null)
    return [{ names: [first, runName(reports[1])], divergence: divergence ?? null }];
  return reports.slice(1).map((r) => {
    const name = runName(r);
    return { names: [first, name], divergence: divergences.find((d) => d.variants?.[1] === name) ?? null };
  });
}

/** `HH:MM:SS.mmm` of an instant (UTC), `?` when unknown. */
export function clockMs(t: number): string {
  return Number.isNaN(t) ? "?" : new Date(t).toISOString().slice(11, 23);
}
