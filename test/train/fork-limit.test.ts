// Shows that a what-if past the session's limit of forks is refused as not possible, not as a command misunderstood.
import { describe, expect, it } from "vitest";
import { FORKS_MAX } from "../../src/train/index.js";
import { newSession } from "./helpers.js";

describe("the limit of forks", () => {
  it("refuses one more fork, so a script that reaches it does not exit 2 as for a typo", () => {
    const session = newSession();
    for (let n = 1; n <= FORKS_MAX; n++) {
      const r = session.execute(`what-if scale ${n + 4}`);
      expect(r.ok, r.text).toBe(true);
      session.execute("switch original");
    }
    const over = session.execute(`what-if scale ${FORKS_MAX + 5}`);
    expect(over.ok).toBe(false);
    expect(over.refused).toBe(true);
    expect(over.text).toContain(`at most ${FORKS_MAX} forks`);
  });
});
