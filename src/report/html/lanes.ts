/**
 * The worker lanes of one run as inline SVG (drawn here, not in the browser, so they show and
 * print without scripts): a row per worker coloured by state, a cross at each crash, the moments
 * of the story as dashed lines, and each poison task's path from the worker it killed to the next.
 */
import type { LaneState, WorkerLane } from "../../checks/worker-lanes.js";
import { plural, runClock } from "../../kernel/time.js";
import { escapeHtml } from "./escape.js";
import { MARKER_COLOURS, type Marker, type PoisonPath } from "./model.js";

export const LANE_COLOURS: Record<LaneState, string> = {
  serving: "#40c057",
  starting: "#fcc419",
  backoff: "#ff8787",
  paused: "#74c0fc",
  stopped: "#e9ecef",
};

const STATE_NAMES: Record<LaneState, string> = {
  serving: "serving",
  starting: "starting",
  backoff: "crashed, in back-off",
  paused: "paused",
  stopped: "stopped",
};

const WIDTH = 1000;
const LEFT = 44;
const RIGHT = 76;
/** Characters of a lane's crash label that fit in the right margin at its font size. */
const LABEL_CHARS_FIT = 11;
const ROW = 20;
const BAR = 14;
const AXIS = 16;
const LABEL_ROW = 12;
const CHAR_PX = 5.6;

/** How a moment of the run is written (see `RunClock`). */
type Clock = (t: number) => string;

export interface LanesSvgInput {
  readonly lanes: readonly WorkerLane[];
  readonly startMs: number;
  readonly endMs: number;
  readonly markers: readonly Marker[];
  readonly paths: readonly PoisonPath[];
  /** Accessible name of the figure. */
  readonly title: string;
}

/** Nice tick spacing for a span: about eight ticks on whole minutes or hours. */
export function tickStepMs(spanMs: number): number {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map(
    (s) => s * 1000,
  );
  return steps.find((s) => spanMs / s <= 10) ?? steps[steps.length - 1];
}

/**
 * Greedy label rows: each label goes on the first row where it does not overlap the previous
 * label of that row. Returns the row of each label (in the order given, sorted by x).
 */
export function labelRows(items: readonly { x: number; width: number }[], gap = 6): number[] {
  const ends: number[] = [];
  return items.map((item) => {
    let row = ends.findIndex((end) => item.x >= end + gap);
    if (row < 0) row = ends.length;
    ends[row] = item.x + item.width;
    return row;
  });
}

export function renderLanesSvg(input: LanesSvgInput): string {
  const { lanes, startMs, endMs } = input;
  const span = Math.max(1, endMs - startMs);
  const plot = WIDTH - LEFT - RIGHT;
  const x = (t: number) => LEFT + (Math.min(Math.max(t, startMs), endMs) - startMs) * (plot / span);
  const markers = input.markers.filter((m) => m.t >= startMs && m.t <= endMs);
  const times = runClock(startMs, endMs);
  const clock = times.clock;
  const rows = labelRows(markers.map((m) => ({ x: x(m.t), width: m.label.length * CHAR_PX })));
  const labelsHeight = (rows.length === 0 ? 0 : Math.max(...rows) + 1) * LABEL_ROW;
  const top = labelsHeight + AXIS;
  const laneY = new Map(lanes.map((lane, i) => [lane.worker, top + i * ROW]));
  const height = top + lanes.length * ROW + 4;
  const parts: string[] = [];
  parts.push(
    `<svg class="lanes" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(input.title)}" xmlns="http://www.w3.org/2000/svg">`,
  );
  parts.push(`<title>${escapeHtml(input.title)}</title>`);
  // Axis: ticks on whole steps, gridlines through the lanes.
  const step = tickStepMs(span);
  for (let t = Math.ceil(startMs / step) * step; t <= endMs; t += step) {
    const tx = x(t).toFixed(1);
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${top - 3}" y2="${height - 4}" stroke="#dee2e6" stroke-width="0.6"/>`,
      `<text class="tick" x="${tx}" y="${top - 5}" text-anchor="middle" font-size="9" fill="#495057">${times.minute(t)}</text>`,
    );
  }
  lanes.forEach((lane, i) => {
    parts.push(renderLane(lane, top + i * ROW, x, clock));
  });
  // Markers: a dashed line through every lane, its label in the rows above the axis.
  markers.forEach((m, i) => {
    const mx = x(m.t).toFixed(1);
    const colour = MARKER_COLOURS[m.kind];
    const ly = (rows[i] + 1) * LABEL_ROW - 3;
    parts.push(
      `<g class="marker marker-${m.kind}"><title>${escapeHtml(`${m.label} at ${clock(m.t)}`)}</title>`,
      `<line x1="${mx}" x2="${mx}" y1="${ly + 2}" y2="${height - 4}" stroke="${colour}" stroke-width="1.2" stroke-dasharray="3 2"/>`,
      `<text x="${mx}" y="${ly}" font-size="9.5" fill="${colour}" font-weight="600">${escapeHtml(m.label)}</text></g>`,
    );
  });
  for (const path of input.paths) parts.push(renderPath(path, laneY, x, clock));
  parts.push("</svg>");
  return parts.join("\n");
}

