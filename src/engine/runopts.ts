/**
 * The options of `docker run` and `docker create` (one parser for both), turned into the engine's
 * container create request (Config, HostConfig, NetworkingConfig) with docker's validation errors.
 */
import { readFileSync } from 'node:fs';
import type { FlagSpec } from '../cli/flags.js';
import { StatusError } from '../cli/errors.js';
import { keyValues } from '../cli/keyvalues.js';

/** Go's time.ParseDuration, in nanoseconds. */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  if (s === '0') return 0;
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/gy;
  let sign = 1;
  let rest = s;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (!rest) throw new Error(`time: invalid duration "${s}"`);
  let total = 0;
  let pos = 0;
  re.lastIndex = 0;
  while (pos < rest.length) {
    re.lastIndex = pos;
    const m = re.exec(rest);
    if (!m) {
      if (/^[0-9.]+$/.test(rest.slice(pos))) throw new Error(`time: missing unit in duration "${s}"`);
      throw new Error(`time: invalid duration "${s}"`);
    }
    total += Number(m[1]) * units[m[2]];
    pos = re.lastIndex;
  }
  return sign * Math.round(total);
}

/** go-units RAMInBytes: 512m, 1g, 100k (binary units). */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(s);
  if (!m) throw new Error(`invalid size: '${s}'`);
  const mult: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  return Math.trunc(Number(m[1]) * (m[2] ? mult[m[2].toLowerCase()] : 1));
}

function rational(s: string): number {
  const n = Number(s);
  if (s.trim() === '' || Number.isNaN(n)) throw new Error(`failed to parse ${s} as a rational number`);
  return n;
}

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

/** A usage-level failure of the run/create options: "docker: <msg>" then the --help pointer, exit 125. */
export class RunOptionError extends StatusError {
  constructor(message: string) {
    super(message, 125);
  }
}


