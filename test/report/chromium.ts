// Opens the HTML reports in headless Chromium (playwright-core), recording the page's errors, dialogs and network requests.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import type { CliContext } from "../../src/cli/context.js";
import { main } from "../../src/cli/main.js";
import { plainPaint } from "../../src/report/paint.js";

export const CHROMIUM = process.env.AFTERSHOCK_CHROMIUM ?? "/usr/bin/chromium";
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
const MAY8 = join(import.meta.dirname, "..", "..", "scenarios", "qstash-2026-05-08.yaml");
const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Opened {
  page: Page;
  errors: string[];
  requests: string[];
  dialogs: string[];
}

/** `file` opened in a new page of `browser`, in `locale`, once the report says it is ready. */
export async function open(browser: Browser, file: string, locale?: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale });
  const opened: Opened = { page, errors: [], requests: [], dialogs: [] };
  page.on("console", (m) => {
    if (m.type() === "error") opened.errors.push(m.text());
  });
  page.on("pageerror", (e) => opened.errors.push(e.message));
  page.on("dialog", (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  // Anything but the page itself would be a network request: record it and refuse it.
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url !== pathToFileURL(file).href) opened.requests.push(url);
    return url === pathToFileURL(file).href ? route.continue() : route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("html[data-ready=true]", { timeout: 20_000 });
  return opened;
}

/**
 * `compare` of the May 8 scenario written to `dir/may8.html`, Chromium started, and the page
 * opened in en-US.
 */
export async function openMay8Compare(dir: string): Promise<{ browser: Browser; may8: Opened }> {
  const file = join(dir, "may8.html");
  let err = "";
  const ctx: CliContext = {
    out: () => {},
    err: (t) => {
      err += t;
    },
    paint: plainPaint,
    paintErr: plainPaint,
    env: {},
    errIsTty: false,
    now: () => performance.now(),
  };
  const [code, { chromium }] = await Promise.all([
    main(["compare", MAY8, "--html", file], ctx),
    import("playwright-core"),
  ]);
  expect(code, err).toBe(0);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  return { browser, may8: await open(browser, file, "en-US") };
}

/** The due backlog chart's legend values with the cursor at 24 places across it, and its y-axis ticks. */
export async function backlogOf(opened: Opened): Promise<{ values: string[]; yTicks: string }> {
  const chart = opened.page.locator(".uplot").nth(3);
  const over = chart.locator(".u-over");
  await over.scrollIntoViewIfNeeded();
  const box = await over.boundingBox();
  if (box === null) throw new Error("the backlog chart has no plot area");
  const values: string[] = [];
  for (let i = 1; i < 25; i++) {
    await opened.page.mouse.move(box.x + (box.width * i) / 25, box.y + box.height / 2);
    values.push(...(await chart.locator(".u-legend .u-value").allTextContents()).slice(1));
  }
  const yTicks = (await chart.locator("xpath=..").getAttribute("data-y-ticks")) ?? "";
  return { values, yTicks };
}

/** The due backlog `backlogOf` read: its values and y-axis ticks plain whole numbers, one of them past 1,000. */
export function expectPlainBacklog(backlog: { values: string[]; yTicks: string }): void {
  for (const v of backlog.values) expect(v).toMatch(/^\d+$/);
  expect(backlog.values.some((v) => Number(v) >= 1000)).toBe(true);
  expect(backlog.yTicks).toMatch(/^\d+(\|\d+)+$/);
}

/**
 * The May 8 report opened anew in `locale`: its due backlog reads as in `american` (the en-US
 * page's, `backlogOf`), plain numbers.
 */
export async function expectBacklogAsAmerican(
  browser: Browser,
  file: string,
  american: { values: string[]; yTicks: string },
  locale: string,
): Promise<void> {
  const other = await open(browser, file, locale);
  expect(await backlogOf(other)).toEqual(american);
  await other.page.close();
  expectPlainBacklog(american);
}
