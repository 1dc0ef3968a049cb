// Exit codes of the wirehttp command (documented in the README); 0 is a clean stop.

/** The server could not start (unusable directory, port in use, bad certificate...), or workers did not stop. */
export const EXIT_FAILURE = 1;
/** Bad command line or environment: unknown flag, invalid value. */
export const EXIT_USAGE = 2;

/** A problem the user can fix: printed as one line, then the process exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
