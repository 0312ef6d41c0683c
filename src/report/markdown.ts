/**
 * The Markdown report: a short summary table of the measured values (one column per variant),
 * the verdicts, the causal chain of the first panic death (else the first crash) and the key
 * events, for pasting into a postmortem document or a pull request. Pure: data in, one string out. Every string from a
 * scenario or a trace is escaped, so it renders as text (no HTML, no links, no emphasis).
 */

import { plural, type RunClock } from "../kernel/time.js";
import { CHAIN_MARKS, chainContextOf, chainLinkOf, chainOrderText, chainStepText } from "./causal-chain.js";
import {
  differencesOf,
  differencesText,
  type Parting,
  partingsOf,
  partingTime,
  type StoppedFirst,
  stoppedFirstText,
} from "./divergence.js";
import { describeEvent } from "./event-words.js";
import { expectationOutcome } from "./expectation-words.js";
import {
  expectationRunName,
  type HtmlDivergence,
  type HtmlRun,
  notInSavedOutputText,
  notListedText,
  runLabel,
  runName,
  settingDuration,
} from "./html/model.js";
import { storyOf, summaryRowsOf } from "./html/summary.js";
import {
  clockOfRuns,
  NOT_JUDGED,
  STOPPED_EARLY_MEANS,
  stoppedEarlyText,
  verdictCellNoted,
  windowOfRuns,
} from "./judged.js";
import { flapsText, keyEventsExcerpt, moreText } from "./key-events.js";
import { escapeMarkdown, markdownCode } from "./markdown-text.js";
import type { RunReport } from "./run-report.js";

export { escapeMarkdown };

/** What a Markdown report written by aftershock starts with (for the overwrite check). */
export const MARKDOWN_SIGNATURE = /^<!-- aftershock report/;

export interface MarkdownConstraints {
  /** Key events listed at most (the last five, the middle's turns, the first ones: `keyEventsExcerpt`). */
  readonly eventsMax?: number;
  readonly reproduce?: string;
  /** Where the first two runs part. */
  readonly divergence?: HtmlDivergence | null;
  /** Where each run after the first parts from the first (a run not listed never does). */
  readonly divergences?: readonly HtmlDivergence[] | null;
  /** Pairs of runs one of which stopped early before they parted (then no divergence is listed for them). */
  readonly stops?: readonly StoppedFirst[] | null;
}

export function renderMarkdown(runs: readonly HtmlRun[], c: MarkdownConstraints = {}): string {
  if (runs.length === 0) throw new RangeError("renderMarkdown: no runs");
  const reports = runs.map((r) => r.report);
  const first = reports[0];
  const clock = clockOfRuns(reports);
  const md = escapeMarkdown;
  const out: string[] = [];
  out.push(`<!-- aftershock report: ${md(first.scenario).replace(/--/g, "- -")} -->`);
  out.push(`## aftershock · ${md(first.scenario)}`);
  out.push("");
  out.push(
    `Seed ${first.seed} · ${windowOfRuns(reports)} UTC · ${plural(first.run.workers, "worker")} · SLO ${settingDuration(first.run.sloMs)} · ${reports.length > 1 ? "variants on the same world" : "variant"}: ${reports.map((r) => md(runLabel(r))).join("; ")}`,
  );
  out.push("");
  for (const r of reports) out.push(`- **${md(runName(r))}**: ${storyOf(r, clock).map(md).join(" ")}`);
  for (const r of reports) {
    const stopped = stoppedEarlyText(r);
    if (stopped === null) continue;
    out.push(`- **${md(runName(r))}** ${md(stopped)}; ${md(STOPPED_EARLY_MEANS)}`);
  }
  out.push("");
  out.push(`| | ${reports.map((r) => md(runName(r))).join(" | ")} |`);
  out.push(`|---|${reports.map(() => "---:").join("|")}|`);
  for (const row of summaryRowsOf(reports)) {
    const label = row.sub ? `  ${row.label}` : row.label;
    out.push(
      `| ${row.sub ? "&nbsp;&nbsp;" : ""}${md(label.trim())} | ${reports.map((r) => md(row.value(r, clock))).join(" | ")} |`,
    );
  }
  out.push("");
  out.push(`| property | ${reports.map((r) => md(runName(r))).join(" | ")} |`);
  out.push(`|---|${reports.map(() => "---").join("|")}|`);
  for (const v of first.verdicts) {
    const cells = reports.map((r) => {
      const verdict = r.verdicts.find((x) => x.property === v.property);
      return verdict === undefined ? "–" : verdictCellNoted(verdict, r);
    });
    out.push(`| \`${v.property}\` | ${cells.join(" | ")} |`);
  }
  const expectations = runs.flatMap((run) =>
    (run.expectations ?? []).map((e) => ({
      variant: expectationRunName(run, runName(run.report)),
      judged: run.report.run.judged,
      e,
    })),
  );
  if (expectations.length > 0) {
    out.push("");
    out.push("Expectations of the scenario:");
    out.push("");
    for (const { variant, judged, e } of expectations) {
      const outcome = expectationOutcome(e, clock);
      out.push(
        `- ${e.skipped ? "○" : e.ok ? "✓" : "✗"} ${md(variant)}: ${md(e.name)}${judged || e.skipped ? "" : ` (${NOT_JUDGED})`} (${md(outcome.met ? `measured ${outcome.text}` : outcome.text)})`,
      );
    }
  } else if (runs.every((run) => run.expectations === undefined)) {
    out.push("");
    out.push(
      `Expectations of the scenario: ${notInSavedOutputText("expectations", "--markdown", markdownCode)}`,
    );
  }
  const story = runs.find((r) => r.report.metrics.crashes > 0) ?? runs[0];
  if (story.chain && story.chain.length > 0) {
    out.push("");
    out.push(`**Why a worker died** (${md(runName(story.report))}):`);
    out.push("");
    const chain = story.chain;
    chain.forEach((e, i) => {
      const context = chainContextOf(chain, i);
      const aside = context === undefined ? "" : ` (${md(context)})`;
      out.push(
        `${i + 1}. \`${clock.clockMs(e.t)}\` ${CHAIN_MARKS[chainLinkOf(chain, i)]} ${md(chainStepText(e, clock))}${aside} (#${e.seq})`,
      );
    });
    out.push("");
    out.push(chainOrderText(markdownCode));
  } else if (story.report.metrics.crashes > 0) {
    out.push("");
    out.push(
      `**Why a worker died** (${md(runName(story.report))}): ${notInSavedOutputText("chain", "--markdown", markdownCode)}`,
    );
  }
  if (c.divergence || c.divergences || c.stops) out.push(...renderDivergences(reports, c, clock));
  out.push("");
  out.push(...renderKeyEvents(story.report, c.eventsMax ?? 25, reports.length > 1, clock));
  // Every report prints the assumptions (README), or says why it cannot.
  out.push("");
  out.push("Assumptions (ours, not public facts):");
  out.push("");
  if (first.assumptions.length === 0) out.push(md(notListedText(runs[0], "assumptions")));
  for (const a of first.assumptions) out.push(`- ${md(a)}`);
  if (c.reproduce) {
    out.push("");
    out.push(`Reproduce: ${markdownCode(c.reproduce)}`);
  }
  out.push("");
  return out.join("\n");
}

