// Shows the May 8 compare report writes the due backlog as the same plain numbers in a Turkish browser as in an American one, as browser.test.ts shows for a German one.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backlogOf, CHROMIUM, HAVE_CHROMIUM, type Opened, open, openMay8Compare } from "./chromium.js";

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
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("writes the due backlog as the same plain numbers in a Turkish browser as in an American one", async () => {
      const american = await backlogOf(may8);
      const turkish = await open(browser, join(dir, "may8.html"), "tr-TR");
      expect(await backlogOf(turkish)).toEqual(american);
      await turkish.page.close();
      for (const v of american.values) expect(v).toMatch(/^\d+$/);
      expect(american.values.some((v) => Number(v) >= 1000)).toBe(true);
      expect(american.yTicks).toMatch(/^\d+(\|\d+)+$/);
    });
  },
);