function readLines(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new RunOptionError(`open ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  return text.split('\n').map((l) => l.replace(/\r$/, '').trimStart()).filter((l) => l && !l.startsWith('#'));
}

function envValue(e: string, env: NodeJS.ProcessEnv): string {
  if (e.includes('=')) {
    if (e.startsWith('=')) throw new RunOptionError(`invalid environment variable: ${e}`);
    return e;
  }
  return env[e] !== undefined ? `${e}=${env[e]}` : e;
}

interface PortSpec {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, { HostIp: string; HostPort: string }[]>;
}

function parsePortRange(s: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new Error('');
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  if (a > 65535 || b > 65535 || b < a) throw new Error('');
  return [a, b];
}

/** nat.ParsePortSpecs with docker's messages. */
export function parsePorts(specs: string[], expose: string[]): PortSpec {
  const exposed: PortSpec['exposed'] = {};
  const bindings: PortSpec['bindings'] = {};
  for (const e of expose) {
    const [p, proto = 'tcp'] = e.split('/');
    let range: [number, number];
    try {
      range = parsePortRange(p);
    } catch {
      throw new RunOptionError(`invalid range format for --expose: ${e}, error: strconv.ParseUint: parsing "${p}": invalid syntax`);
    }
    for (let i = range[0]; i <= range[1]; i++) exposed[`${i}/${proto}`] = {};
  }
  for (const spec of specs) {
    let rawIP = '';
    let hostPort = '';
    let containerPort: string;
    let proto = 'tcp';
    let s = spec;
    const slash = s.lastIndexOf('/');
    if (slash >= 0 && !s.slice(slash).includes(':')) {
      proto = s.slice(slash + 1).toLowerCase();
      s = s.slice(0, slash);
    }
    const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(s);
    if (ipv6) {
      rawIP = ipv6[1];
      s = ipv6[2];
      const parts = s.split(':');
      if (parts.length === 2) [hostPort, containerPort] = parts;
      else containerPort = s;
    } else {
      const parts = s.split(':');
      if (parts.length === 1) containerPort = parts[0];
      else if (parts.length === 2) [hostPort, containerPort] = parts;
      else if (parts.length === 3) [rawIP, hostPort, containerPort] = parts;
      else {
        rawIP = parts.slice(0, -2).join(':');
        [hostPort, containerPort] = parts.slice(-2);
      }
    }
    if (!containerPort) throw new RunOptionError(`no port specified: ${spec}<empty>`);
    let cr: [number, number];
    try {
      cr = parsePortRange(containerPort);
    } catch {
      throw new RunOptionError(`invalid containerPort: ${containerPort}`);
    }
    let hr: [number, number] | undefined;
    if (hostPort) {
      try {
        hr = parsePortRange(hostPort);
      } catch {
        throw new RunOptionError(`invalid hostPort: ${hostPort}`);
      }
    }
    if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new RunOptionError(`invalid proto: ${proto}`);
    const count = cr[1] - cr[0];
    if (hr && hr[1] - hr[0] !== count && hr[0] !== hr[1]) throw new RunOptionError(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
    for (let i = 0; i <= count; i++) {
      const key = `${cr[0] + i}/${proto}`;
      exposed[key] = {};
      let hp = '';
      if (hr) hp = hr[0] === hr[1] && count > 0 ? `${hr[0]}` : String(hr[0] + i);
      if (hr && hr[0] !== hr[1] && count === 0) hp = `${hr[0]}-${hr[1]}`;
      (bindings[key] ??= []).push({ HostIp: rawIP, HostPort: hp });
    }
  }
  return { exposed, bindings };
}

function parseVolume(spec: string): { bind?: string; volume?: string } {
  if (spec === '') throw new RunOptionError('invalid empty volume spec');
  const parts = spec.split(':');
  if (parts.some((p, i) => p === '' && i < parts.length) && parts.length > 1) {
    throw new RunOptionError(`invalid spec: ${spec}: empty section between colons`);
  }
  if (parts.length === 1) {
    if (!spec.startsWith('/')) throw new RunOptionError(`invalid volume specification: '${spec}': invalid mount config for type "volume": invalid mount path: '${spec}' mount path must be absolute`);
    return { volume: spec };
  }
  if (parts.length > 3) throw new RunOptionError(`invalid spec: ${spec}: too many colons`);
  return { bind: spec };
}

function parseMount(spec: string): Record<string, unknown> {
  const m: Record<string, unknown> = { Type: 'volume' };
  const bind: Record<string, unknown> = {};
  const vol: Record<string, unknown> = {};
  const tmpfs: Record<string, unknown> = {};
  const volLabels: Record<string, string> = {};
  for (const field of spec.split(',')) {
    const i = field.indexOf('=');
    const key = (i < 0 ? field : field.slice(0, i)).toLowerCase().trim();
    const val = i < 0 ? undefined : field.slice(i + 1);
    const bool = (): boolean => val === undefined || ['1', 'true', 'True', 'TRUE'].includes(val);
    switch (key) {
      case 'type': m.Type = val; break;
      case 'source': case 'src': m.Source = val; break;
      case 'target': case 'dst': case 'destination': m.Target = val; break;
      case 'readonly': case 'ro': m.ReadOnly = bool(); break;
      case 'consistency': m.Consistency = val; break;
      case 'bind-propagation': bind.Propagation = val; break;
      case 'bind-recursive': bind.ReadOnlyNonRecursive = val === 'readonly'; break;
      case 'volume-nocopy': vol.NoCopy = bool(); break;
      case 'volume-driver': vol.DriverConfig = { Name: val }; break;
      case 'volume-subpath': vol.Subpath = val; break;
      case 'volume-label': { const [k, v = ''] = (val ?? '').split('='); volLabels[k] = v; break; }
      case 'tmpfs-size': tmpfs.SizeBytes = ramInBytes(val ?? ''); break;
      case 'tmpfs-mode': tmpfs.Mode = parseInt(val ?? '0', 8); break;
      default:
        throw new RunOptionError(`invalid argument "${spec}" for "--mount" flag: unexpected key '${key}' in '${field}'`);
    }
  }
  if (Object.keys(volLabels).length) vol.Labels = volLabels;
  if (m.Type === 'bind' && Object.keys(bind).length) m.BindOptions = bind;
  if (m.Type === 'volume' && Object.keys(vol).length) m.VolumeOptions = vol;
  if (m.Type === 'tmpfs' && Object.keys(tmpfs).length) m.TmpfsOptions = tmpfs;
  if (!m.Target) throw new RunOptionError(`invalid argument "${spec}" for "--mount" flag: target is required`);
  return m;
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

function restartPolicy(s: string): { Name: string; MaximumRetryCount: number } {
  if (!s) return { Name: 'no', MaximumRetryCount: 0 };
  const [name, count] = s.split(':');
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

function ulimits(list: string[]): { Name: string; Soft: number; Hard: number }[] {
  return list.map((u) => {
    const [name, limits] = u.split('=');
    if (limits === undefined) throw new RunOptionError(`invalid ulimit argument: ${u}`);
    const [soft, hard = soft] = limits.split(':');
    return { Name: name, Soft: Number(soft), Hard: Number(hard) };
  });
}

function devices(list: string[]): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[] {
  return list.map((d) => {
    const parts = d.split(':');
    const host = parts[0];
    let ctr = parts[1] ?? host;
    let perm = 'rwm';
    if (parts.length === 2 && /^[rwm]+$/.test(parts[1])) {
      ctr = host;
      perm = parts[1];
    } else if (parts.length === 3) perm = parts[2];
    return { PathOnHost: host, PathInContainer: ctr, CgroupPermissions: perm };
  });
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
