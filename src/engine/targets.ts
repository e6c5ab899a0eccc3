import type { Cli } from '../cli/cli.js';
import { StatusError } from '../cli/errors.js';

export interface TargetOptions {
  /** print each target as typed when it succeeds (stop, rm, kill, ...) */
  echo?: boolean;
  /** docker's closing line when some failed, e.g. "failed to start containers" -> "Error: failed to start containers: a, b" */
  summary?: string;
  /** errors are printed but the exit status stays 0 (rm -f of a missing container) */
  ignoreFailures?: (e: unknown) => boolean;
}

/**
 * docker's several-targets loop: act on each argument in turn, print each success (as typed) and each
 * error, go on after a failure, and exit 1 at the end if any failed.
 */
export async function forEachTarget(cli: Cli, targets: string[], act: (t: string) => Promise<string | void>, o: TargetOptions = {}): Promise<void> {
  const failed: string[] = [];
  const errors: string[] = [];
  for (const t of targets) {
    try {
      const shown = await act(t);
      if (typeof shown === 'string') cli.print(shown + '\n');
      else if (o.echo) cli.print(t + '\n');
    } catch (e) {
      if (!(e instanceof Error)) throw e;
      if (o.ignoreFailures?.(e)) {
        cli.warn(e.message + '\n');
        continue;
      }
      errors.push(e.message);
      failed.push(t);
    }
  }
  // docker reports the failures together, after the successes
  if (errors.length) {
    if (o.summary) errors.push(`Error: ${o.summary}: ${failed.join(', ')}`);
    throw new StatusError(errors.join('\n'), 1);
  }
}
