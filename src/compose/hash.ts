/**
 * `com.docker.compose.config-hash` as Compose v2 computes it (docker/compose pkg/compose/hash.go,
 * ServiceHash): the service's compose-go `types.ServiceConfig` with Build, PullPolicy, Scale,
 * Deploy.Replicas, DependsOn and Profiles cleared, marshalled by Go's encoding/json, then
 * sha256 in hex.
 *
 * Go's encoding/json writes a struct's fields in declaration order, leaves out `omitempty` fields
 * holding a zero value (but never a non-pointer struct), sorts map keys, escapes `<`, `>`, `&`,
 * U+2028 and U+2029, and calls the MarshalJSON methods compose-go declares (UnitBytes as a quoted
 * number, Duration as its String(), FileMode as quoted octal, HostsList as a sorted `host=ip`
 * list, UlimitsConfig as a bare number when `single`, EnvFile as its path when required). The
 * tables below are compose-go v2.9.1's types (the version docker/compose v2.40.3 builds with),
 * field for field; json:"-" fields (name, x- extensions, CustomLabels) are absent.
 */
import { createHash } from 'node:crypto';
import { formatFloat } from '../go/strconv.js';
import { parseDuration, ramInBytes } from '../cli/opts.js';
import { goDuration } from '../format/contexts/swarm.js';

type Dict = Record<string, any>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

/** A Go type, as far as its JSON is concerned. */
type T =
  | 'str' | 'bool' | 'int' | 'f32' | 'bytes' | 'pbool' | 'pint' | 'pdur' | 'dur' | 'strs' | 'cmd' | 'map' | 'mapnull'
  | 'multi' | 'hosts' | 'ulimit' | 'mode' | 'envfile' | 'count'
  | { struct: Field[]; ptr: boolean }
  | { list: T }
  | { pmap: T };

/** [json key, type, no omitempty] */
type Field = [string, T, boolean?];

const ptr = (f: Field[]): T => ({ struct: f, ptr: true });
const val = (f: Field[]): T => ({ struct: f, ptr: false });
const list = (t: T): T => ({ list: t });

const HOOK: Field[] = [['command', 'cmd', true], ['user', 'str'], ['privileged', 'bool'], ['working_dir', 'str'], ['environment', 'mapnull']];
const DEVICE_REQUEST: Field[] = [['capabilities', 'strs'], ['driver', 'str'], ['count', 'count'], ['device_ids', 'strs'], ['options', 'map']];
const RESOURCE: Field[] = [
  ['cpus', 'f32'], ['memory', 'bytes'], ['pids', 'int'], ['devices', list(val(DEVICE_REQUEST))],
  ['generic_resources', list(val([['discrete_resource_spec', ptr([['kind', 'str', true], ['value', 'int', true]])]]))],
];
const UPDATE: Field[] = [['parallelism', 'pint'], ['delay', 'dur'], ['failure_action', 'str'], ['monitor', 'dur'], ['max_failure_ratio', 'f32'], ['order', 'str']];
const DEPLOY: Field[] = [
  ['mode', 'str'], ['replicas', 'pint'], ['labels', 'map'], ['update_config', ptr(UPDATE)], ['rollback_config', ptr(UPDATE)],
  ['resources', val([['limits', ptr(RESOURCE)], ['reservations', ptr(RESOURCE)]])],
  ['restart_policy', ptr([['condition', 'str'], ['delay', 'pdur'], ['max_attempts', 'pint'], ['window', 'pdur']])],
  ['placement', val([['constraints', 'strs'], ['preferences', list(val([['spread', 'str']]))], ['max_replicas_per_node', 'int']])],
  ['endpoint_mode', 'str'],
];
const FILE_REF: Field[] = [['source', 'str'], ['target', 'str'], ['uid', 'str'], ['gid', 'str'], ['mode', 'mode']];
const THROTTLE: Field[] = [['Path', 'str', true], ['Rate', 'bytes', true]];
const BLKIO: Field[] = [
  ['weight', 'int'], ['weight_device', list(val([['Path', 'str', true], ['Weight', 'int', true]]))],
  ['device_read_bps', list(val(THROTTLE))], ['device_read_iops', list(val(THROTTLE))],
  ['device_write_bps', list(val(THROTTLE))], ['device_write_iops', list(val(THROTTLE))],
];
const TRIGGER: Field[] = [
  ['path', 'str', true], ['action', 'str', true], ['target', 'str'], ['exec', val(HOOK)], ['include', 'strs'], ['ignore', 'strs'], ['initial_sync', 'bool'],
];
const VOLUME: Field[] = [
  ['type', 'str'], ['source', 'str'], ['target', 'str'], ['read_only', 'bool'], ['consistency', 'str'],
  ['bind', ptr([['selinux', 'str'], ['propagation', 'str'], ['create_host_path', 'bool'], ['recursive', 'str']])],
  ['volume', ptr([['labels', 'map'], ['nocopy', 'bool'], ['subpath', 'str']])],
  ['tmpfs', ptr([['size', 'bytes'], ['mode', 'int']])],
  ['image', ptr([['subpath', 'str']])],
];

