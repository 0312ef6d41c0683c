// The message of the usage error (exit 2) a call throws, for the CLI tests.
import { expect } from "vitest";
import { CliError } from "../../src/cli/errors.js";

/** Runs `run`, expects a CliError with exit code 2, and returns its message. */
export function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error("expected a usage error");
}
