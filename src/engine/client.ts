import { Agent, type AgentOptions, type IncomingMessage } from 'node:http';
import type { Duplex, Readable } from 'node:stream';
import { connect as netConnect } from 'node:net';
import { Agent as HttpsAgent } from 'node:https';
import { lastSshFailure, proxyAgent, proxyFor } from './transport.js';
import { remoteClient, tcpHostPort } from './remote.js';
import type Dockerode from 'dockerode';
import type { Endpoint } from '../cli/endpoint.js';
import type { EngineClient, RequestOptions } from '../cli/engine-client.js';
import type { Socket } from 'node:net';
import { hijack, streamBody } from './hijack.js';
import { cleanPath } from '../go/path.js';
import { redirectOutcome, toEngineError } from './errors.js';
import { goJSONError, StatusError } from '../cli/errors.js';
import { SocketClient, type RawAnswer } from './socketclient.js';
import { TlsDialer } from './tlsdial.js';

import { CLIENT_API_VERSION, CLIENT_HEADERS, negotiatedVersion, pingRaw, queryPairs } from './negotiate.js';

export { CLIENT_API_VERSION, queryPairs };

/** marks a request's statusCodes when its body is a stream (docker-modem hands them to buildPayload) */
const STREAMED = Symbol('streamed body');

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
    /** a tcp:// engine's TLS connections */
    private readonly tlsDialer?: TlsDialer,
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
    modem.buildPayload = function (this: unknown, err: unknown, isStream: boolean, statusCodes: Record<number, boolean>, openStdin: unknown, req: { method?: string }, res: IncomingMessage, json: unknown, cb: (e: unknown, d?: unknown) => void) {
      if (!err && !isStream && res && res.complete === false) return cb(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      if (!err && res?.statusCode) {
        // a redirect is never followed: docker's outcome for it (see redirectOutcome)
        const r = redirectOutcome(res.statusCode, req.method ?? 'GET', res.headers.location, STREAMED in statusCodes);
        if (r instanceof Error) return cb(r);
        if (r === 'success') {
          // the 3xx answer read as the request's success: an empty one is where Go's decoder meets EOF
          if (!isStream && Buffer.isBuffer(json) && json.length === 0 && !(res.statusCode in statusCodes)) return cb(new StatusError('EOF', 1));
          statusCodes = { ...statusCodes, [res.statusCode]: true };
        }
      }
      return build.call(this, err, isStream, statusCodes, openStdin, req, res, json, cb);
    };
  }

  private dial(o: RequestOptions, isStream: boolean): Promise<any> {
    this.guardTruncation();
    const statusCodes: Record<number | symbol, boolean> = { 200: true, 201: true, 204: true };
    for (const s of o.okStatus ?? []) statusCodes[s] = true;
    // what the redirect rule needs to know: whether the body is a stream Go could not send again
    if (o.file) Object.defineProperty(statusCodes, STREAMED, { value: true });
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
    const info = { method: opts.method as string, path: `/v${this.apiVersion}${o.path}${q ? '?' + q : ''}`, upload: !!o.file };
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
    let ok = answer.status === 200 || answer.status === 201 || answer.status === 204 || (o.okStatus ?? []).includes(answer.status);
    const redirect = ok ? undefined : redirectOutcome(answer.status, method, answer.headers.location, false);
    if (redirect instanceof Error) throw redirect;
    if (redirect === 'success') {
      // the 3xx answer read as the request's success: an empty one is where Go's decoder meets EOF
      if (answer.body.length === 0) throw new StatusError('EOF', 1);
      ok = true;
    }
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
      } else if (this.tlsDialer) {
        this.tlsDialer.connect({ allowHalfOpen: true }).then(resolve, onError);
        return;
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
    headers: { ...CLIENT_HEADERS },
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
    // docker's connection helper: the system ssh runs `docker system dial-stdio` for every connection;
    // whole answers go through the socket client (src/engine/remote.ts), whose first connection (an
    // ssh process) starts now; node's agent (streams, uploads) takes the socket client's idle one
    // before it makes another, and keeps its own for the next request, as Go's pool does
    const remote = (await remoteClient(endpoint, env))!;
    o.socketPath = remote.socketPath;
    o.raw = remote.raw;
    o.lazyAgent = () => shareIdle(socketAgent(true), remote.raw);
  } else if (h.startsWith('fd://')) {
    throw new StatusError('Failed to initialize: unable to resolve docker endpoint: invalid bind address format: ' + h, 1);
  } else {
    const tls = endpoint.tls;
    const hp = tcpHostPort(h, !!tls);
    o.host = hp.host;
    o.protocol = tls ? 'https' : 'http';
    o.port = hp.port;
    if (tls) {
      // every connection is made by one dialer: one secure context (certificate and key parsed once),
      // the first connection's TLS session resumed, the server verified as Go does (src/engine/tlsdial.ts);
      // whole answers (the ping, listings, inspect) go through the socket client, without node's http,
      // https and dockerode, its first connection (the handshake) opened now, while the client loads
      const remote = (await remoteClient(endpoint, env))!;
      const dialer = remote.tlsDialer!;
      const raw = remote.raw;
      if (tls.ca) o.ca = tls.ca;
      if (tls.cert && tls.key) {
        o.cert = tls.cert;
        o.key = tls.key;
      }
      o.tlsDialer = dialer;
      o.raw = raw;
      // streams, uploads and hijacked connections: node's https agent (made when first needed), whose
      // connections are the dialer's, an idle one of the socket client's first
      o.lazyAgent = () => {
        const agent = new HttpsAgent({ keepAlive: true, secureContext: dialer.secureContext, rejectUnauthorized: false });
        Object.defineProperty(agent, Symbol.for('nodejs.util.inspect.custom'), { value: () => '[Agent]' });
        (agent as any).createConnection = (_options: unknown, oncreate: (err: Error | null, s?: Socket) => void): Socket | undefined => {
          const idle = raw.take();
          if (idle) return idle;
          dialer.connect().then((s) => oncreate(null, s), (e: Error) => oncreate(e));
          return undefined;
        };
        return agent;
      };
    } else {
      const proxy = proxyFor(o.host as string, o.port as string, env);
      if (proxy) o.agent = proxyAgent(proxy, hp.hostPort);
    }
  }
  return o;
}