/** compose-go v2.9.1 types.ServiceConfig, in declaration order. */
const SERVICE: Field[] = [
  ['profiles', 'strs'], ['annotations', 'map'], ['attach', 'pbool'], ['build', 'str' /* cleared */],
  ['develop', ptr([['watch', list(val(TRIGGER))]])], ['blkio_config', ptr(BLKIO)],
  ['cap_add', 'strs'], ['cap_drop', 'strs'], ['cgroup_parent', 'str'], ['cgroup', 'str'],
  ['cpu_count', 'int'], ['cpu_percent', 'f32'], ['cpu_period', 'int'], ['cpu_quota', 'int'], ['cpu_rt_period', 'int'], ['cpu_rt_runtime', 'int'],
  ['cpus', 'f32'], ['cpuset', 'str'], ['cpu_shares', 'int'],
  ['command', 'cmd', true],
  ['configs', list(val(FILE_REF))], ['container_name', 'str'], ['credential_spec', ptr([['config', 'str'], ['file', 'str'], ['registry', 'str']])],
  ['depends_on', 'str' /* cleared */], ['deploy', ptr(DEPLOY)], ['device_cgroup_rules', 'strs'],
  ['devices', list(val([['source', 'str'], ['target', 'str'], ['permissions', 'str']]))],
  ['dns', 'strs'], ['dns_opt', 'strs'], ['dns_search', 'strs'], ['dockerfile', 'str'], ['domainname', 'str'],
  ['entrypoint', 'cmd', true],
  ['provider', ptr([['type', 'str'], ['options', 'multi']])],
  ['environment', 'mapnull'], ['env_file', list('envfile')], ['expose', 'strs'],
  ['extends', ptr([['file', 'str'], ['service', 'str']])],
  ['external_links', 'strs'], ['extra_hosts', 'hosts'], ['group_add', 'strs'], ['gpus', list(val(DEVICE_REQUEST))],
  ['hostname', 'str'],
  ['healthcheck', ptr([['test', 'strs'], ['timeout', 'pdur'], ['interval', 'pdur'], ['retries', 'pint'], ['start_period', 'pdur'], ['start_interval', 'pdur'], ['disable', 'bool']])],
  ['image', 'str'], ['init', 'pbool'], ['ipc', 'str'], ['isolation', 'str'],
  ['labels', 'map'], ['label_file', 'strs'], ['links', 'strs'],
  ['logging', ptr([['driver', 'str'], ['options', 'map']])], ['log_driver', 'str'], ['log_opt', 'map'],
  ['mem_limit', 'bytes'], ['mem_reservation', 'bytes'], ['memswap_limit', 'bytes'], ['mem_swappiness', 'bytes'],
  ['mac_address', 'str'], ['models', { pmap: val([['endpoint_var', 'str'], ['model_var', 'str']]) }],
  ['net', 'str'], ['network_mode', 'str'],
  ['networks', {
    pmap: val([
      ['aliases', 'strs'], ['driver_opts', 'map'], ['gw_priority', 'int'], ['interface_name', 'str'], ['ipv4_address', 'str'], ['ipv6_address', 'str'],
      ['link_local_ips', 'strs'], ['mac_address', 'str'], ['priority', 'int'],
    ]),
  }],
  ['oom_kill_disable', 'bool'], ['oom_score_adj', 'int'], ['pid', 'str'], ['pids_limit', 'int'], ['platform', 'str'],
  ['ports', list(val([['name', 'str'], ['mode', 'str'], ['host_ip', 'str'], ['target', 'int'], ['published', 'str'], ['protocol', 'str'], ['app_protocol', 'str']]))],
  ['privileged', 'bool'], ['pull_policy', 'str'], ['read_only', 'bool'], ['restart', 'str'], ['runtime', 'str'], ['scale', 'pint'],
  ['secrets', list(val(FILE_REF))], ['security_opt', 'strs'], ['shm_size', 'bytes'], ['stdin_open', 'bool'],
  ['stop_grace_period', 'pdur'], ['stop_signal', 'str'], ['storage_opt', 'map'], ['sysctls', 'map'], ['tmpfs', 'strs'], ['tty', 'bool'],
  ['ulimits', { pmap: 'ulimit' }], ['use_api_socket', 'bool'], ['user', 'str'], ['userns_mode', 'str'], ['uts', 'str'], ['volume_driver', 'str'],
  ['volumes', list(val(VOLUME))], ['volumes_from', 'strs'], ['working_dir', 'str'],
  ['post_start', list(val(HOOK))], ['pre_stop', list(val(HOOK))],
];

