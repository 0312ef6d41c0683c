// Shows the May 8 compare report writes the due backlog as the same plain numbers in a German and a Turkish browser as in an American one, whose plain numbers browser.test.ts shows.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, it } from "vitest";
import {
  backlogOf,
  CHROMIUM,
  expectBacklogAsAmerican,
  HAVE_CHROMIUM,
  type Opened,
  openMay8Compare,
} from "./chromium.js";

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

    it("writes the due backlog as the same plain numbers in a German browser as in an American one", async () => {
      await expectBacklogAsAmerican(browser, join(dir, "may8.html"), await backlogOf(may8), "de-DE");
    });

    it("writes the due backlog as the same plain numbers in a Turkish browser as in an American one", async () => {
      await expectBacklogAsAmerican(browser, join(dir, "may8.html"), await backlogOf(may8), "tr-TR");
    });
  },
);