function renderLane(lane: WorkerLane, y: number, x: (t: number) => number, clock: Clock): string {
  const bar = y + (ROW - BAR) / 2;
  const out = [`<g class="lane" data-worker="${escapeHtml(lane.worker)}">`];
  out.push(
    `<text x="${LEFT - 6}" y="${bar + BAR - 3}" text-anchor="end" font-size="11" font-weight="600" fill="#212529">${escapeHtml(lane.worker)}</text>`,
    `<rect x="${LEFT}" y="${bar}" width="${(x(Number.POSITIVE_INFINITY) - LEFT).toFixed(1)}" height="${BAR}" fill="${LANE_COLOURS.stopped}"/>`,
  );
  for (const seg of lane.segments) {
    const x1 = x(seg.from);
    const w = Math.max(0.5, x(seg.to) - x1);
    out.push(
      `<rect class="seg seg-${seg.state}" x="${x1.toFixed(1)}" y="${bar}" width="${w.toFixed(1)}" height="${BAR}" fill="${LANE_COLOURS[seg.state]}"><title>${escapeHtml(`${lane.worker} ${STATE_NAMES[seg.state]} ${clock(seg.from)}–${clock(seg.to)}${seg.merged === undefined ? "" : `: ${seg.merged} changes of state merged, the worst of them shown`}`)}</title></rect>`,
    );
  }
  for (const mark of lane.marks) {
    const cx = x(mark.t);
    const cy = bar + BAR / 2;
    const d = 4;
    const what =
      mark.kind === "panic"
        ? `panic${mark.schedule ? ` in ${mark.schedule}` : ""}`
        : mark.kind === "killed"
          ? "killed"
          : "poison hand-off";
    out.push(
      `<g class="crash"><title>${escapeHtml(`${lane.worker} crashed at ${clock(mark.t)}: ${what} (#${mark.seq})`)}</title>`,
      `<path d="M${(cx - d).toFixed(1)} ${cy - d}L${(cx + d).toFixed(1)} ${cy + d}M${(cx - d).toFixed(1)} ${cy + d}L${(cx + d).toFixed(1)} ${cy - d}" stroke="#fff" stroke-width="3.2"/>`,
      `<path d="M${(cx - d).toFixed(1)} ${cy - d}L${(cx + d).toFixed(1)} ${cy + d}M${(cx - d).toFixed(1)} ${cy + d}L${(cx + d).toFixed(1)} ${cy - d}" stroke="#a61e4d" stroke-width="1.6"/></g>`,
    );
  }
  // Every crash, not only those marked (a long crash loop has more than the marks' cap).
  const crashes = lane.crashes ?? lane.marks.length;
  // Past the segment cap the lane's last stretch shows the worst state it met: said on hover. A
  // report saved before (no `crashes`) dropped those changes instead, and says nothing of it.
  const mergedText =
    lane.truncated > 0 && lane.crashes !== undefined
      ? `${lane.worker}: ${lane.truncated} later changes of state drawn as one stretch of the worst state among them`
      : "";
  // Past the marks' cap a crash is counted, not crossed: said, or the lane's last crashes read as none.
  const uncrossed = crashes - lane.marks.length;
  const uncrossedText =
    uncrossed > 0
      ? `${lane.worker}: ${plural(uncrossed, "later crash", "later crashes")} counted, not drawn as crosses (the lane crosses its first ${lane.marks.length})`
      : "";
  const notes = [mergedText, uncrossedText].filter((t) => t !== "");
  const merged = notes.length === 0 ? "" : `<title>${escapeHtml(notes.join("; "))}</title>`;
  const label = `${crashes > 0 ? plural(crashes, "crash", "crashes") : ""}${mergedText === "" ? "" : "*"}${uncrossedText === "" ? "" : "†"}`;
  // A long count (`10260 crashes*`) is fitted to the margin rather than cut at the figure's edge.
  const fit =
    label.length > LABEL_CHARS_FIT ? ` textLength="${RIGHT - 8}" lengthAdjust="spacingAndGlyphs"` : "";
  if (label !== "")
    out.push(
      `<text x="${WIDTH - RIGHT + 6}" y="${bar + BAR - 3}" font-size="10" fill="#a61e4d"${fit}>${merged}${label}</text>`,
    );
  out.push("</g>");
  return out.join("");
}

function renderPath(
  path: PoisonPath,
  laneY: ReadonlyMap<string, number>,
  x: (t: number) => number,
  clock: Clock,
): string {
  const points = path.stops
    .filter((s) => laneY.has(s.worker))
    .map((s) => ({ px: x(s.t), py: laneY.get(s.worker)! + ROW / 2, s }));
  if (points.length === 0) return "";
  const d = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.px.toFixed(1)} ${p.py}`).join("");
  const route = path.stops.map((s) => `${s.worker} ${clock(s.t)}`).join(" → ");
  const out = [
    `<g class="poison-path" data-schedule="${escapeHtml(path.schedule)}"><title>${escapeHtml(`poison task of ${path.schedule}, worker to worker: ${route}`)}</title>`,
    `<path d="${d}" fill="none" stroke="${path.colour}" stroke-width="1.6" stroke-opacity="0.85" stroke-linejoin="round"/>`,
  ];
  for (const p of points)
    out.push(`<circle cx="${p.px.toFixed(1)}" cy="${p.py}" r="2.2" fill="${path.colour}"/>`);
  out.push("</g>");
  return out.join("");
}

/** The key under the lanes: the states, the crash mark and each poison path's colour. */
export function renderLaneLegend(paths: readonly PoisonPath[], lanes: readonly WorkerLane[] = []): string {
  const swatch = (colour: string, label: string) =>
    `<span class="key"><i style="background:${colour}"></i>${escapeHtml(label)}</span>`;
  const items = [
    swatch(LANE_COLOURS.serving, "serving"),
    swatch(LANE_COLOURS.starting, "starting"),
    swatch(LANE_COLOURS.backoff, "crashed, in back-off"),
    swatch(LANE_COLOURS.paused, "paused"),
    swatch(LANE_COLOURS.stopped, "stopped"),
    `<span class="key"><b class="cross">×</b>crash</span>`,
  ];
  if (lanes.some((l) => l.truncated > 0 && l.crashes !== undefined))
    items.push(
      `<span class="key"><b>*</b>the lane's later changes of state drawn as one stretch of the worst of them</span>`,
    );
  if (lanes.some((l) => (l.crashes ?? 0) > l.marks.length))
    items.push(`<span class="key"><b>†</b>the lane's later crashes counted, not drawn as crosses</span>`);
  const seen = new Set<string>();
  for (const p of paths) {
    if (seen.has(p.schedule)) continue;
    seen.add(p.schedule);
    items.push(
      `<span class="key"><i class="line" style="background:${p.colour}"></i>path of poison task ${escapeHtml(p.schedule)}</span>`,
    );
  }
  return `<p class="legend">${items.join("")}</p>`;
}
