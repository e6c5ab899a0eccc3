// docker's CLI plugins (docker/cli cli-plugins/manager): `docker-<name>` executables found in the
// plugin directories, validated by the `docker-cli-plugin-metadata` handshake, listed in the root
// help and run with docker's arguments, environment and plugin socket.
import { execFile, spawn } from 'node:child_process';
import { statSync, unlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { jsonSyntaxError } from '../go/json.js';
import { NAME_PREFIX, SYSTEM_PLUGIN_DIRS, listCandidates, pluginDirs } from './plugindirs.js';

export { NAME_PREFIX, SYSTEM_PLUGIN_DIRS, listCandidates, pluginDirs };

export const METADATA_SUBCOMMAND = 'docker-cli-plugin-metadata';
export const REEXEC_ENV = 'DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND';
export const SOCKET_ENV = 'DOCKER_CLI_PLUGIN_SOCKET';
const NAME_RE = /^[a-z][a-z0-9]*$/;

export interface PluginMetadata {
  SchemaVersion?: string;
  Vendor?: string;
  Version?: string;
  ShortDescription?: string;
  URL?: string;
}

export interface Plugin {
  name: string;
  path: string;
  metadata: PluginMetadata;
  /** why the candidate is not a valid plugin (docker's "Invalid Plugins" reason) */
  err?: string;
  shadowedPaths: string[];
}

/** Names and aliases of built-in top-level commands: a plugin may not take them. */
export interface Builtins {
  /** the name of the builtin whose name or alias this is, and whether it is an alias */
  lookup(name: string): { name: string; alias: boolean } | undefined;
}

/** Go's text for an exec failure (exec.Cmd.Output's error). */
function execErrorText(path: string, e: NodeJS.ErrnoException & { code?: string | number }, exitCode?: number | null, signal?: string | null): string {
  if (typeof exitCode === 'number' && exitCode !== 0) return `exit status ${exitCode}`;
  if (signal) return `signal: ${signalText(signal)}`;
  const errno: Record<string, string> = {
    EACCES: 'permission denied',
    ENOENT: 'no such file or directory',
    ENOEXEC: 'exec format error',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many levels of symbolic links',
  };
  const code = typeof e.code === 'string' ? e.code : '';
  return `fork/exec ${path}: ${errno[code] ?? e.message}`;
}

function signalText(sig: string): string {
  const t: Record<string, string> = { SIGKILL: 'killed', SIGTERM: 'terminated', SIGINT: 'interrupt', SIGSEGV: 'segmentation fault', SIGABRT: 'aborted', SIGHUP: 'hangup', SIGPIPE: 'broken pipe' };
  return t[sig] ?? sig;
}

/** The metadata handshake: run `<path> docker-cli-plugin-metadata` and read its stdout. */
function fetchMetadata(path: string): Promise<{ out?: string; err?: string }> {
  return new Promise((resolve) => {
    execFile(path, [METADATA_SUBCOMMAND], { encoding: 'utf8', maxBuffer: 16 << 20 }, (error, stdout) => {
      if (!error) return resolve({ out: stdout });
      const e = error as NodeJS.ErrnoException & { code?: string | number; signal?: string | null };
      resolve({ err: execErrorText(path, e, typeof e.code === 'number' ? e.code : null, e.signal) });
    });
  });
}

/** Go's encoding/json message for text that does not decode into docker's Metadata struct. */
function jsonErrorText(text: string): string {
  const syntax = jsonSyntaxError(text);
  if (syntax !== undefined) return syntax;
  const v: unknown = JSON.parse(text);
  if (v === null) return '';
  if (Array.isArray(v)) return 'json: cannot unmarshal array into Go value of type manager.Metadata';
  if (typeof v !== 'object') {
    const kind = typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
    return `json: cannot unmarshal ${kind} into Go value of type manager.Metadata`;
  }
  return '';
}

/** newPlugin: validate one candidate. */
export async function newPlugin(name: string, paths: string[], builtins: Builtins): Promise<Plugin> {
  const p: Plugin = { name, path: paths[0], metadata: {}, shadowedPaths: paths.slice(1) };
  if (!NAME_RE.test(name)) {
    p.err = `plugin candidate "${name}" did not match "^[a-z][a-z0-9]*$"`;
    return p;
  }
  const b = builtins.lookup(name);
  if (b) {
    p.err = b.alias ? `plugin "${name}" duplicates an alias of builtin command "${b.name}"` : `plugin "${name}" duplicates builtin command`;
    return p;
  }
  const meta = await fetchMetadata(p.path);
  if (meta.err !== undefined) {
    p.err = `failed to fetch metadata: ${meta.err}`;
    return p;
  }
  const jerr = jsonErrorText(meta.out!);
  if (jerr) {
    p.err = `invalid metadata: ${jerr}`;
    return p;
  }
  const m = JSON.parse(meta.out!) ?? {};
  for (const k of ['SchemaVersion', 'Vendor', 'Version', 'ShortDescription', 'URL'] as const) {
    if (typeof m[k] === 'string') p.metadata[k] = m[k];
  }
  if (p.metadata.SchemaVersion !== '0.1.0') {
    p.err = `plugin SchemaVersion "${p.metadata.SchemaVersion ?? ''}" is not valid, must be 0.1.0`;
    return p;
  }
  if (!p.metadata.Vendor) {
    p.err = 'plugin metadata does not define a vendor';
    return p;
  }
  return p;
}

/** ListPlugins: every candidate, validated in parallel, in natural order of name. */
export async function listPlugins(dirs: string[], builtins: Builtins): Promise<Plugin[]> {
  const cands = listCandidates(dirs);
  const plugins = await Promise.all([...cands].map(([name, paths]) => newPlugin(name, paths, builtins)));
  return plugins.sort((a, b) => naturalCompare(a.name, b.name));
}

/** sortorder.NaturalLess: digits compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const xa = a.match(re) ?? [];
  const xb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(xa.length, xb.length); i++) {
    const pa = xa[i];
    const pb = xb[i];
    if (pa === pb) continue;
    const na = /^\d/.test(pa);
    const nb = /^\d/.test(pb);
    if (na && nb) {
      const d = Number(pa) - Number(pb);
      if (d !== 0) return d;
      return pa.length - pb.length;
    }
    return pa < pb ? -1 : 1;
  }
  return xa.length - xb.length;
}

/** PluginRunCommand's lookup: the first directory holding docker-<name>, if that candidate is valid. */
export async function findRunnablePlugin(name: string, dirs: string[], builtins: Builtins): Promise<Plugin | undefined> {
  if (!NAME_RE.test(name)) return undefined;
  for (const d of dirs) {
    const path = join(d, NAME_PREFIX + name);
    try {
      statSync(path);
    } catch {
      continue;
    }
    const p = await newPlugin(name, [path], builtins);
    return p.err ? undefined : p;
  }
  return undefined;
}

export interface RunPluginOptions {
  /** the whole argument list tdocker was given (os.Args[1:]): global flags included */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** what DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND says: how to re-execute tdocker */
  reexec: string;
  /** the command path docker reports in OTEL_RESOURCE_ATTRIBUTES ("docker hello") */
  commandPath: string;
  /** whether stdout is a terminal: then the kernel delivers Ctrl-C to the plugin itself */
  stdoutIsTTY: boolean;
  stderr: Writable;
}

/**
 * tryPluginRun: run the plugin with our stdio, docker's environment and a plugin socket; the first
 * SIGINT/SIGTERM closes the socket (the plugin's cue to stop), the third kills it. Resolves to the
 * status to exit with.
 */
export async function runPlugin(p: Plugin, o: RunPluginOptions): Promise<number> {
  const env: NodeJS.ProcessEnv = { ...o.env, [REEXEC_ENV]: o.reexec };
  const attr = `docker.cli.cobra.command_path=${baggageEscape(o.commandPath)}`;
  const prev = (o.env.OTEL_RESOURCE_ATTRIBUTES ?? '').trim();
  env.OTEL_RESOURCE_ATTRIBUTES = prev ? `${prev},${attr}` : attr;

  const conns = new Set<Socket>();
  let server: Server | undefined = createServer((c) => {
    conns.add(c);
    c.on('close', () => conns.delete(c));
    c.on('error', () => {});
    c.resume();
  });
  // docker listens on an abstract socket (@docker_cli_<hex>); Node pads an abstract address to the
  // whole sun_path, which a Go plugin's exact-length address never reaches. A socket file in the
  // temporary directory (what docker uses where there are no abstract sockets) reaches both.
  const addr = join(tmpdir(), `docker_cli_${randomBytes(16).toString('hex')}`);
  const listening = await new Promise<boolean>((resolve) => {
    server!.once('error', () => resolve(false));
    server!.listen(addr, () => resolve(true));
  });
  if (listening) env[SOCKET_ENV] = addr;
  else server = undefined;
  const closeServer = (): void => {
    server?.close();
    for (const c of conns) c.destroy();
    conns.clear();
  };

  // the handlers come before the plugin starts: a Ctrl-C to the process group right after the plugin's
  // first output must find them (under load the plugin can print before spawn() returns here)
  const plugin: { child?: ReturnType<typeof spawn> } = {};
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (o.stdoutIsTTY) return;
    closeServer();
    if (signals >= 3) {
      plugin.child?.kill('SIGKILL');
      o.stderr.write('got 3 SIGTERM/SIGINTs, forcefully exiting\n');
      try {
        unlinkSync(addr);
      } catch {
        // already gone
      }
      process.exit(1);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = spawn(p.path, o.args, { stdio: 'inherit', env });
  plugin.child = started;
  try {
    return await new Promise<number>((resolve, reject) => {
      started.once('error', (e: NodeJS.ErrnoException) => reject(new Error(execErrorText(p.path, e))));
      started.once('exit', (code) => {
        // Go's WaitStatus.ExitStatus() is -1 for a process ended by a signal: os.Exit(-1) is 255
        resolve(code === null ? 255 : code);
      });
    });
  } finally {
    // the handlers stay until we exit: a Ctrl-C that reached the plugin's group reaches us too, and
    // may be handled only after the plugin's end was
    closeServer();
  }
}

/** OTEL baggage value escaping (percent-encodes what is not a baggage octet). */
function baggageEscape(s: string): string {
  return s.replace(/[^\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]/g, (c) =>
    [...Buffer.from(c)].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
}
