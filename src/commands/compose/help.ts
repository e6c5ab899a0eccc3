/**
 * compose's own help texts (from docker/compose's cobra definitions, cmd/compose/*.go), for the
 * verbs tdocker implements and only the flags it honours. docker-help.json has none: docker 28
 * ships compose as a plugin.
 */
import type { FlagSpec } from '../../cli/flags.js';
import { tableFormatFlag } from '../../cli/flagdefs.js';

const b = (name: string, usage: string, short?: string): FlagSpec => ({ name, short, kind: 'bool', usage });
const s = (name: string, usage: string, short?: string, def = ''): FlagSpec => ({ name, short, kind: 'string', typeName: 'string', usage, default: def, defaultText: def ? `"${def}"` : undefined });
const arr = (name: string, usage: string, short?: string): FlagSpec => ({ name, short, kind: 'list', typeName: 'stringArray', usage });
const int = (name: string, usage: string, short?: string): FlagSpec => ({ name, short, kind: 'int', typeName: 'int', usage, default: undefined });

/** compose's one persistent flag: every verb takes it too */
export const DRY_RUN: FlagSpec = b('dry-run', 'Execute command in dry run mode');

export const GLOBAL_FLAGS: FlagSpec[] = [
  DRY_RUN,
  s('ansi', 'Control when to print ANSI control characters ("never"|"always"|"auto")', undefined, 'auto'),
  arr('env-file', 'Specify an alternate environment file'),
  arr('file', 'Compose configuration files', 'f'),
  s('progress', 'Set type of progress output (auto, tty, plain, json, quiet)'),
  arr('profile', 'Specify a profile to enable'),
  s('project-directory', 'Specify an alternate working directory\n(default: the path of the, first specified, Compose file)'),
  s('project-name', 'Project name', 'p'),
];

export interface VerbHelp {
  usage: string;
  short: string;
  aliases?: string[];
  maxArgs?: number;
  minArgs?: number;
  /** false: flags end at the first argument (run, exec) */
  interspersed?: boolean;
  flags: FlagSpec[];
}

const timeout = int('timeout', 'Specify a shutdown timeout in seconds', 't');

const index = (): FlagSpec => ({ name: 'index', kind: 'int', typeName: 'int', usage: 'index of the container if service has multiple replicas.', default: 0 });
const defTrue = (f: FlagSpec): FlagSpec => ({ ...f, default: true, defaultText: 'true' });

