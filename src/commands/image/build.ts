import { writeFileSync } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { SilentError, StatusError } from '../../cli/errors.js';
import { encodeAuth, getAuth } from '../../engine/auth.js';
import { prepareContext } from '../../engine/context.js';
import { parseNormalized } from '../../engine/refs.js';
import { ramInBytes } from '../../engine/runopts.js';
import { humanSize } from '../../format/humanize.js';
import { displayJSONMessages, JSONMessageError } from '../../stream/progress.js';

export interface BuildOptions {
  addHost: string[];
  buildArg: string[];
  cacheFrom: string[];
  cgroupParent: string;
  compress: boolean;
  cpuPeriod: number;
  cpuQuota: number;
  cpuShares: number;
  cpusetCpus: string;
  cpusetMems: string;
  disableContentTrust: boolean;
  file: string;
  forceRm: boolean;
  iidfile: string;
  isolation: string;
  label: string[];
  memory: number;
  memorySwap: number;
  network: string;
  noCache: boolean;
  platform: string;
  pull: boolean;
  quiet: boolean;
  rm: boolean;
  securityOpt: string[];
  shmSize: number;
  squash: boolean;
  tag: string[];
  target: string;
  ulimit: string[];
}

export const spec = dockerSpec<BuildOptions>('image build', {
  args: exactArgs(1),
  flags: { memory: { parse: ramInBytes }, 'memory-swap': { parse: (v) => (v === '-1' ? -1 : ramInBytes(v)) }, 'shm-size': { parse: ramInBytes } },
  run: runBuild,
});

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

function kv(list: string[], env?: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const i = l.indexOf('=');
    if (i >= 0) out[l.slice(0, i)] = l.slice(i + 1);
    else if (env && env[l] !== undefined) out[l] = env[l]!;
    else if (!env) out[l] = '';
  }
  return out;
}

export async function runBuild(cli: Cli, o: BuildOptions, [context]: string[]): Promise<void> {
  for (const t of o.tag) {
    try {
      parseNormalized(t);
    } catch (e) {
      throw new StatusError(`invalid argument "${t}" for "-t, --tag" flag: ${(e as Error).message}`, 125);
    }
  }
  const spinner = cli.out.isTTY && !o.quiet ? (await import('ora')).default({ text: 'Preparing the build context', stream: cli.err.stream as NodeJS.WriteStream }).start() : undefined;
  let ctx;
  try {
    ctx = await prepareContext({ context, file: o.file, stdin: cli.in.stream, cwd: cli.cwd });
  } finally {
    spinner?.stop();
  }
  const engine = await cli.engine();
  let sent = 0;
  const counted = new PassThrough();
  ctx.body.on('data', (c: Buffer) => {
    sent += c.length;
  });
  ctx.body.pipe(counted);
  const progressOut = o.quiet ? undefined : cli.out.stream;
  ctx.body.on('end', () => {
    progressOut?.write(`Sending build context to Docker daemon  ${humanSize(sent, 4)}\r\n`.replace('\r\n', cli.out.isTTY ? '\r\n' : '\n'));
  });
  const auths: Record<string, unknown> = {};
  for (const key of Object.keys(cli.config.file.auths ?? {})) auths[key] = getAuth(cli, key);
  const query: Record<string, unknown> = {
    t: o.tag.length ? o.tag : undefined,
    dockerfile: ctx.dockerfile,
    buildargs: o.buildArg.length ? JSON.stringify(kv(o.buildArg, cli.env)) : undefined,
    labels: o.label.length ? JSON.stringify(kv(o.label)) : undefined,
    nocache: o.noCache ? '1' : undefined,
    pull: o.pull ? '1' : undefined,
    rm: o.rm ? '1' : '0',
    forcerm: o.forceRm ? '1' : undefined,
    q: o.quiet ? '1' : undefined,
    target: o.target || undefined,
    networkmode: o.network || undefined,
    extrahosts: o.addHost.length ? o.addHost.join(',') : undefined,
    platform: o.platform || undefined,
    cachefrom: o.cacheFrom.length ? JSON.stringify(o.cacheFrom) : undefined,
    shmsize: o.shmSize ? String(o.shmSize) : undefined,
    memory: o.memory ? String(o.memory) : undefined,
    memswap: o.memorySwap ? String(o.memorySwap) : undefined,
    cpushares: o.cpuShares || undefined,
    cpusetcpus: o.cpusetCpus || undefined,
    cpusetmems: o.cpusetMems || undefined,
    cpuperiod: o.cpuPeriod || undefined,
    cpuquota: o.cpuQuota || undefined,
    cgroupparent: o.cgroupParent || undefined,
    isolation: o.isolation || undefined,
    squash: o.squash ? '1' : undefined,
    ulimits: o.ulimit.length ? JSON.stringify(o.ulimit.map((u) => {
      const [Name, l = ''] = u.split('=');
      const [soft, hard = soft] = l.split(':');
      return { Name, Soft: Number(soft), Hard: Number(hard) };
    })) : undefined,
    version: '1',
  };
  let imageId = '';
  try {
    const res = await engine.stream({
      method: 'POST',
      path: '/build',
      query,
      file: counted,
      headers: { 'Content-Type': 'application/x-tar', 'X-Registry-Config': Buffer.from(JSON.stringify(auths)).toString('base64') },
    });
    void encodeAuth;
    const sink = o.quiet ? new Writable({ write: (_c, _e, cb) => cb() }) : cli.out.stream;
    await displayJSONMessages(res, sink, {
      isTerminal: cli.out.isTTY,
      width: cli.out.columns,
      onAux: (aux) => {
        if (typeof aux.ID === 'string') imageId = aux.ID;
      },
      onStream: (s) => {
        const m = /^Successfully built ([0-9a-f]+)/.exec(s);
        if (m && !imageId) imageId = m[1];
      },
    });
  } catch (e) {
    if (e instanceof JSONMessageError) {
      cli.warn(e.message + '\n');
      throw new SilentError(e.code || 1);
    }
    throw e;
  } finally {
    ctx.cleanup();
  }
  if (o.quiet) cli.print(`${imageId}\n`);
  if (o.iidfile && imageId) writeFileSync(o.iidfile, imageId);
}
