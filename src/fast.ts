/**
 * The start-up fast path (dist/fast.cjs, run by bin/launch.cjs before the whole bundle): the few
 * hottest command lines — the root help, `ps`/`container ls`, `images`/`image ls` with their common
 * flags — run here on a handful of modules (the config file, the endpoint, the socket client and the
 * same listing and formatting code the full path runs: src/commands/container/list-containers.ts,
 * src/commands/image/list-images.ts), without the command tree, commander, dockerode or the help
 * pages (engines on a unix socket, over ssh:// and over tcp:// with TLS). Anything outside that
 * scope — another flag, a global option, a plain tcp:// endpoint,
 * DOCKER_API_VERSION, a CLI plugin, a warning, an engine that does not answer 200 with JSON, an
 * error of any kind — is declined before a byte is written, and the launcher runs the full bundle,
 * which prints what docker prints. Output is collected and written once, at the end.
 */
import { fstatSync, writeSync } from 'node:fs';
import { Cli, type OutStream } from './cli/cli.js';
import { Config, configDir } from './cli/config.js';
import { resolveEndpoint, resolveContextName, defaultEndpoint, type GlobalOptions } from './cli/endpoint.js';
import type { EngineClient, RequestOptions } from './cli/engine-client.js';
import { globalFlags } from './cli/globalflags.js';
import { listCandidates, pluginDirs } from './cli/plugindirs.js';
import { helpWidth, rootHelpHead, rootHelpTail } from './cli/roothelp.js';
import { runPs, type PsOptions } from './commands/container/list-containers.js';
import { runImages, type ImagesOptions } from './commands/image/list-images.js';
import { CLIENT_HEADERS, pingRaw, queryPairs } from './engine/negotiate.js';
import { SocketClient } from './engine/socketclient.js';
import { remoteClient } from './engine/remote.js';
import { cleanPath } from './go/path.js';

declare const __TDOCKER_ROOT_SECTIONS__: string;

/** Thrown where the fast path stops: the full bundle runs the command instead. */
class Decline extends Error {}
const decline = (why: string): never => {
  throw new Decline(why);
};

type Verb = { kind: 'help'; toStderr: boolean } | { kind: 'ps'; o: PsOptions; changed: Set<string> } | { kind: 'images'; o: ImagesOptions };

/** The command line, when the fast path knows it whole (else undefined). */
export function parseLine(argv: string[]): Verb | undefined {
  if (argv.length === 0) return { kind: 'help', toStderr: true };
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === 'help')) return { kind: 'help', toStderr: false };
  let rest: string[];
  let verb: 'ps' | 'images';
  if (argv[0] === 'ps') [verb, rest] = ['ps', argv.slice(1)];
  else if (argv[0] === 'container' && ['ls', 'ps', 'list'].includes(argv[1])) [verb, rest] = ['ps', argv.slice(2)];
  else if (argv[0] === 'images') [verb, rest] = ['images', argv.slice(1)];
  else if (argv[0] === 'image' && ['ls', 'list'].includes(argv[1])) [verb, rest] = ['images', argv.slice(2)];
  else return undefined;
  // pflag's forms for the flags taken here: -a/--all, -q/--quiet, -s/--size (ps), --no-trunc,
  // --format V / --format=V, and bundled short booleans (-aq); anything else is the full parser's
  const shorts = verb === 'ps' ? 'aqs' : 'aq';
  const flags = { all: false, quiet: false, size: false, noTrunc: false, format: '' };
  const changed = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === '--all') flags.all = true;
    else if (a === '--quiet') flags.quiet = true;
    else if (a === '--size' && verb === 'ps') flags.size = true;
    else if (a === '--no-trunc') flags.noTrunc = true;
    else if (a === '--format' && i + 1 < rest.length) flags.format = rest[++i];
    else if (a.startsWith('--format=')) flags.format = a.slice('--format='.length);
    else if (/^-[a-z]+$/.test(a) && [...a.slice(1)].every((c) => shorts.includes(c))) {
      for (const c of a.slice(1)) {
        if (c === 'a') flags.all = true;
        else if (c === 'q') flags.quiet = true;
        else flags.size = true;
      }
    } else return undefined;
    if (a === '--size' || (/^-[a-z]+$/.test(a) && a.includes('s'))) changed.add('size');
    if (a.startsWith('--format')) changed.add('format');
  }
  if (verb === 'ps') {
    return {
      kind: 'ps',
      o: { all: flags.all, filter: [], format: flags.format, last: -1, latest: false, noTrunc: flags.noTrunc, quiet: flags.quiet, size: flags.size },
      changed,
    };
  }
  return { kind: 'images', o: { all: flags.all, digests: false, filter: [], format: flags.format, noTrunc: flags.noTrunc, quiet: flags.quiet, tree: false } };
}

