/**
 * docker/cli's own Compose loader (cli/compose/loader, the v3 file format that `docker stack config`
 * prints): YAML read as yaml.v3 reads it (0400 is octal), interpolation from the process environment
 * only (no .env) with its type casts, the short syntaxes turned into docker/cli's types, env_file
 * folded into environment, bind sources and secret/config files made absolute, external objects
 * named, several files merged as docker/cli merges them. The result is docker/cli's types.Config as
 * yaml.v3 marshals it: structs are `Map`s in the Go field order without the omitempty fields.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isScalar, LineCounter, parseDocument, visit, type ScalarTag } from 'yaml';
import { parseDuration, ramInBytes } from '../cli/opts.js';
import { goDuration } from '../format/contexts/swarm.js';
import { GoFloat, sortKeys, type YamlValue } from '../format/yamlv3.js';
import { parsePort } from './canonical.js';
import { InvalidTemplateError, MissingRequiredError, substitute } from './template.js';

export class V3Error extends Error {}

type Dict = Record<string, any>;
type S = Map<string, YamlValue>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

export const DEFAULT_VERSION = '3.13';

const FORBIDDEN: Record<string, string> = {
  extends: 'Support for `extends` is not implemented yet.',
  volume_driver: 'Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.',
  volumes_from: 'To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.',
  cpu_quota: 'Set resource limits using deploy.resources',
  cpu_shares: 'Set resource limits using deploy.resources',
  cpuset: 'Set resource limits using deploy.resources',
  mem_limit: 'Set resource limits using deploy.resources',
  memswap_limit: 'Set resource limits using deploy.resources',
};

export class ForbiddenPropertiesError extends V3Error {
  constructor(readonly properties: Record<string, string>) {
    super('Configuration contains forbidden properties');
  }
}

/** yaml.v3 reads 0-prefixed integers as octal (strconv.ParseInt base 0). */
const octal: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?0[0-7_]+$/,
  resolve: (s: string) => (s.startsWith('-') ? -1 : 1) * parseInt(s.replace(/^[-+]/, '').replace(/_/g, ''), 8),
};

/** loader.ParseYAML: a mapping with string keys. */
export function parseYamlV3(text: string): Dict {
  const lc = new LineCounter();
  const doc = parseDocument(text, { schema: 'core', customTags: (tags) => [octal, ...tags], uniqueKeys: false, merge: true, lineCounter: lc });
  if (doc.errors.length) {
    const e = doc.errors[0];
    const line = e.linePos?.[0]?.line;
    throw new V3Error(line ? `yaml: line ${line}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}` : `yaml: ${e.message.split('\n')[0]}`);
  }
  // yaml.v3's decoder: every key defined twice, in document order
  const dups: string[] = [];
  visit(doc, {
    Map(_k, map) {
      const seen = new Map<string, number>();
      for (const item of map.items) {
        if (!isScalar(item.key)) continue;
        const key = String(item.key.value);
        const line = lc.linePos(item.key.range?.[0] ?? 0).line;
        const first = seen.get(key);
        if (first !== undefined) dups.push(`  line ${line}: mapping key ${JSON.stringify(key)} already defined at line ${first}`);
        else seen.set(key, line);
      }
    },
  });
  if (dups.length) throw new V3Error(`yaml: unmarshal errors:\n${dups.join('\n')}`);
  const v = doc.toJS({ maxAliasCount: -1 });
  if (!isDict(v)) throw new V3Error('top-level object must be a mapping');
  return v;
}

/** schema.Version */
export function fileVersion(d: Dict): string {
  if (!('version' in d)) return DEFAULT_VERSION;
  const v = d.version === null ? '<nil>' : String(d.version);
  return v === '' || v === '3' ? DEFAULT_VERSION : v;
}

