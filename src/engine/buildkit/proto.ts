/** The BuildKit wire messages, loaded from proto/buildkit.proto with protobufjs. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

function protoFile(): string {
  const roots: string[] = [];
  if (typeof globalThis !== 'undefined' && (globalThis as any).__tdockerRoot) roots.push((globalThis as any).__tdockerRoot);
  try {
    roots.push(join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..'));
  } catch {
    // bundled as CommonJS: import.meta is empty
  }
  for (const r of roots) {
    const p = join(r, 'proto', 'buildkit.proto');
    if (existsSync(p)) return p;
  }
  throw new Error('proto/buildkit.proto not found');
}

let root: protobuf.Root | undefined;
export function type(name: string): protobuf.Type {
  root ??= protobuf.loadSync(protoFile());
  return root.lookupType(`tdocker.buildkit.${name}`);
}

export const PacketType = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;

export interface Timestamp {
  seconds: number;
  nanos: number;
}
export interface Vertex {
  digest: string;
  inputs: string[];
  name: string;
  cached: boolean;
  started?: Timestamp;
  completed?: Timestamp;
  error: string;
}
export interface VertexStatus {
  ID: string;
  vertex: string;
  name: string;
  current: number;
  total: number;
  timestamp?: Timestamp;
  started?: Timestamp;
  completed?: Timestamp;
}
export interface VertexLog {
  vertex: string;
  timestamp?: Timestamp;
  stream: number;
  msg: Buffer;
}
export interface StatusResponse {
  vertexes: Vertex[];
  statuses: VertexStatus[];
  logs: VertexLog[];
}

export function decodeStatus(b64: string): StatusResponse {
  const t = type('StatusResponse');
  const m = t.toObject(t.decode(Buffer.from(b64, 'base64')), { longs: Number, defaults: true, arrays: true }) as StatusResponse;
  for (const l of m.logs) l.msg = Buffer.from(l.msg);
  return m;
}

/** nanoseconds since the epoch, as a float of milliseconds */
export function ms(t: Timestamp | undefined): number | undefined {
  if (!t) return undefined;
  return Number(t.seconds) * 1000 + t.nanos / 1e6;
}
