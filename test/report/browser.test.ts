// Shows the May 8 compare report opens in headless Chromium with no errors and no network, draws its charts and lanes, prints, shows markup as text, dates chart times only in a run over more than one day, keeps the time labels within the charts, and writes its counts as plain numbers in an American reader's locale (a German and a Turkish reader's alike in browser.long.test.ts).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWorld } from "../../src/explore/run.js";
import { runScenario } from "../../src/index.js";
import { renderHtmlReport } from "../../src/report/html.js";
import type { RunReport } from "../../src/report/run-report.js";
import { smallWorldConfig } from "../world/helpers.js";
import {
  backlogOf,
  CHROMIUM,
  expectPlainBacklog,
  HAVE_CHROMIUM,
  type Opened,
  open,
  openMay8Compare,
} from "./chromium.js";

if (!HAVE_CHROMIUM)
  console.warn(
    `browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set AFTERSHOCK_CHROMIUM)`,
  );

/** The part of a DOM node the page checks read. */
interface PageNode {
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): ArrayLike<PageNode>;
  readonly textContent: string | null;
  readonly width?: number;
}

/** A run from 09:00 to 11:00 the next day: its times carry their date. */
const TWO_DAYS = join(import.meta.dirname, "fixtures", "two-days.yaml");

/** The HTML report of one run, with uPlot inlined as the CLI does. */
function htmlOf(report: RunReport): string {
  const require = createRequire(import.meta.url);
  const js = require.resolve("uplot/dist/uPlot.iife.min.js");
  return renderHtmlReport({
    runs: [{ report }],
    assets: {
      chartJs: readFileSync(js, "utf8"),
      chartCss: readFileSync(join(dirname(js), "uPlot.min.css"), "utf8"),
    },
  });
}

/** The x-axis labels of every chart, and the time the first chart's legend shows at 70% across it. */
async function chartTimes(page: Page): Promise<{ ticks: string[][]; cursor: string }> {
  const ticks = await page.$$eval(".chart[data-x-ticks]", (els) =>
    els.map((e) => (e.getAttribute("data-x-ticks") ?? "").split("|")),
  );
  const over = page.locator(".uplot .u-over").first();
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  if (box === null) throw new Error("the first chart has no plot area");
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2);
  const cursor = await page.locator(".uplot .u-legend .u-series .u-value").first().textContent();
  return { ticks, cursor: cursor ?? "" };
}

/** uPlot's axis font, which the report's time axis writes its labels in. */
const AXIS_FONT =
  '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif, "Apple Color Emoji", "Segoe UI Emoji", "Segoe UI Symbol", "Noto Color Emoji"';

/** Where each time label of each chart lies (CSS px), against its canvas, and whether a tick ends the window. */
interface TickExtents {
  canvas: { left: number; right: number };
  labels: { text: string; left: number; right: number }[];
  lastAtEnd: boolean;
}

/**
 * Each chart's time labels placed as uPlot places them, centred on their tick in the plot area
 * (`.u-over`), from the ticks and window the page records, and measured in the axis's font.
 */
async function tickExtents(page: Page): Promise<TickExtents[]> {
  return page.evaluate((font) => {
    // Runs in the page (the project's TypeScript has no DOM types: this is the little it uses).
    interface Rect {
      left: number;
      right: number;
      width: number;
    }
    interface El {
      getAttribute(name: string): string | null;
      querySelector(selector: string): (El & { getBoundingClientRect(): Rect }) | null;
    }
    const doc = (
      globalThis as unknown as {
        document: {
          querySelectorAll(selector: string): ArrayLike<El>;
          createElement(tag: "canvas"): {
            getContext(kind: "2d"): { font: string; measureText(text: string): { width: number } };
          };
        };
      }
    ).document;
    const ctx = doc.createElement("canvas").getContext("2d");
    ctx.font = font;
    return Array.from(doc.querySelectorAll(".chart[data-x-ticks-ms]")).map((chart) => {
      const texts = (chart.getAttribute("data-x-ticks") ?? "").split("|");
      const times = (chart.getAttribute("data-x-ticks-ms") ?? "").split("|").map(Number);
      const min = Number(chart.getAttribute("data-x-min-ms"));
      const max = Number(chart.getAttribute("data-x-max-ms"));
      const over = chart.querySelector(".u-over")!.getBoundingClientRect();
      const canvas = chart.querySelector("canvas")!.getBoundingClientRect();
      const labels = texts.map((text, i) => {
        const x = over.left + ((times[i] - min) / (max - min)) * over.width;
        const half = ctx.measureText(text).width / 2;
        return { text, left: x - half, right: x + half };
      });
      return {
        canvas: { left: canvas.left, right: canvas.right },
        labels,
        lastAtEnd: times[times.length - 1] === max,
      };
    });
  }, AXIS_FONT);
}

