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

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  ELOOP: 'too many levels of symbolic links',
};

/** Go's text for a failed system call's errno (syscall.Errno.Error()), for the codes docker's messages show. */
export function errnoText(e: unknown): string | undefined {
  return ERRNO_TEXT[(e as NodeJS.ErrnoException | undefined)?.code ?? ''];
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** A stream from the engine that ended before its answer did: Go's io.ErrUnexpectedEOF, as docker prints it. */
export class UnexpectedEOF extends StatusError {
  constructor(status = 1) {
    super('unexpected EOF', status);
  }
}

/** Go's encoding/json message for text that does not decode: "unexpected EOF" when it is cut short. */
export function goJSONError(text: string): string {
  try {
    JSON.parse(text);
    return 'unexpected end of JSON input';
  } catch (e) {
    const msg = (e as Error).message;
    if (/end of JSON input/.test(msg)) return 'unexpected EOF';
    const m = /position (\d+)/.exec(msg);
    const ch = m ? text[Number(m[1])] : /^Unexpected token '?(.)/.exec(msg)?.[1];
    return ch === undefined ? 'unexpected EOF' : `invalid character '${ch}' looking for beginning of value`;
  }
}
