import type { Cli } from '../../cli/cli.js';
import { authKey, encodeAuth, getAuth } from '../../engine/auth.js';
import { parseNormalized } from '../../engine/refs.js';

/** command.RetrieveAuthTokenFromImage: the encoded credentials for the image's registry. */
export function retrieveAuth(cli: Cli, image: string): string {
  let domain = 'docker.io';
  try {
    domain = parseNormalized(image).domain;
  } catch {
    // docker falls back to the default registry
  }
  return encodeAuth(getAuth(cli, authKey(domain)));
}