const toInt = (v: string): number => {
  if (!/^[-+]?\d+$/.test(v)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
};
const toFloat = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(v)}: invalid syntax`);
  return n;
};
const toBool = (v: string): boolean => {
  const l = v.toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(l)) return true;
  if (['n', 'no', 'false', 'off'].includes(l)) return false;
  throw new Error(`invalid boolean: ${v}`);
};

const CASTS: [string[], (v: string) => unknown][] = [
  [['configs', '[]', 'mode'], toInt],
  [['secrets', '[]', 'mode'], toInt],
  [['healthcheck', 'retries'], toInt],
  [['healthcheck', 'disable'], toBool],
  [['deploy', 'replicas'], toInt],
  [['deploy', 'update_config', 'parallelism'], toInt],
  [['deploy', 'update_config', 'max_failure_ratio'], toFloat],
  [['deploy', 'rollback_config', 'parallelism'], toInt],
  [['deploy', 'rollback_config', 'max_failure_ratio'], toFloat],
  [['deploy', 'restart_policy', 'max_attempts'], toInt],
  [['deploy', 'placement', 'max_replicas_per_node'], toInt],
  [['ports', '[]', 'target'], toInt],
  [['ports', '[]', 'published'], toInt],
  [['ulimits', '*'], toInt],
  [['ulimits', '*', 'hard'], toInt],
  [['ulimits', '*', 'soft'], toInt],
  [['privileged'], toBool],
  [['oom_score_adj'], toInt],
  [['read_only'], toBool],
  [['stdin_open'], toBool],
  [['tty'], toBool],
  [['volumes', '[]', 'read_only'], toBool],
  [['volumes', '[]', 'volume', 'nocopy'], toBool],
];
const TOP_CASTS: [string[], (v: string) => unknown][] = [
  ...CASTS.map(([p, f]) => [['services', '*', ...p], f] as [string[], (v: string) => unknown]),
  ...['networks', 'volumes', 'secrets', 'configs'].map((k) => [[k, '*', 'external'], toBool] as [string[], (v: string) => unknown]),
  [['networks', '*', 'internal'], toBool],
  [['networks', '*', 'attachable'], toBool],
];

function caster(at: string[]): ((v: string) => unknown) | undefined {
  for (const [p, f] of TOP_CASTS) {
    if (p.length !== at.length) continue;
    if (p.every((part, i) => part === '*' || part === at[i])) return f;
  }
  return undefined;
}

function interpolate(v: unknown, lookup: (k: string) => string | undefined, at: string[]): unknown {
  if (typeof v === 'string') {
    let out: string;
    try {
      out = substitute(v, lookup);
    } catch (e) {
      if (e instanceof InvalidTemplateError) throw new V3Error(`invalid interpolation format for ${at.join('.')}: ${JSON.stringify(v)}; you may need to escape any $ with another $`);
      if (e instanceof MissingRequiredError) throw new V3Error(`invalid interpolation format for ${at.join('.')}: ${JSON.stringify(e.message)}; you may need to escape any $ with another $`);
      throw e;
    }
    if (out === v) return v;
    const cast = caster(at);
    if (!cast) return out;
    try {
      return cast(out);
    } catch (e) {
      throw new V3Error(`error while interpolating ${at.join('.')}: failed to cast to expected type: ${(e as Error).message}`);
    }
  }
  if (Array.isArray(v)) return v.map((x) => interpolate(x, lookup, [...at, '[]']));
  if (isDict(v)) {
    const out: Dict = {};
    for (const [k, x] of Object.entries(v)) out[k] = interpolate(x, lookup, [...at, k]);
    return out;
  }
  return v;
}

// ----- Go-style values

const goPrint = (v: unknown): string => {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

function struct(pairs: [string, YamlValue | undefined][]): S {
  const m: S = new Map();
  for (const [k, v] of pairs) if (v !== undefined) m.set(k, v);
  return m;
}

/** omitempty for strings, numbers, bools, slices and maps */
const oe = <T>(v: T): T | undefined => {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return undefined;
  if (Array.isArray(v) && v.length === 0) return undefined;
  if (v instanceof Map && v.size === 0) return undefined;
  if (isDict(v) && !(v instanceof Map) && !(v instanceof GoFloat) && Object.keys(v).length === 0) return undefined;
  return v;
};
const oeStr = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : oe(goPrint(v)));

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.map(goPrint);
  throw new V3Error(`invalid type ${goType(v)} for string list`);
}

function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (isDict(v)) return 'map[string]interface {}';
  return '<nil>';
}

function shellCommand(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return shlexSplit(v);
  return (v as unknown[]).map(goPrint);
}

/** github.com/google/shlex's Split: blanks separate words, '#' at a word's start comments out the line. */
function shlexSplit(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (!inWord) {
      if (' \t\r\n'.includes(c)) continue;
      if (c === '#') {
        while (i < s.length && s[i] !== '\n') i++;
        continue;
      }
      inWord = true;
    }
    if (' \t\r\n'.includes(c)) {
      words.push(cur);
      cur = '';
      inWord = false;
    } else if (c === '\\') {
      if (++i >= s.length) throw new V3Error('EOF found after escape character');
      cur += s[i];
    } else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) throw new V3Error('EOF found when expecting closing quote');
      cur += s.slice(i + 1, j);
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\') {
          j++;
          if (j >= s.length) break;
        }
        cur += s[j];
      }
      if (j >= s.length) throw new V3Error('EOF found when expecting closing quote');
      i = j;
    } else cur += c;
  }
  if (inWord) words.push(cur);
  return words;
}

/** Mapping / MappingWithEquals / Labels from a list or a mapping */
function mapping(v: unknown, sep: string, allowNil: boolean): Record<string, string | null> | undefined {
  if (v === undefined || v === null) return undefined;
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = String(item);
      const i = s.indexOf(sep);
      if (i < 0) out[s] = allowNil ? null : '';
      else out[s.slice(0, i)] = s.slice(i + 1);
    }
  } else if (isDict(v)) {
    for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? (allowNil ? null : '') : goPrint(x);
  } else throw new V3Error(`expected a map or a list, got ${goType(v)}: ${goPrint(v)}`);
  return out;
}

function mapStringString(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isDict(v)) throw new V3Error(`invalid type ${goType(v)} for map[string]string`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = x === null || x === undefined ? '' : goPrint(x);
  return out;
}

function duration(v: unknown, at: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new V3Error(`invalid type ${goType(v)} for duration`);
  try {
    return parseDuration(v);
  } catch (e) {
    throw new V3Error(`${(e as Error).message}`.replace(/^/, at ? '' : ''));
  }
}
const dur = (ns: number | undefined): string | undefined => (ns === undefined ? undefined : goDuration(ns));

function unitBytes(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  try {
    return ramInBytes(String(v));
  } catch {
    throw new V3Error(`invalid size: '${v}'`);
  }
}

function hostsList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  let list: string[];
  if (isDict(v)) list = Object.keys(v).filter((k) => v[k] !== null && v[k] !== undefined).map((k) => `${k}:${goPrint(v[k])}`).sort();
  else if (Array.isArray(v)) {
    list = [];
    for (const e of v.map(goPrint)) {
      const i = e.search(/[=:]/);
      const eq = e.indexOf('=');
      const cut = eq >= 0 ? eq : i;
      if (cut >= 0) list.push(`${e.slice(0, cut)}:${e.slice(cut + 1)}`);
    }
  } else throw new V3Error(`expected a map or a list, got ${goType(v)}: ${goPrint(v)}`);
  return list.map((hip) => {
    const i = hip.indexOf(':');
    const host = i < 0 ? hip : hip.slice(0, i);
    let ip = i < 0 ? '' : hip.slice(i + 1);
    if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
    return `${host}:${ip}`;
  });
}

function extras(d: Dict | undefined): Record<string, YamlValue> | undefined {
  if (!d) return undefined;
  const out: Record<string, YamlValue> = {};
  for (const [k, v] of Object.entries(d)) if (k.startsWith('x-')) out[k] = v as YamlValue;
  return Object.keys(out).length ? out : undefined;
}

// ----- the service

interface Port {
  mode?: string;
  target?: number;
  published?: number;
  protocol?: string;
}

function ports(v: unknown): Port[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new V3Error(`invalid type ${goType(v)} for port`);
  const out: Port[] = [];
  for (const e of v) {
    if (typeof e === 'number' || typeof e === 'string') {
      let list;
      try {
        list = parsePort(String(e));
      } catch (err) {
        throw new V3Error((err as Error).message);
      }
      for (const p of list) {
        let published = 0;
        if (p.published !== undefined) published = Number(p.published.split('-')[0]);
        out.push({ mode: 'ingress', target: p.target, published: published || undefined, protocol: p.protocol });
      }
    } else if (isDict(e)) out.push({ mode: e.mode, target: e.target, published: e.published, protocol: e.protocol });
    else throw new V3Error(`invalid type ${goType(e)} for port`);
  }
  return out;
}

const portStruct = (p: Port): S => struct([['mode', oe(p.mode)], ['target', oe(p.target)], ['published', oe(p.published)], ['protocol', oe(p.protocol)]]);

const PROPAGATIONS = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'];

interface Volume {
  type?: string;
  source?: string;
  target?: string;
  read_only?: boolean;
  consistency?: string;
  bind?: Dict;
  volume?: Dict;
  image?: Dict;
  tmpfs?: Dict;
  cluster?: Dict;
}

/** loader.ParseVolume */
function parseVolumeSpec(spec: string): Volume {
  const v: Volume = {};
  if (spec.length === 0) throw new V3Error('invalid empty volume spec');
  if (spec.length <= 2) return { type: 'volume', target: spec };
  let buf = '';
  const chars = [...spec, '\0'];
  for (const c of chars) {
    if (c === ':' && buf.length === 1 && /\p{L}/u.test(buf)) {
      buf += c;
      continue;
    }
    if (c === ':' || c === '\0') {
      if (buf.length === 0) throw new V3Error(`invalid spec: ${spec}: empty section between colons`);
      if (v.source === undefined && c === '\0') v.target = buf;
      else if (v.source === undefined) v.source = buf;
      else if (v.target === undefined) v.target = buf;
      else if (c === ':') throw new V3Error(`invalid spec: ${spec}: too many colons`);
      else {
        for (const opt of buf.split(',')) {
          if (opt === 'ro') v.read_only = true;
          else if (opt === 'rw') v.read_only = false;
          else if (opt === 'nocopy') v.volume = { nocopy: true };
          else if (PROPAGATIONS.includes(opt)) v.bind = { propagation: opt };
        }
      }
      buf = '';
    } else buf += c;
  }
  const src = v.source;
  v.type = !src ? 'volume' : '.~/'.includes(src[0]) || src.startsWith('\\\\') || /^\p{L}:/u.test(src) ? 'bind' : 'volume';
  return v;
}

function volumes(v: unknown, workingDir: string, env: (k: string) => string | undefined): Volume[] | undefined {
  if (v === undefined || v === null) return undefined;
  const out: Volume[] = [];
  for (const e of v as unknown[]) {
    let vol: Volume;
    if (typeof e === 'string') vol = parseVolumeSpec(e);
    else if (isDict(e)) vol = { ...e } as Volume;
    else throw new V3Error(`invalid type ${goType(e)} for service volume`);
    if (vol.type === 'bind') {
      if (!vol.source) throw new V3Error('invalid mount config for type "bind": field Source must not be empty');
      let p = vol.source;
      if (p.startsWith('~')) {
        const home = env('HOME');
        if (home !== undefined) p = p.replace('~', home);
      }
      if (!path.isAbsolute(p) && !/^[A-Za-z]:[\\/]/.test(p) && !p.startsWith('\\\\')) p = path.join(workingDir, p);
      vol.source = p;
    }
    out.push(vol);
  }
  return out;
}

function volumeStruct(v: Volume): S {
  return struct([
    ['type', oe(v.type)],
    ['source', oe(v.source)],
    ['target', oe(v.target)],
    ['read_only', oe(v.read_only)],
    ['consistency', oe(v.consistency)],
    ['bind', v.bind ? struct([['propagation', oe(v.bind.propagation)]]) : undefined],
    ['volume', v.volume ? struct([['nocopy', oe(v.volume.nocopy)], ['subpath', oe(v.volume.subpath)]]) : undefined],
    ['image', v.image ? struct([['subpath', oe(v.image.subpath)]]) : undefined],
    ['tmpfs', v.tmpfs ? struct([['size', oe(unitBytes(v.tmpfs.size))]]) : undefined],
    ['cluster', v.cluster ? struct([]) : undefined],
  ]);
}

interface FileRef {
  source?: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

function fileRefs(v: unknown): FileRef[] | undefined {
  if (v === undefined || v === null) return undefined;
  return (v as unknown[]).map((e) => {
    if (typeof e === 'string') return { source: e };
    if (isDict(e)) return { source: e.source, target: e.target, uid: e.uid === undefined ? undefined : goPrint(e.uid), gid: e.gid === undefined ? undefined : goPrint(e.gid), mode: e.mode };
    throw new V3Error(`invalid type ${goType(e)} for secret`);
  });
}
const fileRefStruct = (r: FileRef): S => struct([['source', oe(r.source)], ['target', oe(r.target)], ['uid', oe(r.uid)], ['gid', oe(r.gid)], ['mode', r.mode]]);

function updateConfig(d: Dict | undefined): S | undefined {
  if (!d) return undefined;
  return struct([
    ['parallelism', d.parallelism ?? undefined],
    ['delay', dur(oe(duration(d.delay, 'delay')))],
    ['failure_action', oe(d.failure_action)],
    ['monitor', dur(oe(duration(d.monitor, 'monitor')))],
    ['max_failure_ratio', oe(d.max_failure_ratio) === undefined ? undefined : new GoFloat(d.max_failure_ratio, 32)],
    ['order', oe(d.order)],
  ]);
}

function structOrUndefined(s: S): S | undefined {
  return s.size ? s : undefined;
}

function deploy(d: Dict | undefined): S | undefined {
  if (!d) return undefined;
  const res = d.resources ?? {};
  const limits = res.limits ? struct([['cpus', oeStr(res.limits.cpus)], ['memory', oe(unitBytes(res.limits.memory)) === undefined ? undefined : String(unitBytes(res.limits.memory))], ['pids', oe(res.limits.pids)]]) : undefined;
  const reservations = res.reservations
    ? struct([
        ['cpus', oeStr(res.reservations.cpus)],
        ['memory', oe(unitBytes(res.reservations.memory)) === undefined ? undefined : String(unitBytes(res.reservations.memory))],
        ['generic_resources', oe((res.reservations.generic_resources ?? []).map((g: Dict) => struct([['discrete_resource_spec', g.discrete_resource_spec ? struct([['kind', g.discrete_resource_spec.kind ?? ''], ['value', g.discrete_resource_spec.value ?? 0]]) : undefined]])))],
      ])
    : undefined;
  const rp = d.restart_policy;
  const pl = d.placement ?? {};
  return structOrUndefined(
    struct([
      ['mode', oe(d.mode)],
      ['replicas', d.replicas ?? undefined],
      ['labels', oe(mapping(d.labels, '=', false))],
      ['update_config', updateConfig(d.update_config)],
      ['rollback_config', updateConfig(d.rollback_config)],
      ['resources', structOrUndefined(struct([['limits', limits], ['reservations', reservations]]))],
      ['restart_policy', rp ? struct([['condition', oe(rp.condition)], ['delay', dur(duration(rp.delay, 'delay'))], ['max_attempts', rp.max_attempts ?? undefined], ['window', dur(duration(rp.window, 'window'))]]) : undefined],
      ['placement', structOrUndefined(struct([['constraints', oe(pl.constraints?.map(goPrint))], ['preferences', oe((pl.preferences ?? []).map((p: Dict) => struct([['spread', oe(p.spread)]])))], ['max_replicas_per_node', oe(pl.max_replicas_per_node)]]))],
      ['endpoint_mode', oe(d.endpoint_mode)],
    ]),
  );
}

/** opts.ParseEnvFile (with os.LookupEnv for bare names) */
function envFile(file: string, env: (k: string) => string | undefined): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new V3Error(`open ${file}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EISDIR' ? 'is a directory' : err.message}`);
  }
  const out: string[] = [];
  let n = 0;
  for (const raw of text.replace(/^\ufeff/, '').split('\n')) {
    n++;
    const line = raw.replace(/^[ \t\r\n]+/, '');
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    const key = i < 0 ? line : line.slice(0, i);
    if (/[ \t]/.test(key.trimEnd()) || key.trimEnd() !== key.trimEnd().trimStart()) throw new V3Error(`variable '${key.trimEnd()}' contains whitespaces`);
    if (!key) throw new V3Error(`no variable name on line '${line}'`);
    if (i >= 0) out.push(line.replace(/\r$/, ''));
    else {
      const name = line.trimEnd();
      const v = env(name);
      if (v !== undefined) out.push(`${name}=${v}`);
    }
  }
  void n;
  return out;
}

