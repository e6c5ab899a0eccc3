/**
 * Errors that end a command. main prints `message` (when not empty) on stderr and exits with `status`,
 * as docker's cli.StatusError does. Anything else thrown is printed as its message, exit 1.
 */
export class StatusError extends Error {
  constructor(
    message: string,
    readonly status: number = 1,
  ) {
    super(message);
  }
}

/** A usage problem detected by a command itself (bad flag value, wrong arguments): exit 125 by default. */
export class UsageError extends StatusError {
  constructor(message: string, status = 125) {
    super(message, status);
  }
}

/** Printed as is, nothing else (e.g. errors already reported per object, exit 1). */
export class SilentError extends StatusError {
  constructor(status = 1) {
    super('', status);
  }
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}
