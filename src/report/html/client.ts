/**
 * The script the HTML report runs in the browser: it draws the charts with uPlot from the data
 * embedded in the page (`#aftershock-data`), marks the moments of the story on them, keeps the
 * cursors of all charts in step, resizes them for the screen and for print, and filters the
 * table of key events. Plain ES2017 with no imports: it is inlined as it is, after uPlot.
 *
 * Everything it shows comes from the embedded JSON and is set as text or drawn on a canvas,
 * never parsed as HTML.
 */
export const CLIENT_SCRIPT = `
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("aftershock-data").textContent);
  var charts = [];
  var SYNC = "aftershock";

  function utcDate(ts) { return uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"); }
  function secs(ms) { return ms == null ? null : ms / 1000; }
  function pad(n) { return String(n).padStart(2, "0"); }
  // Times are UTC, as everywhere in aftershock: 24-hour clock, seconds when zoomed in. A run over
  // more than one UTC day writes each with its month and day first (05-09 00:10), as the rest of
  // the report does (see RunClock), so that one time of day on two days never reads the same.
  var DATED = data.window.multiDay === true;
  function clock(ts, seconds) {
    var d = new Date(ts * 1000);
    var day = DATED ? pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " : "";
    return day + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + (seconds ? ":" + pad(d.getUTCSeconds()) : "");
  }
  // The labels it writes, and the times they stand at (ms), are recorded on the chart's container
  // too, for tests and for anyone reading the page.
  function timeTicks(u, splits, axisIdx, space, incr) {
    var labels = splits.map(function (v) { return v == null ? "" : clock(v, incr < 60); });
    u.root.parentNode.setAttribute("data-x-ticks", labels.join("|"));
    u.root.parentNode.setAttribute("data-x-ticks-ms", splits.map(function (v) { return Math.round(v * 1000); }).join("|"));
    xLabelWidth.set(u, labels.reduce(function (w, label) { return Math.max(w, textWidth(label)); }, 0));
    return labels;
  }

  // uPlot centres each time label on its tick and leaves only 25 px right of the plot (half its
  // default y axis): a label wider than 50 px (a dated one, or one with seconds when zoomed in) on
  // a tick at the right edge was cut off by the canvas. The right padding is half the widest label
  // the axis writes, measured in the axis's font, and never less than uPlot's.
  var AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Noto Color Emoji"';
  var PAD_RIGHT_MIN = 25;
  var xLabelWidth = new WeakMap();
  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text) {
    measure.font = AXIS_FONT;
    return measure.measureText(text).width;
  }
  function rightPadding(u) {
    return Math.max(PAD_RIGHT_MIN, Math.ceil((xLabelWidth.get(u) || 0) / 2) + 2);
  }
  function fmtDuration(ms) {
    if (ms == null) return "–";
    if (ms < 1000) return Math.round(ms) + " ms";
    var s = Math.round(ms / 1000);
    if (s < 60) return s + " s";
    if (s % 60 === 0) return s / 60 + "m";
    return Math.floor(s / 60) + "m " + String(s % 60).padStart(2, "0") + "s";
  }
  // Counts are written as plain digits (1153), not in the reader's locale as uPlot writes them by
  // default (1,153 in en-US, 1.153 in de-DE, which an English reader takes for a fraction): one
  // report file reads the same anywhere. The labels a count axis writes are recorded on the chart's
  // container, as the time axis's are.
  function countValue(u, v) { return v == null ? "–" : String(v); }
  function countTicks(u, splits) {
    var labels = splits.map(function (v) { return v == null ? "" : String(v); });
    u.root.parentNode.setAttribute("data-y-ticks", labels.join("|"));
    return labels;
  }
  function lagTicks(u, splits) {
    return splits.map(function (v) {
      if (v == null) return "";
      if (v < 60 || v % 60 !== 0) return v + "s";
      return v / 60 + "m";
    });
  }

  // Dashed lines and staggered labels for the deletion, first panic, alert, deploy, recovery.
  function markersPlugin(markers, slo) {
    return {
      hooks: {
        draw: function (u) {
          var ctx = u.ctx, px = uPlot.pxRatio, top = u.bbox.top, bottom = top + u.bbox.height;
          ctx.save();
          if (slo) {
            var y = u.valToPos(slo.value, "y", true);
            if (y >= top && y <= bottom) {
              ctx.strokeStyle = "#343a40"; ctx.lineWidth = 1.2 * px; ctx.setLineDash([6 * px, 4 * px]);
              ctx.beginPath(); ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke();
              ctx.setLineDash([]);
              ctx.font = (10 * px) + "px system-ui, sans-serif"; ctx.fillStyle = "#343a40"; ctx.textAlign = "right";
              ctx.fillText(slo.label, u.bbox.left + u.bbox.width - 4 * px, y - 4 * px);
              ctx.textAlign = "left";
            }
          }
          ctx.font = "600 " + (10 * px) + "px system-ui, sans-serif";
          ctx.textAlign = "left";
          ctx.textBaseline = "alphabetic";
          var ends = [];
          markers.forEach(function (m) {
            var x = u.valToPos(m.t / 1000, "x", true);
            if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
            ctx.strokeStyle = m.colour; ctx.lineWidth = 1.2 * px; ctx.setLineDash([4 * px, 3 * px]);
            ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
            ctx.setLineDash([]);
            var w = ctx.measureText(m.label).width, row = 0;
            while (ends[row] !== undefined && x < ends[row] + 6 * px) row++;
            ends[row] = x + w + 4 * px;
            var ly = top + (row + 1) * 12 * px;
            ctx.fillStyle = "rgba(255,255,255,0.85)";
            ctx.fillRect(x + 2 * px, ly - 10 * px, w + 2 * px, 12 * px);
            ctx.fillStyle = m.colour;
            ctx.fillText(m.label, x + 3 * px, ly);
          });
          ctx.restore();
        }
      }
    };
  }

  function width(el) { return Math.max(320, Math.floor(el.clientWidth || 800)); }

  // The whole run, in uPlot's seconds: what every chart shows first and after a double-click.
  // It is set with setScale rather than as a fixed scale range, which would also override the
  // range a drag asks for and so make zooming do nothing.
  var WHOLE = { min: data.window.startMs / 1000, max: data.window.endMs / 1000 };
  function showWhole() {
    charts.forEach(function (c) { c.chart.setScale("x", { min: WHOLE.min, max: WHOLE.max }); });
  }
  // Each chart says which window it shows (ms since the epoch), for tests and for anyone reading the page.
  function recordWindow(u, key) {
    if (key !== "x" || u.scales.x.min == null) return;
    u.root.parentNode.setAttribute("data-x-min-ms", String(Math.round(u.scales.x.min * 1000)));
    u.root.parentNode.setAttribute("data-x-max-ms", String(Math.round(u.scales.x.max * 1000)));
  }

  function baseOptions(el, height) {
    return {
      width: width(el), height: height, tzDate: utcDate,
      cursor: {
        sync: { key: SYNC },
        drag: { x: true, y: false },
        // uPlot's double-click fits the x axis to the samples; reset every chart to the whole run instead.
        bind: { dblclick: function () { return function (e) { if (e.button === 0) showWhole(); return null; }; } }
      },
      scales: { x: { time: true } },
      padding: [null, rightPadding, null, null],
      hooks: { setScale: [recordWindow] },
      legend: { live: true }
    };
  }

  // Dated labels are twice as wide: ask for twice uPlot's default room between ticks (50 px).
  function xAxis() { return { values: timeTicks, font: AXIS_FONT, space: DATED ? 100 : 50 }; }
  function xSeries() { return { label: "time (UTC)", value: function (u, v) { return v == null ? "–" : clock(v, true); } }; }

  function workersChart(run, el) {
    var s = run.series, n = s.t.length, x = [], total = [], looping = [], up = [], other = [];
    for (var i = 0; i < n; i++) {
      x.push(s.t[i] / 1000);
      up.push(s.workersUp[i]);
      looping.push(s.workersUp[i] + s.workersCrashLooping[i]);
      total.push(Math.max(s.fleet[i], s.workersUp[i] + s.workersCrashLooping[i]));
      other.push(Math.max(0, s.fleet[i] - s.workersUp[i] - s.workersCrashLooping[i]));
    }
    var step = uPlot.paths.stepped({ align: 1 });
    var raw = [null, other, s.workersCrashLooping, s.workersUp];
    function rawValue(u, v, si, i) { return i == null || raw[si][i] == null ? "–" : raw[si][i]; }
    var fleetMax = Math.max.apply(null, total.concat([1]));
    var o = baseOptions(el, 170);
    o.title = run.label + ": workers";
    o.scales.y = { range: [0, fleetMax] };
    o.axes = [xAxis(), { label: "workers", size: 44, values: countTicks, incrs: [1, 2, 5, 10, 20, 50, 100] }];
    o.series = [
      xSeries(),
      { label: "down (starting, stopped)", stroke: "#adb5bd", fill: "#dee2e6", paths: step, value: rawValue, points: { show: false } },
      { label: "crash-looping", stroke: "#e03131", fill: "#ffa8a8", paths: step, value: rawValue, points: { show: false } },
      { label: "serving", stroke: "#2f9e44", fill: "#8ce99a", paths: step, value: rawValue, points: { show: false } }
    ];
    o.plugins = [markersPlugin(run.markers, null)];
    return new uPlot(o, [x, total, looping, up], el);
  }

  function lagValue(u, v) { return v == null ? "–" : fmtDuration(v * 1000); }

  function lagChart(runs, el) {
    var tables = [], series = [xSeries()], sloMs = 0;
    runs.forEach(function (run) {
      var s = run.series;
      tables.push([s.t.map(function (t) { return t / 1000; }), s.lagP99Ms.map(secs), s.lagP50Ms.map(secs)]);
      sloMs = Math.max(sloMs, run.sloMs);
      series.push(
        { label: run.name + " p99", stroke: run.colour, width: 2.2, spanGaps: true, value: lagValue, points: { show: false } },
        { label: run.name + " p50", stroke: run.colour, width: 1.2, dash: [5, 4], spanGaps: true, value: lagValue, points: { show: false } }
      );
    });
    var o = baseOptions(el, 260);
    o.title = "Delivery lag (p50, p99) against the SLO";
    o.scales.y = { range: function (u, min, max) { return [0, Math.max(max || 0, (sloMs / 1000) * 1.25, 1)]; } };
    o.axes = [xAxis(), { label: "lag", size: 52, values: lagTicks, incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200] }];
    o.series = series;
    o.plugins = [markersPlugin(data.markers, { value: sloMs / 1000, label: "SLO " + fmtDuration(sloMs) })];
    return new uPlot(o, uPlot.join(tables), el);
  }

  function backlogChart(runs, el) {
    var tables = [], series = [xSeries()], step = uPlot.paths.stepped({ align: 1 });
    runs.forEach(function (run) {
      var s = run.series;
      tables.push([s.t.map(function (t) { return t / 1000; }), s.dueBacklog]);
      series.push({ label: run.name + " due backlog", stroke: run.colour, width: 1.4, paths: step, spanGaps: true, value: countValue, points: { show: false } });
    });
    var o = baseOptions(el, 170);
    o.title = "Due backlog (schedules with a fire due, not yet committed)";
    o.scales.y = { range: function (u, min, max) { return [0, Math.max(max || 0, 10)]; } };
    o.axes = [xAxis(), { label: "dues", size: 52, values: countTicks }];
    o.series = series;
    o.plugins = [markersPlugin(data.markers, null)];
    return new uPlot(o, uPlot.join(tables), el);
  }

  function draw() {
    var withSeries = data.runs.filter(function (r) { return r.series && r.series.t.length > 0; });
    data.runs.forEach(function (run, i) {
      var el = document.getElementById("workers-chart-" + i);
      if (!el) return;
      if (!run.series || run.series.t.length === 0) { el.textContent = "No samples in this run."; return; }
      charts.push({ el: el, chart: workersChart(run, el) });
    });
    [["lag-chart", lagChart], ["backlog-chart", backlogChart]].forEach(function (spec) {
      var el = document.getElementById(spec[0]);
      if (!el) return;
      if (withSeries.length === 0) el.textContent = "No samples in this run.";
      else charts.push({ el: el, chart: spec[1](withSeries, el) });
    });
    showWhole();
  }

  function resize(forcedWidth) {
    charts.forEach(function (c) {
      c.chart.setSize({ width: forcedWidth || width(c.el), height: c.chart.height });
    });
  }

  function searchTable() {
    var input = document.getElementById("event-search");
    var select = document.getElementById("event-run");
    var counter = document.getElementById("event-count");
    var rows = Array.prototype.slice.call(document.querySelectorAll("#event-table tbody tr"));
    if (!input) return;
    function apply() {
      var q = input.value.trim().toLowerCase(), run = select ? select.value : "", shown = 0;
      rows.forEach(function (row) {
        var ok = (q === "" || row.textContent.toLowerCase().indexOf(q) >= 0) && (run === "" || (" " + row.getAttribute("data-run") + " ").indexOf(" " + run + " ") >= 0);
        row.hidden = !ok;
        if (ok) shown++;
      });
      counter.textContent = shown + " of " + rows.length + " events";
    }
    input.addEventListener("input", apply);
    if (select) select.addEventListener("change", apply);
    apply();
  }

  if (typeof uPlot === "undefined") {
    Array.prototype.forEach.call(document.querySelectorAll(".chart"), function (el) { el.textContent = "The charting library did not load."; });
  } else {
    draw();
    var pending = 0;
    window.addEventListener("resize", function () {
      cancelAnimationFrame(pending);
      pending = requestAnimationFrame(function () { resize(); });
    });
    // Print at the page's width (about 18 cm), then return to the screen's.
    window.addEventListener("beforeprint", function () { resize(680); });
    window.addEventListener("afterprint", function () { resize(); });
  }
  searchTable();
  document.documentElement.setAttribute("data-ready", "true");
})();
`;