function loadService(name: string, d: Dict, workingDir: string, env: (k: string) => string | undefined): Dict {
  if (!isDict(d)) d = {};
  const svcEnv: Record<string, string | null> = {};
  const update = (vars: Record<string, string | null>): void => {
    for (const [k, v] of Object.entries(vars)) {
      const looked = env(k);
      svcEnv[k] = (v === null || v === '') && looked !== undefined ? looked : v;
    }
  };
  const envFiles = stringList(d.env_file);
  if (envFiles?.length) {
    const vars: Record<string, string | null> = {};
    for (const f of envFiles) for (const kv of envFile(path.isAbsolute(f) ? f : path.join(workingDir, f), env)) {
      const i = kv.indexOf('=');
      if (i < 0) vars[kv] = null;
      else vars[kv.slice(0, i)] = kv.slice(i + 1);
    }
    update(vars);
  }
  update(mapping(d.environment, '=', true) ?? {});
  const hc = d.healthcheck;
  let networks: Record<string, Dict | null> | undefined;
  if (Array.isArray(d.networks)) networks = Object.fromEntries(d.networks.map((n: unknown) => [goPrint(n), null]));
  else if (isDict(d.networks)) networks = Object.fromEntries(Object.entries(d.networks).map(([k, v]) => [k, isDict(v) ? v : null]));
  const ulimits: Record<string, YamlValue> | undefined = isDict(d.ulimits)
    ? Object.fromEntries(
        Object.entries(d.ulimits).map(([k, v]) => {
          if (typeof v === 'number') return [k, v !== 0 ? v : struct([])];
          if (isDict(v)) return [k, struct([['soft', oe(v.soft)], ['hard', oe(v.hard)]])];
          throw new V3Error(`invalid type ${goType(v)} for ulimits`);
        }),
      )
    : undefined;
  const build = typeof d.build === 'string' ? { context: d.build } : isDict(d.build) ? d.build : undefined;
  const cred = isDict(d.credential_spec) ? d.credential_spec : undefined;
  return {
    name,
    build: build
      ? structOrUndefined(
          struct([
            ['context', oe(build.context)],
            ['dockerfile', oe(build.dockerfile)],
            ['args', oe(mapping(build.args, '=', true))],
            ['labels', oe(mapping(build.labels, '=', false))],
            ['cache_from', oe(stringList(build.cache_from))],
            ['extra_hosts', oe(hostsList(build.extra_hosts))],
            ['network', oe(build.network)],
            ['target', oe(build.target)],
          ]),
        )
      : undefined,
    cap_add: d.cap_add?.map(goPrint),
    cap_drop: d.cap_drop?.map(goPrint),
    cgroupns_mode: oeStr(d.cgroupns_mode),
    cgroup_parent: oeStr(d.cgroup_parent),
    command: shellCommand(d.command),
    configs: fileRefs(d.configs),
    container_name: oeStr(d.container_name),
    credential_spec: cred ? structOrUndefined(struct([['config', oe(cred.config)], ['file', oe(cred.file)], ['registry', oe(cred.registry)]])) : undefined,
    depends_on: d.depends_on?.map?.(goPrint),
    deploy: deploy(d.deploy),
    devices: d.devices?.map(goPrint),
    dns: stringList(d.dns),
    dns_search: stringList(d.dns_search),
    domainname: oeStr(d.domainname),
    entrypoint: shellCommand(d.entrypoint),
    environment: svcEnv,
    env_file: envFiles,
    expose: d.expose?.map(goPrint),
    external_links: d.external_links?.map(goPrint),
    extra_hosts: hostsList(d.extra_hosts),
    hostname: oeStr(d.hostname),
    healthcheck: hc
      ? struct([
          ['test', oe(typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : hc.test?.map(goPrint))],
          ['timeout', dur(duration(hc.timeout, 'timeout'))],
          ['interval', dur(duration(hc.interval, 'interval'))],
          ['retries', hc.retries ?? undefined],
          ['start_period', dur(duration(hc.start_period, 'start_period'))],
          ['start_interval', dur(duration(hc.start_interval, 'start_interval'))],
          ['disable', oe(hc.disable)],
        ])
      : undefined,
    image: oeStr(d.image),
    init: typeof d.init === 'boolean' ? d.init : undefined,
    ipc: oeStr(d.ipc),
    isolation: oeStr(d.isolation),
    labels: mapping(d.labels, '=', false),
    links: d.links?.map(goPrint),
    logging: isDict(d.logging) ? struct([['driver', oe(d.logging.driver)], ['options', oe(mapStringString(d.logging.options))]]) : undefined,
    mac_address: oeStr(d.mac_address),
    network_mode: oeStr(d.network_mode),
    networks,
    pid: oeStr(d.pid),
    ports: ports(d.ports),
    privileged: d.privileged,
    read_only: d.read_only,
    restart: oeStr(d.restart),
    secrets: fileRefs(d.secrets),
    security_opt: d.security_opt?.map(goPrint),
    shm_size: oeStr(d.shm_size),
    stdin_open: d.stdin_open,
    stop_grace_period: duration(d.stop_grace_period, 'stop_grace_period'),
    stop_signal: oeStr(d.stop_signal),
    sysctls: mapping(d.sysctls, '=', false),
    tmpfs: stringList(d.tmpfs),
    tty: d.tty,
    ulimits,
    user: oeStr(d.user),
    oom_score_adj: d.oom_score_adj,
    userns_mode: oeStr(d.userns_mode),
    volumes: volumes(d.volumes, workingDir, env),
    working_dir: oeStr(d.working_dir),
    extras: extras(d),
  };
}

