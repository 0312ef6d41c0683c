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

/** Whether the process runs in CI: `CI` set, and not to `false` or `0` (as npm's ci-info reads it). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

/**
 * Whether a progress bar may redraw its line on `stream`: a terminal, not a dumb one, and not
 * in CI. Where it may not, progress is told in plain lines (or not at all).
 */
export function redrawWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !isDumbTerminal(env) && !isCi(env);
}
