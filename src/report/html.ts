/**
 * The HTML report: one self-contained page (styles, data, the charting library and the script
 * inline; a content security policy forbids any network request) that tells the story of one
 * run or of the variants of a comparison at a glance: header and verdicts, facts versus
 * assumptions, workers over time, delivery lag against the SLO, worker lanes with the poison
 * task's path, the causal chain of the first panic death (else the first crash), the measured values side by side and a
 * searchable table of key events. Pure: data in, one string out; the CLI reads the library's
 * files and writes the page.
 */

import { escapeControls, plural, type RunClock } from "../kernel/time.js";
import { CHAIN_MARKS, chainContextOf, chainLinkOf, chainOrderText, chainStepText } from "./causal-chain.js";
import {
  differencesOf,
  differencesText,
  partingsOf,
  partingTime,
  type StoppedFirst,
  stoppedFirstText,
} from "./divergence.js";
import { describeEvent } from "./event-words.js";
import { expectationOutcome } from "./expectation-words.js";
import { CLIENT_SCRIPT } from "./html/client.js";
import { escapeHtml, inlineScript, inlineStyle, jsonForScript } from "./html/escape.js";
import { renderLaneLegend, renderLanesSvg } from "./html/lanes.js";
import {
  expectationRunName,
  type HtmlDivergence,
  type HtmlReportInput,
  type HtmlRun,
  MARKER_COLOURS,
  markersOf,
  notInSavedOutputText,
  notListedText,
  poisonPaths,
  runColour,
  runLabel,
  runMarkers,
  runName,
  settingDuration,
  timeWindow,
} from "./html/model.js";
import { REPORT_CSS } from "./html/style.js";
import { storyOf, summaryRowsOf } from "./html/summary.js";
import {
  clockOfRuns,
  detailBesideNote,
  NOT_JUDGED,
  STOPPED_EARLY_MEANS,
  stoppedEarlyText,
  verdictCell,
  verdictPhrase,
  windowOfRuns,
} from "./judged.js";
import type { RunReport } from "./run-report.js";

export type { HtmlDivergence, HtmlExpectation, HtmlReportInput, HtmlRun } from "./html/model.js";

/** What an HTML report written by aftershock starts with (for the overwrite check). */
export const HTML_SIGNATURE = /^<!doctype html>\n<!-- aftershock report/;