const SERVICE_KEYS = ['build', 'cap_add', 'cap_drop', 'cgroupns_mode', 'cgroup_parent', 'command', 'configs', 'container_name', 'credential_spec', 'depends_on', 'deploy', 'devices', 'dns', 'dns_search', 'domainname', 'entrypoint', 'environment', 'env_file', 'expose', 'external_links', 'extra_hosts', 'hostname', 'healthcheck', 'image', 'init', 'ipc', 'isolation', 'labels', 'links', 'logging', 'mac_address', 'network_mode', 'networks', 'pid', 'ports', 'privileged', 'read_only', 'restart', 'secrets', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'user', 'oom_score_adj', 'userns_mode', 'volumes', 'working_dir'];

function serviceStruct(s: Dict): S {
  const m: S = new Map();
  for (const k of SERVICE_KEYS) {
    let v = s[k];
    if (k === 'ports') v = v?.map(portStruct);
    else if (k === 'volumes') v = v?.map(volumeStruct);
    else if (k === 'configs' || k === 'secrets') v = v?.map(fileRefStruct);
    else if (k === 'stop_grace_period') v = dur(v);
    else if (k === 'networks' && v) v = Object.fromEntries(Object.entries(v as Record<string, Dict | null>).map(([n, c]) => [n, c === null ? null : struct([['aliases', oe(c.aliases?.map(goPrint))], ['driver_opts', oe(mapStringString(c.driver_opts))], ['ipv4_address', oe(c.ipv4_address)], ['ipv6_address', oe(c.ipv6_address)]])]));
    const kept = k === 'init' || k === 'healthcheck' || k === 'logging' ? v : oe(v);
    if (kept !== undefined) m.set(k, kept as YamlValue);
  }
  const ex = s.extras ?? {};
  for (const k of sortKeys(Object.keys(ex))) m.set(k, ex[k] as YamlValue);
  return m;
}

