/**
 * The engine as commands see it: `await cli.engine()` gives an EngineClient. src/engine/client.ts's
 * Engine implements it over dockerode and raw sockets; tests hand commands a fake of it.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex, Readable } from 'node:stream';
import type { Endpoint } from './endpoint.js';

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

export interface EngineClient {
  readonly endpoint: Endpoint;
  /** the negotiated API version ("1.41") */
  readonly apiVersion: string;
  /** the server's API version from /_ping, when known */
  readonly serverApiVersion: string | undefined;
  /** A request whose answer is JSON (or empty). Throws DaemonError / ConnectError. */
  json<T = any>(o: RequestOptions): Promise<T>;
  /** A request whose answer is returned as the engine's raw text (inspect keeps the engine's JSON bytes). */
  text(o: RequestOptions): Promise<string>;
  /** A request whose answer is streamed (logs, pull progress, export). */
  stream(o: RequestOptions): Promise<IncomingMessage>;
  /** Map any error to docker's message for this endpoint. */
  error(e: unknown): Error;
  /** A hijacked connection (attach, exec start): the raw duplex stream after the HTTP upgrade. */
  hijack(path: string, query: Record<string, string>, body?: unknown): Promise<Socket>;
  /**
   * A long streamed answer (logs, cp's archive; POST: a container's wait) read on a socket of our own.
   * Read it with 'data' and 'end' listeners (the socket's chunks do not go through read()).
   */
  streamBody(path: string, query: Record<string, string | undefined>, method?: 'GET' | 'POST'): Promise<{ body: Readable; headers: Record<string, string | string[] | undefined> }>;
  /** A raw connection to the engine's socket (docker system dial-stdio). */
  dialRaw(): Promise<Duplex>;
}
