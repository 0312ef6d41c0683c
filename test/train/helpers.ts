import { readFileSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { TrainIo } from "../../src/cli/commands/train.js";
import type { CliContext } from "../../src/cli/context.js";
import type { RunInput } from "../../src/explore/run.js";
import { type Paint, plainPaint } from "../../src/report/paint.js";
import { applyVariant, compileScenario } from "../../src/scenario/compile.js";
import { parseScenario, type Scenario } from "../../src/scenario/index.js";
import { type SessionOptions, TrainingSession } from "../../src/train/index.js";

const sgr = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;

/** A paint that colours with plain SGR codes, as a colour terminal's session does. */
export const colour: Paint = {
  bold: sgr(1),
  dim: sgr(2),
  red: sgr(31),
  green: sgr(32),
  yellow: sgr(33),
  blue: sgr(34),
  magenta: sgr(35),
  cyan: sgr(36),
};

/** The small copy of the May 8 scenario (100 accounts, 4 workers) the training tests run on. */
export const SMALL = fileURLToPath(new URL("./fixtures/may8-small.yaml", import.meta.url));
/**
 * A small incident that crosses midnight (23:50 to 00:10), in which the buggy run delivers
 * nothing late because it delivers nothing (every delivery after the cascade is missed).
 */
export const MIDNIGHT = fileURLToPath(new URL("./fixtures/midnight.yaml", import.meta.url));
export const BUNDLED = fileURLToPath(new URL("../../scenarios/qstash-2026-05-08.yaml", import.meta.url));

export function loadFixture(path = SMALL, variant = "buggy"): { scenario: Scenario; input: RunInput } {
  const parsed = parseScenario(readFileSync(path, "utf8"), path);
  if (!parsed.ok) throw new Error(`fixture ${path} does not parse: ${JSON.stringify(parsed.issues)}`);
  const input = applyVariant(compileScenario(parsed.scenario), variant);
  if (input === null) throw new Error(`unknown variant ${variant}`);
  return { scenario: parsed.scenario, input };
}

export function newSession(options: Partial<SessionOptions> = {}, path = SMALL): TrainingSession {
  const { scenario, input } = loadFixture(path);
  return new TrainingSession({ scenario, input, ...options });
}

/** One command's echo and reply, as the scripted CLI prints them. */
export interface Step {
  readonly command: string;
  readonly prompt: string;
  readonly text: string;
  readonly ok: boolean;
  /** Understood but not possible where the session was (see `Reply`). */
  readonly refused: boolean;
}

/** Runs commands through a session, keeping each reply. */
export function play(session: TrainingSession, commands: readonly string[]): Step[] {
  return commands.map((command) => {
    const prompt = session.prompt();
    const r = session.execute(command);
    return { command, prompt, text: r.text, ok: r.ok, refused: r.refused === true };
  });
}

export function transcript(steps: readonly Step[]): string {
  return steps.map((s) => `${s.prompt}${s.command}\n${s.text}`).join("\n");
}

/** A CLI context that keeps what is printed. */
export function captureContext(
  onOut?: (all: string) => void,
): CliContext & { stdout(): string; stderr(): string } {
  let out = "";
  let err = "";
  return {
    out: (t) => {
      out += t;
      onOut?.(out);
    },
    err: (t) => {
      err += t;
    },
    paint: plainPaint,
    paintErr: plainPaint,
    env: {},
    errIsTty: false,
    now: () => 0,
    stdout: () => out,
    stderr: () => err,
  };
}

/** A session's terminal for `trainCommand`: `stdin` piped in, output dropped, no signals. */
export function pipedIo(stdin = ""): TrainIo {
  return {
    input: Readable.from([stdin]),
    output: new Writable({ write: (_c, _e, done) => done() }),
    onInterrupt: () => () => {},
  };
}