// ----- top-level objects

function external(v: unknown): { external: boolean; name?: string } {
  if (v === undefined || v === null) return { external: false };
  if (typeof v === 'boolean') return { external: v };
  if (isDict(v)) return { external: true, name: v.name === undefined ? undefined : goPrint(v.name) };
  throw new V3Error(`invalid type ${goType(v)} for external`);
}

const externalValue = (e: { external: boolean; name?: string }): YamlValue | undefined => (!e.external && !e.name ? undefined : e.name ? struct([['name', e.name]]) : e.external);

function networks(src: Dict, version: string, warn: (m: string) => void): Record<string, YamlValue> {
  const out: Record<string, YamlValue> = {};
  for (const [name, raw] of Object.entries(src)) {
    const d = isDict(raw) ? raw : {};
    let n = oeStr(d.name);
    const ext = external(d.external);
    if (ext.external) {
      if (ext.name) {
        if (n) throw new V3Error(`network ${name}: network.external.name and network.name conflict; only use network.name`);
        if (versionGte(version, '3.5')) warn(`network ${name}: network.external.name is deprecated in favor of network.name`);
        n = ext.name;
        ext.name = undefined;
      } else if (!n) n = name;
    }
    const ipam = isDict(d.ipam) ? d.ipam : {};
    out[name] = struct([
      ['name', n],
      ['driver', oe(d.driver)],
      ['driver_opts', oe(mapStringString(d.driver_opts))],
      ['ipam', structOrUndefined(struct([['driver', oe(ipam.driver)], ['config', oe((ipam.config ?? []).map((c: Dict) => (c === null ? null : struct([['subnet', oe(c.subnet)]]))))]]))],
      ['external', externalValue(ext)],
      ['internal', oe(d.internal)],
      ['attachable', oe(d.attachable)],
      ['labels', oe(mapping(d.labels, '=', false))],
      ...Object.entries(ext.external ? (extras(d) ?? {}) : {}),
    ]);
  }
  return out;
}

