import type { Readable, Writable } from 'node:stream';
import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';
import { truncateId } from '../../format/humanize.js';
import { copyRaw } from '../../stream/demux.js';
import { timestampArg } from '../container/logs.js';
import { IdResolver } from './resolve.js';

export interface ServiceLogsOptions {
  details: boolean;
  follow: boolean;
  noResolve: boolean;
  noTaskIds: boolean;
  noTrunc: boolean;
  raw: boolean;
  since: string;
  tail: string;
  timestamps: boolean;
}

export const spec = dockerSpec<ServiceLogsOptions>('service logs', { args: exactArgs(1), run: runServiceLogs });

const digits = (n: number): number => String(n).length;

/** logdetails.Parse: comma-separated, query-escaped key=value pairs */
function parseDetails(s: string): Map<string, string> {
  const m = new Map<string, string>();
  if (s === '') return m;
  for (const pair of s.split(',')) {
    const i = pair.indexOf('=');
    if (i < 0) throw new StatusError('invalid details format', 1);
    const un = (x: string): string => decodeURIComponent(x.replace(/\+/g, ' '));
    m.set(un(pair.slice(0, i)), un(pair.slice(i + 1)));
  }
  return m;
}

/**
 * The frames of docker's stdcopy stream, one at a time (each a log line with its details). Read with
 * 'data' listeners (the engine's raw socket delivers its body so), paused while a frame is handled.
 */
function eachFrame(source: Readable, handle: (stream: number, payload: Buffer) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf: Buffer = Buffer.alloc(0);
    let busy = false;
    let ended = false;
    let failed = false;
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      source.pause();
      try {
        while (buf.length >= 8 && buf.length >= 8 + buf.readUInt32BE(4)) {
          const size = buf.readUInt32BE(4);
          const stream = buf[0];
          const payload = buf.subarray(8, 8 + size);
          buf = buf.subarray(8 + size);
          await handle(stream, payload);
        }
      } catch (e) {
        failed = true;
        source.destroy();
        reject(e);
        return;
      } finally {
        busy = false;
      }
      if (ended) resolve();
      else source.resume();
    };
    source.on('data', (chunk: Buffer) => {
      // the chunks may be regions of the socket's own read buffer, reused by the next read: copied
      buf = Buffer.concat([buf, chunk]);
      void pump();
    });
    source.on('end', () => {
      ended = true;
      if (!busy && !failed) void pump();
    });
    source.on('error', (e) => {
      if (!failed) reject(e);
      failed = true;
    });
  });
}

const write = (w: Writable, b: Buffer | string): Promise<void> => new Promise((resolve, reject) => w.write(b, (e) => (e ? reject(e) : resolve())));

export async function runServiceLogs(cli: Cli, o: ServiceLogsOptions, [target]: string[]): Promise<void> {
  const engine = await cli.engine();
  let maxLength = 1;
  let tty: boolean;
  let kind: 'services' | 'tasks' = 'services';
  try {
    const svc = await engine.json<any>({ path: `/services/${encodeURIComponent(target)}` });
    tty = !!svc.Spec.TaskTemplate?.ContainerSpec?.TTY;
    const replicas = svc.Spec.Mode?.Replicated?.Replicas;
    if (replicas !== undefined && replicas !== null) maxLength = digits(replicas);
  } catch (e) {
    if (!(e instanceof DaemonError && e.notFound)) throw e;
    let task: any;
    try {
      task = await engine.json<any>({ path: `/tasks/${encodeURIComponent(target)}` });
    } catch (e2) {
      if (e2 instanceof DaemonError && e2.notFound) throw new StatusError(`no such task or service: ${target}`, 1);
      throw e2;
    }
    tty = !!task.Spec?.ContainerSpec?.TTY;
    maxLength = digits(task.Slot ?? 0);
    kind = 'tasks';
  }
  if (tty && !o.raw) throw new StatusError('tty service logs only supported with --raw', 1);
  const { body } = await engine.streamBody(`/${kind}/${encodeURIComponent(target)}/logs`, {
    stdout: '1',
    stderr: '1',
    since: o.since ? timestampArg(o.since) : undefined,
    timestamps: o.timestamps ? '1' : undefined,
    follow: o.follow ? '1' : undefined,
    tail: o.tail,
    details: o.details || !o.raw ? '1' : undefined,
  });
  if (tty) {
    await copyRaw(body, cli.out.stream);
    return;
  }
  const formatter = new TaskFormatter(engine, o, maxLength);
  await eachFrame(body, async (stream, payload) => {
    const dst = stream === 2 ? cli.err.stream : cli.out.stream;
    await write(dst, o.raw ? payload : await formatter.line(payload));
  });
}

/** taskFormatter and logWriter: "service.slot.task@node    | " before each line */
class TaskFormatter {
  private cache = new Map<string, string>();
  private r: IdResolver;
  constructor(
    private readonly engine: Engine,
    private readonly o: ServiceLogsOptions,
    private readonly padding: number,
  ) {
    this.r = new IdResolver(engine, o.noResolve);
  }

  async line(buf: Buffer): Promise<Buffer> {
    const numParts = this.o.timestamps ? 3 : 2;
    const parts: Buffer[] = [];
    let rest = buf;
    while (parts.length < numParts - 1) {
      const i = rest.indexOf(0x20);
      if (i < 0) break;
      parts.push(rest.subarray(0, i));
      rest = rest.subarray(i + 1);
    }
    parts.push(rest);
    if (parts.length !== numParts) throw new StatusError(`invalid context in log message: ${buf.toString()}`, 1);
    const di = this.o.timestamps ? 1 : 0;
    const details = parseDetails(parts[di].toString());
    const take = (k: string, what: string): string => {
      const v = details.get(k);
      if (v === undefined) throw new StatusError(`missing ${what} id in details: map[${[...details].map(([a, b]) => `${a}:${b}`).join(' ')}]`, 1);
      details.delete(k);
      return v;
    };
    const nodeID = take('com.docker.swarm.node.id', 'node');
    const serviceID = take('com.docker.swarm.service.id', 'service');
    const taskID = take('com.docker.swarm.task.id', 'task');
    let out = this.o.timestamps ? parts[0].toString() + ' ' : '';
    out += (await this.format(nodeID, serviceID, taskID)) + '    | ';
    if (this.o.details) out += [...details].map(([k, v]) => `${k}=${v}`).sort().join(',') + ' ';
    return Buffer.concat([Buffer.from(out), parts[di + 1]]);
  }

  private async format(nodeID: string, serviceID: string, taskID: string): Promise<string> {
    const key = `${nodeID}/${serviceID}/${taskID}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const node = await this.r.resolve('node', nodeID);
    const svc = await this.r.resolve('service', serviceID);
    const task = await this.engine.json<any>({ path: `/tasks/${encodeURIComponent(taskID)}` });
    let name = `${svc}.${task.Slot ?? 0}`;
    if (!this.o.noTaskIds) name += '.' + (this.o.noTrunc ? task.ID : truncateId(task.ID));
    const pad = this.padding - digits(task.Slot ?? 0);
    const formatted = `${name}@${node}${pad > 0 ? ' '.repeat(pad) : ''}`;
    this.cache.set(key, formatted);
    return formatted;
  }
}