/** Labels that stick out of their chart's canvas (where the canvas cuts them off). */
function cutLabels(charts: readonly TickExtents[]): string[] {
  return charts.flatMap((c) =>
    c.labels
      .filter((l) => l.left < c.canvas.left || l.right > c.canvas.right)
      .map(
        (l) =>
          `${l.text} at ${l.left.toFixed(1)}..${l.right.toFixed(1)}, canvas ${c.canvas.left}..${c.canvas.right}`,
      ),
  );
}

describe.skipIf(!HAVE_CHROMIUM)(
  HAVE_CHROMIUM ? "the HTML report in Chromium" : `browser test skipped: no Chromium at ${CHROMIUM}`,
  () => {
    let dir: string;
    let browser: Browser;
    let may8: Opened;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "aftershock-browser-"));
      ({ browser, may8 } = await openMay8Compare(dir));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      // AFTERSHOCK_KEEP_REPORT=1 keeps the page and its screenshot to look at.
      if (process.env.AFTERSHOCK_KEEP_REPORT) console.info(`May 8 report and screenshot kept in ${dir}`);
      else if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("opens with no console errors and no network request", () => {
      expect(may8.errors).toEqual([]);
      expect(may8.requests).toEqual([]);
      expect(may8.dialogs).toEqual([]);
    });

    it("draws the charts and a lane per worker for each variant", async () => {
      const dom = await may8.page.evaluate(() => {
        // Runs in the page (the project's TypeScript has no DOM types: this is the little it uses).
        const doc = (globalThis as unknown as { document: PageNode & { title: string } }).document;
        const all = (node: PageNode, selector: string) => Array.from(node.querySelectorAll(selector));
        return {
          charts: all(doc, ".uplot").map((u) => ({
            title: u.querySelector(".u-title")?.textContent ?? "",
            width: u.querySelector("canvas")?.width ?? 0,
          })),
          lanes: all(doc, "svg.lanes").map((s) => all(s, "g.lane").length),
          crashes: all(doc, "svg.lanes g.crash").length,
          paths: all(doc, "svg.lanes g.poison-path").length,
          chain: all(doc, "ol.chain li").length,
          title: doc.title,
        };
      });
      expect(dom.title).toBe("aftershock · qstash-2026-05-08 · buggy vs fixed");
      expect(dom.charts.map((c) => c.title)).toEqual([
        "buggy (v2, no fixes): workers",
        "fixed (v2, early-return + panic-recovery): workers",
        "Delivery lag (p50, p99) against the SLO",
        "Due backlog (schedules with a fire due, not yet committed)",
      ]);
      for (const c of dom.charts) expect(c.width).toBeGreaterThan(600);
      expect(dom.lanes).toEqual([8, 8]);
      expect(dom.crashes).toBeGreaterThan(8);
      expect(dom.paths).toBeGreaterThan(0);
      expect(dom.chain).toBeGreaterThanOrEqual(3);
    });

    it("filters the key events as one types", async () => {
      const { page } = may8;
      const total = await page.locator("#event-table tbody tr").count();
      await page.fill("#event-search", "alert");
      const shown = page.locator("#event-table tbody tr:not([hidden])");
      const n = await shown.count();
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(total);
      for (const text of await shown.allTextContents()) expect(text.toLowerCase()).toContain("alert");
      await expect(page.textContent("#event-count")).resolves.toBe(`${n} of ${total} events`);
      await page.fill("#event-search", "");
    });

    it("zooms every chart on a drag and shows the whole run again on a double-click", async () => {
      const { page } = may8;
      // The window each chart shows, as the page records it on its container.
      const windows = () =>
        page.$$eval(".chart[data-x-min-ms]", (els) =>
          els.map((e) => [Number(e.getAttribute("data-x-min-ms")), Number(e.getAttribute("data-x-max-ms"))]),
        );
      const run = await page.evaluate(() => {
        const doc = (globalThis as unknown as { document: PageNode }).document;
        const data = JSON.parse(doc.querySelector("#aftershock-data")?.textContent ?? "{}");
        return [data.window.startMs, data.window.endMs] as [number, number];
      });
      expect(run).toEqual([Date.parse("2026-05-08T09:30:00Z"), Date.parse("2026-05-08T10:20:00Z")]);
      const whole = Array.from({ length: 4 }, () => run);
      await expect(windows()).resolves.toEqual(whole);

      const over = page.locator(".uplot .u-over").first();
      await over.scrollIntoViewIfNeeded();
      const box = await over.boundingBox();
      if (box === null) throw new Error("the first chart has no plot area");
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width * 0.3, y);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (0.3 + i * 0.03), y);
      await page.mouse.up();
      const zoomed = await windows();
      expect(zoomed).toHaveLength(4);
      // The synced charts zoom together, to about the 30%..60% of the run that was dragged across.
      for (const w of zoomed) expect(w).toEqual(zoomed[0]);
      const [from, to] = zoomed[0] as [number, number];
      const span = run[1] - run[0];
      expect(from).toBeGreaterThan(run[0] + span * 0.25);
      expect(to).toBeLessThan(run[0] + span * 0.65);
      expect(to - from).toBeGreaterThan(span * 0.2);

      await page.mouse.dblclick(box.x + box.width / 2, y);
      await expect(windows()).resolves.toEqual(whole);
      expect(may8.errors).toEqual([]);
    });

    it("is screenshotted, and prints without the search bar", async () => {
      const { page } = may8;
      const shot = join(dir, "may8.png");
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(50_000);
      await page.emulateMedia({ media: "print" });
      expect(await page.isVisible(".searchbar")).toBe(false);
      const pdf = await page.pdf({ format: "A4" });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      await page.emulateMedia({ media: "screen" });
      expect(may8.errors).toEqual([]);
    });

    it("fits a phone's width: a wide table scrolls on its own, the page does not", async () => {
      const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
      await page.goto(pathToFileURL(join(dir, "may8.html")).href);
      await page.waitForSelector("html[data-ready=true]", { timeout: 20_000 });
      const widths = await page.evaluate(() => {
        // Runs in the page (the project's TypeScript has no DOM types: this is the little it uses).
        const g = globalThis as unknown as {
          document: { documentElement: { scrollWidth: number } };
          innerWidth: number;
        };
        return { page: g.document.documentElement.scrollWidth, view: g.innerWidth };
      });
      expect(widths.page).toBeLessThanOrEqual(widths.view);
      await page.close();
    });

    it("shows a scenario named <script>alert(1)</script> as text", async () => {
      const { report } = runWorld({ config: smallWorldConfig({ durationMs: 6 * 60_000 }) });
      const hostile = "<script>alert(1)</script>";
      const html = htmlOf({ ...report, scenario: hostile, assumptions: ["<img src=x onerror=alert(2)>"] });
      const file = join(dir, "xss.html");
      writeFileSync(file, html);
      const xss = await open(browser, file);
      expect(await xss.page.textContent("h1")).toBe(`aftershock · ${hostile}`);
      expect(await xss.page.textContent(".facts .assumed li")).toBe("<img src=x onerror=alert(2)>");
      expect(await xss.page.locator("main img, main script").count()).toBe(0);
      expect(xss.dialogs).toEqual([]);
      expect(xss.errors).toEqual([]);
      expect(xss.requests).toEqual([]);
    });

    it("writes the charts' times as times of day in a run within one day", async () => {
      const { ticks, cursor } = await chartTimes(may8.page);
      expect(ticks).toHaveLength(4);
      for (const labels of ticks) for (const label of labels) expect(label).toMatch(/^\d\d:\d\d$/);
      expect(ticks[0]).toContain("10:00");
      expect(cursor).toMatch(/^\d\d:\d\d:\d\d$/);
    });

    /**
     * The two-day run an hour longer, 27 hours from 09:00, its report opened once for the tests
     * that read its charts: its last tick (05-09 12:00, a dated label twice as wide) ends the window.
     */
    let twoDaysOpened: Promise<Opened> | undefined;
    const openTwoDays = () => {
      twoDaysOpened ??= (async () => {
        const yaml = readFileSync(TWO_DAYS, "utf8").replace("duration: 26h", "duration: 27h");
        const { report } = runScenario(yaml, { variant: "fixed" });
        const file = join(dir, "two-days.html");
        writeFileSync(file, htmlOf(report));
        return open(browser, file);
      })();
      return twoDaysOpened;
    };

    it("dates the charts' axis and cursor times in a run over more than one day", async () => {
      const twoDays = await openTwoDays();
      const { ticks, cursor } = await chartTimes(twoDays.page);
      expect(ticks).toHaveLength(3);
      for (const labels of ticks) {
        for (const label of labels) expect(label).toMatch(/^05-0[89] \d\d:00$/);
        expect(labels.some((label) => label.startsWith("05-08 "))).toBe(true);
        expect(labels).toContain("05-09 00:00");
      }
      // 70% of the 27 hours from 09:00 is 03:54 the next day.
      expect(cursor).toMatch(/^05-09 03:\d\d:\d\d$/);
      expect(twoDays.errors).toEqual([]);
    });

    it("keeps every time label within its chart, the one on the right edge included", async () => {
      const may8Ticks = await tickExtents(may8.page);
      expect(may8Ticks).toHaveLength(4);
      expect(cutLabels(may8Ticks)).toEqual([]);
      const edge = await openTwoDays();
      const charts = await tickExtents(edge.page);
      expect(charts).toHaveLength(3);
      for (const c of charts) {
        expect(c.lastAtEnd).toBe(true);
        expect(c.labels.at(-1)?.text).toBe("05-09 12:00");
      }
      expect(cutLabels(charts)).toEqual([]);
      expect(edge.errors).toEqual([]);
    });

    it("writes the due backlog as plain numbers in an American browser, where uPlot's own format would write 1,153", async () => {
      // uPlot formats a count with the reader's locale unless told otherwise: 1,153 in en-US, 1.153
      // (one point one five three, to an English reader) in de-DE. The report is one file read
      // anywhere: in en-US, the page the tests above read, its counts are plain; a German and a
      // Turkish reader's read the same (browser.long.test.ts).
      expectPlainBacklog(await backlogOf(may8));
    });
  },
);