/** Go's encoding/json string: JSON escapes plus \u003c \u003e \u0026 \u2028 \u2029 (HTML-safe). */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function float32(v: unknown): string | undefined {
  const n = Math.fround(Number(v));
  if (!n || Number.isNaN(n)) return undefined;
  const a = Math.abs(n);
  if (a < 1e-6 || a >= 1e21) return formatFloat(n, 'e', -1, 32).replace(/e([+-])0(\d)$/, 'e$1$2');
  return formatFloat(n, 'f', -1, 32);
}

function bytes(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (v === undefined || v === null || v === '') return 0;
  return ramInBytes(String(v));
}

function nanos(v: unknown): number {
  if (typeof v === 'number') return v * 1e9;
  const s = String(v);
  // str2duration (compose-go's parser) also takes days and weeks
  let extra = 0;
  const rest = s.replace(/(\d+(?:\.\d+)?)(w|d)/g, (_, n, u) => {
    extra += Number(n) * (u === 'w' ? 7 * 86400e9 : 86400e9);
    return '';
  });
  return extra + (rest ? parseDuration(rest) : 0);
}

const sortedKeys = (d: Dict): string[] => Object.keys(d).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** The JSON of one value of Go type t, or undefined where omitempty leaves it out. */
function enc(t: T, v: unknown): string | undefined {
  if (typeof t === 'object') {
    if ('struct' in t) {
      if (t.ptr && (v === undefined || v === null)) return undefined;
      return encStruct(t.struct, isDict(v) ? v : {});
    }
    if ('list' in t) {
      if (!Array.isArray(v) || v.length === 0) return undefined;
      return `[${v.map((x) => enc(t.list, x) ?? zero(t.list)).join(',')}]`;
    }
    if (!isDict(v) || Object.keys(v).length === 0) return undefined;
    return `{${sortedKeys(v).map((k) => `${goJsonString(k)}:${v[k] === null || v[k] === undefined ? 'null' : enc(t.pmap, v[k]) ?? zero(t.pmap)}`).join(',')}}`;
  }
  switch (t) {
    case 'str':
      return v === undefined || v === null || v === '' ? undefined : goJsonString(String(v));
    case 'bool':
      return v === true || v === 'true' ? 'true' : undefined;
    case 'pbool':
      return v === undefined || v === null ? undefined : String(v === true || v === 'true');
    case 'int': {
      const n = Math.trunc(Number(v ?? 0));
      return n ? String(n) : undefined;
    }
    case 'pint':
      return v === undefined || v === null ? undefined : String(Math.trunc(Number(v)));
    case 'count': {
      const n = v === 'all' || v === 'ALL' ? -1 : Math.trunc(Number(v ?? 0));
      return n ? String(n) : undefined;
    }
    case 'f32':
      return float32(v);
    case 'bytes': {
      const n = bytes(v);
      return n ? `"${n}"` : undefined;
    }
    case 'pdur':
      return v === undefined || v === null ? undefined : goJsonString(goDuration(nanos(v)));
    case 'dur': {
      if (v === undefined || v === null) return undefined;
      const n = nanos(v);
      return n ? goJsonString(goDuration(n)) : undefined;
    }
    case 'strs':
      return Array.isArray(v) && v.length ? `[${v.map((x) => goJsonString(String(x))).join(',')}]` : undefined;
    case 'cmd':
      return Array.isArray(v) ? `[${v.map((x) => goJsonString(String(x))).join(',')}]` : undefined;
    case 'map':
      if (!isDict(v) || Object.keys(v).length === 0) return undefined;
      return `{${sortedKeys(v).map((k) => `${goJsonString(k)}:${goJsonString(v[k] === null || v[k] === undefined ? '' : String(v[k]))}`).join(',')}}`;
    case 'mapnull':
      if (!isDict(v) || Object.keys(v).length === 0) return undefined;
      return `{${sortedKeys(v).map((k) => `${goJsonString(k)}:${v[k] === null || v[k] === undefined ? 'null' : goJsonString(String(v[k]))}`).join(',')}}`;
    case 'multi':
      if (!isDict(v) || Object.keys(v).length === 0) return undefined;
      return `{${sortedKeys(v).map((k) => `${goJsonString(k)}:[${(Array.isArray(v[k]) ? v[k] : [v[k]]).map((x: unknown) => goJsonString(String(x))).join(',')}]`).join(',')}}`;
    case 'hosts': {
      const l = hostsList(v);
      return l.length ? `[${l.map(goJsonString).join(',')}]` : undefined;
    }
    case 'ulimit': {
      if (typeof v === 'number' || typeof v === 'string') {
        const n = Math.trunc(Number(v));
        if (n) return String(n);
      }
      const d = isDict(v) ? v : {};
      return encStruct([['soft', 'int'], ['hard', 'int']], d);
    }
    case 'mode': {
      if (v === undefined || v === null) return undefined;
      const n = typeof v === 'number' ? v : parseInt(String(v), 8);
      return `"0${n.toString(8)}"`;
    }
    case 'envfile': {
      const e = isDict(v) ? v : { path: v, required: true };
      if (e.required !== false) return goJsonString(String(e.path ?? ''));
      return encStruct([['path', 'str'], ['required', 'bool', true], ['format', 'str']], e);
    }
  }
}

