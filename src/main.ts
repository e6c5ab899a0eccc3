import { createReadStream, fstatSync } from 'node:fs';
import { basename } from 'node:path';
import { isatty } from 'node:tty';
import { Cli } from './cli/cli.js';
import { Config, configDir } from './cli/config.js';
import { resolveEndpoint, resolveContextName, defaultEndpoint, EndpointError, type GlobalOptions } from './cli/endpoint.js';
import { FlagParseError, FlagSet, keyOf, type FlagSpec } from './cli/flags.js';
import { versionLess } from './cli/apiflags.js';
import { buildTree, checkArgs, commandHelp, DockerCommand, flagError, HELP_SHORTHAND_DEPRECATED, HelpShown, type Invocation, type PluginHelpEntry } from './cli/command.js';
import { findRunnablePlugin, listPlugins, pluginDirs, runPlugin, type Builtins, type RunPluginOptions } from './cli/plugins.js';
import { StatusError, errorMessage } from './cli/errors.js';
import { commonOrder, groups, topLevel } from './commands/index.js';
import { VERSION_LINE } from './version.js';
import { engineHint } from './cli/hint.js';
import { brokenPipe, holdSignals, onSignalExit, releaseSignals } from './cli/signals.js';
import { globalFlags } from './cli/globalflags.js';

export interface MainIO {
  argv: string[];
  /** the program's name as invoked (tdocker) */
  name: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: NodeJS.WriteStream | import('node:stream').Writable;
  stderr: NodeJS.WriteStream | import('node:stream').Writable;
  /** how to run tdocker again (a CLI plugin's DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND); defaults to the name */
  self?: string;
  /** the input stream, or a function that makes it (process.stdin is created on first use only) */
  stdin: NodeJS.ReadStream | import('node:stream').Readable | (() => NodeJS.ReadStream);
  /** makes the engine client (tests hand a fake of it); by default the dockerode-based Engine */
  engineFactory?: (endpoint: import('./cli/endpoint.js').Endpoint) => Promise<import('./cli/engine-client.js').EngineClient>;
}

function outStream(s: MainIO['stdout']): Cli['out'] {
  const tty = s as NodeJS.WriteStream & { fd?: number };
  return {
    stream: s,
    isTTY: !!tty.isTTY,
    columns: tty.columns ?? 0,
    rows: tty.rows ?? 0,
    fd: typeof tty.fd === 'number' ? tty.fd : undefined,
  };
}

/**
 * fd 0 as a stream. A regular file is read in 1 MiB blocks (process.stdin reads a file 64 KiB at a
 * time: \`cp - c:/ < archive.tar\` spent most of its time between those reads, ~1.7x docker's wall
 * time for 256 MiB); a pipe or a terminal is process.stdin.
 */
function standardInput(): NodeJS.ReadStream {
  let file = false;
  try {
    file = fstatSync(0).isFile();
  } catch {
    file = false;
  }
  if (!file) return process.stdin;
  return createReadStream('', { fd: 0, highWaterMark: 1 << 20, autoClose: false }) as unknown as NodeJS.ReadStream;
}

function inStream(s: MainIO['stdin']): Cli['in'] {
  if (typeof s === 'function') {
    // process.stdin opens fd 0 as a stream (a file's ReadStream, a pipe, a tty) on first access:
    // most commands never read it, so it is made when a command first asks for it
    let stream: NodeJS.ReadStream | undefined;
    return {
      get stream() {
        return (stream ??= s());
      },
      isTTY: isatty(0),
      fd: 0,
    };
  }
  const tty = s as NodeJS.ReadStream & { fd?: number };
  return { stream: s, isTTY: !!tty.isTTY, fd: typeof tty.fd === 'number' ? tty.fd : undefined };
}

let prebuilt: DockerCommand | undefined;

/**
 * Build the command tree ahead of the first main() (which takes it): the startup snapshot holds it
 * built (src/entry.ts). It reads nothing of the run; main() gives the root the name tdocker was
 * called by.
 */
export function prebuildTree(): void {
  prebuilt = buildTree('docker', groups, topLevel, commonOrder);
}