function volumesTop(src: Dict, version: string, warn: (m: string) => void): Record<string, YamlValue> {
  const out: Record<string, YamlValue> = {};
  for (const [name, raw] of Object.entries(src)) {
    const d = isDict(raw) ? raw : {};
    let n = oeStr(d.name);
    const ext = external(d.external);
    const labels = oe(mapping(d.labels, '=', false));
    const driverOpts = oe(mapStringString(d.driver_opts));
    if (ext.external) {
      const conflict = (key: string): V3Error => new V3Error(`conflicting parameters "external" and "${key}" specified for volume "${name}"`);
      if (d.driver) throw conflict('driver');
      if (driverOpts) throw conflict('driver_opts');
      if (labels) throw conflict('labels');
      if (ext.name) {
        if (n) throw new V3Error(`volume ${name}: volume.external.name and volume.name conflict; only use volume.name`);
        if (versionGte(version, '3.4')) warn(`volume ${name}: volume.external.name is deprecated in favor of volume.name`);
        n = ext.name;
        ext.name = undefined;
      } else if (!n) n = name;
    }
    out[name] = struct([['name', n], ['driver', oe(d.driver)], ['driver_opts', driverOpts], ['external', externalValue(ext)], ['labels', labels], ...Object.entries(ext.external ? (extras(d) ?? {}) : {}), ['x-cluster-spec', isDict(d['x-cluster-spec']) ? (d['x-cluster-spec'] as YamlValue) : undefined]]);
  }
  return out;
}

function fileObjects(src: Dict, kind: 'secret' | 'config', version: string, workingDir: string, warn: (m: string) => void): Record<string, YamlValue> {
  const out: Record<string, YamlValue> = {};
  for (const [name, raw] of Object.entries(src)) {
    const d = isDict(raw) ? raw : {};
    let n = oeStr(d.name);
    let file = oeStr(d.file);
    const ext = external(d.external);
    if (ext.external) {
      if (ext.name) {
        if (n) throw new V3Error(`${kind} ${name}: ${kind}.external.name and ${kind}.name conflict; only use ${kind}.name`);
        if (versionGte(version, '3.5')) warn(`${kind} ${name}: ${kind}.external.name is deprecated in favor of ${kind}.name`);
        n = ext.name;
        ext.name = undefined;
      } else if (!n) n = name;
    } else if (d.driver) {
      if (file) throw new V3Error(`${kind} ${name}: ${kind}.driver and ${kind}.file conflict; only use ${kind}.driver`);
    } else file = path.isAbsolute(file ?? '') ? file : path.join(workingDir, file ?? '');
    out[name] = struct([
      ['name', n],
      ['file', file],
      ['external', externalValue(ext)],
      ['labels', oe(mapping(d.labels, '=', false))],
      ['driver', oe(d.driver)],
      ['driver_opts', oe(mapStringString(d.driver_opts))],
      ['template_driver', oe(d.template_driver)],
      ...Object.entries(extras(d) ?? {}),
    ]);
  }
  return out;
}

/** versions.GreaterThanOrEqualTo */
function versionGte(v: string, other: string): boolean {
  const a = v.split('.');
  const b = other.split('.');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = Number(a[i] ?? 0) || 0;
    const y = Number(b[i] ?? 0) || 0;
    if (x !== y) return x > y;
  }
  return true;
}

// ----- merge (docker/cli's loader/merge.go)