/** Where each run after the first parts from the first: a sentence for two runs, a list for more. */
function renderDivergences(reports: readonly RunReport[], c: MarkdownConstraints, clock: RunClock): string[] {
  const md = escapeMarkdown;
  const partings = partingsOf(reports, c.divergence, c.divergences, c.stops);
  const side = (name: string, e: HtmlDivergence["a"]) =>
    e === null
      ? `${md(name)}: (trace ended)`
      : `${md(name)} at ${partingTime(e.t, clock)}: ${md(describeEvent(e))}`;
  const sentence = ({ names, divergence: d, stopped }: Parting) => {
    if (stopped !== null) return `${md(stoppedFirstText(stopped, reports, clock))}.`;
    if (d === null) return `none, ${md(names[1])} behaved as ${md(names[0])} did.`;
    const differences = differencesOf(d.a, d.b);
    const differs = differences.length === 0 ? "" : ` Differs: ${md(differencesText(differences))}.`;
    return `at trace event #${d.index}: ${side(names[0], d.a)}; ${side(names[1], d.b)}.${differs}`;
  };
  if (partings.length === 0) return [];
  if (partings.length === 1)
    return partings[0].stopped !== null
      ? ["", `**Divergence**: ${sentence(partings[0])}`]
      : partings[0].divergence === null
        ? ["", "**Divergence**: none, the runs behaved identically."]
        : ["", `**First divergence** ${sentence(partings[0])}`];
  return [
    "",
    `**First divergences** from ${md(partings[0].names[0])}:`,
    "",
    ...partings.map((p) => `- ${md(p.names[1])}: ${sentence(p)}`),
  ];
}

function renderKeyEvents(report: RunReport, max: number, named: boolean, clock: RunClock): string[] {
  const entries = report.timeline;
  const tail = Math.min(5, Math.max(0, max - 1));
  const out = [
    `**Key events**${named ? ` (${escapeMarkdown(runName(report))})` : ""}:`,
    "",
    "| time (UTC) | what happened |",
    "|---|---|",
  ];
  for (const line of keyEventsExcerpt(entries, max, tail)) {
    if ("more" in line) out.push(`| … | ${escapeMarkdown(moreText(line))} |`);
    else if ("flaps" in line)
      out.push(
        `| ${clock.clock(Date.parse(line.flaps.first.t))} | ${escapeMarkdown(flapsText(line.flaps, clock))} |`,
      );
    else out.push(`| ${clock.clock(Date.parse(line.entry.t))} | ${escapeMarkdown(line.entry.text)} |`);
  }
  if (entries.length === 0) out.push("| | (nothing notable) |");
  return out;
}
