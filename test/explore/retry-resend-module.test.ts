// Shows retry-after-backoff catching a scheduler module that, when a send fails, asks QStash's retry for it and at once, in the same task, sends the same fire again under a new message id (the traffic to a failing destination doubled at once, which passed every property while the checks followed messages by id alone), explore finding it over generated worlds.
import { describe, expect, it } from "vitest";
import type { ExploreReport } from "../../src/explore/explore-report.js";
import { cli, tmp } from "./cli-helpers.js";
import { plantedModule } from "./planted-module.js";

const dir = tmp();
/** A failed first send: its retry asked as QStash would, and the fire posted again at once under `<id>/again`. */
const resend = plantedModule(dir, "resend.mjs", (text) =>
  text.replace(
    "  if (response.ok) return;\n",
    [
      "  if (response.ok) return;",
      '  if (attempt === 0 && !message.id.endsWith("/again")) {',
      "    if (message.retries >= 1) tx.retryLater(message, 1, rt.now() + Math.round(Math.exp(2.5) * 1000));",
      "    else tx.deadLetter(message, 1);",
      "    yield* deliver(rt, tx, { ...message, id: message.id + '/again' }, 0);",
      "    return;",
      "  }",
      "",
    ].join("\n"),
  ),
);

describe("retry-after-backoff against a module that sends a failed fire again under a new message id", () => {
  it("explore finds it in a generated world and names the send under the new id", async () => {
    // The first world of seed 39 fails a send of the module's: one run.
    const r = await cli(
      ...["explore", "--generated", "--scheduler", resend, "--seed", "39", "--runs", "1", "--jobs", "1"],
      ...["--shrink-runs", "0", "--out", `${dir}/repro`, "--json"],
    );
    expect(r.code, r.err).toBe(1);
    const [failure] = (JSON.parse(r.out) as ExploreReport).failures;
    expect(failure.failed).toEqual(["retry-after-backoff"]);
    expect(failure.detail).toMatch(
      /(\S+)\/again \(schedule \S+\) sent at \S+ under a new message id, [\d.]+ s after \1 was sent in the same task and failed: its fire sent again at once, .*where even QStash's first back-off waits 12\.182 s/,
    );
  });
});
