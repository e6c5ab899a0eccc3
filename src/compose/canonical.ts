/**
 * Canonical forms of the Compose file's short syntaxes (compose-go's transform package): ports,
 * volumes, depends_on, environment, labels, env_file, secrets, configs, networks, build, command.
 * Input is one file's interpolated, validated tree; output is the same tree with long forms.
 */
import { splitShell } from './shell.js';
import { Override, RESET } from './merge.js';

export class ComposeError extends Error {}

type Dict = Record<string, any>;

const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

/** `KEY=VALUE` list or mapping → mapping (a bare KEY maps to null); scalars become strings. */
export function toMapping(v: unknown, sep = '='): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const i = s.indexOf(sep);
      if (i < 0) out[s] = null;
      else out[s.slice(0, i)] = s.slice(i + 1);
    }
  } else if (isDict(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? null : String(x);
  }
  return out;
}

export interface PortConfig {
  name?: string;
  mode: string;
  host_ip?: string;
  target: number;
  published?: string;
  protocol: string;
  app_protocol?: string;
}

function range(text: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const a = Number(m[1]);
  return [a, m[2] === undefined ? a : Number(m[2])];
}

/** One short-syntax port (`[HOST_IP:][PUBLISHED[-END]:]TARGET[-END][/PROTOCOL]`), expanded to long forms. */
export function parsePort(spec: string | number): PortConfig[] {
  if (typeof spec === 'number') return [{ mode: 'ingress', target: spec, protocol: 'tcp' }];
  let s = spec.trim();
  let protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash >= 0) {
    protocol = s.slice(slash + 1);
    s = s.slice(0, slash);
  }
  let hostIp: string | undefined;
  let published: string | undefined;
  let target: string;
  const bracket = /^\[([^\]]+)\]:(.*)$/.exec(s);
  if (bracket) {
    hostIp = bracket[1];
    s = bracket[2];
  }
  const parts = s.split(':');
  if (!bracket && parts.length > 3) {
    // an IPv6 host address without brackets
    target = parts.pop()!;
    published = parts.pop()!;
    hostIp = parts.join(':');
  } else if (parts.length === 3) {
    [hostIp, published, target] = parts;
  } else if (parts.length === 2) {
    [published, target] = parts;
  } else {
    target = parts[0];
  }
  const t = range(target);
  if (!t) throw new ComposeError(`Invalid containerPort: ${target}`);
  const count = t[1] - t[0] + 1;
  const pub = published ? range(published) : undefined;
  if (published && !pub) throw new ComposeError(`Invalid hostPort: ${published}`);
  const out: PortConfig[] = [];
  for (let i = 0; i < count; i++) {
    const p: PortConfig = { mode: 'ingress', target: t[0] + i, protocol };
    if (hostIp) p.host_ip = hostIp;
    if (pub) {
      const pubCount = pub[1] - pub[0] + 1;
      if (pubCount === count) p.published = String(pub[0] + i);
      else if (count === 1) p.published = pub[0] === pub[1] ? String(pub[0]) : `${pub[0]}-${pub[1]}`;
      else throw new ComposeError(`Invalid ranges specified for container and host Ports: ${target} and ${published}`);
    }
    out.push(p);
  }
  return out;
}

export interface VolumeConfig {
  type: string;
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: Dict;
  volume?: Dict;
  tmpfs?: Dict;
  [k: string]: unknown;
}

function isPathLike(s: string): boolean {
  return s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || /^[A-Za-z]:[\\/]/.test(s);
}

/** A short-syntax volume `[SOURCE:]TARGET[:MODE]` (compose-go format.ParseVolume). */
export function parseVolume(spec: string): VolumeConfig {
  const parts = spec.split(':');
  let source: string | undefined;
  let target: string;
  let mode: string | undefined;
  if (parts.length === 1) target = parts[0];
  else if (parts.length === 2) {
    if (parts[1].startsWith('/')) [source, target] = parts;
    else {
      target = parts[0];
      mode = parts[1];
    }
  } else {
    source = parts[0];
    target = parts[1];
    mode = parts.slice(2).join(':');
  }
  if (!target) throw new ComposeError(`invalid spec: ${spec}: empty section between colons`);
  const v: VolumeConfig = { type: 'volume', target };
  if (source !== undefined) {
    if (source === '') throw new ComposeError(`invalid spec: ${spec}: empty section between colons`);
    v.source = source;
    v.type = isPathLike(source) ? 'bind' : 'volume';
  }
  for (const opt of (mode ?? '').split(',').filter(Boolean)) {
    if (opt === 'ro') v.read_only = true;
    else if (opt === 'rw') v.read_only = false;
    else if (opt === 'nocopy') v.volume = { ...(v.volume ?? {}), nocopy: true };
    else if (['shared', 'rshared', 'slave', 'rslave', 'private', 'rprivate'].includes(opt)) v.bind = { ...(v.bind ?? {}), propagation: opt };
    else if (opt === 'z' || opt === 'Z') v.bind = { ...(v.bind ?? {}), selinux: opt };
  }
  if (v.type === 'bind') v.bind = { create_host_path: true, ...(v.bind ?? {}) };
  else v.volume = v.volume ?? {};
  return v;
}