const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export function renderHtmlReport(input: HtmlReportInput): string {
  if (input.runs.length === 0) throw new RangeError("renderHtmlReport: no runs");
  const reports = input.runs.map((r) => r.report);
  const first = reports[0];
  // One clock for every time on the page; the charts date theirs as it does (see `RunClock`).
  const clock = clockOfRuns(reports);
  const window = { ...timeWindow(reports), multiDay: clock.multiDay };
  const markers = markersOf(reports);
  const paths = poisonPaths(reports);
  const title = `aftershock · ${first.scenario}${reports.length > 1 ? ` · ${reports.map(runName).join(" vs ")}` : ""}`;
  const data = {
    window,
    markers: markers.map((m) => ({ ...m, colour: MARKER_COLOURS[m.kind] })),
    runs: reports.map((r, i) => ({
      name: runName(r),
      label: runLabel(r),
      colour: runColour(i),
      sloMs: r.run.sloMs,
      markers: runMarkers(r).map((m) => ({ ...m, colour: MARKER_COLOURS[m.kind] })),
      series: r.series ?? null,
    })),
  };
  const body = [
    renderHeader(input, reports, clock),
    section(
      "workers",
      "Workers over time",
      `${reports.map((_, i) => `<div class="chart" id="workers-chart-${i}"></div>`).join("\n")}
<p class="note">Serving (green), crash-looping: crashed and in back-off or restarting after a crash (red), down for another reason (grey). Dashed lines mark the story's moments.</p>`,
    ),
    section(
      "lag",
      "Delivery lag and due backlog",
      `<div class="chart" id="lag-chart"></div>
<div class="chart" id="backlog-chart"></div>
<p class="note">Per sample: the lag of deliveries acknowledged and the age of work still due (p99 solid, p50 dashed), against the SLO (dark dashed line); below, the number of schedules with a fire due and not yet committed (each once, however many fires behind).${reports.length > 1 ? " Colours are the variants, on the same axes." : ""}</p>`,
    ),
    section(
      "lanes",
      "Worker lanes",
      reports
        .map((r, i) => {
          const own = paths.filter((p) => p.run === i);
          return `<h3>${escapeHtml(runLabel(r))}</h3>
${renderLanesSvg({ lanes: r.lanes, startMs: window.startMs, endMs: window.endMs, markers: runMarkers(r), paths: own, title: `Worker lanes of ${runLabel(r)}` })}
${renderLaneLegend(own, r.lanes)}`;
        })
        .join("\n"),
    ),
    section("chain", "Why a worker died", renderChains(input.runs, clock)),
    section("summary", reports.length > 1 ? "Side by side" : "Measured", renderSummary(input.runs, clock)),
    input.divergence === undefined && input.divergences === undefined && input.stops === undefined
      ? ""
      : section(
          "divergence",
          reports.length > 2 ? "First divergences" : "First divergence",
          renderDivergence(input, clock),
        ),
    section("events", "Key events", renderEvents(reports, clock)),
    renderFooter(input),
  ].join("\n");
  return `<!doctype html>
<!-- aftershock report: ${escapeHtml(escapeControls(first.scenario)).replace(/--/g, "- -")} -->
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="generator" content="${escapeHtml(input.generator ?? "aftershock")}">
<title>${escapeHtml(title)}</title>
<style>${inlineStyle(input.assets.chartCss)}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="aftershock-data">${jsonForScript(data)}</script>
<script>${inlineScript(input.assets.chartJs)}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

function section(id: string, heading: string, content: string): string {
  return `<section id="${id}">
<h2>${escapeHtml(heading)}</h2>
${content}
</section>`;
}

function renderHeader(input: HtmlReportInput, reports: readonly RunReport[], clock: RunClock): string {
  const r = reports[0];
  const seeds = [...new Set(reports.map((x) => x.seed))].join(", ");
  const variants = reports.map((x) => escapeHtml(runLabel(x))).join(" · ");
  const badges = reports
    .map((x, i) => {
      const failed = x.verdicts.filter((v) => !v.ok);
      // A run that stopped early is neither: its badge stays plain.
      const cls = !x.run.judged ? "" : failed.length === 0 ? "good" : "bad";
      const expected = (input.runs[i].expectations ?? []).filter((e) => e.skipped !== true);
      const met = expected.filter((e) => e.ok).length;
      const expectation =
        expected.length === 0
          ? ""
          : !x.run.judged
            ? ` · expectations ${NOT_JUDGED}`
            : ` · <span class="${met === expected.length ? "good" : "bad"}">${met} of ${expected.length} expectations met</span>`;
      return `<div class="badge ${cls}"><span class="dot" style="background:${runColour(i)}"></span><b>${escapeHtml(runName(x))}</b>: ${escapeHtml(verdictPhrase(x))}${expectation}</div>`;
    })
    .join("");
  const stories = reports
    .map(
      (x, i) =>
        `<li><b style="color:${runColour(i)}">${escapeHtml(runName(x))}</b>: ${storyOf(x, clock).map(escapeHtml).join(" ")}</li>`,
    )
    .join("\n");
  const halted = reports
    .flatMap((x) => {
      const stopped = stoppedEarlyText(x);
      if (stopped === null) return [];
      return [
        `<p class="bad">${escapeHtml(runName(x))} ${escapeHtml(stopped)}; ${escapeHtml(STOPPED_EARLY_MEANS)}</p>`,
      ];
    })
    .join("");
  const list = (items: readonly string[], empty: string) =>
    items.length === 0
      ? `<p class="muted">${escapeHtml(empty)}</p>`
      : `<ul>${items.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>`;
  return `<header>
<h1>aftershock · ${escapeHtml(r.scenario)}</h1>
<p class="meta">seed ${escapeHtml(seeds)} · ${escapeHtml(windowOfRuns(reports))} UTC · ${plural(r.run.workers, "worker")} · SLO ${escapeHtml(settingDuration(r.run.sloMs))} · ${reports.length > 1 ? `${reports.length} variants on the same world: ` : "variant "}${variants}</p>
${r.description ? `<p class="description">${escapeHtml(r.description)}</p>` : ""}
<div class="badges">${badges}</div>
${halted}
<ul class="story">
${stories}
</ul>
<div class="facts">
<section class="public"><h3>Public facts this scenario rests on</h3>${list(r.sources, notListedText(input.runs[0], "sources"))}</section>
<section class="assumed"><h3>Assumptions (ours, not public facts)</h3>${list(r.assumptions, notListedText(input.runs[0], "assumptions"))}</section>
</div>
</header>`;
}

/** A command-line word in the page's markup (the texts that use it are ours, not a scenario's). */
const htmlCode = (word: string) => `<code>${word}</code>`;

function renderChains(runs: readonly HtmlRun[], clock: RunClock): string {
  const parts: string[] = [];
  for (const run of runs) {
    const r = run.report;
    const name = escapeHtml(runLabel(r));
    if (r.metrics.crashes === 0) {
      parts.push(`<h3>${name}</h3><p class="muted">No worker crashed.</p>`);
      continue;
    }
    if (!run.chain || run.chain.length === 0) {
      parts.push(`<h3>${name}</h3><p class="muted">${notInSavedOutputText("chain", "--html", htmlCode)}</p>`);
      continue;
    }
    const last = run.chain[run.chain.length - 1];
    const chain = run.chain;
    const items = chain
      .map((e, i) => {
        const link = chainLinkOf(chain, i);
        const context = chainContextOf(chain, i);
        const aside = context === undefined ? "" : ` <span class="muted">(${escapeHtml(context)})</span>`;
        const cls = [e.seq === last.seq ? "crash" : "", link === "context" ? "context" : ""].filter(Boolean);
        return `<li${cls.length > 0 ? ` class="${cls.join(" ")}"` : ""}><span class="t">${escapeHtml(clock.clockMs(e.t))}</span><span class="mark">${CHAIN_MARKS[link]}</span> ${escapeHtml(chainStepText(e, clock))}${aside} <span class="muted mono">#${e.seq}</span></li>`;
      })
      .join("\n");
    parts.push(`<h3>${name}: ${escapeHtml(String(last.worker ?? "a worker"))} at ${clock.clock(last.t)}</h3>
<ol class="chain">
${items}
</ol>`);
  }
  parts.push(`<p class="note">${chainOrderText(htmlCode)}</p>`);
  return parts.join("\n");
}