/** Run tdocker with the given arguments and streams; resolves to the exit status. */
export async function main(io: MainIO): Promise<number> {
  const bin = io.name;
  const gflags = globalFlags(configDir(undefined, io.env));
  const root = prebuilt?.name(bin) ?? buildTree(bin, groups, topLevel, commonOrder);
  prebuilt = undefined;

  const writeErr = (s: string): void => {
    io.stderr.write(s);
  };

  let parsed;
  try {
    parsed = new FlagSet(gflags).parse(io.argv, false);
  } catch (e) {
    if (e instanceof FlagParseError) {
      writeErr(`${e.message}\n\nUsage:  ${bin} [OPTIONS] COMMAND [ARG...]\n\nRun '${bin} --help' for more information\n`);
      return 125;
    }
    throw e;
  }
  const g = parsed.values as {
    config: string; context: string; debug: boolean; hosts: string[]; logLevel: string;
    tls: boolean; tlscacert: string; tlscert: string; tlskey: string; tlsverify: boolean; version: boolean;
  };
  if (!['panic', 'fatal', 'error', 'warn', 'warning', 'info', 'debug', 'trace'].includes(g.logLevel.toLowerCase())) {
    writeErr(`Unable to parse logging level: ${g.logLevel}\n`);
    return 1;
  }
  // --version is the root command's: a built-in command or a CLI plugin named after it runs instead
  // (the plugin is handed the flag, as docker hands it all its arguments)
  const versionOnly = g.version && !(parsed.args.length > 0 && (parsed.args[0] === 'help' || root.find(parsed.args[0])));

  const config = new Config(configDir(g.config || undefined, io.env), writeErr);
  // docker loads config.json before any command runs (and warns then when it is unusable)
  void config.file;
  const gopts: GlobalOptions = {
    hosts: g.hosts,
    context: g.context || undefined,
    tls: g.tls,
    tlsVerify: g.tlsverify,
    tlsCaCert: g.tlscacert || undefined,
    tlsCert: g.tlscert || undefined,
    tlsKey: g.tlskey || undefined,
    tlsFlagsSet: new Set([...parsed.changed].map((k) => k.toLowerCase())),
  };
  const cli = new Cli({
    name: bin,
    stdout: outStream(io.stdout),
    stderr: outStream(io.stderr),
    stdin: inStream(io.stdin),
    env: io.env,
    cwd: io.cwd,
    config,
    debug: g.debug,
    logLevel: g.logLevel,
    endpoint: () => {
      try {
        return resolveEndpoint(gopts, config.file, config.dir, io.env);
      } catch (e) {
        if (e instanceof EndpointError) throw new StatusError(`Failed to initialize: ${e.message}`, 1);
        throw e;
      }
    },
    currentContext: () => resolveContextName(gopts, config.file, io.env),
    defaultEndpoint: () => defaultEndpoint(gopts, io.env),
    engineFactory: io.engineFactory ?? (async (endpoint) => {
      const { createEngine } = await import('./engine/client.js');
      return createEngine(endpoint, io.env);
    }),
  });

  if (gopts.context && gopts.hosts.length > 0) {
    writeErr('conflicting options: cannot specify both --host and --context\n');
    return 1;
  }

  const args = parsed.args;
  // a CLI plugin named by the first argument, run with all our arguments
  const pluginOfFirstArg = (): Promise<number | undefined> =>
    runPluginCommand(root, config, args[0], {
      args: io.argv,
      env: io.env,
      reexec: io.self ?? bin,
      commandPath: `${bin} ${args[0]}`,
      stdoutIsTTY: cli.out.isTTY,
      stderr: io.stderr,
    });
  if (versionOnly) {
    const st = args.length > 0 && !parsed.help
      ? await pluginOfFirstArg()
      : undefined;
    if (st !== undefined) return st;
    io.stdout.write(VERSION_LINE + '\n');
    return 0;
  }
  if (parsed.help && args.length === 0) {
    if (parsed.helpShort) writeErr(HELP_SHORTHAND_DEPRECATED);
    io.stdout.write(commandHelp(root, cli, gflags, await pluginHelpEntries(root, config)));
    return 0;
  }
  if (args.length === 0 || (args.length === 1 && args[0] === 'help')) {
    const text = commandHelp(root, cli, gflags, await pluginHelpEntries(root, config));
    if (args.length === 0) writeErr(text);
    else io.stdout.write(text);
    return 0;
  }
  // `docker help PLUGIN` and completion inside a plugin's arguments run the plugin itself, as docker does
  const pluginWord = args[0] === 'help' || args[0] === '__complete' || args[0] === '__completeNoDesc' ? args[1] : undefined;
  if (pluginWord !== undefined && args.length > (args[0] === 'help' ? 1 : 2) && !root.find(pluginWord)) {
    const complete = args[0] !== 'help';
    const st = await runPluginCommand(root, config, pluginWord, {
      // docker hands a plugin its completion request as `__complete NAME ARGS... TOCOMPLETE`
      args: complete ? ['__complete', ...args.slice(1)] : io.argv,
      env: io.env,
      reexec: io.self ?? bin,
      commandPath: complete ? `${bin} ${pluginWord} ${pluginWord}` : `${bin} ${pluginWord}`,
      stdoutIsTTY: cli.out.isTTY,
      stderr: io.stderr,
    });
    if (st === 0) return 0;
    if (st !== undefined && complete) {
      // the plugin failed: cobra ends the completion with the error directive
      io.stdout.write(':1\n');
      writeErr('Completion ended with directive: ShellCompDirectiveError\n');
      return 0;
    }
    if (st !== undefined) {
      writeErr(`exit status ${st}\n`);
      return 1;
    }
  }
  if (args[0] === '__complete' || args[0] === '__completeNoDesc') {
    const { runComplete } = await import('./commands/completion/complete.js');
    const plugins = (await pluginHelpEntries(root, config)).filter((p) => !p.invalid);
    return runComplete(root, cli, args.slice(1), args[0] === '__complete', gflags, plugins);
  }
  if (!parsed.help && args[0] !== 'help' && !root.find(args[0])) {
    // not a built-in command: a CLI plugin of that name runs with all our arguments
    const st = await pluginOfFirstArg();
    if (st !== undefined) return st;
    // neither a command nor a plugin: cobra parses the rest as the root's flags, and --help there
    // prints the root's help (`docker nonexistent --help`)
    let rest;
    try {
      rest = new FlagSet(gflags).parse(args.slice(1), true);
    } catch (e) {
      if (e instanceof FlagParseError) {
        writeErr(`${e.message}\n\nUsage:  ${bin} [OPTIONS] COMMAND [ARG...]\n\nRun '${bin} --help' for more information\n`);
        return 125;
      }
      throw e;
    }
    if (rest.help) {
      if (rest.helpShort) io.stdout.write(HELP_SHORTHAND_DEPRECATED);
      io.stdout.write(commandHelp(root, cli, gflags, await pluginHelpEntries(root, config)));
      return 0;
    }
  }

  return dispatch(root, cli, args, gflags, parsed.help);
}

