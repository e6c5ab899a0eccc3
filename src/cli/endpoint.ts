import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigFile } from './config.js';

export const DEFAULT_HOST = 'unix:///var/run/docker.sock';
export const DEFAULT_CONTEXT = 'default';

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  verify: boolean;
}

/** Where the engine is and how to reach it. */
export interface Endpoint {
  /** as docker shows it in messages: unix:///var/run/docker.sock, tcp://1.2.3.4:2376 */
  host: string;
  context: string;
  tls?: TlsFiles;
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

function contextMetaPath(configDir: string, name: string): string {
  const digest = createHash('sha256').update(name).digest('hex');
  return join(configDir, 'contexts', 'meta', digest, 'meta.json');
}

function contextTlsDir(configDir: string, name: string): string {
  const digest = createHash('sha256').update(name).digest('hex');
  return join(configDir, 'contexts', 'tls', digest, 'docker');
}

export interface ContextMeta {
  Name: string;
  Metadata?: { Description?: string; [k: string]: unknown };
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } };
}

export function readContext(configDir: string, name: string): ContextMeta {
  const p = contextMetaPath(configDir, name);
  if (!existsSync(p)) {
    throw new EndpointError(`context "${name}": context not found: open ${p}: no such file or directory`);
  }
  return JSON.parse(readFileSync(p, 'utf8')) as ContextMeta;
}

/** Resolve the endpoint from flags, environment, config and contexts, as docker does. */
export function resolveEndpoint(opts: GlobalOptions, cfg: ConfigFile, configDir: string, env: NodeJS.ProcessEnv): Endpoint {
  if (opts.context && opts.hosts.length > 0) {
    throw new EndpointError('conflicting options: cannot specify both --host and --context');
  }
  const context = resolveContextName(opts, cfg, env);
  const tlsVerify = opts.tlsFlagsSet.has('tlsverify') ? opts.tlsVerify : opts.tlsVerify || !!env.DOCKER_TLS_VERIFY;
  const useTls = opts.tls || tlsVerify;
  if (context === DEFAULT_CONTEXT) {
    if (opts.hosts.length > 1) throw new EndpointError('Specify only one -H');
    const raw = opts.hosts[0] ?? env.DOCKER_HOST ?? '';
    let host: string;
    try {
      host = parseHost(raw, useTls);
    } catch (e) {
      throw new EndpointError(`unable to resolve docker endpoint: ${(e as Error).message}`);
    }
    let tls: TlsFiles | undefined;
    if (useTls) {
      const certDir = env.DOCKER_CERT_PATH || configDir;
      const pick = (flag: string, given: string | undefined, file: string): string | undefined => {
        if (opts.tlsFlagsSet.has(flag) && given) return given;
        const p = join(certDir, file);
        return existsSync(p) ? p : undefined;
      };
      tls = {
        ca: pick('tlscacert', opts.tlsCaCert, 'ca.pem'),
        cert: pick('tlscert', opts.tlsCert, 'cert.pem'),
        key: pick('tlskey', opts.tlsKey, 'key.pem'),
        verify: tlsVerify,
      };
    }
    return { host, context, tls };
  }
  let meta: ContextMeta;
  try {
    meta = readContext(configDir, context);
  } catch (e) {
    throw new EndpointError(`unable to resolve docker endpoint: ${(e as Error).message}`);
  }
  const ep = meta.Endpoints?.docker;
  const host = ep?.Host ? parseHost(ep.Host, false) : DEFAULT_HOST;
  const tlsDir = contextTlsDir(configDir, context);
  let tls: TlsFiles | undefined;
  if (existsSync(tlsDir) || host.startsWith('tcp://') && ep?.SkipTLSVerify === false && existsSync(join(tlsDir, 'ca.pem'))) {
    const f = (n: string): string | undefined => (existsSync(join(tlsDir, n)) ? join(tlsDir, n) : undefined);
    tls = { ca: f('ca.pem'), cert: f('cert.pem'), key: f('key.pem'), verify: !ep?.SkipTLSVerify };
  }
  return { host, context, tls };
}
