import { rmSync, writeFileSync } from 'node:fs';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { allCredentials } from '../../engine/auth.js';
import { prepareContext } from './build-context.js';
import { parseNormalized } from '../../engine/refs.js';
import { refuseContentTrust } from '../../engine/trust.js';
import { parseUlimit, ramInBytes } from '../../cli/opts.js';
import { regularFile } from '../../stream/filesource.js';
import { buildkitEnv, LEGACY_NOTICE, runBuildKit, type BuildKitExtra } from './buildkit.js';
import { displayJSONMessages, JSONMessageError, progressBar } from '../../stream/progress.js';

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

const base = dockerSpec<BuildOptions & BuildKitExtra>('image build', {
  args: exactArgs(1),
  flags: { memory: { parse: ramInBytes }, 'memory-swap': { parse: (v) => (v === '-1' ? -1 : ramInBytes(v)) }, 'shm-size': { parse: ramInBytes }, ulimit: { parse: (v) => (parseUlimit(v), v) }, tag: { parse: (v) => (parseNormalized(v), v) } },
  run: runBuild,
});
// BuildKit's flags (buildx's help texts)
export const spec = {
  ...base,
  flags: [
    ...(base.flags ?? []),
    { name: 'progress', kind: 'string', typeName: 'string', usage: 'Set type of progress output ("auto", "plain", "tty", "quiet", "rawjson"). Use plain to show container output', defaultText: '"auto"', default: 'auto' },
    { name: 'secret', kind: 'list', typeName: 'stringArray', usage: 'Secret to expose to the build (format: "id=mysecret[,src=/local/secret]")', default: [] },
    { name: 'output', short: 'o', kind: 'list', typeName: 'stringArray', usage: 'Output destination (format: "type=local,dest=path")', default: [] },
    { name: 'ssh', kind: 'list', typeName: 'stringArray', usage: 'SSH agent socket or keys to expose to the build (format: "default|<id>[=<socket>|<key>[,<key>]]")', default: [] },
    { name: 'metadata-file', kind: 'string', typeName: 'string', usage: 'Write build result metadata to a file', default: '' },
  ].sort((a, b) => (a.name < b.name ? -1 : 1)) as typeof base.flags,
};

/** opts.ValidateEnv + ConvertKVStringsToMapWithNil: "KEY" takes the environment's value, or null when unset. */
export function buildArgs(list: string[], env: NodeJS.ProcessEnv): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const l of list) {
    const i = l.indexOf('=');
    if (i >= 0) out[l.slice(0, i)] = l.slice(i + 1);
    else out[l] = env[l] ?? null;
  }
  return out;
}

/** opts.ConvertKVStringsToMap: "KEY" alone is an empty value. */
export function labelMap(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const i = l.indexOf('=');
    if (i >= 0) out[l.slice(0, i)] = l.slice(i + 1);
    else out[l] = '';
  }
  return out;
}


/**
 * The /build query as docker's client makes it (imageBuildOptionsToQuery): only what differs from the
 * engine's defaults, lists as repeated parameters (t, extrahosts, securityopt), maps and lists of
 * objects as JSON, keys in order.
 */
export function buildQuery(o: BuildOptions, dockerfile: string, ulimits: ReturnType<typeof parseUlimit>[], args: Record<string, string | null>, platform: string): Record<string, unknown> {
  const json = (v: unknown, empty: boolean): string | undefined => (empty ? undefined : JSON.stringify(v));
  const num = (n: number | undefined): string | undefined => (n ? String(n) : undefined);
  const query: Record<string, unknown> = {
    buildargs: json(args, Object.keys(args).length === 0),
    cachefrom: json(o.cacheFrom, o.cacheFrom.length === 0),
    cgroupparent: o.cgroupParent || undefined,
    cpuperiod: num(o.cpuPeriod),
    cpuquota: num(o.cpuQuota),
    cpusetcpus: o.cpusetCpus || undefined,
    cpusetmems: o.cpusetMems || undefined,
    cpushares: num(o.cpuShares),
    dockerfile: dockerfile || undefined,
    extrahosts: o.addHost.length ? o.addHost : undefined,
    forcerm: o.forceRm ? '1' : undefined,
    isolation: o.isolation && o.isolation.toLowerCase() !== 'default' ? o.isolation : undefined,
    labels: json(labelMap(o.label), o.label.length === 0),
    memory: num(o.memory),
    memswap: num(o.memorySwap),
    networkmode: o.network && o.network !== 'default' ? o.network : undefined,
    nocache: o.noCache ? '1' : undefined,
    platform: platform ? platform.toLowerCase() : undefined,
    pull: o.pull ? '1' : undefined,
    q: o.quiet ? '1' : undefined,
    // the engine removes intermediate containers unless told not to
    rm: o.rm ? undefined : '0',
    securityopt: o.securityOpt.length ? o.securityOpt : undefined,
    shmsize: num(o.shmSize),
    squash: o.squash ? '1' : undefined,
    t: o.tag.length ? o.tag : undefined,
    target: o.target || undefined,
    ulimits: json(ulimits, ulimits.length === 0),
    version: '1',
  };
  for (const k of Object.keys(query)) if (query[k] === undefined) delete query[k];
  return query;
}