function mergeService(base: Dict, over: Dict): Dict {
  const out: Dict = { ...base };
  // mergo calls the slice transformers whenever the base has the field: the base's list is sorted too
  const sorts: Record<string, (x: any, y: any) => number> = {
    ports: (x: Port, y: Port) => (x.published ?? 0) - (y.published ?? 0),
    secrets: (x: FileRef, y: FileRef) => ((x.source ?? '') < (y.source ?? '') ? -1 : (x.source ?? '') > (y.source ?? '') ? 1 : 0),
    configs: (x: FileRef, y: FileRef) => ((x.source ?? '') < (y.source ?? '') ? -1 : (x.source ?? '') > (y.source ?? '') ? 1 : 0),
    volumes: (x: Volume, y: Volume) => ((x.target ?? '') < (y.target ?? '') ? -1 : (x.target ?? '') > (y.target ?? '') ? 1 : 0),
  };
  const keys: Record<string, (x: any) => unknown> = { ports: (p: Port) => p.published ?? 0, secrets: (r: FileRef) => r.source, configs: (r: FileRef) => r.source, volumes: (x: Volume) => x.target };
  for (const k of Object.keys(sorts)) {
    if (!base[k]) continue;
    const m = new Map<unknown, unknown>();
    for (const x of [...base[k], ...(over[k] ?? [])]) m.set(keys[k](x), x);
    out[k] = [...m.values()].sort(sorts[k]);
  }
  for (const [k, v] of Object.entries(over)) {
    if (k in sorts && base[k]) continue;
    if (v === undefined || k === 'name') continue;
    const b = base[k];
    switch (k) {
      case 'command':
      case 'entrypoint':
        if (v.length) out[k] = v;
        break;
      case 'environment':
      case 'labels':
      case 'sysctls':
      case 'networks':
      case 'ulimits':
      case 'extras':
        out[k] = { ...(b ?? {}), ...v };
        break;
      default:
        if (Array.isArray(v)) out[k] = [...(b ?? []), ...v];
        else if (v instanceof Map && b instanceof Map) out[k] = mergeStruct(b, v);
        else if (oe(v) !== undefined || typeof v === 'boolean' || typeof v === 'number') out[k] = v;
    }
  }
  return out;
}

function mergeStruct(b: S, o: S): S {
  const out: S = new Map(b);
  for (const [k, v] of o) {
    const x = out.get(k);
    if (v instanceof Map && x instanceof Map) out.set(k, mergeStruct(x, v));
    else if (Array.isArray(v) && Array.isArray(x)) out.set(k, [...x, ...v]);
    else if (isDict(v) && isDict(x) && !(v instanceof GoFloat)) out.set(k, { ...x, ...v });
    else out.set(k, v);
  }
  return out;
}

// ----- schema: the properties each config_schema_v3.x.json allows (the "Additional property" errors)

const SCHEMA_VERSIONS = ['3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13'];
const SVC_BASE = ['build', 'cap_add', 'cap_drop', 'cgroup_parent', 'command', 'container_name', 'depends_on', 'deploy', 'devices', 'dns', 'dns_search', 'domainname', 'entrypoint', 'env_file', 'environment', 'expose', 'external_links', 'extra_hosts', 'healthcheck', 'hostname', 'image', 'ipc', 'labels', 'links', 'logging', 'mac_address', 'network_mode', 'networks', 'pid', 'ports', 'privileged', 'read_only', 'restart', 'security_opt', 'shm_size', 'stdin_open', 'stop_grace_period', 'stop_signal', 'sysctls', 'tmpfs', 'tty', 'ulimits', 'user', 'userns_mode', 'volumes', 'working_dir'];
const SVC_ADDED: [string, string[]][] = [['3.1', ['secrets']], ['3.3', ['configs', 'credential_spec']], ['3.5', ['isolation']], ['3.7', ['init']], ['3.9', ['cgroupns_mode']], ['3.13', ['oom_score_adj']]];
const TOP_ADDED: [string, string[]][] = [['3.0', ['networks', 'services', 'version', 'volumes']], ['3.1', ['secrets']], ['3.3', ['configs']]];
const DEPLOY_ADDED: [string, string[]][] = [['3.0', ['labels', 'mode', 'placement', 'replicas', 'resources', 'restart_policy', 'update_config']], ['3.2', ['endpoint_mode']], ['3.7', ['rollback_config']]];

const allowed = (version: string, added: [string, string[]][], base: string[] = []): Set<string> => new Set([...base, ...added.filter(([v]) => versionGte(version, v)).flatMap(([, k]) => k)]);

/** schema.Validate, for unknown properties (the most specific error, as docker reports one) */
function validate(d: Dict, version: string): void {
  if (!SCHEMA_VERSIONS.includes(version)) throw new V3Error(`unsupported Compose file version: ${version}`);
  const errs: [string, string][] = [];
  const check = (obj: unknown, keys: Set<string>, xOk: boolean, field: string): void => {
    if (!isDict(obj)) return;
    for (const k of Object.keys(obj)) if (!keys.has(k) && !(xOk && k.startsWith('x-'))) errs.push([field, `Additional property ${k} is not allowed`]);
  };
  check(d, allowed(version, TOP_ADDED), versionGte(version, '3.4'), '(root)');
  const svcKeys = allowed(version, SVC_ADDED, SVC_BASE);
  const depKeys = allowed(version, DEPLOY_ADDED);
  if (isDict(d.services)) {
    for (const [name, s] of Object.entries(d.services)) {
      check(s, svcKeys, versionGte(version, '3.7'), `services.${name}`);
      if (isDict(s)) check(s.deploy, depKeys, false, `services.${name}.deploy`);
    }
  }
  if (!errs.length) return;
  const spec = (f: string): number => (f === '(root)' ? 1 : f.split('.').length);
  let best = errs[0];
  for (const e of errs) if (spec(e[0]) > spec(best[0])) best = e;
  throw new V3Error(`${best[0]} ${best[1]}`);
}