export const COMPOSE_HELP: Record<string, VerbHelp> = {
  attach: {
    usage: '[OPTIONS] SERVICE',
    short: "Attach local standard input, output, and error streams to a service's running container",
    minArgs: 1,
    flags: [
      s('detach-keys', 'Override the key sequence for detaching from a container.'),
      index(),
      b('no-stdin', 'Do not attach STDIN'),
      defTrue(b('sig-proxy', 'Proxy all received signals to the process')),
    ],
  },
  commit: {
    usage: '[OPTIONS] SERVICE [REPOSITORY[:TAG]]',
    short: "Create a new image from a service container's changes",
    minArgs: 1,
    maxArgs: 2,
    flags: [
      s('author', 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")', 'a'),
      { ...arr('change', 'Apply Dockerfile instruction to the created image', 'c'), typeName: 'list' },
      index(),
      s('message', 'Commit message', 'm'),
      defTrue(b('pause', 'Pause container during commit', 'p')),
    ],
  },
  export: {
    usage: '[OPTIONS] SERVICE',
    short: "Export a service container's filesystem as a tar archive",
    minArgs: 1,
    flags: [index(), s('output', 'Write to a file, instead of STDOUT', 'o')],
  },
  scale: {
    usage: '[SERVICE=REPLICAS...]',
    short: 'Scale services ',
    minArgs: 1,
    flags: [b('no-deps', "Don't start linked services")],
  },
  up: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Create and start containers',
    flags: [
      b('abort-on-container-exit', 'Stops all containers if any container was stopped. Incompatible with -d'),
      b('abort-on-container-failure', 'Stops all containers if any container exited with failure. Incompatible with -d'),
      s('pull', 'Pull image before running ("always"|"missing"|"never")', undefined, 'policy'),
      b('quiet-build', 'Suppress the build output'),
      b('quiet-pull', 'Pull without printing progress information'),
      b('timestamps', 'Show timestamps'),
      b('build', 'Build images before starting containers'),
      arr('attach', 'Restrict attaching to the specified services. Incompatible with --attach-dependencies.'),
      b('detach', 'Detached mode: Run containers in the background', 'd'),
      s('exit-code-from', 'Return the exit code of the selected service container. Implies --abort-on-container-exit'),
      b('force-recreate', "Recreate containers even if their configuration and image haven't changed"),
      arr('no-attach', 'Do not attach (stream logs) to the specified services'),
      b('no-build', "Don't build an image, even if it's policy"),
      b('no-color', 'Produce monochrome output'),
      b('no-deps', "Don't start linked services"),
      b('no-log-prefix', "Don't print prefix in logs"),
      b('no-recreate', "If containers already exist, don't recreate them. Incompatible with --force-recreate."),
      b('no-start', "Don't start the services after creating them"),
      b('renew-anon-volumes', 'Recreate anonymous volumes instead of retrieving data from the previous containers', 'V'),
      b('remove-orphans', 'Remove containers for services not defined in the Compose file'),
      arr('scale', 'Scale SERVICE to NUM instances. Overrides the `scale` setting in the Compose file if present.'),
      int('timeout', 'Use this timeout in seconds for container shutdown when attached or when containers are already running', 't'),
      b('wait', 'Wait for services to be running|healthy. Implies detached mode.'),
      int('wait-timeout', 'Maximum duration in seconds to wait for the project to be running|healthy'),
      b('yes', 'Assume "yes" as answer to all prompts and run non-interactively', 'y'),
    ],
  },
  down: {
    usage: '[OPTIONS] [SERVICES]',
    short: 'Stop and remove containers, networks',
    flags: [
      b('remove-orphans', 'Remove containers for services not defined in the Compose file'),
      s('rmi', 'Remove images used by services. "local" remove only images that don\'t have a custom tag ("local"|"all")'),
      timeout,
      b('volumes', 'Remove named volumes declared in the "volumes" section of the Compose file and anonymous volumes attached to containers', 'v'),
    ],
  },
  ps: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'List containers',
    flags: [
      b('all', 'Show all stopped containers (including those created by the run command)', 'a'),
      s('filter', 'Filter services by a property (supported filters: status)'),
      tableFormatFlag(),
      b('no-trunc', "Don't truncate output"),
      { ...b('orphans', 'Include orphaned services (not declared by project)'), default: true, defaultText: 'true' },
      b('quiet', 'Only display IDs', 'q'),
      b('services', 'Display services'),
      arr('status', 'Filter services by status. Values: [paused | restarting | removing | running | dead | created | exited]'),
    ],
  },
  logs: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'View output from containers',
    flags: [
      b('follow', 'Follow log output', 'f'),
      b('no-color', 'Produce monochrome output'),
      b('no-log-prefix', "Don't print prefix in logs"),
      s('since', 'Show logs since timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)'),
      s('tail', 'Number of lines to show from the end of the logs for each container', 'n', 'all'),
      b('timestamps', 'Show timestamps', 't'),
      s('until', 'Show logs before a timestamp (e.g. 2013-01-02T13:23:37Z) or relative (e.g. 42m for 42 minutes)'),
    ],
  },
  start: { usage: '[SERVICE...]', short: 'Start services', flags: [] },
  stop: { usage: '[OPTIONS] [SERVICE...]', short: 'Stop services', flags: [timeout] },
  restart: { usage: '[OPTIONS] [SERVICE...]', short: 'Restart service containers', flags: [timeout] },
  kill: { usage: '[OPTIONS] [SERVICE...]', short: 'Force stop service containers', flags: [s('signal', 'SIGNAL to send to the container', 's', 'SIGKILL')] },
  pause: { usage: '[SERVICE...]', short: 'Pause services', flags: [] },
  unpause: { usage: '[SERVICE...]', short: 'Unpause services', flags: [] },
  rm: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Removes stopped service containers',
    flags: [b('force', "Don't ask to confirm removal", 'f'), b('stop', 'Stop the containers, if required, before removing', 's'), b('volumes', 'Remove any anonymous volumes attached to containers', 'v')],
  },
  config: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Parse, resolve and render compose file in canonical format',
    flags: [
      s('format', 'Format the output. Values: [yaml | json]'),
      s('hash', 'Print the service config hash, one per line.'),
      b('images', 'Print the image names, one per line.'),
      b('networks', 'Print the network names, one per line.'),
      b('no-consistency', "Don't check model consistency - warning: may produce invalid Compose output"),
      b('no-interpolate', "Don't interpolate environment variables"),
      b('no-normalize', "Don't normalize compose model"),
      b('no-path-resolution', "Don't resolve file paths"),
      s('output', 'Save to file (default to stdout)', 'o'),
      b('profiles', 'Print the profile names, one per line.'),
      b('quiet', 'Only validate the configuration, don\'t print anything', 'q'),
      b('services', 'Print the service names, one per line.'),
      b('volumes', 'Print the volume names, one per line.'),
    ],
  },
  run: {
    usage: '[OPTIONS] SERVICE [COMMAND] [ARGS...]',
    short: 'Run a one-off command on a service',
    interspersed: false,
    minArgs: 1,
    flags: [
      b('detach', 'Run container in background and print container ID', 'd'),
      s('entrypoint', 'Override the entrypoint of the image'),
      arr('env', 'Set environment variables', 'e'),
      b('interactive', 'Keep STDIN open even if not attached', 'i'),
      s('name', 'Assign a name to the container'),
      { ...b('no-TTY', 'Disable pseudo-TTY allocation (default: auto-detected)', 'T'), key: 'noTty' },
      b('no-deps', "Don't start linked services"),
      arr('publish', "Publish a container's port(s) to the host", 'p'),
      b('rm', 'Automatically remove the container when it exits'),
      b('service-ports', "Run command with all service's ports enabled and mapped to the host"),
      s('user', 'Run as specified username or uid', 'u'),
      arr('volume', 'Bind mount a volume', 'v'),
      s('workdir', 'Working directory inside the container', 'w'),
    ],
  },
  exec: {
    usage: '[OPTIONS] SERVICE COMMAND [ARGS...]',
    short: 'Execute a command in a running container',
    interspersed: false,
    minArgs: 2,
    flags: [
      b('detach', 'Detached mode: Run command in the background', 'd'),
      arr('env', 'Set environment variables', 'e'),
      { name: 'index', kind: 'int', typeName: 'int', usage: 'Index of the container if service has multiple replicas', default: 0 },
      { ...b('no-TTY', 'Disable pseudo-TTY allocation. By default `docker compose exec` allocates a TTY.', 'T'), key: 'noTty' },
      b('privileged', 'Give extended privileges to the process'),
      s('user', 'Run the command as this user', 'u'),
      s('workdir', 'Path to workdir directory for this command', 'w'),
    ],
  },
  version: {
    usage: '[OPTIONS]',
    short: 'Show the Docker Compose version information',
    maxArgs: 0,
    flags: [s('format', 'Format the output. Values: [pretty | json]', 'f'), b('short', "Shows only Compose's version number")],
  },
  create: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Creates containers for a service',
    flags: [
      b('force-recreate', "Recreate containers even if their configuration and image haven't changed"),
      b('no-recreate', "If containers already exist, don't recreate them. Incompatible with --force-recreate."),
      b('remove-orphans', 'Remove containers for services not defined in the Compose file'),
      b('yes', 'Assume "yes" as answer to all prompts and run non-interactively', 'y'),
    ],
  },
  port: {
    usage: '[OPTIONS] SERVICE PRIVATE_PORT',
    short: 'Print the public port for a port binding',
    minArgs: 1,
    maxArgs: 2,
    flags: [{ name: 'index', kind: 'int', typeName: 'int', usage: 'Index of the container if service has multiple replicas', default: 0 }, s('protocol', 'tcp or udp', undefined, 'tcp')],
  },
  top: { usage: '[SERVICES...]', short: 'Display the running processes', flags: [] },
  images: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'List images used by the created containers',
    flags: [s('format', 'Format the output. Values: [table | json]', undefined, 'table'), b('quiet', 'Only display IDs', 'q')],
  },
  build: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Build or rebuild services',
    flags: [
      arr('build-arg', 'Set build-time variables for services'),
      b('no-cache', 'Do not use cache when building the image'),
      b('pull', 'Always attempt to pull a newer version of the image'),
      b('push', 'Push service images'),
      b('quiet', 'Suppress the build output', 'q'),
      b('with-dependencies', 'Also build dependencies (transitively)'),
    ],
  },
  pull: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Pull service images',
    flags: [
      b('ignore-buildable', 'Ignore images that can be built'),
      b('ignore-pull-failures', 'Pull what it can and ignores images with pull failures'),
      b('include-deps', 'Also pull services declared as dependencies'),
      s('policy', 'Apply pull policy ("missing"|"always")'),
      b('quiet', 'Pull without printing progress information', 'q'),
    ],
  },
  push: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Push service images',
    flags: [
      b('ignore-push-failures', 'Push what it can and ignores images with push failures'),
      b('include-deps', 'Also push images of services declared as dependencies'),
      b('quiet', 'Push without printing progress information', 'q'),
    ],
  },
  wait: {
    usage: 'SERVICE [SERVICE...] [OPTIONS]',
    short: 'Block until containers of all (or specified) services stop.',
    minArgs: 1,
    flags: [b('down-project', 'Drops project when the first container stops')],
  },
  cp: {
    usage: '[OPTIONS] SERVICE:SRC_PATH DEST_PATH|-\n\tdocker compose cp [OPTIONS] SRC_PATH|- SERVICE:DEST_PATH',
    short: 'Copy files/folders between a service container and the local filesystem',
    minArgs: 2,
    maxArgs: 2,
    flags: [
      b('archive', 'Archive mode (copy all uid/gid information)', 'a'),
      b('follow-link', 'Always follow symbol link in SRC_PATH', 'L'),
      { name: 'index', kind: 'int', typeName: 'int', usage: 'Index of the container if service has multiple replicas', default: 0 },
    ],
  },
  events: {
    usage: '[OPTIONS] [SERVICE...]',
    short: 'Receive real time events from containers',
    flags: [b('json', 'Output events as a stream of json objects'), s('since', 'Show all events created since timestamp'), s('until', 'Stream events until this timestamp')],
  },
  ls: {
    usage: '[OPTIONS]',
    short: 'List running compose projects',
    maxArgs: 0,
    flags: [b('all', 'Show all stopped Compose projects', 'a'), s('format', 'Format the output. Values: [table | json]', undefined, 'table'), b('quiet', 'Only display project names', 'q')],
  },
};