/** node's agent takes the socket client's idle connection before it dials one (over ssh, one ssh process less) */
function shareIdle(agent: Agent, raw: SocketClient): Agent {
  const create = (agent as any).createConnection;
  (agent as any).createConnection = function (this: Agent, ...args: unknown[]) {
    return raw.take() ?? create.apply(this, args);
  };
  return agent;
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
  const tlsDialer = options.tlsDialer as TlsDialer | undefined;
  const raw = endpoint.host.startsWith('unix://') ? new SocketClient(options.socketPath as string) : (options.raw as SocketClient | undefined);
  delete options.raw;
  delete options.tlsDialer;
  const docker = new DockerodeCtor(options as Dockerode.DockerOptions);
  const modem = (docker as any).modem;
  if (endpoint.tls?.skipVerify) modem.ca = undefined;
  const lazyAgent = options.lazyAgent as (() => Agent) | undefined;
  if (lazyAgent) {
    let agent: Agent | undefined;
    Object.defineProperty(modem, 'agent', { enumerable: true, configurable: true, get: () => (agent ??= lazyAgent()), set: (a: Agent) => void (agent = a) });
  }
  let serverVersion: string | undefined;
  let version = env.DOCKER_API_VERSION;
  if (!version) {
    // as docker's negotiation: an engine that cannot be reached leaves the client's own version, and
    // the command's first request reports the failure (with that request's URL)
    if (raw) {
      ({ serverVersion, version } = await pingRaw(raw, modem.headers ?? {}));
      modem.version = 'v' + version;
      return new Engine(docker, endpoint, version, serverVersion, raw, tlsDialer);
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
    version = negotiatedVersion(serverVersion);
  }
  modem.version = 'v' + version;
  return new Engine(docker, endpoint, version, serverVersion, raw, tlsDialer);
}


/** Evaluate the engine client's modules (dockerode) ahead: the startup snapshot holds them (src/entry.ts). */
export async function preloadEngine(): Promise<void> {
  await import('dockerode');
}
