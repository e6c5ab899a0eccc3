/**
 * What every engine client of tdocker shares, kept light (no dockerode, no node:http): the API
 * version this client speaks, docker's version negotiation over a /_ping answer, docker-modem's
 * query strings, and the headers docker sends. src/engine/client.ts and the start-up fast path
 * (src/fast.ts) both use them, so a request is the same bytes whichever path sends it.
 */
import type { SocketClient } from './socketclient.js';

/** The highest API version this client speaks (docker 28.2's). */
export const CLIENT_API_VERSION = '1.50';

/** The headers docker's client sends with every request. */
export const CLIENT_HEADERS: Readonly<Record<string, string>> = { 'User-Agent': 'Docker-Client/28.2.2 (linux)' };

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** docker's negotiation: the server's version when it is lower than ours, else ours. */
export function negotiatedVersion(serverVersion: string | undefined): string {
  return serverVersion && compareVersions(serverVersion, CLIENT_API_VERSION) < 0 ? serverVersion : CLIENT_API_VERSION;
}

/**
 * Ping the engine over a local socket; an engine that cannot be reached leaves the client's own
 * version (the command's first request then reports the failure, with that request's URL).
 */
export async function pingRaw(raw: SocketClient, headers: Record<string, string>): Promise<{ serverVersion?: string; version: string }> {
  const answer = await raw.request('GET', '/_ping', { ...headers }).catch(() => undefined);
  const serverVersion = answer?.headers['api-version'];
  return { serverVersion, version: negotiatedVersion(serverVersion) };
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