/** Whether fd is a terminal, as far as a stat tells (any character device but the memory ones: /dev/null...). */
function terminalLike(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isCharacterDevice() && Math.floor(st.rdev / 256) % 4096 !== 1;
  } catch {
    return false;
  }
}

/** A stream that keeps what is written, for the end (nothing is written when the fast path declines). */
function collector(out: [number, string][], fd: number): OutStream {
  const stream = { write: (s: string | Uint8Array) => (out.push([fd, typeof s === 'string' ? s : Buffer.from(s).toString()]), true) };
  return { stream: stream as unknown as OutStream['stream'], isTTY: false, columns: 0, rows: 0 };
}

/** The engine client of the fast path: GET requests with JSON answers over the local socket. */
function fastEngine(raw: SocketClient, version: string): EngineClient {
  const json = async (o: RequestOptions): Promise<unknown> => {
    if ((o.method ?? 'GET') !== 'GET' || o.body !== undefined || o.file || o.signal || o.registryAuth || o.headers) decline('not a plain GET');
    const q = o.query ? queryPairs(o.query) : '';
    const answer = await raw.request('GET', `/v${version}${cleanPath(o.path)}${q ? '?' + q : ''}`, { ...CLIENT_HEADERS }).catch(() => decline('no answer'));
    if (answer.status !== 200) decline(`status ${answer.status}`);
    let data: unknown;
    try {
      data = JSON.parse(answer.body.toString());
    } catch {
      decline('not JSON');
    }
    if (!data) decline('empty');
    return data;
  };
  return new Proxy({ json, apiVersion: version } as Record<string, unknown>, {
    get: (t, k) => (k in t ? t[k as string] : k === 'then' ? undefined : () => decline(`engine.${String(k)}`)),
  }) as unknown as EngineClient;
}

