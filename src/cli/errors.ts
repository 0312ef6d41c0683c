/** Exit codes of DESIGN.md: a contract for scripts and CI. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  nondeterminism: 3,
  internal: 4,
  /** Ended by Ctrl-C (128 + SIGINT, as shells report it). */
  interrupted: 130,
  /** Ended by SIGTERM, the cancel of CI systems (128 + SIGTERM, as shells report it). */
  terminated: 143,
  /** Ended by SIGHUP, the terminal closed (128 + SIGHUP, as shells report it). */
  hangup: 129,
} as const;

/** An error the CLI reports as a clean message and an exit code, never a stack trace. */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
  }
}
