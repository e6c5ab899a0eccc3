/**
 * `docker compose`: Compose v2's command group. Its own flags (-f, -p, --profile, --project-directory,
 * --env-file) come before the verb, so the group is one leaf that parses them and dispatches to
 * its verbs (help texts from compose's cobra definitions, src/commands/compose/help.ts).
 */
import { readFileSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { anyArgs, helpWidth, type Invocation } from '../../cli/command.js';
import { FlagParseError, FlagSet, flagUsages, type FlagSpec } from '../../cli/flags.js';
import { StatusError } from '../../cli/errors.js';
import { ComposeError, loadProject, type LoadOptions, type Project } from '../../compose/index.js';
import { logLine } from '../../go/log.js';
import type { EngineClient } from '../../cli/engine-client.js';
import type { ProgressMode } from '../../format/compose.js';
import { COMPOSE_HELP, DRY_RUN, GLOBAL_FLAGS, type VerbHelp } from './help.js';
import { dryRunEngine } from './dryrun.js';
import { runUp, runDown, runPs, runLogs, runLifecycle, runConfig, runLs, runWait } from './verbs.js';
import { runRun, runExec } from './oneoff.js';
import { runVersion, runCreate, runPort, runTop, runImages, runBuildVerb, runCpVerb, runEvents } from './more.js';
import { runPull, runPush } from './registry.js';
import { runAttachVerb, runCommitVerb, runExportVerb, runScaleVerb } from './extra.js';

export interface GlobalOptions {
  dryRun: boolean;
  file: string[];
  projectName: string;
  profile: string[];
  projectDirectory: string;
  envFile: string[];
  ansi: string;
  progress: string;
}

export interface ComposeContext {
  cli: Cli;
  g: GlobalOptions;
  /** load the project (services named on the command line are enabled despite profiles) */
  project(services?: string[], extra?: Partial<LoadOptions>): Project;
  /** the project name without loading files when -p / COMPOSE_PROJECT_NAME give it */
  projectName(): string;
  warn(message: string): void;
  verb: string;
  usageError(message: string): StatusError;
  /** the engine, or with --dry-run one that changes nothing (dryrun.ts) */
  engine(): Promise<EngineClient>;
  dryRun: boolean;
  /** how progress events print (--progress, --ansi, COMPOSE_PROGRESS, COMPOSE_ANSI, NO_COLOR) */
  progressMode: ProgressMode;
  /** ANSI colours allowed (--ansi, COMPOSE_ANSI, NO_COLOR) */
  ansi: 'never' | 'always' | 'auto';
}

/** compose's PersistentPreRunE: --ansi and --progress (and their variables) to a progress mode, with its errors. */
export function progressModeOf(cli: Cli, g: GlobalOptions, ansiChanged: boolean): { mode: ProgressMode; ansi: 'never' | 'always' | 'auto' } {
  let ansi = g.ansi || 'auto';
  if (!ansiChanged && cli.env.COMPOSE_ANSI !== undefined) ansi = cli.env.COMPOSE_ANSI;
  if (cli.env.NO_COLOR) ansi = 'never';
  if (!['never', 'always', 'auto'].includes(ansi)) throw new StatusError(`unsupported --ansi value "${ansi}"`, 1);
  let mode: ProgressMode = ansi === 'never' ? 'plain' : ansi === 'always' ? 'tty' : cli.err.isTTY ? 'tty' : 'plain';
  const p = g.progress || cli.env.COMPOSE_PROGRESS || '';
  switch (p) {
    case '':
    case 'auto':
      break;
    case 'tty':
      if (ansi === 'never') throw new StatusError("can't use --progress tty while ANSI support is disabled", 1);
      mode = 'tty';
      break;
    case 'plain':
      if (ansi === 'always') throw new StatusError("can't use --progress plain while ANSI support is forced", 1);
      mode = 'plain';
      break;
    case 'quiet':
    case 'none':
      mode = 'quiet';
      break;
    case 'json':
      mode = 'json';
      break;
    default:
      throw new StatusError(`unsupported --progress value "${p}"`, 1);
  }
  return { mode, ansi: ansi as 'never' | 'always' | 'auto' };
}

type VerbRun = (ctx: ComposeContext, opts: Record<string, any>, args: string[]) => Promise<void>;

const VERBS: Record<string, VerbRun> = {
  up: runUp,
  down: runDown,
  ps: runPs,
  logs: runLogs,
  start: (c, o, a) => runLifecycle(c, 'start', o, a),
  stop: (c, o, a) => runLifecycle(c, 'stop', o, a),
  restart: (c, o, a) => runLifecycle(c, 'restart', o, a),
  kill: (c, o, a) => runLifecycle(c, 'kill', o, a),
  pause: (c, o, a) => runLifecycle(c, 'pause', o, a),
  unpause: (c, o, a) => runLifecycle(c, 'unpause', o, a),
  rm: (c, o, a) => runLifecycle(c, 'rm', o, a),
  config: runConfig,
  ls: runLs,
  run: runRun,
  exec: runExec,
  version: runVersion,
  create: runCreate,
  port: runPort,
  top: runTop,
  images: runImages,
  pull: runPull,
  push: runPush,
  attach: runAttachVerb,
  commit: runCommitVerb,
  export: runExportVerb,
  scale: runScaleVerb,
  build: runBuildVerb,
  wait: runWait,
  cp: runCpVerb,
  events: runEvents,
};

/** v2's root help (docker's plugin usage template: Options, then Commands, then the pointer). */
function groupHelp(bin: string, width = 79): string {
  let out = `Usage:  ${bin} compose [OPTIONS] COMMAND\n\nDefine and run multi-container applications with Docker\n\nOptions:\n`;
  out += flagUsages(GLOBAL_FLAGS, width).replace(/\s+$/, '') + '\n\nCommands:\n';
  for (const v of Object.keys(VERBS).sort()) out += `  ${v.padEnd(11)} ${COMPOSE_HELP[v].short}\n`;
  out += `\nRun '${bin} compose COMMAND --help' for more information on a command.\n`;
  return out;
}

function verbHelp(bin: string, verb: string, h: VerbHelp, width = 79): string {
  let out = `Usage:  ${bin} compose ${verb} ${h.usage}\n\n${h.short}\n`;
  if (h.aliases?.length) out += `\nAliases:\n  ${[verb, ...h.aliases].map((a) => `${bin} compose ${a}`).join(', ')}\n`;
  const u = flagUsages([...h.flags, DRY_RUN], width).replace(/\s+$/, '');
  if (u) out += `\nOptions:\n${u}\n`;
  return out;
}

function composeError(bin: string, verb: string | undefined, message: string): StatusError {
  const path = verb ? `${bin} compose ${verb}` : `${bin} compose`;
  return new StatusError(`${message}\n\nUsage:  ${path}${verb ? ' ' + COMPOSE_HELP[verb].usage : ' [OPTIONS] COMMAND'}\n\nRun '${path} --help' for more information`, 1);
}

export async function runCompose(cli: Cli, o: GlobalOptions, args: string[], inv?: Invocation): Promise<void> {
  const bin = cli.name;
  if (args.length === 0) {
    cli.print(groupHelp(bin, helpWidth(cli)));
    return;
  }
  const g = o;
  const [verb, ...rest] = args;
  const resolved = Object.keys(COMPOSE_HELP).find((v) => v === verb || COMPOSE_HELP[v].aliases?.includes(verb));
  if (!resolved || !VERBS[resolved]) {
    // cobra's RunE: the help, then the error
    cli.print(groupHelp(bin, helpWidth(cli)));
    throw new StatusError(`unknown docker command: "compose ${verb}"`, 1);
  }
  const h = COMPOSE_HELP[resolved];
  let vp;
  try {
    vp = new FlagSet([...h.flags, DRY_RUN]).parse(rest, h.interspersed ?? true);
  } catch (e) {
    if (e instanceof FlagParseError) throw composeError(bin, resolved, e.message);
    throw e;
  }
  if (vp.help) {
    cli.print(verbHelp(bin, resolved, h, helpWidth(cli)));
    return;
  }
  if (h.maxArgs !== undefined && vp.args.length > h.maxArgs) {
    throw composeError(bin, resolved, `"${bin} compose ${resolved}" accepts at most ${h.maxArgs} argument${h.maxArgs === 1 ? '' : 's'}`);
  }
  if (h.minArgs !== undefined && vp.args.length < h.minArgs) {
    throw composeError(bin, resolved, `"${bin} compose ${resolved}" requires at least ${h.minArgs} argument${h.minArgs === 1 ? '' : 's'}`);
  }
  if (vp.values.dryRun) g.dryRun = true;
  delete vp.values.dryRun;
  const warned = new Set<string>();
  const warn = (m: string): void => {
    if (warned.has(m)) return;
    warned.add(m);
    cli.warn(cli.err.isTTY ? `WARN[0000] ${m}\n` : logLine('warning', m));
  };
  const { mode, ansi } = progressModeOf(cli, g, inv?.changed?.has('ansi') ?? false);
  let engine: Promise<EngineClient> | undefined;
  const ctx: ComposeContext = {
    cli,
    g,
    verb: resolved,
    dryRun: !!g.dryRun,
    progressMode: mode,
    ansi,
    engine: () => (engine ??= cli.engine().then((e) => (g.dryRun ? dryRunEngine(e) : e))),
    warn,
    usageError: (m) => composeError(bin, resolved, m),
    project: (services, extra) =>
      loadProject({
        files: g.file,
        env: cli.env,
        cwd: cli.cwd,
        projectName: g.projectName || undefined,
        projectDirectory: g.projectDirectory || undefined,
        envFiles: g.envFile.length ? g.envFile : (cli.env.COMPOSE_ENV_FILES ?? '').split(',').filter(Boolean),
        profiles: g.profile,
        services,
        stdin: () => readFileSync(cli.in.fd ?? '/dev/stdin', 'utf8'),
        warn,
        ...extra,
      }),
    projectName: () => {
      const n = g.projectName || cli.env.COMPOSE_PROJECT_NAME;
      return n ? n : ctx.project().name;
    },
  };
  try {
    await VERBS[resolved](ctx, vp.values, vp.args);
  } catch (e) {
    if (e instanceof ComposeError) throw new StatusError(e.message, 1);
    throw e;
  }
}

export const spec = {
  name: 'compose',
  usage: '[OPTIONS] COMMAND',
  short: 'Docker Compose',
  args: anyArgs,
  interspersed: false,
  flags: GLOBAL_FLAGS as FlagSpec[],
  run: runCompose,
  helpText: (cli: Cli) => groupHelp(cli.name, helpWidth(cli)),
};
