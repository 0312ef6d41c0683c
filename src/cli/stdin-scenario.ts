/**
 * A scenario read from stdin, for `validate -`, `run -`, `compare -` and `why -` (`generate | aftershock
 * run - --json`), as `-` is stdout for the outputs. Read whole through `process.stdin` before the
 * command loads it (a pipe handed over non-blocking refuses a read of descriptor 0 as a file), and
 * named `<stdin>` in its issues (`<stdin>:12:3: ...`), as every input read from stdin is; its scheduler modules are found from the
 * working folder, as a file's are from its own.
 */
import { CliError, errorAt } from "./errors.js";
import { cannotRead, decodeUtf8, TEXT_BYTES_MAX } from "./io.js";
import { releaseStdin, STDIN_NAME } from "./saved-input.js";

/** The command-line word for stdin. */
export const STDIN_ARG = "-";

/** How messages name a scenario read from stdin, and the path its modules are found from. */
export const STDIN_SCENARIO = STDIN_NAME;

/** The commands that read a scenario from stdin, as a refusal names them. */
const READERS = "validate, run, compare and why";

let stdinText: string | null = null;

/**
 * Reads stdin to its end as the scenario text `command -` was given; refused on a terminal, where
 * it would wait for typing the user does not know is wanted. Once per process: a second `-`
 * would find stdin already read, so `validate - -` is refused.
 */
export async function readStdinScenario(command: string, stdinIsTty: boolean): Promise<string> {
  if (stdinText !== null) throw stdinTwice(command);
  if (stdinIsTty)
    throw new CliError(
      `${command} -: stdin is a terminal; pipe a scenario in (cat may8.yaml | aftershock ${command} -)`,
    );
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total > TEXT_BYTES_MAX)
        throw errorAt(
          { file: STDIN_SCENARIO, line: 1, column: 1 },
          `more than ${TEXT_BYTES_MAX} bytes, more than aftershock reads of a scenario`,
        );
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw cannotRead(STDIN_SCENARIO, error);
  } finally {
    releaseStdin();
  }
  stdinText = decodeUtf8(Buffer.concat(chunks), STDIN_SCENARIO);
  return stdinText;
}

/** The refusal of `-` given twice to `command`: stdin holds one scenario, read once. */
export function stdinTwice(command: string): CliError {
  return new CliError(`${command}: - given twice; stdin holds one scenario`);
}

/**
 * Why `command` does not read its scenario from stdin, and what to give instead, for a `-` it is
 * given: `train -: <why>; name a scenario file (validate, run, compare and why read one ...)`.
 */
export function stdinScenarioRefused(
  command: string,
  why: string,
  instead = "name a scenario file",
): CliError {
  return new CliError(`${command} -: ${why}; ${instead} (${READERS} read one from stdin)`);
}

/** The scenario text read from stdin, for the loader; a command that did not read it refuses `-`. */
export function stdinScenarioText(): string {
  if (stdinText === null)
    throw new CliError(`-: only ${READERS} read a scenario from stdin; name a scenario file`);
  return stdinText;
}
