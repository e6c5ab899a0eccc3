import { isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import type { Endpoint } from '../cli/endpoint.js';
import { StatusError } from '../cli/errors.js';
import { requestUrl } from './transport.js';

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
  if (json && typeof json === 'object' && 'message' in json) return String((json as { message: unknown }).message).trim(); // moby's client trims it
  if (Buffer.isBuffer(json)) {
    const text = json.toString('utf8').trim();
    return text || fallback;
  }
  if (typeof json === 'string' && json.trim()) return json.trim();
  return fallback;
}

/** The redirect statuses Go's http.Client follows. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * What docker's client makes of a redirect the engine answers (moby's CheckRedirect on Go's
 * http.Client): a GET gets the 3xx answer itself, read as a success; any other method fails with
 * `error during connect: Post "<Location>": unexpected redirect in response`, the new host never asked.
 * Go follows no 307/308 whose request had a streamed body (it could not send it again), nor an
 * answer without a Location: those too are read as a success. Undefined when `status` is no redirect.
 */
export function redirectOutcome(status: number, method: string, location: string | undefined, streamedBody: boolean): Error | 'success' | undefined {
  if (!REDIRECTS.has(status)) return undefined;
  const m = method.toUpperCase();
  if (!location || m === 'GET' || ((status === 307 || status === 308) && streamedBody)) return 'success';
  return new ConnectError(`error during connect: ${m[0]}${m.slice(1).toLowerCase()} "${location}": unexpected redirect in response`, 1);
}

/** The request an error belongs to, for Go's `error during connect: Get "URL": ...` */
export interface RequestInfo {
  method: string;
  /** the path with version and query, e.g. /v1.50/containers/json?all=1 */
  path: string;
}

/** Node's TLS failure as Go's crypto/tls words it. */
export function tlsMessage(err: RawError & { host?: string; goText?: string }, host: string): string | undefined {
  // verified in this process (src/engine/tlsdial.ts): Go's own text is known
  if (typeof err.goText === 'string' && err.code !== 'ERR_TLS_CERT_ALTNAME_INVALID') return `tls: failed to verify certificate: ${err.goText}`;
  switch (err.code) {
    case 'UNSUPPORTED_CERTIFICATE_PURPOSE':
      return 'tls: failed to verify certificate: x509: certificate specifies an incompatible key usage';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return 'tls: failed to verify certificate: x509: certificate signed by unknown authority';
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return 'tls: failed to verify certificate: x509: certificate has expired or is not yet valid';
    case 'ERR_TLS_CERT_ALTNAME_INVALID': {
      // Go's Certificate.VerifyHostname
      const san = String((err as { cert?: { subjectaltname?: string } }).cert?.subjectaltname ?? '');
      const entries = san ? san.split(', ') : [];
      const ips = entries.filter((x) => x.startsWith('IP Address:')).map((x) => x.slice(11));
      const dns = entries.filter((x) => x.startsWith('DNS:')).map((x) => x.slice(4));
      const pre = 'tls: failed to verify certificate: x509: ';
      if (isIP(host)) {
        if (ips.length === 0) return `${pre}cannot validate certificate for ${host} because it doesn't contain any IP SANs`;
        return `${pre}certificate is valid for ${ips.join(', ')}, not ${host}`;
      }
      if (dns.length === 0) return `${pre}certificate is not valid for any names, but wanted to match ${host}`;
      return `${pre}certificate is valid for ${dns.join(', ')}, not ${host}`;
    }
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
      return 'remote error: tls: certificate required';
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
      return 'remote error: tls: bad certificate';
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return 'remote error: tls: handshake failure';
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return 'tls: first record does not look like a TLS handshake';
  }
  return undefined;
}

let nameserver: string | undefined;
function firstNameserver(): string {
  if (nameserver !== undefined) return nameserver;
  try {
    const text = readFileSync('/etc/resolv.conf', 'utf8');
    const m = /^\s*nameserver\s+(\S+)/m.exec(text);
    nameserver = m ? (m[1].includes(':') ? `[${m[1]}]:53` : `${m[1]}:53`) : '127.0.0.1:53';
  } catch {
    nameserver = '127.0.0.1:53';
  }
  return nameserver;
}

