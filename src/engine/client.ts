import { Agent, type AgentOptions, type IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, createSecureContext, type ConnectionOptions } from 'node:tls';
import { Agent as HttpsAgent } from 'node:https';
import { checkTlsMaterial, lastSshFailure, parseSshUrl, proxyAgent, proxyFor, sshBridge } from './transport.js';
import type Dockerode from 'dockerode';
import type { Endpoint } from '../cli/endpoint.js';
import type { EngineClient, RequestOptions } from '../cli/engine-client.js';
import type { Socket } from 'node:net';
import { hijack, streamBody } from './hijack.js';
import { cleanPath } from '../go/path.js';
import { toEngineError } from './errors.js';
import { goJSONError, StatusError } from '../cli/errors.js';
import { SocketClient, type RawAnswer } from './socketclient.js';

/** The highest API version this client speaks (docker 28.2's). */
export const CLIENT_API_VERSION = '1.50';

/** The engine client: dockerode for the API, plus direct requests where docker's exact behaviour needs them. */
export class Engine implements EngineClient {
  constructor(
    readonly docker: Dockerode,
    readonly endpoint: Endpoint,
    /** the negotiated API version ("1.41") */
    readonly apiVersion: string,
    /** the server's API version from /_ping, when known */
    readonly serverApiVersion: string | undefined,
    /** whole answers from a local socket, without node's http or dockerode (src/engine/socketclient.ts) */
    private readonly raw?: SocketClient,
  ) {}

  get modem(): any {
    return (this.docker as any).modem;
  }

  private guarded = false;

  /**
   * docker-modem reads a whole answer on 'end' even when its connection closed before the body
   * ended (the engine died, the connection was cut): such an answer is Go's unexpected EOF, never a
   * short list taken for the whole.
   */
  private guardTruncation(): void {
    if (this.guarded) return;
    this.guarded = true;
    const modem = this.modem;
    const build = modem.buildPayload;
    modem.buildPayload = function (this: unknown, err: unknown, isStream: boolean, statusCodes: unknown, openStdin: unknown, req: unknown, res: IncomingMessage, json: unknown, cb: (e: unknown, d?: unknown) => void) {
      if (!err && !isStream && res && res.complete === false) return cb(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      return build.call(this, err, isStream, statusCodes, openStdin, req, res, json, cb);
    };
  }

  private dial(o: RequestOptions, isStream: boolean): Promise<any> {
    this.guardTruncation();
    const statusCodes: Record<number, boolean> = { 200: true, 201: true, 204: true };
    for (const s of o.okStatus ?? []) statusCodes[s] = true;
    const hasQuery = o.query && Object.keys(o.query).some((k) => o.query![k] !== undefined);
    const query: Record<string, unknown> = {};
    if (hasQuery) for (const [k, v] of Object.entries(o.query!)) if (v !== undefined) query[k] = v;
    const opts: any = {
      path: cleanPath(o.path) + '?',
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
        opts.path = cleanPath(o.path);
      }
    } else {
      opts.options = query;
    }
    const q = hasQuery ? queryPairs(query) : '';
    const info = { method: opts.method as string, path: `/v${this.apiVersion}${o.path}${q ? '?' + q : ''}` };
    return new Promise((resolve, reject) => {
      this.modem.dial(opts, (err: unknown, data: unknown) => {
        if (err) reject(toEngineError(err, this.endpoint, info, lastSshFailure));
        else resolve(data);
      });
    });
  }

  /** Whether a request can go through the socket client: whole answers, nothing streamed up. */
  private rawFor(o: RequestOptions): SocketClient | undefined {
    return this.raw && !o.file && !o.signal && !o.registryAuth ? this.raw : undefined;
  }

  /** A request through the socket client, sent as docker-modem sends it. */
  private async rawRequest(raw: SocketClient, o: RequestOptions): Promise<{ answer: RawAnswer; info: { method: string; path: string }; ok: boolean }> {
    const method = o.method ?? 'GET';
    const q = this.queryString(o.query);
    const info = { method, path: `/v${this.apiVersion}${o.path}${q ? '?' + q : ''}` };
    const headers: Record<string, string> = { ...((this.modem.headers as Record<string, string>) ?? {}), ...(o.headers ?? {}) };
    let body: string | undefined;
    if (method === 'POST' && o.body !== undefined) {
      body = JSON.stringify(o.body);
      // docker-modem sends no body for an empty object
      if (body === '{}' || body === '""') body = undefined;
      else headers['Content-Type'] ??= 'application/json';
    }
    let answer: RawAnswer;
    try {
      answer = await raw.request(method, `/v${this.apiVersion}${cleanPath(o.path)}${q ? '?' + q : ''}`, headers, body);
    } catch (e) {
      throw toEngineError(e, this.endpoint, info, lastSshFailure);
    }
    const ok = answer.status === 200 || answer.status === 201 || answer.status === 204 || (o.okStatus ?? []).includes(answer.status);
    return { answer, info, ok };
  }