export interface FastIO {
  argv: string[];
  name: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Run the command line if it is in the fast path's scope; resolves to the chunks to write (fd, text)
 * and the exit status, or to why it declined (the full bundle then runs it).
 */
export async function fastRun(io: FastIO): Promise<{ out: [number, string][]; status: number } | { declined: string }> {
  const line = parseLine(io.argv);
  if (!line) return { declined: 'command line' };
  const out: [number, string][] = [];
  try {
    const warnings: string[] = [];
    const config = new Config(configDir(undefined, io.env), (t) => warnings.push(t));
    const file = config.file;
    if (warnings.length) decline('config warning');
    const stdinTTY = terminalLike(0);
    const stdoutTTY = terminalLike(1);
    const gopts: GlobalOptions = { hosts: [], tls: false, tlsVerify: false, tlsFlagsSet: new Set() };
    const cli = new Cli({
      name: io.name,
      stdout: { ...collector(out, 1), isTTY: stdoutTTY },
      stderr: collector(out, 2),
      stdin: { get stream(): never { return decline('stdin'); }, isTTY: stdinTTY, fd: 0 } as unknown as Cli['in'],
      env: io.env,
      cwd: io.cwd,
      config,
      endpoint: () => resolveEndpoint(gopts, file, config.dir, io.env),
      currentContext: () => resolveContextName(gopts, file, io.env),
      defaultEndpoint: () => defaultEndpoint(gopts, io.env),
      engineFactory: async (endpoint) => {
        if (io.env.DOCKER_API_VERSION) decline('endpoint');
        let raw: SocketClient;
        if (endpoint.host.startsWith('unix://') && !endpoint.tls) raw = new SocketClient(endpoint.host.slice('unix://'.length));
        else {
          // ssh:// and tcp:// with TLS: the same socket client as the full path's (src/engine/remote.ts)
          const remote = await remoteClient(endpoint, io.env).catch(() => undefined);
          if (!remote) return decline('endpoint');
          raw = remote.raw;
        }
        const { serverVersion, version } = await pingRaw(raw, { ...CLIENT_HEADERS });
        if (!serverVersion) decline('no ping');
        return fastEngine(raw, version);
      },
    });
    if (line.kind === 'help') {
      // the width follows the terminal's columns when stdin and stdout are terminals: the full path's
      if (stdinTTY && stdoutTTY) decline('terminal');
      if (listCandidates(pluginDirs(config.dir, file.cliPluginsExtraDirs)).size > 0) decline('plugins');
      const text = rootHelpHead(io.name) + __TDOCKER_ROOT_SECTIONS__ + rootHelpTail(io.name, globalFlags(config.dir), helpWidth(cli));
      out.push([line.toStderr ? 2 : 1, text]);
      return { out, status: 0 };
    }
    // a context named by DOCKER_CONTEXT or config.json is resolved now, as docker does before the command
    void cli.endpoint;
    if (line.kind === 'ps') await runPs(cli, line.o, [], { changed: line.changed } as Parameters<typeof runPs>[3]);
    else await runImages(cli, line.o, []);
    return { out, status: 0 };
  } catch (e) {
    // declined, or an error of any kind: the full path's to print, in its words
    return { declined: e instanceof Decline ? e.message : `error: ${String(e)}` };
  }
}

/** Write the chunks to their file descriptors, blocking; a reader gone away ends us as SIGPIPE would. */
export function writeOut(out: [number, string][]): void {
  for (const [fd, text] of out) {
    let buf = Buffer.from(text);
    while (buf.length > 0) {
      let n: number;
      try {
        n = writeSync(fd, buf);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') {
          // a non-blocking pipe that is full: wait a little for its reader
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
          continue;
        }
        if (code === 'EPIPE') {
          const noop = (): void => {};
          process.on('SIGPIPE', noop);
          process.off('SIGPIPE', noop);
          process.kill(process.pid, 'SIGPIPE');
          process.exit(141);
        }
        throw e;
      }
      buf = buf.subarray(n);
    }
  }
}

/**
 * Run the fast path's code once on made-up input, with no I/O: bin/build.mjs calls it before it
 * writes the V8 code cache, so that the cache holds these functions compiled.
 */
export async function warm(): Promise<void> {
  parseLine(['ps', '-a', '--format', '{{.Names}}']);
  const out: [number, string][] = [];
  const config = new Config('/nonexistent/tdocker-warm');
  const container = {
    Id: 'a'.repeat(64), Names: ['/warm'], Image: 'busybox', ImageID: 'sha256:' + 'b'.repeat(64), Command: 'sh -c true', Created: 0,
    Ports: [{ PrivatePort: 80, Type: 'tcp' }], Labels: { a: 'b' }, State: 'exited', Status: 'Exited (0) 1 second ago', HostConfig: {}, NetworkSettings: {}, Mounts: [],
  };
  const image = { Id: 'sha256:' + 'b'.repeat(64), ParentId: '', RepoTags: ['busybox:latest'], RepoDigests: [], Created: 0, Size: 1, SharedSize: -1, VirtualSize: 1, Labels: null, Containers: -1 };
  const cli = new Cli({
    name: 'tdocker', stdout: collector(out, 1), stderr: collector(out, 2), stdin: { isTTY: false } as unknown as Cli['in'], env: {}, cwd: '/', config,
    endpoint: () => ({ host: 'unix:///nonexistent', context: 'default' }),
    engineFactory: async () => ({ json: async (o: RequestOptions) => (o.path.startsWith('/images') ? [image] : [container]) }) as unknown as EngineClient,
  });
  await runPs(cli, { all: true, filter: [], format: '', last: -1, latest: false, noTrunc: false, quiet: false, size: false });
  await runImages(cli, { all: true, digests: false, filter: [], format: '', noTrunc: false, quiet: false, tree: false }, []);
  void (rootHelpHead('tdocker') + rootHelpTail('tdocker', globalFlags('/root/.docker'), 79));
}
