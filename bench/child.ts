/**
 * Measuring a row in a child process, so that the peak RSS reported is that work's alone (not
 * the harness's, nor another row's).
 *
 * A row module exports `probes`: named functions that do the work and return a `BenchResult`.
 * `runInChild(import.meta.url, "probe", [...args])` runs `node dist/bench/child.js <module>
 * <probe> <args...>`; the child imports the module, runs the probe, adds its own
 * `process.resourceUsage().maxRSS` as `peakRssMb`, and prints the result as one JSON line.
 */
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type BenchResult, normaliseResult, round } from "./harness.js";

/** A unit of work a child process can run by name: takes the command-line arguments. */
export type Probe = (args: readonly string[]) => BenchResult | Promise<BenchResult>;

export interface ProbeModule {
  readonly probes?: Readonly<Record<string, Probe>>;
}

const CHILD_SCRIPT = fileURLToPath(new URL("./child.js", import.meta.url));

/**
 * Runs `probe` of the module at `moduleUrl` (pass `import.meta.url`) in a fresh Node process and
 * returns its result with the child's peak RSS. Rejects if the child fails.
 */
export function runInChild(
  moduleUrl: string,
  probe: string,
  args: readonly string[] = [],
): Promise<BenchResult> {
  if (!moduleUrl.endsWith(".js")) {
    return Promise.reject(
      new Error(`runInChild: run the bench from the build (dist/bench), not ${moduleUrl}`),
    );
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD_SCRIPT, moduleUrl, probe, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`probe ${probe} exited with code ${code}`));
        return;
      }
      const lines = stdout.trim().split("\n");
      try {
        const raw = JSON.parse(lines[lines.length - 1]) as { name?: unknown };
        resolve(normaliseResult(String(raw.name ?? probe), raw));
      } catch (error) {
        reject(new Error(`probe ${probe} printed no result: ${String(error)}: ${stdout.slice(0, 500)}`));
      }
    });
  });
}

/** In the child: run the probe named on the command line and print its result as JSON. */
async function childMain(argv: readonly string[]): Promise<void> {
  const [moduleUrl, probeName, ...args] = argv;
  const module = (await import(moduleUrl)) as ProbeModule;
  const probe = module.probes?.[probeName];
  if (!probe) throw new Error(`no probe ${JSON.stringify(probeName)} in ${moduleUrl}`);
  const result = await probe(args);
  // maxRSS is in kilobytes.
  const peakRssMb = round(process.resourceUsage().maxRSS / 1024, 1);
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb })}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  childMain(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(
      `bench child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