  /** docker-modem's error for an answer whose status is not a success */
  private statusError(status: number, cause: unknown, json: unknown, info: { method: string; path: string }): Error {
    const c = cause as { message?: unknown; error?: unknown } | null;
    const err = Object.assign(new Error(`(HTTP code ${status}) unexpected - ${String(c?.message || c?.error || cause)} `), { statusCode: status, json, reason: undefined });
    return toEngineError(err, this.endpoint, info, lastSshFailure);
  }

  private queryString(query: Record<string, unknown> | undefined): string {
    if (!query) return '';
    return queryPairs(query);
  }

  /** A request whose answer is JSON (or empty). Throws DaemonError / ConnectError. */
  async json<T = any>(o: RequestOptions): Promise<T> {
    const raw = this.rawFor(o);
    let data: unknown;
    if (raw) {
      const { answer, info, ok } = await this.rawRequest(raw, o);
      const text = answer.body.toString();
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
      data = parsed || answer.body;
      if (!ok) throw this.statusError(answer.status, data, data, info);
    } else data = await this.dial(o, false);
    if (Buffer.isBuffer(data)) {
      if (data.length === 0) return undefined as T;
      const text = data.toString('utf8');
      // docker-modem hands back the raw bytes of an answer that is no JSON: one that starts as JSON
      // and breaks (cut short, garbled) ends as Go's decoder ends
      if (/^\s*[[{]/.test(text)) throw new StatusError(goJSONError(text), 1);
      return text as T;
    }
    return data as T;
  }

  /** A request whose answer is returned as the engine's raw text (inspect keeps the engine's JSON bytes). */
  async text(o: RequestOptions): Promise<string> {
    const raw = this.rawFor(o);
    if (raw) {
      const { answer, info, ok } = await this.rawRequest(raw, o);
      const text = answer.body.toString('utf8');
      if (!ok) {
        let cause: unknown = null;
        try {
          cause = JSON.parse(text);
        } catch {
          cause = null;
        }
        throw this.statusError(answer.status, cause || text, null, info);
      }
      return text;
    }
    const res = await this.dial(o, true);
    const chunks: Buffer[] = [];
    try {
      for await (const c of res as AsyncIterable<Buffer>) chunks.push(c);
    } catch (e) {
      throw this.error(e);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** A request whose answer is streamed (logs, pull progress, export). */
  async stream(o: RequestOptions): Promise<IncomingMessage> {
    return this.dial(o, true);
  }

  /**
   * A raw connection to the engine (what `docker system dial-stdio` proxies): the socket, the TCP or
   * TLS connection, or one more ssh process for ssh:// engines.
   */
  dialRaw(): Promise<Duplex> {
    const m = this.modem;
    return new Promise((resolve, reject) => {
      let sock: Duplex;
      const onError = (e: Error): void => reject(new StatusError(`failed to open the raw stream connection: ${toEngineError(e, this.endpoint, undefined, lastSshFailure).message}`, 1));
      if (m.socketPath) {
        sock = netConnect({ path: m.socketPath as string, allowHalfOpen: true }, () => resolve(sock));
      } else if (m.protocol === 'https') {
        const t = this.endpoint.tls;
        sock = tlsConnect({ host: m.host as string, port: Number(m.port), secureContext: m.agent?.options?.secureContext, ca: t?.ca, cert: m.cert, key: m.key, rejectUnauthorized: !t?.skipVerify, servername: isIP(m.host as string) ? undefined : (m.host as string), allowHalfOpen: true } as ConnectionOptions, () => resolve(sock));
      } else {
        sock = netConnect({ host: m.host as string, port: Number(m.port), allowHalfOpen: true }, () => resolve(sock));
      }
      sock.once('error', onError);
    });
  }

  /** Map any error to docker's message for this endpoint. */
  error(e: unknown): Error {
    return toEngineError(e, this.endpoint, undefined, lastSshFailure);
  }

  hijack(path: string, query: Record<string, string>, body?: unknown): Promise<Socket> {
    return hijack(this, path, query, body);
  }

  streamBody(path: string, query: Record<string, string | undefined>, method: 'GET' | 'POST' = 'GET'): Promise<{ body: Readable; headers: Record<string, string | string[] | undefined> }> {
    return streamBody(this, path, query, method);
  }
}

async function modemOptions(endpoint: Endpoint, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
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
  const socketAgent = (keepAlive = true): Agent => {
    // a socket has no server name: saying so spares node's agent from working one out (an IPv6 regex);
    // one connection for all the requests of a command, as docker's client keeps it (inspect of 200
    // objects made 200 connections); run() ends the process, so an idle socket never holds it open
    const agent = new Agent({ keepAlive, servername: '' } as AgentOptions);
    // docker-modem formats every request's options, agent included, with util.inspect(showHidden,
    // depth: null) for its debug log even when that log is off: walking the agent cost ~5 ms a request
    Object.defineProperty(agent, Symbol.for('nodejs.util.inspect.custom'), { value: () => '[Agent]' });
    return agent;
  };
  if (h.startsWith('unix://')) {
    o.socketPath = h.slice('unix://'.length);
    // made when dockerode first sends a request (streams, uploads, hijacks): listings, inspect and
    // the ping go through the socket client, and node's http is never loaded for them
    o.lazyAgent = socketAgent;
  } else if (h.startsWith('npipe://')) {
    o.socketPath = h.slice('npipe://'.length);
  } else if (h.startsWith('ssh://')) {
    // docker's connection helper: the system ssh runs `docker system dial-stdio` for every connection
    o.socketPath = await sshBridge(parseSshUrl(h), env);
    // every connection is an ssh process: requests reuse one, as Go's connection pool does
    o.agent = socketAgent(true);
    predial(o.agent as Agent, () => netConnect({ path: o.socketPath as string }));
  } else if (h.startsWith('fd://')) {
    throw new StatusError('Failed to initialize: unable to resolve docker endpoint: invalid bind address format: ' + h, 1);
  } else {
    const rest = h.replace(/^[a-z]+:\/\//, '');
    const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d*))?/.exec(rest)!;
    o.host = m[1].replace(/^\[|\]$/g, '');
    const tls = endpoint.tls;
    o.protocol = tls ? 'https' : 'http';
    o.port = m[2] || (tls ? '443' : '80');
    if (tls) {
      checkTlsMaterial(tls);
      if (tls.ca) o.ca = tls.ca;
      if (tls.cert && tls.key) {
        o.cert = tls.cert;
        o.key = tls.key;
      }
      // one secure context for every connection: the authority, certificate and key are parsed
      // once (node makes its bundled roots ready the first time a CA is added, ~20 ms). Without
      // verification no authority is needed: an empty list spares node those roots.
      let secureContext;
      try {
        secureContext = createSecureContext({ ca: tls.ca ?? (tls.skipVerify ? [] : undefined), cert: o.cert as Buffer | undefined, key: o.key as Buffer | undefined });
      } catch (e) {
        // what checkTlsMaterial let through and OpenSSL still refuses
        throw new StatusError(`Failed to initialize: failed to retrieve context tls info: ${(e as Error).message}`, 1);
      }
      // one TLS handshake for the ping and the requests after it, as Go's connection pool does;
      // hijacked connections go through this agent too, so they resume its TLS session
      const agent = new HttpsAgent({ keepAlive: true, rejectUnauthorized: !tls.skipVerify, ca: tls.ca, cert: o.cert as Buffer | undefined, key: o.key as Buffer | undefined, secureContext });
      Object.defineProperty(agent, Symbol.for('nodejs.util.inspect.custom'), { value: () => '[Agent]' });
      o.agent = agent;
      const host = o.host as string;
      // dialled as the agent dials a request's connection (the same session-cache key)
      const first: any = { ...(agent as any).options, host, port: o.port, servername: isIP(host) ? '' : host };
      first._agentKey = agent.getName(first);
      const create = (agent as any).createConnection;
      predial(agent, () => create.call(agent, first));
    } else {
      const proxy = proxyFor(o.host as string, o.port as string, env);
      if (proxy) o.agent = proxyAgent(proxy, `${m[1]}:${o.port}`);
    }
  }
  return o;
}

/**
 * Open the agent's first connection now, before dockerode is loaded and the command's request is
 * made: the TLS handshake, or the ssh process's login, runs while the client is still starting. The
 * first connection the agent asks for is this one (if it has not closed meanwhile: then a new one
 * is dialled, and its failure is the request's, with docker's text).
 */
function predial(agent: Agent, dial: () => Socket): void {
  let early: Socket | undefined = dial();
  // an error before the agent has it is the request's to report (a request made on it sees it too)
  early.on('error', () => {});
  const create = (agent as any).createConnection;
  (agent as any).createConnection = function (this: Agent, ...args: unknown[]) {
    const s = early;
    early = undefined;
    if (s && !s.destroyed) return s;
    return create.apply(this, args);
  };
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
 * A query string as docker-modem's buildQuerystring makes it: a map as JSON (filters), an array as the
 * key repeated (`changes=A&changes=B`, as docker's client sends it), null as an empty value.
 */
export function queryPairs(query: Record<string, unknown>): string {
  const pairs: [string, string][] = [];
  for (const k of Object.keys(query).sort()) {
    const v = query[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const e of v) pairs.push([k, e === null || e === undefined ? '' : String(e)]);
    else if (v === null) pairs.push([k, '']);
    else pairs.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  }
  return new URLSearchParams(pairs).toString();
}

/**
 * Create the engine client: loads dockerode (kept out of start-up), pings the engine and negotiates
 * the API version as docker does (DOCKER_API_VERSION pins it).
 */
export async function createEngine(endpoint: Endpoint, env: NodeJS.ProcessEnv): Promise<Engine> {
  // the endpoint's first connection is opened first (see predial); over ssh, one turn of the event
  // loop lets our bridge accept it and start ssh before dockerode's modules are evaluated
  const options = await modemOptions(endpoint, env);
  if (endpoint.host.startsWith('ssh://')) await new Promise((resolve) => setImmediate(resolve));
  const { default: DockerodeCtor } = await import('dockerode');
  const docker = new DockerodeCtor(options as Dockerode.DockerOptions);
  const modem = (docker as any).modem;
  if (endpoint.tls?.skipVerify) modem.ca = undefined;
  const lazyAgent = options.lazyAgent as (() => Agent) | undefined;
  if (lazyAgent) {
    let agent: Agent | undefined;
    Object.defineProperty(modem, 'agent', { enumerable: true, configurable: true, get: () => (agent ??= lazyAgent()), set: (a: Agent) => void (agent = a) });
  }
  const raw = endpoint.host.startsWith('unix://') ? new SocketClient(options.socketPath as string) : undefined;
  let serverVersion: string | undefined;
  let version = env.DOCKER_API_VERSION;
  if (!version) {
    // as docker's negotiation: an engine that cannot be reached leaves the client's own version, and
    // the command's first request reports the failure (with that request's URL)
    if (raw) {
      const answer = await raw.request('GET', '/_ping', { ...(modem.headers ?? {}) }).catch(() => undefined);
      serverVersion = answer?.headers['api-version'];
      version = serverVersion && compareVersions(serverVersion, CLIENT_API_VERSION) < 0 ? serverVersion : CLIENT_API_VERSION;
      modem.version = 'v' + version;
      return new Engine(docker, endpoint, version, serverVersion, raw);
    }
    const ping: IncomingMessage | undefined = await new Promise((resolve) => {
      modem.dial({ path: '/_ping', method: 'GET', statusCodes: { 200: true, 500: true, 503: true }, isStream: true, options: {} },
        (err: unknown, res: IncomingMessage) => resolve(err ? undefined : res));
    });
    if (ping) {
      // read to its end, so that the connection goes back to the pool before the next request
      // (over ssh a new connection is a new ssh process)
      await new Promise<void>((resolve) => {
        ping.once('end', resolve);
        ping.once('error', () => resolve());
        ping.once('close', () => resolve());
        ping.resume();
      });
    }
    serverVersion = ping?.headers['api-version'] as string | undefined;
    version = serverVersion && compareVersions(serverVersion, CLIENT_API_VERSION) < 0 ? serverVersion : CLIENT_API_VERSION;
  }
  modem.version = 'v' + version;
  return new Engine(docker, endpoint, version, serverVersion);
}


/** Evaluate the engine client's modules (dockerode) ahead: the startup snapshot holds them (src/entry.ts). */
export async function preloadEngine(): Promise<void> {
  await import('dockerode');
}
