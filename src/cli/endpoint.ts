import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ContextStore, DEFAULT_CONTEXT, StoreError, dockerEndpointOf } from './contextstore.js';
import type { ConfigFile } from './config.js';

export { DEFAULT_CONTEXT };

export const DEFAULT_HOST = 'unix:///var/run/docker.sock';

/** TLS material as docker loads it: the files' bytes, and whether the server's certificate is checked. */
export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  skipVerify: boolean;
  /** any TLS data at all (docker makes a TLS client only when there is some, or verification is skipped) */
  present: boolean;
}

/** Where the engine is and how to reach it. */
export interface Endpoint {
  /** as docker shows it in messages: unix:///var/run/docker.sock, tcp://1.2.3.4:2376 */
  host: string;
  context: string;
  tls?: TlsMaterial;
}

export interface GlobalOptions {
  hosts: string[];
  context?: string;
  tls: boolean;
  tlsVerify: boolean;
  tlsCaCert?: string;
  tlsCert?: string;
  tlsKey?: string;
  /** which of the tls options were given on the command line */
  tlsFlagsSet: Set<string>;
}

export class EndpointError extends Error {}

/** docker's ResolveContextName */
export function resolveContextName(opts: GlobalOptions, cfg: ConfigFile, env: NodeJS.ProcessEnv): string {
  if (opts.context) return opts.context;
  if (opts.hosts.length > 0) return DEFAULT_CONTEXT;
  if (env.DOCKER_HOST) return DEFAULT_CONTEXT;
  if (env.DOCKER_CONTEXT) return env.DOCKER_CONTEXT;
  if (cfg.currentContext) return cfg.currentContext;
  return DEFAULT_CONTEXT;
}

/** docker's opts.ParseHost: fills in defaults and validates the address. */
export function parseHost(raw: string, tls: boolean): string {
  let addr = raw.trim();
  if (addr === '') return DEFAULT_HOST;
  const m = /^([a-z]+):\/\/(.*)$/.exec(addr);
  if (!m) {
    if (addr.includes('://')) throw new EndpointError(`invalid bind address format: ${raw}`);
    addr = 'tcp://' + addr;
  }
  const [, proto, rest] = /^([a-z]+):\/\/(.*)$/.exec(addr) as RegExpExecArray;
  switch (proto) {
    case 'unix':
      return 'unix://' + (rest || '/var/run/docker.sock');
    case 'npipe':
      return 'npipe://' + rest;
    case 'fd':
      return addr;
    case 'ssh':
      return addr;
    case 'tcp': {
      let hostPort = rest.replace(/\/+$/, '');
      let path = '';
      const slash = hostPort.indexOf('/');
      if (slash >= 0) {
        path = hostPort.slice(slash);
        hostPort = hostPort.slice(0, slash);
      }
      let host = hostPort;
      let port = '';
      const pm = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostPort);
      if (!pm) throw new EndpointError(`invalid bind address format: ${raw}`);
      host = pm[1];
      port = pm[2] ?? '';
      if (host === '') host = '127.0.0.1';
      if (port === '') port = tls ? '2376' : '2375';
      return `tcp://${host}:${port}${path}`;
    }
    default:
      throw new EndpointError(`invalid bind address format: ${raw}`);
  }
}

/** Read a TLS file as docker does when it resolves the endpoint (the error is Go's os.ReadFile text). */
function readTlsFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new EndpointError(`open ${path}: ${why}`);
  }
}

/** docker's default context endpoint: -H or DOCKER_HOST, and TLS material from the flags and DOCKER_CERT_PATH. */
export function defaultEndpoint(opts: GlobalOptions, env: NodeJS.ProcessEnv): Endpoint {
  const tlsVerify = opts.tlsFlagsSet.has('tlsverify') ? opts.tlsVerify : opts.tlsVerify || !!env.DOCKER_TLS_VERIFY;
  const useTls = opts.tls || !!env.DOCKER_TLS || opts.tlsFlagsSet.has('tlsverify') || tlsVerify;
  if (opts.hosts.length > 1) throw new EndpointError('Specify only one -H');
  const raw = opts.hosts[0] ?? env.DOCKER_HOST ?? '';
  const host = parseHost(raw, useTls);
  let tls: TlsMaterial | undefined;
  if (useTls) {
    // the flag defaults are computed before --config is parsed: DOCKER_CERT_PATH, DOCKER_CONFIG, ~/.docker
    const certDir = env.DOCKER_CERT_PATH || env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
    const caPath = opts.tlsFlagsSet.has('tlscacert') ? opts.tlsCaCert ?? '' : join(certDir, 'ca.pem');
    let certPath = opts.tlsFlagsSet.has('tlscert') ? opts.tlsCert ?? '' : join(certDir, 'cert.pem');
    let keyPath = opts.tlsFlagsSet.has('tlskey') ? opts.tlsKey ?? '' : join(certDir, 'key.pem');
    if (!opts.tlsFlagsSet.has('tlscert') && !existsSync(certPath)) certPath = '';
    if (!opts.tlsFlagsSet.has('tlskey') && !existsSync(keyPath)) keyPath = '';
    const ca = caPath ? readTlsFile(caPath) : undefined;
    const cert = certPath ? readTlsFile(certPath) : undefined;
    const key = keyPath ? readTlsFile(keyPath) : undefined;
    const data = ca || cert || key ? { ca, cert, key } : undefined;
    tls = { ...data, skipVerify: !tlsVerify, present: !!data };
  }
  return { host, context: DEFAULT_CONTEXT, tls };
}

/** The endpoint of a stored context (its docker endpoint and TLS files). */
export function contextEndpoint(store: ContextStore, name: string): Endpoint {
  const meta = store.get(name);
  const ep = dockerEndpointOf(meta);
  const host = ep?.Host ?? '';
  const files = store.tlsData(name).docker;
  let tls: TlsMaterial | undefined;
  if (files || ep?.SkipTLSVerify) {
    tls = { ca: files?.['ca.pem'], cert: files?.['cert.pem'], key: files?.['key.pem'], skipVerify: !!ep?.SkipTLSVerify, present: !!files };
  }
  return { host: host || DEFAULT_HOST, context: name, tls };
}

/** Resolve the endpoint from flags, environment, config and contexts, as docker does. */
export function resolveEndpoint(opts: GlobalOptions, cfg: ConfigFile, configDir: string, env: NodeJS.ProcessEnv): Endpoint {
  if (opts.context && opts.hosts.length > 0) {
    throw new EndpointError('conflicting options: cannot specify both --host and --context');
  }
  const context = resolveContextName(opts, cfg, env);
  try {
    if (context === DEFAULT_CONTEXT) return defaultEndpoint(opts, env);
    return contextEndpoint(new ContextStore(configDir), context);
  } catch (e) {
    if (e instanceof EndpointError || e instanceof StoreError) throw new EndpointError(`unable to resolve docker endpoint: ${e.message}`);
    throw e;
  }
}
