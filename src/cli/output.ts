/**
 * The process's standard streams for the CLI's output, made safe to lose: a reader may close
 * its end early (`aftershock compare … --json | head`), and a later write then fails with
 * EPIPE. Node reports that as an unhandled error with a stack trace; a command-line tool stops
 * writing, quietly, and finishes with its own exit code. Any other failure to write (a full
 * disk under a redirect) also stops the writes, and is kept to be said once at the end.
 */
export class ProcessOutput {
  private closed = false;
  /** Why a write failed, other than a reader gone away (EPIPE); null if none did. */
  failure: string | null = null;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      this.closed = true;
      if (error.code !== "EPIPE") this.failure ??= error.message;
    });
  }

  /** Writes `text`, unless an earlier write failed. */
  readonly write = (text: string): void => {
    if (!this.closed) this.stream.write(text);
  };
}