/** streamformatter's raw progress line for the context upload: the size right-aligned in 8 columns. */
export function sendingLine(bytes: number, last: boolean): string {
  return `Sending build context to Docker daemon ${progressBar({ current: bytes }, 0)}\r${last ? '\r\n' : ''}`;
}

export async function runBuild(cli: Cli, o: BuildOptions & Partial<BuildKitExtra>, [context]: string[], inv?: Invocation): Promise<void> {
  refuseContentTrust(cli, o.disableContentTrust, inv?.changed);
  const bk = buildkitEnv(cli.env.DOCKER_BUILDKIT);
  if (bk === false) cli.err.stream.write(LEGACY_NOTICE);
  else {
    if (o.iidfile) rmSync(o.iidfile, { force: true });
    return runBuildKit(cli, { ...o, progress: o.progress ?? 'auto', secret: o.secret ?? [], output: o.output ?? [], ssh: o.ssh ?? [] }, context);
  }
  const ulimits = o.ulimit.map(parseUlimit);
  if (o.iidfile) rmSync(o.iidfile, { force: true });
  // with -q, what would be printed is kept and shown on stderr only if the build fails
  const progBuff: string[] = [];
  const buildBuff: string[] = [];
  const progOut = (s: string): void => {
    if (o.quiet) progBuff.push(s);
    else cli.out.stream.write(s);
  };
  const tty = cli.out.isTTY;
  // On a terminal a spinner runs while the context is prepared, packed and sent, showing what has been
  // sent; docker's final "Sending build context" line is printed when it stops. A plain URL shows
  // docker's own download progress instead.
  const download = /^https?:\/\//.test(context) && !/\.git(#.+)?$/.test(context);
  const spinner =
    tty && cli.err.isTTY && !o.quiet && !download
      ? // isEnabled: ora turns itself off when CI is set, but this is a terminal (checked above)
        (await loadOra())({ text: 'Preparing the build context', stream: cli.err.stream as NodeJS.WriteStream, discardStdin: false, isEnabled: true }).start()
      : undefined;
  let ctx;
  try {
    ctx = await prepareContext({ context, file: o.file, stdin: () => cli.in.stream, stdinFile: regularFile(cli.in.fd), cwd: cli.cwd, env: cli.env, progress: progOut, log: (l) => cli.warn(l) });
  } catch (e) {
    spinner?.stop();
    if (o.quiet && /^https?:\/\//.test(context)) cli.warn(progBuff.join('') + '\n');
    throw e;
  }
  const engine = await cli.engine();
  let sent = 0;
  let lastShown = 0;
  const counted = new PassThrough();
  // --compress: the context gzipped before it is counted and sent (build.Compress)
  let source: Readable = ctx.body;
  if (o.compress) {
    const gz = createGzip();
    ctx.body.on('error', (e) => gz.destroy(e));
    source = ctx.body.pipe(gz);
  }
  source.on('data', (c: Buffer) => {
    sent += c.length;
    const now = Date.now();
    if (tty && now - lastShown >= 100) {
      lastShown = now;
      if (spinner) spinner.text = sendingLine(sent, false).slice(0, -1);
      else progOut(sendingLine(sent, false));
    }
  });
  source.on('error', (e) => counted.destroy(e));
  source.pipe(counted);
  source.on('end', () => {
    spinner?.stop();
    progOut(sendingLine(sent, true));
  });
  source.on('error', () => spinner?.stop());
  const auths = allCredentials(cli);
  const query = buildQuery(o, ctx.dockerfile, ulimits, buildArgs(o.buildArg, cli.env), o.platform || cli.env.DOCKER_DEFAULT_PLATFORM || '');
  let imageId = '';
  try {
    const res = await engine.stream({
      method: 'POST',
      path: '/build',
      query,
      file: counted,
      headers: { 'Content-Type': 'application/x-tar', 'X-Registry-Config': Buffer.from(JSON.stringify(auths)).toString('base64url') },
    });
    const sink = o.quiet
      ? new Writable({
          write: (c: Buffer, _e, cb) => {
            buildBuff.push(c.toString());
            cb();
          },
        })
      : cli.out.stream;
    await displayJSONMessages(res, sink, {
      isTerminal: tty,
      width: cli.out.columns,
      onAux: (aux) => {
        if (typeof aux.ID === 'string') imageId = aux.ID;
      },
    });
  } catch (e) {
    if (e instanceof JSONMessageError) {
      if (o.quiet) cli.warn(progBuff.join('') + buildBuff.join(''));
      throw new StatusError(e.message, e.code || 1);
    }
    if (o.quiet) cli.warn(progBuff.join(''));
    throw e;
  } finally {
    spinner?.stop();
    ctx.cleanup();
  }
  if (o.quiet) {
    imageId = buildBuff.join('');
    cli.print(imageId);
  }
  if (o.iidfile) {
    if (!imageId) throw new StatusError(`Server did not provide an image ID. Cannot write ${o.iidfile}`, 1);
    writeFileSync(o.iidfile, imageId);
  }
}

/**
 * ora's function. Our modules are ES modules in node mode, so a dynamic import of bin/build.mjs's
 * CommonJS stand-in gives the stand-in object as `default`; its own `default` is ora's.
 */
async function loadOra(): Promise<typeof import('ora').default> {
  const m = (await import('ora')) as { default: unknown };
  const d = m.default as { default?: unknown };
  return (typeof d === 'function' ? d : d.default) as typeof import('ora').default;
}