function builtins(root: DockerCommand): Builtins {
  return {
    lookup(name) {
      for (const c of root.children) {
        if (c.name() === name) return { name, alias: false };
        if (c.aliases().includes(name)) return { name: c.name(), alias: true };
      }
      return name === 'help' ? { name, alias: false } : undefined;
    },
  };
}

function safeConfig(config: Config): Config['file'] | undefined {
  try {
    return config.file;
  } catch {
    return undefined;
  }
}

async function pluginHelpEntries(root: DockerCommand, config: Config): Promise<PluginHelpEntry[]> {
  const dirs = pluginDirs(config.dir, safeConfig(config)?.cliPluginsExtraDirs);
  const plugins = await listPlugins(dirs, builtins(root));
  return plugins.map((p) => ({ name: p.name, short: p.metadata.ShortDescription ?? '', invalid: p.err }));
}

async function runPluginCommand(root: DockerCommand, config: Config, name: string, o: RunPluginOptions): Promise<number | undefined> {
  releaseSignals(true);
  const dirs = pluginDirs(config.dir, safeConfig(config)?.cliPluginsExtraDirs);
  const p = await findRunnablePlugin(name, dirs, builtins(root));
  return p ? runPlugin(p, o) : undefined;
}

/** Route the arguments through the command tree (commander), then parse the leaf's flags and run it. */
async function dispatch(root: DockerCommand, cli: Cli, args: string[], gflags: FlagSpec[], rootHelp: boolean): Promise<number> {
  const bin = cli.name;

  const runLeaf = async (node: DockerCommand, rest: string[]): Promise<void> => {
    const spec = node.spec!;
    let parsed;
    try {
      parsed = node.flags.parse(rest, spec.interspersed ?? true);
    } catch (e) {
      if (e instanceof FlagParseError) throw flagError(node, bin, e.message);
      throw e;
    }
    if (parsed.help || parsed.values.help === true) {
      if (parsed.helpShort) cli.print(HELP_SHORTHAND_DEPRECATED);
      cli.print(commandHelp(node, cli, gflags));
      return;
    }
    // docker's PersistentPreRunE (the API check) runs before the arguments are validated
    await checkApiFlags(cli, spec.flags ?? [], parsed.changed);
    const argErr = checkArgs(node, bin, parsed.args);
    if (argErr) throw argErr;
    const inv: Invocation = {
      path: node.path(bin),
      useLine: node.useLine(bin),
      changed: parsed.changed,
      usageError: (message, st = 125) => flagError(node, bin, message, st),
      showHelp: () => cli.print(commandHelp(node, cli, gflags)),
    };
    // signals held since the start are nobody's unless the command takes them
    if (!spec.takesSignals) releaseSignals();
    await spec.run(cli, parsed.values, parsed.args, inv);
  };

  // `docker help [COMMAND...]`
  if (args[0] === 'help') {
    let node: DockerCommand | undefined = root;
    for (const a of args.slice(1)) {
      const next: DockerCommand | undefined = node?.find(a);
      if (!next) {
        cli.warn(`unknown help topic: ${args.slice(1).join(' ')}\n`);
        return 1;
      }
      node = next;
    }
    cli.print(commandHelp(node!, cli, gflags));
    return 0;
  }
  if (rootHelp) {
    // `docker --help ps`: help for the command named
    let node: DockerCommand | undefined = root;
    for (const a of args) node = node?.find(a) ?? node;
    cli.print(commandHelp(node!, cli, gflags));
    return 0;
  }

  root.tree = { cli, globalFlags: gflags, args, runLeaf };
  try {
    await root.parseAsync(args, { from: 'user' });
  } catch (e) {
    if (e instanceof HelpShown) return 0;
    return report(cli, e);
  }
  return 0;
}