function zero(t: T): string {
  if (typeof t === 'object') return 'struct' in t ? (t.ptr ? 'null' : encStruct(t.struct, {})) : 'null';
  switch (t) {
    case 'str':
      return '""';
    case 'bool':
      return 'false';
    case 'int':
    case 'f32':
    case 'count':
      return '0';
    case 'bytes':
      return '"0"';
    case 'dur':
      return '"0s"';
    default:
      return 'null';
  }
}

function encStruct(fields: Field[], d: Dict): string {
  const parts: string[] = [];
  for (const [key, t, always] of fields) {
    const j = enc(t, d[key]);
    if (j !== undefined) parts.push(`${goJsonString(key)}:${j}`);
    else if (always) parts.push(`${goJsonString(key)}:${zero(t)}`);
  }
  return `{${parts.join(',')}}`;
}

/** HostsList: `host=ip` / `host:ip` entries (ips split on ","), brackets off IPv6, as a sorted `host=ip` list. */
function hostsList(v: unknown): string[] {
  const out: string[] = [];
  const add = (host: string, ip: string): void => {
    for (let i of ip.split(',')) {
      if (i.length > 2 && i.startsWith('[') && i.endsWith(']')) i = i.slice(1, -1);
      out.push(`${host}=${i}`);
    }
  };
  if (Array.isArray(v)) {
    for (const e of v) {
      const s = String(e);
      const eq = s.indexOf('=');
      const c = s.indexOf(':');
      const i = eq >= 0 ? eq : c;
      if (i >= 0) add(s.slice(0, i), s.slice(i + 1));
    }
  } else if (isDict(v)) {
    for (const [h, ips] of Object.entries(v)) for (const ip of Array.isArray(ips) ? ips : [ips ?? '']) add(h, String(ip));
  }
  return out.sort();
}

