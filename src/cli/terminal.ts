/**
 * What a terminal can do, from the environment: a dumb one (`TERM=dumb`: an editor's shell,
 * a pager) shows text but neither colour nor a line redrawn in place.
 */

/** Whether `TERM` says the terminal takes no escape sequences. */
export function isDumbTerminal(env: NodeJS.ProcessEnv): boolean {
  return env.TERM === "dumb";
}

/**
 * Whether a progress bar may redraw its line on `stream`: a terminal, and not a dumb one. Where
 * it may not, progress is told in plain lines (or not at all).
 */
export function redrawWanted(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !isDumbTerminal(env);
}
