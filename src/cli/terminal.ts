/**
 * What a terminal can do, from the environment: a dumb one (`TERM=dumb`: an editor's shell,
 * a pager) shows text but neither colour nor a line redrawn in place; a CI job's log keeps every
 * redraw of a line, so a bar there is hundreds of lines of noise, even when the runner gives the
 * job a pseudo-terminal.
 */

/** Whether `TERM` says the terminal takes no escape sequences. */
export function isDumbTerminal(env: NodeJS.ProcessEnv): boolean {
  return env.TERM === "dumb";
}

/**
 * Whether the process runs in CI: `CI` set, and not to `false` or `0` (as npm's ci-info and
 * std-env read it). Case and surrounding blanks are ignored, since a pipeline that writes
 * `CI: FALSE` or `CI=False` (YAML and PowerShell habits) means the same; any other value is CI.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/**
 * Whether a progress bar may redraw its line on `stream`: a terminal, not a dumb one, and not
 * in CI. Where it may not, progress is told in plain lines (or not at all).
 */
export function redrawWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !isDumbTerminal(env) && !isCi(env);
}

/**
 * The width of the terminal `stream` is, in columns, as it is now; undefined when it is not a
 * terminal, or one that gives no size (a pseudo-terminal nobody sized, as `script` makes, says
 * 0). Node updates `columns` when the event loop gets the resize (SIGWINCH), and a long run holds
 * the loop for seconds: a line drawn meanwhile at the old width would wrap. So the terminal is
 * asked again, through the call Node's tty stream makes on SIGWINCH (its handle's
 * `getWindowSize`, not public). Not through the stream's own refresh: on a terminal gone away
 * that emits an error on the stream, which would close the CLI's stderr for good. Where the call
 * is missing or fails: `columns` as Node last knew it.
 */
export function columnsNow(stream: NodeJS.WriteStream): number | undefined {
  if (stream.isTTY !== true) return undefined;
  const handle = (stream as { _handle?: { getWindowSize?: (size: number[]) => number } })._handle;
  const size = [0, 0];
  try {
    if (handle?.getWindowSize?.(size) === 0 && size[0] > 0) return size[0];
  } catch {
    // Not the call this Node makes: as Node last knew it.
  }
  return stream.columns > 0 ? stream.columns : undefined;
}

/**
 * The width to lay text out for: COLUMNS when set (as `ls` reads it: a pipe or a script can say
 * it), else the terminal's; undefined when neither says.
 */
export function terminalColumns(
  env: NodeJS.ProcessEnv,
  output: { isTTY?: boolean; columns?: number },
): number | undefined {
  const fromEnv = columnsFromEnv(env);
  if (fromEnv !== undefined) return fromEnv;
  return output.isTTY === true && typeof output.columns === "number" && output.columns > 0
    ? output.columns
    : undefined;
}

/** COLUMNS when it is a width (a whole number from 1), else undefined. */
export function columnsFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const fromEnv = env.COLUMNS?.trim();
  return fromEnv !== undefined && /^[1-9]\d{0,4}$/.test(fromEnv) ? Number(fromEnv) : undefined;
}