/** Devices' short syntax `SRC[:DST[:PERMS]]` as compose-go's transform makes it. */
function deviceMapping(d: unknown): unknown {
  if (typeof d !== 'string') return d;
  const a = d.split(':');
  const src = a[0];
  const dst = a[1] || src;
  return { source: src, target: dst, permissions: a[2] ?? 'rwm' };
}

export interface HashOptions {
  /** the container ID standing for `service:NAME` (network_mode, ipc, pid) and volumes_from NAME, as compose resolves them before hashing */
  containerOf?: (service: string) => string | undefined;
}

/** The JSON Compose v2 hashes for a service (ServiceHash's json.Marshal). */
export function serviceHashJson(s: Dict, o: HashOptions = {}): string {
  const d: Dict = { ...s };
  // ServiceHash clears these
  delete d.build;
  delete d.pull_policy;
  delete d.scale;
  delete d.depends_on;
  delete d.profiles;
  if (isDict(d.deploy)) {
    d.deploy = { ...d.deploy };
    delete d.deploy.replicas;
  }
  if (Array.isArray(d.devices)) d.devices = d.devices.map(deviceMapping);
  if (typeof d.gpus === 'string') d.gpus = [{ count: 'all' }];
  if (Array.isArray(d.gpus)) d.gpus = d.gpus.map((g: Dict) => (isDict(g) && g.count === undefined && g.device_ids === undefined ? { ...g, count: 'all' } : g));
  const res = d.deploy?.resources?.reservations;
  if (isDict(res) && Array.isArray(res.devices)) {
    d.deploy = { ...d.deploy, resources: { ...d.deploy.resources, reservations: { ...res, devices: res.devices.map((g: Dict) => (g.count === undefined && g.device_ids === undefined ? { ...g, count: 'all' } : g)) } } };
  }
  if (o.containerOf) {
    for (const k of ['network_mode', 'ipc', 'pid']) {
      if (typeof d[k] === 'string' && d[k].startsWith('service:')) {
        const id = o.containerOf(d[k].slice(8));
        if (id) d[k] = `container:${id}`;
      }
    }
    if (Array.isArray(d.volumes_from)) {
      d.volumes_from = d.volumes_from.map((v: string) => {
        const spec = v.split(':');
        if (spec[0] === 'container') return spec[1];
        return o.containerOf!(spec[0]) ?? v;
      });
    }
  }
  return encStruct(SERVICE, d);
}

/** ServiceHash: sha256 (hex) of serviceHashJson. */
export function serviceHash(s: Dict, o: HashOptions = {}): string {
  return createHash('sha256').update(serviceHashJson(s, o)).digest('hex');
}

/** compose-go types.NetworkConfig (NetworkHash marshals the whole of it). */
const NETWORK: Field[] = [
  ['name', 'str'], ['driver', 'str'], ['driver_opts', 'map'],
  ['ipam', val([['driver', 'str'], ['config', list(ptr([['subnet', 'str'], ['gateway', 'str'], ['ip_range', 'str'], ['aux_addresses', 'map']]))]])],
  ['external', 'bool'], ['internal', 'bool'], ['attachable', 'bool'], ['labels', 'map'], ['enable_ipv4', 'pbool'], ['enable_ipv6', 'pbool'],
];
const VOLUME_CONFIG: Field[] = [['name', 'str'], ['driver', 'str'], ['driver_opts', 'map'], ['external', 'bool'], ['labels', 'map']];

/** NetworkHash: sha256 of the network's NetworkConfig JSON. */
export function networkHash(n: Dict): string {
  return createHash('sha256').update(encStruct(NETWORK, n)).digest('hex');
}

/** VolumeHash: sha256 of the volume's VolumeConfig JSON, the driver defaulting to "local". */
export function volumeHash(v: Dict): string {
  return createHash('sha256').update(encStruct(VOLUME_CONFIG, { ...v, driver: v.driver || 'local' })).digest('hex');
}

/** The JSON NetworkHash / VolumeHash digest (for tests and `config --hash` readers). */
export const networkHashJson = (n: Dict): string => encStruct(NETWORK, n);
export const volumeHashJson = (v: Dict): string => encStruct(VOLUME_CONFIG, { ...v, driver: v.driver || 'local' });