function renderSummary(runs: readonly HtmlRun[], clock: RunClock): string {
  const reports = runs.map((r) => r.report);
  const head = `<tr><th></th>${reports.map((r, i) => `<th class="num" style="color:${runColour(i)}">${escapeHtml(runName(r))}</th>`).join("")}</tr>`;
  const verdictHead = `<tr><th>property</th>${reports.map((r, i) => `<th style="color:${runColour(i)}">${escapeHtml(runName(r))}</th>`).join("")}</tr>`;
  const rows = summaryRowsOf(reports)
    .map((row) => {
      const cells = reports
        .map((r) => {
          const good = row.good?.(r);
          const cls = good === undefined ? "" : good ? "good" : "bad";
          return `<td class="num ${cls}">${escapeHtml(row.value(r, clock))}</td>`;
        })
        .join("");
      return `<tr><td>${row.sub ? "&nbsp;&nbsp;&nbsp;" : ""}${escapeHtml(row.label)}</td>${cells}</tr>`;
    })
    .join("\n");
  const properties = reports[0].verdicts
    .map((v) => {
      const cells = reports
        .map((r) => {
          const verdict = r.verdicts.find((x) => x.property === v.property);
          if (!verdict) return `<td class="muted">–</td>`;
          const note = verdict.exercised === false ? " (not exercised)" : "";
          const detail = detailBesideNote(verdict, note !== "");
          const cls = !r.run.judged ? "muted" : verdict.ok ? "good" : "bad";
          return `<td class="${cls}"><span class="mark">${verdictCell(verdict, r)}</span>${escapeHtml(note)}<br><span class="muted">${escapeHtml(detail)}</span></td>`;
        })
        .join("");
      return `<tr><td class="mono">${escapeHtml(v.property)}</td>${cells}</tr>`;
    })
    .join("\n");
  const expectations = runs.some((r) => (r.expectations ?? []).length > 0)
    ? `<h3>Expectations of the scenario</h3>
<table class="expectations"><thead><tr><th>variant</th><th>expectation</th><th>measured</th></tr></thead><tbody>
${runs
  .flatMap((run) =>
    (run.expectations ?? []).map(
      (e) =>
        `<tr><td>${escapeHtml(expectationRunName(run, runName(run.report)))}</td><td class="${e.skipped || !run.report.run.judged ? "" : e.ok ? "good" : "bad"}">${e.skipped ? "○" : e.ok ? "✓" : "✗"} <span class="mono">${escapeHtml(e.name)}</span>${e.skipped || run.report.run.judged ? "" : ` (${NOT_JUDGED})`}</td><td>${escapeHtml(expectationOutcome(e, clock).text)}</td></tr>`,
    ),
  )
  .join("\n")}
</tbody></table>`
    : runs.every((r) => r.expectations === undefined)
      ? `<h3>Expectations of the scenario</h3>
<p class="muted">${notInSavedOutputText("expectations", "--html", htmlCode)}</p>`
      : "";
  return `<table class="summary"><thead>${head}</thead><tbody>
${rows}
</tbody></table>
<h3>Properties</h3>
<table class="verdicts"><thead>${verdictHead}</thead><tbody>
${properties}
</tbody></table>
${expectations}`;
}

