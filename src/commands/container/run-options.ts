/**
 * The options of `docker run` and `docker create` (one flag table for both), turned into the engine's
 * container create request (Config, HostConfig, NetworkingConfig) with docker's validation errors.
 */
import { readFileSync } from 'node:fs';
import type { FlagSpec } from '../../cli/flags.js';
import { keyValues } from '../../cli/keyvalues.js';
import { devices, parseDuration, parseMount, parsePorts, parseVolume, ramInBytes, rational, restartPolicy, RunOptionError, ulimits } from '../../cli/opts.js';

/** Parsers for run/create flags whose values docker validates while parsing flags. */
export const RUN_FLAG_PARSERS: Record<string, Partial<FlagSpec>> = {
  memory: { parse: (v) => ramInBytes(v) },
  'memory-reservation': { parse: (v) => ramInBytes(v) },
  'memory-swap': { parse: (v) => (v === '-1' ? -1 : ramInBytes(v)) },
  'kernel-memory': { parse: (v) => ramInBytes(v) },
  'shm-size': { parse: (v) => ramInBytes(v) },
  cpus: { parse: (v) => rational(v) },
  'health-interval': { parse: (v) => parseDuration(v) },
  'health-timeout': { parse: (v) => parseDuration(v) },
  'health-start-period': { parse: (v) => parseDuration(v) },
  'health-start-interval': { parse: (v) => parseDuration(v) },
  attach: {
    parse: (v) => {
      const s = v.toLowerCase();
      if (!['stdin', 'stdout', 'stderr'].includes(s)) throw new Error('valid streams are STDIN, STDOUT and STDERR');
      return s;
    },
  },
  'blkio-weight': { kind: 'int' },
};

/** docker's hidden run/create flags: --net and --net-alias (old names of --network and --network-alias). */
export function withHiddenRunFlags<T extends { flags?: FlagSpec[] }>(spec: T): T {
  const extra: FlagSpec[] = [
    { name: 'net', kind: 'list', typeName: 'network', usage: 'Connect a container to a network', hidden: true, key: 'network' },
    { name: 'net-alias', kind: 'list', typeName: 'list', usage: 'Add network-scoped alias for the container', hidden: true, key: 'networkAlias' },
  ];
  return { ...spec, flags: [...(spec.flags ?? []), ...extra] };
}

export interface RunOptions {
  [key: string]: unknown;
  attach: string[];
  detach: boolean;
  interactive: boolean;
  tty: boolean;
  rm: boolean;
  name: string;
  hostname: string;
  domainname: string;
  env: string[];
  envFile: string[];
  label: string[];
  labelFile: string[];
  publish: string[];
  publishAll: boolean;
  expose: string[];
  volume: string[];
  volumesFrom: string[];
  mount: string[];
  tmpfs: string[];
  workdir: string;
  user: string;
  entrypoint: string;
  network: string[];
  networkAlias: string[];
  ip: string;
  ip6: string;
  dns: string[];
  dnsOption: string[];
  dnsSearch: string[];
  addHost: string[];
  restart: string;
  readOnly: boolean;
  privileged: boolean;
  capAdd: string[];
  capDrop: string[];
  securityOpt: string[];
  device: string[];
  memory: number;
  memorySwap: number;
  memoryReservation: number;
  cpus: number;
  cpusetCpus: string;
  cpusetMems: string;
  cpuShares: number;
  pidsLimit: number;
  ulimit: string[];
  init: boolean;
  shmSize: number;
  stopSignal: string;
  stopTimeout: number;
  healthCmd: string;
  healthInterval: number;
  healthRetries: number;
  healthTimeout: number;
  healthStartPeriod: number;
  noHealthcheck: boolean;
  platform: string;
  pull: string;
  detachKeys: string;
  sigProxy: boolean;
  cidfile: string;
  logDriver: string;
  logOpt: string[];
  quiet: boolean;
  groupAdd: string[];
  ipc: string;
  pid: string;
  uts: string;
  userns: string;
  cgroupns: string;
  macAddress: string;
  oomKillDisable: boolean;
  sysctl: string[];
  link: string[];
  runtime: string;
  storageOpt: string[];
}

