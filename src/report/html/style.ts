/** The report's stylesheet: readable on screen, and on paper (print rules at the end). */
export const REPORT_CSS = `
:root { --ink: #212529; --muted: #6c757d; --line: #dee2e6; --ok: #2b8a3e; --bad: #c92a2a; --warn: #e67700; --bg: #f8f9fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 16px 0 6px; }
p { margin: 6px 0; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.muted { color: var(--muted); }
.meta { color: var(--muted); margin-bottom: 10px; }
.badges { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
.badge { border-radius: 6px; padding: 6px 10px; border: 1px solid var(--line); background: var(--bg); }
.badge .dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px; vertical-align: -1px; }
.badge.bad { border-color: #ffc9c9; background: #fff5f5; }
.badge.good { border-color: #b2f2bb; background: #ebfbee; }
.story { font-size: 15px; margin: 8px 0 4px; }
.story li { margin: 3px 0; }
.facts { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; margin: 14px 0; }
.facts section { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--bg); }
.facts section.assumed { border-color: #ffe066; background: #fff9db; }
.facts h3 { margin-top: 0; }
.facts ul { margin: 0; padding-left: 18px; }
.facts li { margin: 3px 0; font-size: 13px; }
.chart { width: 100%; min-height: 120px; margin: 6px 0 14px; }
.uplot .u-title { font-size: 13px; font-weight: 600; text-align: left; padding-left: 50px; }
.uplot .u-legend { font-size: 12px; }
svg.lanes { display: block; max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
svg.lanes .poison-path:hover path { stroke-width: 3; stroke-opacity: 1; }
.legend { font-size: 12px; color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 4px 0 16px; }
.legend .key i { display: inline-block; width: 14px; height: 10px; margin-right: 5px; vertical-align: -1px; border: 1px solid rgba(0,0,0,0.1); }
.legend .key i.line { height: 3px; vertical-align: 3px; border: 0; }
.legend .cross { color: #a61e4d; margin-right: 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.summary { width: auto; min-width: 60%; }
table.summary td.num { padding-left: 28px; }
table.verdicts td.bad { font-weight: normal; }
table.verdicts td .mark { font-weight: 600; }
td.good, span.good, p.good { color: var(--ok); }
span.bad, p.bad { color: var(--bad); font-weight: 600; }
td.bad { color: var(--bad); font-weight: 600; }
.summary td:first-child { white-space: nowrap; }
ol.chain { padding-left: 22px; }
ol.chain li { margin: 4px 0; }
ol.chain .t { color: var(--muted); font-family: ui-monospace, monospace; font-size: 12px; margin-right: 6px; }
ol.chain .crash { color: var(--bad); font-weight: 600; }
ol.chain .mark { display: inline-block; width: 1em; color: var(--muted); }
ol.chain .context { font-style: italic; }
.searchbar { display: flex; gap: 10px; align-items: center; margin: 6px 0; }
.searchbar input { flex: 1; padding: 6px 8px; font: inherit; border: 1px solid #ced4da; border-radius: 6px; }
.searchbar select { padding: 5px; font: inherit; }
#event-table td.t { white-space: nowrap; font-family: ui-monospace, monospace; font-size: 12px; }
#event-table tr.type-worker-crashed td.text { color: var(--bad); }
#event-table tr.type-alert-fired td.text { color: var(--warn); font-weight: 600; }
#event-table tr.type-recovered td.text, #event-table tr.type-deploy-finished td.text { color: var(--ok); font-weight: 600; }
#event-table tr.type-account-deleted td.text { color: #862e9c; font-weight: 600; }
.note { font-size: 12px; color: var(--muted); }
footer { margin-top: 32px; font-size: 12px; color: var(--muted); }
@media (max-width: 760px) {
  .facts { grid-template-columns: 1fr; }
  main { padding: 14px 12px 36px; }
  /* A table wider than a phone scrolls on its own, rather than widening the page. */
  table { display: block; overflow-x: auto; }
  table.summary { min-width: 0; }
}
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .searchbar, .no-print { display: none !important; }
  #event-table tr[hidden] { display: table-row !important; }
  h2 { break-after: avoid; }
  .chart, svg.lanes, .facts section, table.summary, ol.chain { break-inside: avoid; }
  .uplot .u-legend { display: none; }
  .badge, .facts section { background: none !important; }
  a { color: inherit; text-decoration: none; }
}
`;