// ----- the whole load

export interface V3Options {
  files: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdin: () => string;
  skipInterpolation?: boolean;
  warn: (m: string) => void;
}

export interface V3Config {
  version: string;
  services: Record<string, Dict>;
  networks: Record<string, YamlValue>;
  volumes: Record<string, YamlValue>;
  secrets: Record<string, YamlValue>;
  configs: Record<string, YamlValue>;
  extras?: Record<string, YamlValue>;
  /** the files as read (before interpolation), for stack deploy's warnings */
  dicts?: Dict[];
}

const UNSUPPORTED = ['build', 'cgroupns_mode', 'cgroup_parent', 'devices', 'domainname', 'external_links', 'ipc', 'links', 'mac_address', 'network_mode', 'pid', 'privileged', 'restart', 'security_opt', 'shm_size', 'userns_mode'];
const DEPRECATED: Record<string, string> = {
  container_name: 'Setting the container name is not supported.',
  expose: 'Exposing ports is unnecessary - services on the same network can access each other\'s containers on any port.',
};

/** loader.GetUnsupportedProperties and GetDeprecatedProperties of the files read */
export function stackWarnings(dicts: Dict[]): { unsupported: string[]; deprecated: Record<string, string> } {
  const unsupported = new Set<string>();
  const deprecated: Record<string, string> = {};
  for (const d of dicts) {
    for (const s of Object.values(isDict(d.services) ? d.services : {})) {
      if (!isDict(s)) continue;
      for (const p of UNSUPPORTED) if (p in s) unsupported.add(p);
      for (const [p, why] of Object.entries(DEPRECATED)) if (p in s) deprecated[p] = why;
    }
  }
  return { unsupported: [...unsupported].sort(), deprecated };
}

function readConfigFile(f: string, o: V3Options): Dict {
  let text: string;
  if (f === '-') text = o.stdin();
  else {
    try {
      text = readFileSync(path.resolve(o.cwd, f), 'utf8');
      // docker names the file as given
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EISDIR') throw new V3Error(`read ${f}: is a directory`);
      throw new V3Error(`open ${f}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message}`);
    }
  }
  return parseYamlV3(text);
}

/** GetConfigDetails + loader.Load */
export function loadV3(o: V3Options): V3Config {
  if (!o.files.length) throw new V3Error('Specify a Compose file (with --compose-file)');
  const workingDir = o.files[0] === '-' && o.files.length === 1 ? o.cwd : path.dirname(path.resolve(o.cwd, o.files[0]));
  const dicts = o.files.map((f) => readConfigFile(f, o));
  const lookup = (k: string): string | undefined => o.env[k];
  let version = fileVersion(dicts[0]);
  const configs: V3Config[] = [];
  for (let dict of dicts) {
    const v = fileVersion(dict);
    if (!version) version = v;
    if (v !== version) throw new V3Error(`version mismatched between two composefiles : ${version} and ${v}`);
    const services = isDict(dict.services) ? dict.services : {};
    const forbidden: Record<string, string> = {};
    for (const s of Object.values(services)) if (isDict(s)) for (const [p, d] of Object.entries(FORBIDDEN)) if (p in s) forbidden[p] = d;
    if (Object.keys(forbidden).length) throw new ForbiddenPropertiesError(forbidden);
    if (!o.skipInterpolation) dict = interpolate(dict, lookup, []) as Dict;
    validate(dict, version);
    const section = (k: string): Dict => {
      const s = dict[k];
      if (s === undefined) return {};
      if (!isDict(s)) throw new V3Error(`${k} must be a mapping`);
      return s;
    };
    const svcs: Record<string, Dict> = {};
    for (const [name, def] of Object.entries(section('services'))) svcs[name] = loadService(name, def, workingDir, lookup);
    configs.push({
      version: fileVersion(dict),
      services: svcs,
      networks: networks(section('networks'), version, o.warn),
      volumes: volumesTop(section('volumes'), version, o.warn),
      secrets: fileObjects(section('secrets'), 'secret', version, workingDir, o.warn),
      configs: fileObjects(section('configs'), 'config', version, workingDir, o.warn),
      extras: extras(dict),
    });
  }
  const base = configs[0];
  base.dicts = dicts;
  for (const over of configs.slice(1)) {
    for (const [name, s] of Object.entries(over.services)) base.services[name] = base.services[name] ? mergeService(base.services[name], s) : s;
    for (const k of ['networks', 'volumes', 'secrets', 'configs'] as const) {
      for (const [name, v] of Object.entries(over[k])) {
        const b = base[k][name];
        base[k][name] = b instanceof Map && v instanceof Map ? mergeStruct(b, v) : v;
      }
    }
  }
  return base;
}

/** types.Config as yaml.v3 marshals it (Services keyed by name; Extras inline after the fields). */
export function v3Yaml(c: V3Config): YamlValue {
  const services: Record<string, YamlValue> = {};
  for (const [name, s] of Object.entries(c.services)) services[name] = serviceStruct(s);
  return struct([
    ['version', c.version],
    ['services', services],
    ['networks', oe(c.networks)],
    ['volumes', oe(c.volumes)],
    ['secrets', oe(c.secrets)],
    ['configs', oe(c.configs)],
    ...sortKeys(Object.keys(c.extras ?? {})).map((k) => [k, c.extras![k]] as [string, YamlValue]),
  ]);
}
