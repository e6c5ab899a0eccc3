/** What the context verbs share: the store with docker's in-memory default context, and the --docker field syntax. */
import { readFileSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { StatusError } from '../../cli/errors.js';
import { ContextStore, DEFAULT_CONTEXT, StoreError, validateContextName, type ContextMeta, type TlsData, type DockerEndpointMeta } from '../../cli/contextstore.js';
import { EndpointError } from '../../cli/endpoint.js';
import { parseSshUrl } from '../../engine/transport.js';
import { csvRecord } from '../../go/csv.js';

export function contextStore(cli: Cli): ContextStore {
  return new ContextStore(cli.config.dir);
}

/** A store error as docker prints it (status 1). */
export function storeFailure(e: unknown): Error {
  if (e instanceof StoreError || e instanceof EndpointError) return new StatusError(e.message, 1);
  return e as Error;
}

/** The default context as docker's ContextStoreWithDefault shows it: the -H / DOCKER_HOST endpoint and its TLS files. */
export function defaultContext(cli: Cli): { meta: ContextMeta; tls: TlsData } {
  let ep;
  try {
    ep = cli.defaultEndpoint();
  } catch (e) {
    throw storeFailure(e);
  }
  const tls: TlsData = {};
  if (ep.tls?.present) {
    const files: Record<string, Buffer> = {};
    if (ep.tls.ca) files['ca.pem'] = ep.tls.ca;
    if (ep.tls.cert) files['cert.pem'] = ep.tls.cert;
    if (ep.tls.key) files['key.pem'] = ep.tls.key;
    tls.docker = files;
  }
  const docker: DockerEndpointMeta = { Host: ep.host, SkipTLSVerify: !!ep.tls?.skipVerify };
  return { meta: { Name: DEFAULT_CONTEXT, Metadata: {}, Endpoints: { docker } }, tls };
}

export function getMeta(cli: Cli, name: string): ContextMeta {
  if (name === DEFAULT_CONTEXT) return defaultContext(cli).meta;
  try {
    return contextStore(cli).get(name);
  } catch (e) {
    throw storeFailure(e);
  }
}

export function getTls(cli: Cli, name: string): TlsData {
  if (name === DEFAULT_CONTEXT) return defaultContext(cli).tls;
  return contextStore(cli).tlsData(name);
}

/** command.GetDockerContext: the description (the default context's is fixed) */
export function descriptionOf(c: ContextMeta): string {
  if (c.Name === DEFAULT_CONTEXT) return 'Current DOCKER_HOST based configuration';
  const d = c.Metadata?.Description;
  return typeof d === 'string' ? d : '';
}

/** pflag's stringToString: "k=v,k2=v2", CSV-quoted; the first use replaces the default, later ones add. */
export function parseStringToString(text: string, previous: unknown): Record<string, string> {
  const out: Record<string, string> = { ...((previous as Record<string, string> | undefined) ?? {}) };
  if (text === '') return out;
  for (const item of csvRecord(text)) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new Error(`${item} must be formatted as key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

const ALLOWED_KEYS = ['from', 'host', 'ca', 'cert', 'key', 'skip-tls-verify'];

function readFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new Error(`open ${path}: ${why}`);
  }
}

function goParseBool(key: string, v: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  throw new Error(`${key}: parsing ${JSON.stringify(v)}: invalid syntax`);
}

/** docker's getDockerEndpointMetadataAndTLS: the endpoint and TLS files a --docker value describes. */
export function dockerEndpointFrom(cli: Cli, config: Record<string, string>): { meta: DockerEndpointMeta; tls?: Record<string, Buffer> } {
  const wrap = (m: string): StatusError => new StatusError(`unable to create docker endpoint config: ${m}`, 1);
  const unknown = Object.keys(config).filter((k) => !ALLOWED_KEYS.includes(k));
  if (unknown.length) throw wrap(unknown.map((k) => `unrecognized config key: ${k}`).join('\n'));
  if ('from' in config) {
    let c: ContextMeta;
    try {
      c = getMeta(cli, config.from);
    } catch (e) {
      throw wrap((e as Error).message);
    }
    const ep = c.Endpoints.docker as DockerEndpointMeta | undefined;
    if (!ep) throw wrap(`unable to get endpoint from context ${JSON.stringify(config.from)}`);
    return { meta: { Host: ep.Host, SkipTLSVerify: !!ep.SkipTLSVerify } };
  }
  let tls: Record<string, Buffer> | undefined;
  try {
    const ca = config.ca ? readFile(config.ca) : undefined;
    const cert = config.cert ? readFile(config.cert) : undefined;
    const key = config.key ? readFile(config.key) : undefined;
    if (ca || cert || key) {
      tls = {};
      if (ca) tls['ca.pem'] = ca;
      if (cert) tls['cert.pem'] = cert;
      if (key) tls['key.pem'] = key;
    }
  } catch (e) {
    throw wrap((e as Error).message);
  }
  let skip = false;
  if ('skip-tls-verify' in config) {
    try {
      skip = goParseBool('skip-tls-verify', config['skip-tls-verify']);
    } catch (e) {
      throw wrap((e as Error).message);
    }
  }
  const host = config.host ?? '';
  // the client docker makes to check the options: a host it cannot parse is refused
  if (host === '' || !host.includes('://')) {
    throw wrap(`unable to apply docker endpoint options: unable to parse docker host \`${host}\``);
  }
  if (host.startsWith('ssh://')) {
    try {
      parseSshUrl(host);
    } catch (e) {
      throw wrap(`invalid docker endpoint options: ${(e as Error).message.replace(/^Failed to initialize: /, '')}`);
    }
  }
  return { meta: { Host: host, SkipTLSVerify: skip }, tls };
}

export { validateContextName, DEFAULT_CONTEXT, StoreError };

/** checkContextNameForCreation */
export function checkNameForCreation(cli: Cli, name: string): void {
  try {
    validateContextName(name);
  } catch (e) {
    throw storeFailure(e);
  }
  if (contextStore(cli).exists(name)) throw new StatusError(`context ${JSON.stringify(name)} already exists`, 1);
}