function canonicalService(name: string, s: Dict): Dict {
  const out: Dict = { ...s };
  if (typeof out.build === 'string') out.build = { context: out.build };
  if (isDict(out.build)) {
    const b = { ...out.build };
    if (b.context === undefined) b.context = '.';
    if (b.args !== undefined) b.args = toMapping(b.args);
    if (b.labels !== undefined) b.labels = toMapping(b.labels);
    out.build = b;
  }
  for (const k of ['command', 'entrypoint']) {
    if (typeof out[k] === 'string') out[k] = splitShell(out[k]);
  }
  if (isDict(out.healthcheck) && typeof out.healthcheck.test === 'string') {
    out.healthcheck = { ...out.healthcheck, test: ['CMD-SHELL', out.healthcheck.test] };
  }
  if (out.environment !== undefined) out.environment = toMapping(out.environment);
  if (out.labels !== undefined) out.labels = toMapping(out.labels);
  if (out.annotations !== undefined) out.annotations = toMapping(out.annotations);
  if (out.sysctls !== undefined) out.sysctls = toMapping(out.sysctls);
  if (typeof out.label_file === 'string') out.label_file = [out.label_file];
  if (out.env_file !== undefined) {
    const list = Array.isArray(out.env_file) ? out.env_file : [out.env_file];
    out.env_file = list.map((e: any) => (typeof e === 'string' ? { path: e, required: true } : { required: true, ...e }));
  }
  if (out.ports !== undefined) {
    const ports: PortConfig[] = [];
    for (const p of out.ports as unknown[]) {
      if (isDict(p)) {
        const pc: PortConfig = { mode: 'ingress', protocol: 'tcp', ...(p as any) };
        if (pc.published !== undefined) pc.published = String(pc.published);
        pc.target = Number(pc.target);
        ports.push(pc);
      } else ports.push(...parsePort(p as string | number));
    }
    out.ports = ports;
  }
  if (out.expose !== undefined) out.expose = (out.expose as unknown[]).map(String);
  if (out.volumes !== undefined) {
    out.volumes = (out.volumes as unknown[]).map((v) => {
      if (typeof v === 'string') return parseVolume(v);
      // the long syntax gets no bind/volume defaults (compose-go's transform only expands the short one)
      return { ...(v as Dict) } as VolumeConfig;
    });
  }
  if (out.depends_on !== undefined) {
    const d: Dict = {};
    if (Array.isArray(out.depends_on)) for (const n of out.depends_on) d[n] = { condition: 'service_started', required: true };
    else for (const [n, c] of Object.entries(out.depends_on as Dict)) d[n] = { condition: 'service_started', required: true, ...(c ?? {}) };
    out.depends_on = d;
  }
  if (out.networks !== undefined && Array.isArray(out.networks)) {
    const n: Dict = {};
    for (const k of out.networks) n[k] = null;
    out.networks = n;
  }
  for (const k of ['secrets', 'configs']) {
    if (Array.isArray(out[k])) out[k] = out[k].map((x: any) => (typeof x === 'string' ? { source: x } : { ...x }));
  }
  if (out.extra_hosts !== undefined && isDict(out.extra_hosts)) {
    out.extra_hosts = Object.entries(out.extra_hosts).flatMap(([h, ip]) => (Array.isArray(ip) ? ip : [ip]).map((i) => `${h}=${i}`));
  }
  for (const k of ['dns', 'dns_search', 'tmpfs', 'cap_add', 'cap_drop']) {
    if (typeof out[k] === 'string') out[k] = [out[k]];
  }
  if (isDict(out.extends) || typeof out.extends === 'string') {
    // kept for the extends pass
  }
  void name;
  return out;
}

/** Canonical forms of one file's tree (services and top-level resources). */
export function canonical(dict: Dict): Dict {
  const out: Dict = { ...dict };
  if (isDict(out.services)) {
    const services: Dict = {};
    for (const [n, s] of Object.entries(out.services)) {
      // !reset and !override values keep their markers (the merge reads them), an !override's value in canonical form
      const plain: Dict = {};
      const marked: Dict = {};
      for (const [k, v] of Object.entries((s ?? {}) as Dict)) {
        if (v === RESET) marked[k] = v;
        else if (v instanceof Override) marked[k] = new Override(canonicalService(n, { [k]: v.value })[k]);
        else plain[k] = v;
      }
      services[n] = { ...canonicalService(n, plain), ...marked };
    }
    out.services = services;
  }
  for (const kind of ['networks', 'volumes', 'secrets', 'configs']) {
    if (!isDict(out[kind])) continue;
    const res: Dict = {};
    for (const [n, r] of Object.entries(out[kind] as Dict)) {
      const c: Dict = { ...(r ?? {}) };
      if (c.labels !== undefined) c.labels = toMapping(c.labels);
      if (isDict(c.external)) {
        // legacy `external: {name: x}`
        if (c.external.name !== undefined) c.name = c.external.name;
        c.external = true;
      }
      res[n] = c;
    }
    out[kind] = res;
  }
  return out;
}