/**
 * docker's areFlagsSupported: a flag given that needs a newer API than the engine's is refused, all
 * of them at once (in flag-name order). tdocker does not implement these flags yet: given to an engine
 * new enough, they are refused with a message of our own rather than ignored.
 */
async function checkApiFlags(cli: Cli, flags: FlagSpec[], changed: ReadonlySet<string>): Promise<void> {
  const given = flags.filter((f) => f.minApi && changed.has(keyOf(f))).sort((a, b) => (a.name < b.name ? -1 : 1));
  if (given.length === 0) return;
  let version: string | undefined;
  try {
    const engine = await cli.engine();
    // an engine that did not answer the ping: the command runs, and fails to reach it as docker does
    if (engine.serverApiVersion === undefined) return;
    version = engine.apiVersion;
  } catch {
    // no engine to ask: the command runs, and fails to reach it as docker does
    return;
  }
  const old = version ? given.filter((f) => versionLess(version!, f.minApi!)) : [];
  if (old.length > 0) {
    throw new StatusError(old.map((f) => `"--${f.name}" requires API version ${f.minApi}, but the Docker daemon API version is ${version}`).join('\n'), 1);
  }
  throw new StatusError(given.map((f) => `"--${f.name}" is not supported by ${cli.name} yet`).join('\n'), 1);
}

/** Print an error as docker does and return the exit status. */
export function report(cli: Cli, e: unknown): number {
  if (e instanceof StatusError) {
    if (e.message) cli.warn(e.message.endsWith('\n') ? e.message : e.message + '\n');
    if (cli.out.isTTY && e.message.startsWith('Cannot connect to the Docker daemon at ')) {
      let host = '';
      try {
        host = cli.endpoint.host;
      } catch {
        host = '';
      }
      const hint = engineHint(e.message, host, cli.name, cli.env);
      if (hint) cli.warn(hint);
    }
    return e.status === 0 ? 1 : e.status;
  }
  const msg = errorMessage(e);
  cli.warn(msg.endsWith('\n') ? msg : msg + '\n');
  if (cli.debug && e instanceof Error && e.stack) cli.warn(e.stack + '\n');
  return 1;
}

/** The process entry point used by bin/tdocker. */
export async function run(): Promise<void> {
  holdSignals();
  const exit = (code: number): never => process.exit(code);
  // what is still queued for a pipe goes out before the process ends (process.exit drops it)
  const flushThenExit = (code: number): void => {
    process.stdout.write('', () => process.stderr.write('', () => exit(code)));
  };
  onSignalExit(flushThenExit);
  // A reader that went away (`tdocker ps | head -1`) ends us quietly, as SIGPIPE ends docker.
  for (const [name, s] of [['stdout', process.stdout], ['stderr', process.stderr]] as const) {
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') return brokenPipe(name, exit);
      if (err.code === 'ECONNRESET') {
        // a reader on a socket that went away with bytes unread: Go's write error, as docker prints it
        if (name === 'stdout') process.stderr.write('write /dev/stdout: connection reset by peer\n');
        return exit(1);
      }
      throw err;
    });
  }
  // Nothing left to wait for while the command has not ended: its answer was lost with the
  // connection that carried it (an engine gone mid-answer), never a success. docker reads EOF there.
  process.once('beforeExit', () => {
    process.stderr.write('unexpected EOF\n');
    exit(1);
  });
  const name = basename(process.argv[1] ?? 'tdocker').replace(/\.(m?js|cjs|ts)$/, '');
  let code: number;
  try {
    code = await main({
      argv: process.argv.slice(2),
      name,
      self: process.argv[1] ?? name,
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      stderr: process.stderr,
      stdin: standardInput,
    });
  } catch (e) {
    const msg = errorMessage(e);
    process.stderr.write(msg.endsWith('\n') ? msg : msg + '\n');
    code = e instanceof StatusError ? e.status || 1 : 1;
  }
  // a signal held for a command that ended before taking it ends the process as it would have
  releaseSignals();
  flushThenExit(code);
}
