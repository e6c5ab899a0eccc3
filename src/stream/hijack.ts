/**
 * The engine's hijacked connections (attach, exec start): an HTTP upgrade to a raw duplex stream.
 * Done here rather than through docker-modem, whose chunked request body would reach the
 * container's stdin.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { Socket } from 'node:net';
import type { Engine } from '../engine/client.js';
import { DaemonError, daemonMessage, ConnectError } from '../engine/errors.js';
import { toEngineError } from '../engine/errors.js';

export function hijack(engine: Engine, path: string, query: Record<string, string>, body?: unknown): Promise<Socket> {
  const modem = engine.modem;
  const qs = new URLSearchParams(query).toString();
  const fullPath = `/v${engine.apiVersion}${path}${qs ? '?' + qs : ''}`;
  const data = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'tcp',
    'Content-Type': body === undefined ? 'text/plain' : 'application/json',
    'Content-Length': String(Buffer.byteLength(data)),
    'User-Agent': 'Docker-Client/28.2.2 (linux)',
  };
  const opts: RequestOptions = { method: 'POST', path: fullPath, headers };
  if (modem.socketPath) opts.socketPath = modem.socketPath;
  else {
    opts.host = modem.host;
    opts.port = modem.port;
    if (modem.protocol === 'https') Object.assign(opts, { ca: modem.ca, cert: modem.cert, key: modem.key, rejectUnauthorized: !!modem.ca });
  }
  const request = modem.protocol === 'https' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(opts);
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = text;
        try {
          json = JSON.parse(text);
        } catch {
          // plain text
        }
        if ((res.statusCode ?? 500) >= 400) reject(new DaemonError(daemonMessage(json, text.trim()), res.statusCode ?? 500));
        else reject(new ConnectError('the engine did not upgrade the connection'));
      });
    });
    req.on('error', (e) => reject(toEngineError(e, engine.endpoint)));
    req.end(data);
  });
}