/**
 * A request's path as Go's url.URL prints it (EscapedPath): docker builds paths unescaped
 * (`/images/127.0.0.1:5000/x/push`), Go escapes what a path may not hold and keeps `$&+,/:;=@`.
 * The query, already escaped as Go's url.Values does, is kept.
 */
export function goEscapedPath(pathAndQuery: string): string {
  const q = pathAndQuery.indexOf('?');
  const path = q < 0 ? pathAndQuery : pathAndQuery.slice(0, q);
  let plain: string;
  try {
    plain = decodeURIComponent(path);
  } catch {
    plain = path;
  }
  let out = '';
  for (const b of Buffer.from(plain, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return q < 0 ? out : out + pathAndQuery.slice(q);
}

/** Turn what dockerode/docker-modem or node's http throw into docker's messages. */
export function toEngineError(e: unknown, endpoint: Endpoint, req?: RequestInfo, connectFailure?: () => string | undefined): Error {
  if (e instanceof StatusError) return e;
  const err = (e ?? {}) as RawError;
  if (typeof err.statusCode === 'number') {
    // for streamed requests docker-modem leaves json empty and puts the cause in its message
    const fromMessage = /^\(HTTP code \d+\) [^-]*- ([\s\S]*) $/.exec(err.message ?? '')?.[1];
    return new DaemonError(daemonMessage(err.json, fromMessage || err.reason || `HTTP ${err.statusCode}`), err.statusCode);
  }
  // node's http client when the answer's connection closes before its body ended: Go's unexpected EOF
  if (err.code === 'ECONNRESET' && err.message === 'aborted') return new StatusError('unexpected EOF', 1);
  const tcp = !/^(unix|npipe|ssh|fd):\/\//.test(endpoint.host);
  const url = (): string => requestUrl(endpoint, !!endpoint.tls, goEscapedPath(req?.path ?? '/_ping'));
  const op = (): string => {
    const m = (req?.method ?? 'GET').toUpperCase();
    return m[0] + m.slice(1).toLowerCase();
  };
  if (endpoint.host.startsWith('ssh://')) {
    const why = connectFailure?.();
    // docker prints the message and a newline: ssh's stderr keeps its own line end before it
    if (why) return new ConnectError(`error during connect: ${op()} "${url()}": ${why}${why.endsWith('\n') ? '\n' : ''}`);
  }
  // the engine gone while the request's body was being written (an upload cut short)
  if ((err.code === 'EPIPE' || err.code === 'ECONNRESET') && (err as { syscall?: string }).syscall === 'write' && endpoint.host.startsWith('unix://')) {
    return new ConnectError(`error during connect: ${op()} "${url()}": write unix @->${endpoint.host.slice(7)}: write: ${err.code === 'EPIPE' ? 'broken pipe' : 'connection reset by peer'}`);
  }
  // connected, then the connection closed before any answer: Go's transport reads EOF (after one retry of an idempotent request)
  if (err.code === 'ECONNRESET' && err.message === 'socket hang up') return new ConnectError(`error during connect: ${op()} "${url()}": EOF`);
  if (tcp) {
    const hostname = endpoint.host.replace(/^[a-z]+:\/\//, '').replace(/(:\d+)?(\/.*)?$/, '').replace(/^\[|\]$/g, '');
    const t = tlsMessage(err, hostname);
    if (t) return new ConnectError(`error during connect: ${op()} "${url()}": ${t}`);
    if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
      return new ConnectError(`error during connect: ${op()} "${url()}": dial tcp: lookup ${hostname} on ${firstNameserver()}: no such host`);
    }
  }
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

/** A hijacked request (attach, exec start) that could not dial: docker's hijack words it its own way. */
export function hijackDialError(e: unknown, endpoint: Endpoint): Error {
  const err = (e ?? {}) as RawError;
  const tcp = !/^(unix|npipe|ssh|fd):\/\//.test(endpoint.host);
  if (tcp) {
    const hostPort = endpoint.host.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
    const hostname = hostPort.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    const pre = "cannot connect to the Docker daemon. Is 'docker daemon' running on this host?: ";
    if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return new ConnectError(`${pre}dial tcp: lookup ${hostname} on ${firstNameserver()}: no such host`);
    if (err.code === 'ECONNREFUSED') return new ConnectError(`${pre}dial tcp ${hostPort}: connect: connection refused`);
  }
  return toEngineError(e, endpoint);
}
