// Shows that hardened Node settings are met as such: a process that may not compile code from text (--disallow-code-generation-from-strings) runs the simulator with the same trace, hash and report, the trace's compiled event builders and hashes giving way to the generic ones; and a refusal of Node's permission model is said as the setting it is (exit 2), with the flag to grant it.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BUILT, cli, cliBuilt } from "../gate/helpers.js";

const HARDENED = { NODE_OPTIONS: "--disallow-code-generation-from-strings" };

describe.skipIf(!BUILT)("without code generation from strings (needs dist/)", () => {
  it("the flag does stop new Function here (the check can fail)", () => {
    const probe = spawnSync(process.execPath, ["-e", "new Function('')"], {
      encoding: "utf8",
      env: { ...process.env, ...HARDENED },
    });
    expect(probe.status).not.toBe(0);
    expect(probe.stderr).toContain("Code generation from strings disallowed");
  });

  // The plain run is main's in this process, which compiles its event builders and hashes: its
  // report is the process's, byte for byte (cli-process.test.ts).
  it("gives May 8's run the same JSON report, trace hash included", async () => {
    const args = ["run", "scenarios/qstash-2026-05-08.yaml", "--json"];
    const plain = await cli(args);
    const hardened = cliBuilt(args, HARDENED);
    expect(hardened.err).not.toContain("internal error");
    expect(hardened.code).toBe(plain.code);
    expect(JSON.parse(hardened.out)).toEqual(JSON.parse(plain.out));
  }, 60_000);
});

describe.skipIf(!BUILT)("under Node's permission model (needs dist/)", () => {
  it("a gate without --allow-worker is refused as the setting it is (exit 2), not an internal error", () => {
    const r = cliBuilt(["gate", "scenarios/quiet-day.yaml"], {
      NODE_OPTIONS: "--experimental-permission --allow-fs-read=*",
    });
    expect(r.code).toBe(2);
    expect(r.err).not.toContain("internal error");
    expect(r.err).toContain(
      "aftershock: Node's permission model refused WorkerThreads, which this command needs: run node with --allow-worker (gate and explore run on worker threads, and so do compare and a run of a scheduler module)",
    );
  }, 60_000);
});
