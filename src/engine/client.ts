import { Agent, type AgentOptions, type IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import type Dockerode from 'dockerode';
import type { Endpoint } from '../cli/endpoint.js';
import { toEngineError } from './errors.js';

/** The highest API version this client speaks (docker 28.2's). */
export const CLIENT_API_VERSION = '1.50';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'HEAD';
  /** path without the version prefix, e.g. /containers/json */
  path: string;
  query?: Record<string, unknown>;
  /** JSON body (POST) */
  body?: unknown;
  /** a stream or buffer sent as the body (tar contexts, imports) */
  file?: Readable | Buffer;
  headers?: Record<string, string>;
  /** X-Registry-Auth value (already encoded) */
  registryAuth?: string;
  /** extra status codes that count as success (e.g. 304) */
  okStatus?: number[];
  signal?: AbortSignal;
}

/** The engine client: dockerode for the API, plus direct requests where docker's exact behaviour needs them. */
export class Engine {
  constructor(
    readonly docker: Dockerode,
    readonly endpoint: Endpoint,
    /** the negotiated API version ("1.41") */
    readonly apiVersion: string,
    /** the server's API version from /_ping, when known */
    readonly serverApiVersion: string | undefined,
  ) {}

  get modem(): any {
    return (this.docker as any).modem;
  }

  private dial(o: RequestOptions, isStream: boolean): Promise<any> {
    const statusCodes: Record<number, boolean> = { 200: true, 201: true, 204: true };
    for (const s of o.okStatus ?? []) statusCodes[s] = true;
    const hasQuery = o.query && Object.keys(o.query).some((k) => o.query![k] !== undefined);
    const query: Record<string, unknown> = {};
    if (hasQuery) for (const [k, v] of Object.entries(o.query!)) if (v !== undefined) query[k] = v;
    const opts: any = {
      path: o.path + '?',
      method: o.method ?? 'GET',
      statusCodes,
      isStream,
      abortSignal: o.signal,
      headers: { ...(this.modem.headers ?? {}), ...(o.headers ?? {}) },
    };
    if (o.registryAuth) opts.authconfig = { base64: o.registryAuth };
    if (o.file) {
      opts.file = o.file;
      opts.options = hasQuery ? query : {};
    } else if (o.body !== undefined) {
      opts.options = { _query: query, _body: o.body };
      if (!hasQuery) {
        opts.path = o.path;
      }
    } else {
      opts.options = query;
    }
    return new Promise((resolve, reject) => {
      this.modem.dial(opts, (err: unknown, data: unknown) => {
        if (err) reject(toEngineError(err, this.endpoint));
        else resolve(data);
      });
    });
  }

  /** A request whose answer is JSON (or empty). Throws DaemonError / ConnectError. */
  async json<T = any>(o: RequestOptions): Promise<T> {
    const data = await this.dial(o, false);
    if (Buffer.isBuffer(data)) return (data.length === 0 ? undefined : data.toString('utf8')) as T;
    return data as T;
  }

  /** A request whose answer is returned as the engine's raw text (inspect keeps the engine's JSON bytes). */
  async text(o: RequestOptions): Promise<string> {
    const res = await this.dial(o, true);
    const chunks: Buffer[] = [];
    for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  }

  /** A request whose answer is streamed (logs, pull progress, export). */
  async stream(o: RequestOptions): Promise<IncomingMessage> {
    return this.dial(o, true);
  }

  /** Map any error to docker's message for this endpoint. */
  error(e: unknown): Error {
    return toEngineError(e, this.endpoint);
  }
}

function modemOptions(endpoint: Endpoint): Record<string, unknown> {
  // every key is given so that docker-modem's own DOCKER_HOST defaults never leak in
  const o: Record<string, unknown> = {
    socketPath: undefined,
    host: undefined,
    port: undefined,
    protocol: undefined,
    ca: undefined,
    cert: undefined,
    key: undefined,
    version: undefined,
    headers: { 'User-Agent': 'Docker-Client/28.2.2 (linux)' },
  };
  const h = endpoint.host;
  if (h.startsWith('unix://')) {
    o.socketPath = h.slice('unix://'.length);
    // a socket has no server name: saying so spares node's agent from working one out (an IPv6 regex);
    // one connection for all the requests of a command, as docker's client keeps it (inspect of 200
    // objects made 200 connections); run() ends the process, so an idle socket never holds it open
    const agent = new Agent({ keepAlive: true, servername: '' } as AgentOptions);
    // docker-modem formats every request's options, agent included, with util.inspect(showHidden,
    // depth: null) for its debug log even when that log is off: walking the agent cost ~5 ms a request
    Object.defineProperty(agent, Symbol.for('nodejs.util.inspect.custom'), { value: () => '[Agent]' });
    o.agent = agent;
  } else if (h.startsWith('npipe://')) {
    o.socketPath = h.slice('npipe://'.length);
  } else if (h.startsWith('ssh://')) {
    const u = new URL(h);
    o.protocol = 'ssh';
    o.host = u.hostname;
    o.port = u.port || '22';
    o.username = decodeURIComponent(u.username);
    o.sshOptions = { agent: process.env.SSH_AUTH_SOCK };
  } else {
    const u = new URL(h.replace(/^tcp:/, 'http:'));
    o.host = u.hostname.replace(/^\[|\]$/g, '');
    o.port = u.port;
    o.protocol = endpoint.tls ? 'https' : 'http';
    if (endpoint.tls) {
      if (endpoint.tls.ca) o.ca = readFileSync(endpoint.tls.ca);
      if (endpoint.tls.cert) o.cert = readFileSync(endpoint.tls.cert);
      if (endpoint.tls.key) o.key = readFileSync(endpoint.tls.key);
      if (!endpoint.tls.verify) o.checkServerIdentity = () => undefined;
    }
  }
  return o;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Create the engine client: loads dockerode (kept out of start-up), pings the engine and negotiates
 * the API version as docker does (DOCKER_API_VERSION pins it).
 */
export async function createEngine(endpoint: Endpoint, env: NodeJS.ProcessEnv): Promise<Engine> {
  const { default: DockerodeCtor } = await import('dockerode');
  const docker = new DockerodeCtor(modemOptions(endpoint) as Dockerode.DockerOptions);
  const modem = (docker as any).modem;
  if (endpoint.tls && !endpoint.tls.verify) modem.ca = undefined;
  let serverVersion: string | undefined;
  let version = env.DOCKER_API_VERSION;
  if (!version) {
    const ping: IncomingMessage = await new Promise((resolve, reject) => {
      modem.dial({ path: '/_ping', method: 'GET', statusCodes: { 200: true, 500: true, 503: true }, isStream: true, options: {} },
        (err: unknown, res: IncomingMessage) => (err ? reject(toEngineError(err, endpoint)) : resolve(res)));
    });
    ping.resume();
    serverVersion = ping.headers['api-version'] as string | undefined;
    version = serverVersion && compareVersions(serverVersion, CLIENT_API_VERSION) < 0 ? serverVersion : CLIENT_API_VERSION;
  }
  modem.version = 'v' + version;
  return new Engine(docker, endpoint, version, serverVersion);
}
