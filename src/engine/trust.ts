/**
 * Docker content trust (Notary-signed tags). tdocker has no Notary client, so where docker would
 * verify or sign it refuses instead of pulling, running or pushing something unverified.
 */
import type { Cli } from '../cli/cli.js';
import { StatusError } from '../cli/errors.js';

const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

/** docker's isTrusted: DOCKER_CONTENT_TRUST set to anything Go's strconv.ParseBool does not read as false. */
export function trustFromEnv(env: NodeJS.ProcessEnv): boolean {
  const v = env.DOCKER_CONTENT_TRUST;
  return v !== undefined && v !== '' && !FALSE.has(v);
}

/**
 * --disable-content-trust defaults to "not trusted by the environment"; given explicitly, it wins.
 * Throws when content trust would be in force.
 */
export function refuseContentTrust(cli: Cli, disableFlag: boolean, changed: ReadonlySet<string> | undefined, action: 'verification' | 'signing' = 'verification'): void {
  const trusted = changed?.has('disableContentTrust') ? !disableFlag : trustFromEnv(cli.env);
  if (!trusted) return;
  throw new StatusError(
    `${cli.name} does not support content trust (image ${action} with Notary): unset DOCKER_CONTENT_TRUST or pass --disable-content-trust`,
    1,
  );
}