/** Where each run after the first parts from the first: one table for two runs, one per run for more. */
function renderDivergence(input: HtmlReportInput, clock: RunClock): string {
  const reports = input.runs.map((r) => r.report);
  const partings = partingsOf(reports, input.divergence, input.divergences, input.stops);
  const stoppedText = (stop: StoppedFirst) =>
    `<p class="muted">${escapeHtml(stoppedFirstText(stop, reports, clock).replace(/^n/, "N"))}.</p>`;
  if (partings.length === 1) {
    const { names, divergence: d, stopped } = partings[0];
    if (stopped !== null) return stoppedText(stopped);
    if (d === null) return `<p class="good">None: the runs behaved identically.</p>`;
    return `<p>The runs see the same world and behave identically up to trace event #${d.index}, where they first part:</p>
${divergenceTable(names, d, clock)}`;
  }
  if (partings.length === 0) return `<p class="good">None: the runs behaved identically.</p>`;
  const first = escapeHtml(partings[0].names[0]);
  const each = partings.map(({ names, divergence: d, stopped }) => {
    const heading = `<h3>${escapeHtml(names[1])}</h3>`;
    if (stopped !== null) return `${heading}\n${stoppedText(stopped)}`;
    if (d === null) return `${heading}\n<p class="good">None: behaves as ${first} does.</p>`;
    return `${heading}
<p>Behaves as ${first} does up to trace event #${d.index}, where they first part:</p>
${divergenceTable(names, d, clock)}`;
  });
  return `<p>The variants see the same world; each is compared with ${first}.</p>\n${each.join("\n")}`;
}

/** The two events where two runs part, a row each with its own run's time; then what differs. */
function divergenceTable(names: readonly [string, string], d: HtmlDivergence, clock: RunClock): string {
  const line = (name: string, e: HtmlDivergence["a"]) =>
    e === null
      ? `<tr><td>${escapeHtml(name)}</td><td></td><td>(trace ended)</td></tr>`
      : `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(partingTime(e.t, clock))}</td><td>${escapeHtml(describeEvent(e))}</td></tr>`;
  const differences = differencesOf(d.a, d.b);
  const differs =
    differences.length === 0
      ? ""
      : `\n<p class="differs">Differs: ${escapeHtml(differencesText(differences))}</p>`;
  return `<table class="divergence"><tbody>
${line(names[0], d.a)}
${line(names[1], d.b)}
</tbody></table>${differs}`;
}

function renderEvents(reports: readonly RunReport[], clock: RunClock): string {
  interface Row {
    t: string;
    type: string;
    worker: string;
    text: string;
    runs: number[];
  }
  const rows: Row[] = [];
  const byKey = new Map<string, Row>();
  reports.forEach((r, i) => {
    for (const e of r.timeline) {
      const key = `${e.t}|${e.type}|${e.text}`;
      const existing = byKey.get(key);
      if (existing && !existing.runs.includes(i)) {
        existing.runs.push(i);
        continue;
      }
      const row = { t: e.t, type: e.type, worker: e.worker ?? "", text: e.text, runs: [i] };
      byKey.set(key, row);
      rows.push(row);
    }
  });
  rows.sort((x, y) => (x.t < y.t ? -1 : x.t > y.t ? 1 : 0));
  const many = reports.length > 1;
  const runCell = (row: Row) =>
    row.runs.length === reports.length ? "all" : row.runs.map((i) => runName(reports[i])).join(", ");
  const select = many
    ? `<select id="event-run" aria-label="variant"><option value="">all variants</option>${reports.map((r, i) => `<option value="${i}">${escapeHtml(runName(r))}</option>`).join("")}</select>`
    : "";
  const body = rows
    .map(
      (row) =>
        `<tr class="type-${escapeHtml(row.type.replace(/[^a-z0-9]+/gi, "-"))}" data-run="${row.runs.join(" ")}"><td class="t">${escapeHtml(clock.clockMs(Date.parse(row.t)))}</td>${many ? `<td>${escapeHtml(runCell(row))}</td>` : ""}<td>${escapeHtml(row.worker)}</td><td class="mono">${escapeHtml(row.type)}</td><td class="text">${escapeHtml(row.text)}</td></tr>`,
    )
    .join("\n");
  return `<div class="searchbar no-print"><input id="event-search" type="search" placeholder="Search key events: a worker, a schedule, crash, alert…" aria-label="search key events">${select}<span id="event-count" class="muted"></span></div>
<table id="event-table"><thead><tr><th>time (UTC)</th>${many ? "<th>variant</th>" : ""}<th>worker</th><th>event</th><th>what happened</th></tr></thead><tbody>
${body}
</tbody></table>`;
}

function renderFooter(input: HtmlReportInput): string {
  const reproduce = input.reproduce ? `<p>Reproduce: <code>${escapeHtml(input.reproduce)}</code></p>` : "";
  return `<footer>
${reproduce}
<p>${escapeHtml(input.generator ?? "aftershock")} · deterministic replay: the same scenario, seed and variant give the same trace hash · charts drawn with uPlot (MIT), inlined.</p>
</footer>`;
}