export interface CreateRequest {
  name?: string;
  platform?: string;
  image: string;
  body: Record<string, unknown>;
}

function readLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RunOptionError(`open ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  const lines = text.split('\n');
  // docker reads these files with a bufio.Scanner: a line that does not fit its 64 KB buffer is an error
  if (lines.some((l) => Buffer.byteLength(l) >= 64 * 1024)) throw new RunOptionError(`invalid env file (${file}): bufio.Scanner: token too long`);
  return lines.map((l) => l.replace(/\r$/, '').trimStart()).filter((l) => l && !l.startsWith('#'));
}

function envValue(e: string, env: NodeJS.ProcessEnv): string {
  if (e.includes('=')) {
    if (e.startsWith('=')) throw new RunOptionError(`invalid environment variable: ${e}`);
    return e;
  }
  return env[e] !== undefined ? `${e}=${env[e]}` : e;
}

/** docker's NormalizeCapabilities: upper case with the CAP_ prefix, ALL as is, duplicates dropped. */
function normalizeCaps(caps: string[]): string[] {
  const out: string[] = [];
  for (const c of caps) {
    let n = c.trim().toUpperCase();
    if (n !== 'ALL' && !n.startsWith('CAP_')) n = 'CAP_' + n;
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

/** Build the create request from the options and the positional arguments [IMAGE, CMD...]. */
export function buildCreate(o: RunOptions, args: string[], changed: Set<string>, env: NodeJS.ProcessEnv): CreateRequest {
  const [image, ...cmd] = args;
  const attach = new Set(o.attach);
  let attachStdin = attach.has('stdin');
  let attachStdout = attach.has('stdout');
  let attachStderr = attach.has('stderr');
  if (!o.detach && attach.size === 0) {
    attachStdout = true;
    attachStderr = true;
    attachStdin = o.interactive;
  }
  if (o.detach) {
    attachStdin = attachStdout = attachStderr = false;
  }
  const envList = [...o.envFile.flatMap(readLines), ...o.env].map((e) => envValue(e, env));
  const labels = keyValues([...o.labelFile.flatMap(readLines), ...o.label]);
  const ports = parsePorts(o.publish, o.expose);
  const binds: string[] = [];
  const volumes: Record<string, Record<string, never>> = {};
  for (const v of o.volume) {
    const p = parseVolume(v);
    if (p.bind) binds.push(p.bind);
    if (p.volume) volumes[p.volume] = {};
  }
  const tmpfs: Record<string, string> = {};
  for (const t of o.tmpfs) {
    const i = t.indexOf(':');
    if (i < 0) tmpfs[t] = '';
    else tmpfs[t.slice(0, i)] = t.slice(i + 1);
  }
  let entrypoint: string[] | undefined;
  if (o.entrypoint) entrypoint = [o.entrypoint];
  else if (changed.has('entrypoint')) entrypoint = [''];
  let healthcheck: Record<string, unknown> | undefined;
  if (o.noHealthcheck) healthcheck = { Test: ['NONE'] };
  else if (o.healthCmd || changed.has('healthInterval') || changed.has('healthTimeout') || changed.has('healthRetries') || changed.has('healthStartPeriod')) {
    healthcheck = {
      Test: o.healthCmd ? ['CMD-SHELL', o.healthCmd] : undefined,
      Interval: o.healthInterval || undefined,
      Timeout: o.healthTimeout || undefined,
      StartPeriod: o.healthStartPeriod || undefined,
      Retries: o.healthRetries || undefined,
    };
  }
  const networks = (Array.isArray(o.network) ? o.network : o.network ? [o.network] : []) as string[];
  const network = networks[0] || 'default';
  const endpoint: Record<string, unknown> = {};
  if (o.networkAlias.length) endpoint.Aliases = o.networkAlias;
  if (o.ip || o.ip6) endpoint.IPAMConfig = { IPv4Address: o.ip || undefined, IPv6Address: o.ip6 || undefined };
  if (o.macAddress) endpoint.MacAddress = o.macAddress;
  const config: Record<string, unknown> = {
    Hostname: o.hostname,
    Domainname: o.domainname,
    User: o.user,
    AttachStdin: attachStdin,
    AttachStdout: attachStdout,
    AttachStderr: attachStderr,
    ExposedPorts: Object.keys(ports.exposed).length ? ports.exposed : undefined,
    Tty: o.tty,
    OpenStdin: o.interactive,
    StdinOnce: o.interactive && attachStdin && !o.detach,
    Env: envList,
    Cmd: cmd.length ? cmd : null,
    Healthcheck: healthcheck,
    Image: image,
    Volumes: Object.keys(volumes).length ? volumes : undefined,
    WorkingDir: o.workdir,
    Entrypoint: entrypoint ?? null,
    MacAddress: o.macAddress || undefined,
    Labels: labels,
    StopSignal: o.stopSignal || undefined,
    StopTimeout: changed.has('stopTimeout') ? o.stopTimeout : undefined,
  };
  const hostConfig: Record<string, unknown> = {
    Binds: binds.length ? binds : null,
    ContainerIDFile: o.cidfile,
    LogConfig: { Type: o.logDriver, Config: keyValues(o.logOpt) },
    NetworkMode: network,
    PortBindings: ports.bindings,
    RestartPolicy: restartPolicy(o.restart),
    AutoRemove: o.rm,
    VolumesFrom: o.volumesFrom.length ? o.volumesFrom : null,
    CapAdd: o.capAdd.length ? normalizeCaps(o.capAdd) : null,
    CapDrop: o.capDrop.length ? normalizeCaps(o.capDrop) : null,
    CgroupnsMode: o.cgroupns || undefined,
    Dns: o.dns,
    DnsOptions: o.dnsOption,
    DnsSearch: o.dnsSearch,
    ExtraHosts: o.addHost.length ? o.addHost : null,
    GroupAdd: o.groupAdd.length ? o.groupAdd : null,
    IpcMode: o.ipc,
    Links: o.link.length ? o.link : null,
    OomKillDisable: changed.has('oomKillDisable') ? o.oomKillDisable : undefined,
    PidMode: o.pid,
    Privileged: o.privileged,
    PublishAllPorts: o.publishAll,
    ReadonlyRootfs: o.readOnly,
    SecurityOpt: o.securityOpt.length ? o.securityOpt : null,
    StorageOpt: o.storageOpt.length ? keyValues(o.storageOpt) : undefined,
    Tmpfs: Object.keys(tmpfs).length ? tmpfs : undefined,
    UTSMode: o.uts,
    UsernsMode: o.userns,
    ShmSize: o.shmSize || undefined,
    Sysctls: o.sysctl.length ? keyValues(o.sysctl) : undefined,
    Runtime: o.runtime || undefined,
    Memory: o.memory || 0,
    MemoryReservation: o.memoryReservation || 0,
    MemorySwap: o.memorySwap || 0,
    NanoCpus: o.cpus ? Math.round(o.cpus * 1e9) : 0,
    CpuShares: o.cpuShares || 0,
    CpusetCpus: o.cpusetCpus,
    CpusetMems: o.cpusetMems,
    Devices: devices(o.device),
    PidsLimit: changed.has('pidsLimit') ? o.pidsLimit : undefined,
    Ulimits: ulimits(o.ulimit),
    Init: changed.has('init') ? o.init : undefined,
    Mounts: o.mount.length ? o.mount.map(parseMount) : undefined,
  };
  if (o.logDriver === '' && o.logOpt.length === 0) hostConfig.LogConfig = { Type: '', Config: {} };
  const body: Record<string, unknown> = { ...config, HostConfig: hostConfig };
  if (network !== 'default' && !['host', 'none', 'bridge'].includes(network) && !network.startsWith('container:')) {
    body.NetworkingConfig = { EndpointsConfig: { [network]: endpoint } };
  } else if (Object.keys(endpoint).length) {
    body.NetworkingConfig = { EndpointsConfig: { [network === 'default' ? 'bridge' : network]: endpoint } };
  }
  return { name: o.name || undefined, platform: o.platform || undefined, image, body };
}
