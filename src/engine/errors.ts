import type { Endpoint } from '../cli/endpoint.js';
import { StatusError } from '../cli/errors.js';

/** An error answered by the engine (HTTP status >= 400), with the daemon's message. */
export class DaemonError extends StatusError {
  constructor(
    readonly daemonMessage: string,
    readonly statusCode: number,
  ) {
    super(`Error response from daemon: ${daemonMessage}`, 1);
  }
  get notFound(): boolean {
    return this.statusCode === 404;
  }
}

/** The engine could not be reached at all. */
export class ConnectError extends StatusError {}

interface RawError {
  statusCode?: number;
  json?: unknown;
  reason?: string;
  code?: string;
  message?: string;
}

/** The daemon's message from an error body, as docker shows it. */
export function daemonMessage(json: unknown, fallback: string): string {
  if (json && typeof json === 'object' && 'message' in json) return String((json as { message: unknown }).message);
  if (Buffer.isBuffer(json)) {
    const text = json.toString('utf8').trim();
    return text || fallback;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  return fallback;
}

/** Turn what dockerode/docker-modem or node's http throw into docker's messages. */
export function toEngineError(e: unknown, endpoint: Endpoint): Error {
  if (e instanceof StatusError) return e;
  const err = (e ?? {}) as RawError;
  if (typeof err.statusCode === 'number') {
    // for streamed requests docker-modem leaves json empty and puts the cause in its message
    const fromMessage = /^\(HTTP code \d+\) [^-]*- ([\s\S]*) $/.exec(err.message ?? '')?.[1];
    return new DaemonError(daemonMessage(err.json, fromMessage || err.reason || `HTTP ${err.statusCode}`), err.statusCode);
  }
  // node's http client when the answer's connection closes before its body ended: Go's unexpected EOF
  if (err.code === 'ECONNRESET' && err.message === 'aborted') return new StatusError('unexpected EOF', 1);
  switch (err.code) {
    case 'ENOENT':
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EHOSTUNREACH':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
    case 'EAI_AGAIN':
      return new ConnectError(`Cannot connect to the Docker daemon at ${endpoint.host}. Is the docker daemon running?`);
    case 'EACCES':
      return new ConnectError(
        `permission denied while trying to connect to the Docker daemon socket at ${endpoint.host}: ` +
          `Get "${socketUrl(endpoint)}/_ping": dial ${endpoint.host.replace('://', ' ')}: connect: permission denied`,
      );
  }
  return e instanceof Error ? e : new Error(String(e));
}

function socketUrl(endpoint: Endpoint): string {
  if (endpoint.host.startsWith('unix://')) return 'http://' + encodeURIComponent(endpoint.host.slice(7));
  return endpoint.host.replace(/^tcp:/, endpoint.tls ? 'https:' : 'http:');
}
