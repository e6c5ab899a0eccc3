/**
 * docker's option parsers (docker/cli's opts package and go-units): durations, memory sizes, ports,
 * volumes and mounts, restart policies, ulimits, devices. Shared by every command whose flags take them.
 */
import { StatusError } from './errors.js';

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

export function rational(s: string): number {
  const n = Number(s);
  if (s.trim() === '' || Number.isNaN(n)) throw new Error(`failed to parse ${s} as a rational number`);
  return n;
}

/** A usage-level failure of the run/create options: "docker: <msg>" then the --help pointer, exit 125. */
export class RunOptionError extends StatusError {
  constructor(message: string) {
    super(message, 125);
  }
}

export interface PortSpec {
  exposed: Record<string, Record<string, never>>;
  bindings: Record<string, { HostIp: string; HostPort: string }[]>;
}

export function parsePortRange(s: string): [number, number] {
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

export function parseVolume(spec: string): { bind?: string; volume?: string } {
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

export function parseMount(spec: string): Record<string, unknown> {
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

export function restartPolicy(s: string): { Name: string; MaximumRetryCount: number } {
  if (!s) return { Name: 'no', MaximumRetryCount: 0 };
  const [name, count] = s.split(':');
  return { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
}

export function ulimits(list: string[]): { Name: string; Soft: number; Hard: number }[] {
  return list.map((u) => {
    const [name, limits] = u.split('=');
    if (limits === undefined) throw new RunOptionError(`invalid ulimit argument: ${u}`);
    const [soft, hard = soft] = limits.split(':');
    return { Name: name, Soft: Number(soft), Hard: Number(hard) };
  });
}

export function devices(list: string[]): { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[] {
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
