/**
 * The Compose loader: from command-line options and files to one normalized project, as Compose v2
 * (compose-go) builds it. File lookup, `.env`, interpolation, `include`, `extends`, merging of -f
 * files, schema validation, canonical forms, paths, project name, profiles, environment.
 * No engine: commands (compose, stack deploy) turn the model into engine objects.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { homedir } from 'node:os';
import { isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { parseDotEnv } from './dotenv.js';
import { InvalidTemplateError, substitute, type Mapping } from './template.js';
import { validateSchema } from './schema.js';
import { canonical, ComposeError } from './canonical.js';
import { mergeYaml, Override, RESET, strip } from './merge.js';
import { goCleanPath } from '../go/path.js';

export { ComposeError };

type Dict = Record<string, any>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Override);

export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

export interface LoadOptions {
  /** -f files, in order ("-" for stdin); empty: COMPOSE_FILE, else lookup from cwd upward */
  files?: string[];
  /** the process environment (cli.env) */
  env: Record<string, string | undefined>;
  cwd: string;
  /** -p */
  projectName?: string;
  /** --project-directory */
  projectDirectory?: string;
  /** --env-file (repeatable) */
  envFiles?: string[];
  /** --profile (repeatable); COMPOSE_PROFILES when empty */
  profiles?: string[];
  /** services named on the command line: enabled even when their profile is not */
  services?: string[];
  /** the text of stdin, for `-f -` */
  stdin?: () => string;
  /** keep variables unresolved (config --no-interpolate) */
  noInterpolate?: boolean;
  /** skip normalization of names and defaults (config --no-normalize) */
  noNormalize?: boolean;
  /** keep relative paths (config --no-path-resolution) */
  noPathResolution?: boolean;
  /** skip the consistency checks (config --no-consistency) */
  noConsistency?: boolean;
  /** leave env_file unread (compose-go's WithoutEnvironmentResolution, as `config --hash` loads) */
  noEnvResolution?: boolean;
  /** warnings, in compose's words (the caller prints them as logrus would) */
  warn?: (message: string) => void;
}

export interface Service extends Dict {
  name: string;
  image?: string;
  build?: Dict;
  environment?: Record<string, string | null>;
  labels?: Record<string, string>;
  ports?: Dict[];
  volumes?: Dict[];
  depends_on?: Record<string, { condition: string; required: boolean; restart?: boolean }>;
  networks?: Record<string, Dict | null>;
  profiles?: string[];
  command?: string[] | null;
  entrypoint?: string[] | null;
  deploy?: Dict;
}

export interface Project {
  name: string;
  services: Record<string, Service>;
  networks: Record<string, Dict>;
  volumes: Record<string, Dict>;
  secrets: Record<string, Dict>;
  configs: Record<string, Dict>;
  /** top-level x- extensions */
  extensions: Record<string, unknown>;
  /** services left out by profiles */
  disabled: Record<string, Service>;
  workingDir: string;
  configFiles: string[];
  /** the environment interpolation used (process env over .env) */
  environment: Record<string, string>;
  /** active profiles */
  profiles: string[];
  /** --env-file files, absolute (com.docker.compose.project.environment_file) */
  envFiles: string[];
}

// ---------------------------------------------------------------------------------------------
// file lookup

/** The compose files to load: -f, COMPOSE_FILE, else the first default name from cwd upward (and its override). */
export function findConfigFiles(o: LoadOptions): string[] {
  const files = o.files?.length ? o.files : o.env.COMPOSE_FILE ? o.env.COMPOSE_FILE.split(o.env.COMPOSE_PATH_SEPARATOR || path.delimiter).filter(Boolean) : [];
  const base = o.projectDirectory ? path.resolve(o.cwd, o.projectDirectory) : o.cwd;
  if (files.length) return files.map((f) => (f === '-' ? '-' : path.resolve(o.cwd, f)));
  let dir = base;
  while (true) {
    const found = DEFAULT_FILES.filter((f) => existsSync(path.join(dir, f)));
    if (found.length) {
      if (found.length > 1) o.warn?.(`Found multiple config files with supported names: ${found.map((f) => path.join(dir, f)).join(', ')}\nUsing ${path.join(dir, found[0])}`);
      const out = [path.join(dir, found[0])];
      const over = OVERRIDE_FILES.filter((f) => existsSync(path.join(dir, f)));
      if (over.length) out.push(path.join(dir, over[0]));
      return out;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new ComposeError('no configuration file provided: not found');
    dir = up;
  }
}

// ---------------------------------------------------------------------------------------------
// YAML

/** yaml's document → plain JS, with !reset / !override markers, merge keys resolved. */
function parseYaml(text: string, filename: string): Dict[] {
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, {
      merge: true,
      uniqueKeys: true,
      customTags: [
        { tag: '!reset', resolve: () => RESET as any, identify: () => false },
        { tag: '!reset', collection: 'map', resolve: () => RESET as any, identify: () => false } as any,
        { tag: '!reset', collection: 'seq', resolve: () => RESET as any, identify: () => false } as any,
        { tag: '!override', collection: 'map', resolve: (m: any) => new Override(m.toJSON()) as any, identify: () => false } as any,
        { tag: '!override', collection: 'seq', resolve: (s: any) => new Override(s.toJSON()) as any, identify: () => false } as any,
        { tag: '!override', resolve: (s: string) => new Override(s) as any, identify: () => false },
      ],
    }) as Document.Parsed[];
  } catch (e) {
    throw new ComposeError(`failed to parse ${filename}: ${(e as Error).message}`);
  }
  const out: Dict[] = [];
  for (const doc of docs) {
    if (doc.errors.length) {
      const err = doc.errors[0];
      const line = err.linePos?.[0]?.line;
      const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      throw new ComposeError(`failed to parse ${filename}: yaml: ${line ? `line ${line}: ` : ''}${msg}`);
    }
    if (doc.contents === null) continue;
    if (!isMap(doc.contents)) throw new ComposeError('top-level object must be a mapping');
    checkKeys(doc.contents, '');
    const js = doc.toJS({ maxAliasCount: 10000 });
    out.push(js as Dict);
  }
  return out;
}

function checkKeys(node: unknown, where: string): void {
  if (isMap(node)) {
    for (const item of node.items) {
      const k = item.key;
      if (isScalar(k) && typeof k.value !== 'string' && k.value !== '<<') {
        if (typeof k.value === 'number' || typeof k.value === 'boolean' || k.value === null) {
          // compose converts non-string keys to strings, as yaml.v3 does
        }
      }
      checkKeys(item.value, where);
    }
  } else if (isSeq(node)) for (const i of node.items) checkKeys(i, where);
}

/** Keys are strings (YAML `1: x` or `true: x` keys become "1", "true"). */
function stringKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stringKeys);
  if (v instanceof Override) return new Override(stringKeys(v.value));
  if (v instanceof Map) {
    const out: Dict = {};
    for (const [k, x] of v) out[String(k)] = stringKeys(x);
    return out;
  }
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const out: Dict = {};
    for (const [k, x] of Object.entries(v)) out[k] = stringKeys(x);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// interpolation, with compose-go's type casts for the values the schema types

const BOOL_KEYS = new Set([
  'privileged', 'read_only', 'stdin_open', 'tty', 'init', 'oom_kill_disable', 'external', 'attachable', 'internal',
  'enable_ipv4', 'enable_ipv6', 'required', 'restart', 'create_host_path', 'nocopy', 'disable', 'no_cache', 'pull', 'subpath_create',
]);
const INT_KEYS = new Set(['replicas', 'scale', 'retries', 'target', 'cpu_shares', 'pids_limit', 'mem_swappiness', 'oom_score_adj', 'cpu_count', 'cpu_percent', 'parallelism', 'max_attempts', 'max_replicas_per_node', 'uid', 'gid', 'soft', 'hard']);
const NUMBER_KEYS = new Set(['cpus', 'cpu_period', 'cpu_quota', 'cpu_rt_period', 'cpu_rt_runtime', 'max_failure_ratio']);

function cast(key: string, parentPath: string[], s: string): unknown {
  if (parentPath.includes('environment') || parentPath.includes('labels') || parentPath.includes('args') || parentPath[0]?.startsWith('x-')) return s;
  if (BOOL_KEYS.has(key)) {
    const l = s.toLowerCase();
    if (['y', 'yes', 'true', 'on'].includes(l)) return true;
    if (['n', 'no', 'false', 'off'].includes(l)) return false;
    return s;
  }
  if (INT_KEYS.has(key) && /^-?\d+$/.test(s)) return Number(s);
  if (NUMBER_KEYS.has(key) && /^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

function interpolate(v: unknown, mapping: Mapping, at: string[], warn?: (m: string) => void): unknown {
  if (typeof v === 'string') {
    let out: string;
    try {
      out = substitute(v, mapping, (name) => warn?.(`The "${name}" variable is not set. Defaulting to a blank string.`));
    } catch (e) {
      if (e instanceof InvalidTemplateError) throw new ComposeError(`invalid interpolation format for ${at.join('.')}.\nYou may need to escape any $ with another $.\n${v}`);
      throw new ComposeError(`error while interpolating ${at.join('.')}: ${(e as Error).message}`);
    }
    return out === v ? v : cast(at[at.length - 1], at.slice(0, -1), out);
  }
  if (v instanceof Override) return new Override(interpolate(v.value, mapping, at, warn));
  if (Array.isArray(v)) return v.map((x, i) => interpolate(x, mapping, [...at, String(i)], warn));
  if (isDict(v)) {
    const out: Dict = {};
    for (const [k, x] of Object.entries(v)) out[k] = interpolate(x, mapping, [...at, k], warn);
    return out;
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// paths

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(homedir(), p.slice(1)) : p;
}

function isRemote(ctx: string): boolean {
  return /^(https?:\/\/|git@|git:\/\/|ssh:\/\/|github\.com\/)/.test(ctx) || ctx.endsWith('.git');
}

function abs(dir: string, p: string): string {
  const e = expandHome(p);
  return path.resolve(dir, e);
}

/** Resolve the relative paths of a (canonical) tree against `dir` (compose-go's paths package). */
function resolvePaths(dict: Dict, dir: string): void {
  for (const s of Object.values((dict.services ?? {}) as Dict)) {
    if (!isDict(s)) continue;
    if (isDict(s.build) && typeof s.build.context === 'string' && !isRemote(s.build.context)) s.build.context = abs(dir, s.build.context);
    if (isDict(s.build) && isDict(s.build.additional_contexts)) {
      for (const [k, c] of Object.entries(s.build.additional_contexts)) {
        if (typeof c === 'string' && !c.includes('://') && !c.startsWith('service:') && !c.includes('@')) s.build.additional_contexts[k] = abs(dir, c);
      }
    }
    if (Array.isArray(s.env_file)) for (const e of s.env_file) if (typeof e.path === 'string') e.path = abs(dir, e.path);
    if (Array.isArray(s.label_file)) s.label_file = s.label_file.map((f: string) => abs(dir, f));
    if (Array.isArray(s.volumes)) {
      for (const v of s.volumes) {
        if (v.type === 'bind' && typeof v.source === 'string') v.source = abs(dir, v.source);
      }
    }
    if (isDict(s.extends) && typeof s.extends.file === 'string') s.extends.file = abs(dir, s.extends.file);
  }
  for (const kind of ['secrets', 'configs']) {
    for (const r of Object.values((dict[kind] ?? {}) as Dict)) if (isDict(r) && typeof r.file === 'string') r.file = abs(dir, r.file);
  }
}

// ---------------------------------------------------------------------------------------------
// one file: parse, interpolate, validate, include, extends

interface Ctx {
  o: LoadOptions;
  env: Record<string, string>;
  mapping: Mapping;
  warned: Set<string>;
}

function readText(ctx: Ctx, file: string): string {
  if (file === '-') return ctx.o.stdin ? ctx.o.stdin() : '';
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ComposeError(`open ${file}: no such file or directory`);
    if (code === 'EISDIR') throw new ComposeError(`read ${file}: is a directory`);
    throw new ComposeError(`open ${file}: ${(e as Error).message}`);
  }
}

function loadFile(ctx: Ctx, file: string, dir: string, includeChain: string[], displayName = file): Dict {
  const text = readText(ctx, file);
  const docs = parseYaml(text, displayName);
  let dict: Dict | undefined;
  for (const raw of docs) {
    let d = stringKeys(raw) as Dict;
    if (!ctx.o.noInterpolate) d = interpolate(d, ctx.mapping, [], ctx.o.warn ? (m) => warnOnce(ctx, m) : undefined) as Dict;
    const err = validateSchema(strip(d));
    if (err !== undefined) throw new ComposeError(`validating ${displayName}: ${err}`);
    if ('version' in d) {
      warnOnce(ctx, `${displayName}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`);
      delete d.version;
    }
    d = canonical(d);
    if (!ctx.o.noPathResolution) resolvePaths(d, dir);
    if (Array.isArray(d.include)) {
      const inc = d.include;
      delete d.include;
      d = applyInclude(ctx, d, inc, dir, [...includeChain, file]);
    }
    // markers (!reset, !override) stay until the file is merged onto the previous ones
    dict = dict === undefined ? d : (mergeYaml(dict, d) as Dict);
  }
  dict ??= {};
  applyExtends(ctx, dict, file, dir);
  return dict;
}

function warnOnce(ctx: Ctx, m: string): void {
  if (ctx.warned.has(m)) return;
  ctx.warned.add(m);
  ctx.o.warn?.(m);
}

function applyInclude(ctx: Ctx, dict: Dict, includes: unknown[], dir: string, chain: string[]): Dict {
  let out = dict;
  for (const inc of includes) {
    const spec: Dict = typeof inc === 'string' ? { path: [inc] } : { ...(inc as Dict) };
    const paths: string[] = (Array.isArray(spec.path) ? spec.path : [spec.path]).map((p: string) => abs(dir, p));
    const incDir = spec.project_directory ? abs(dir, spec.project_directory) : path.dirname(paths[0]);
    for (const p of paths) {
      if (chain.includes(p)) throw new ComposeError(`include cycle detected:\n${chain[0]}\n include ${[...chain.slice(1), p].join('\n include ')}`);
    }
    let incEnv = ctx.env;
    const envFiles = spec.env_file ? (Array.isArray(spec.env_file) ? spec.env_file : [spec.env_file]).map((f: string) => abs(dir, f)) : [path.join(incDir, '.env')];
    const fileEnv: Record<string, string> = {};
    for (const f of envFiles) {
      if (!existsSync(f)) {
        if (spec.env_file) throw new ComposeError(`env file ${f} not found: stat ${f}: no such file or directory`);
        continue;
      }
      for (const [k, v] of parseDotEnv(readFileSync(f, 'utf8'), (k) => fileEnv[k] ?? ctx.env[k])) fileEnv[k] = v;
    }
    incEnv = { ...fileEnv, ...ctx.env };
    const sub: Ctx = { ...ctx, env: incEnv, mapping: (k) => incEnv[k] };
    let included: Dict = {};
    for (const p of paths) {
      if (!existsSync(p)) throw new ComposeError(`open ${p}: no such file or directory`);
      if (!statSync(p).isFile()) throw new ComposeError(`${p} is not a file`);
      included = mergeYaml(included, loadFile(sub, p, incDir, chain)) as Dict;
    }
    for (const kind of ['services', 'networks', 'volumes', 'secrets', 'configs']) {
      const mine = (out[kind] ?? {}) as Dict;
      for (const [n, r] of Object.entries((included[kind] ?? {}) as Dict)) {
        if (n in mine && JSON.stringify(mine[n]) !== JSON.stringify(r)) {
          throw new ComposeError(`imported compose file ${paths[0]} defines conflicting ${kind.replace(/s$/, '')} ${n}`);
        }
      }
      if (included[kind]) out = { ...out, [kind]: { ...(included[kind] as Dict), ...mine } };
    }
  }
  return out;
}

function applyExtends(ctx: Ctx, dict: Dict, file: string, _dir: string): void {
  const services = (dict.services ?? {}) as Dict;
  const done = new Set<string>();
  const resolve = (name: string, stack: string[]): void => {
    if (done.has(name)) return;
    const s = services[name] as Dict;
    if (!isDict(s) || s.extends === undefined) {
      done.add(name);
      return;
    }
    if (stack.includes(name)) throw new ComposeError(`Circular reference with extends ${[...stack, name].join(' -> ')}`);
    const ext = typeof s.extends === 'string' ? { service: s.extends } : (s.extends as Dict);
    const ref = ext.service as string;
    let base: Dict;
    if (ext.file) {
      const other = loadFile(ctx, ext.file as string, path.dirname(ext.file as string), []);
      const os = (other.services ?? {}) as Dict;
      if (!(ref in os)) throw new ComposeError(`cannot extend service "${name}" in ${ext.file}: service "${ref}" not found`);
      base = os[ref];
    } else {
      if (!(ref in services)) throw new ComposeError(`cannot extend service "${name}" in ${file}: service "${ref}" not found`);
      resolve(ref, [...stack, name]);
      base = services[ref];
    }
    const own = { ...s };
    delete own.extends;
    const merged = mergeYaml(strip(base), own, `services.${name}`) as Dict;
    services[name] = merged;
    done.add(name);
  };
  for (const n of Object.keys(services)) resolve(n, []);
}

// ---------------------------------------------------------------------------------------------
// project

/** compose-go's NormalizeProjectName: lower case, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}

export function invalidProjectName(v: string): ComposeError {
  return new ComposeError(
    `invalid project name ${JSON.stringify(v)}: must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
  );
}

function checkProjectName(v: string): void {
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(v)) throw invalidProjectName(v);
}

function readEnvFile(file: string, lookup: Mapping): Map<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ComposeError(`couldn't find env file: ${file}`);
    throw new ComposeError(`failed to read ${file}: ${(e as Error).message}`);
  }
  try {
    return parseDotEnv(text, lookup);
  } catch (e) {
    throw new ComposeError(`failed to read ${file}: ${(e as Error).message}`);
  }
}

/** Load the project the options describe. Throws ComposeError with compose's message. */
export function loadProject(o: LoadOptions): Project {
  const files = findConfigFiles(o);
  const first = files[0];
  const workingDir = o.projectDirectory ? path.resolve(o.cwd, o.projectDirectory) : first === '-' ? o.cwd : path.dirname(first);

  // environment: the process's over the .env file's (or --env-file's)
  const processEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.env)) if (v !== undefined) processEnv[k] = v;
  const dotenv: Record<string, string> = {};
  const envFiles = o.envFiles?.length ? o.envFiles.map((f) => path.resolve(o.cwd, f)) : [path.join(workingDir, '.env')];
  for (const f of envFiles) {
    if (!o.envFiles?.length && (!existsSync(f) || statSync(f).isDirectory())) continue;
    for (const [k, v] of readEnvFile(f, (k) => dotenv[k] ?? processEnv[k])) dotenv[k] = v;
  }
  const env: Record<string, string> = { ...dotenv, ...processEnv };

  // project name from -p or COMPOSE_PROJECT_NAME, before the files (they may interpolate it)
  let name = o.projectName || env.COMPOSE_PROJECT_NAME || '';
  if (name) checkProjectName(name);
  const ctx: Ctx = { o, env, mapping: (k) => (k === 'COMPOSE_PROJECT_NAME' && name ? name : env[k]), warned: new Set() };

  let dict: Dict = {};
  for (const f of files) {
    // every file's relative paths are relative to the project directory (the first file's)
    dict = mergeYaml(dict, loadFile(ctx, f, workingDir, [])) as Dict;
  }
  dict = strip(dict) as Dict;

  if (!name) {
    if (typeof dict.name === 'string' && dict.name !== '') {
      name = dict.name;
      checkProjectName(name);
    } else {
      name = normalizeProjectName(path.basename(workingDir));
      if (!name) throw new ComposeError('project name must not be empty');
    }
  }

  const all: Record<string, Service> = {};
  for (const [n, s] of Object.entries((dict.services ?? {}) as Dict)) all[n] = { ...(s as Dict), name: n } as Service;

  // profiles
  const active = o.profiles?.length ? o.profiles : (env.COMPOSE_PROFILES ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const enabled = (s: Service): boolean => !s.profiles?.length || active.includes('*') || s.profiles.some((p) => active.includes(p));
  const services: Record<string, Service> = {};
  const disabled: Record<string, Service> = {};
  const wanted = new Set(o.services ?? []);
  const enable = (n: string): void => {
    if (services[n] || !all[n]) return;
    services[n] = all[n];
    for (const d of Object.keys(all[n].depends_on ?? {})) if (!enabled(all[d] ?? ({} as Service))) enable(d);
  };
  for (const [n, s] of Object.entries(all)) if (enabled(s)) services[n] = s;
  for (const n of wanted) enable(n);
  for (const [n, s] of Object.entries(all)) if (!services[n]) disabled[n] = s;
  // keep the file's order
  const ordered: Record<string, Service> = {};
  for (const n of Object.keys(all)) if (services[n]) ordered[n] = services[n];

  const project: Project = {
    name,
    services: ordered,
    networks: { ...((dict.networks ?? {}) as Dict) },
    volumes: { ...((dict.volumes ?? {}) as Dict) },
    secrets: { ...((dict.secrets ?? {}) as Dict) },
    configs: { ...((dict.configs ?? {}) as Dict) },
    extensions: Object.fromEntries(Object.entries(dict).filter(([k]) => k.startsWith('x-'))),
    disabled,
    workingDir,
    configFiles: files.map((f) => (f === '-' ? path.join(workingDir, '-') : f)),
    environment: env,
    profiles: active,
    envFiles: (o.envFiles ?? []).map((f) => path.resolve(o.cwd, f)),
  };
  if (!o.noNormalize) normalize(project);
  resolveEnvironment(project, !!o.noEnvResolution);
  resolveLabels(project);
  if (!o.noConsistency) checkConsistency(project);
  return project;
}

/** compose-go's normalize: default network, resource names, build defaults, volume and secret defaults. */
function normalize(p: Project): void {
  let needsDefault = false;
  for (const s of Object.values(p.services)) {
    if (!s.networks && !s.network_mode) {
      s.networks = { default: null };
    }
    if (s.networks && 'default' in s.networks) needsDefault = true;
    if (s.build) {
      if (!s.build.dockerfile && !s.build.dockerfile_inline) s.build.dockerfile = 'Dockerfile';
    }
    if (s.pull_policy === 'if_not_present') s.pull_policy = 'missing';
    for (const v of (s.volumes ?? []) as Dict[]) if (typeof v.target === 'string' && v.target) v.target = goCleanPath(v.target);
    for (const d of Object.values(s.depends_on ?? {})) if (d.required === undefined) d.required = true;
    // links, service: namespaces and volumes_from imply dependencies (compose-go's Normalize)
    const implied = (n: string, restart: boolean): void => {
      s.depends_on ??= {};
      if (!s.depends_on[n]) s.depends_on[n] = { condition: 'service_started', restart, required: true };
    };
    for (const l of (s.links ?? []) as string[]) implied(l.split(':').length === 2 ? l.split(':')[0] : l, true);
    for (const k of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) if (typeof s[k] === 'string' && s[k].startsWith('service:')) implied(s[k].slice(8), true);
    for (const v of (s.volumes_from ?? []) as string[]) if (!v.startsWith('container:')) implied(v.split(':')[0], false);
    if (s.scale === undefined && s.deploy?.replicas !== undefined) s.scale = s.deploy.replicas;
    for (const k of ['secrets', 'configs'] as const) {
      for (const m of (s[k] ?? []) as Dict[]) if (m.target === undefined && k === 'secrets') m.target = `/run/secrets/${m.source}`;
    }
  }
  if (needsDefault && !p.networks.default) p.networks.default = {};
  for (const [n, net] of Object.entries(p.networks)) {
    const c = (net ?? {}) as Dict;
    if (!c.name) c.name = c.external ? n : `${p.name}_${n}`;
    p.networks[n] = c;
  }
  for (const [n, vol] of Object.entries(p.volumes)) {
    const c = (vol ?? {}) as Dict;
    if (!c.name) c.name = c.external ? n : `${p.name}_${n}`;
    p.volumes[n] = c;
  }
  for (const kind of ['secrets', 'configs'] as const) {
    for (const [n, r] of Object.entries(p[kind])) {
      const c = (r ?? {}) as Dict;
      if (!c.name) c.name = c.external ? n : `${p.name}_${n}`;
      p[kind][n] = c;
    }
  }
}

/**
 * compose-go's environment resolution: bare keys take the project environment's value (kept null
 * when unset); then (unless noFiles) the env_file contents go under environment, the service's own
 * entries winning, even a null one (MappingWithEquals.OverrideBy).
 */
function resolveEnvironment(p: Project, noFiles: boolean): void {
  for (const s of [...Object.values(p.services), ...Object.values(p.disabled)]) {
    if (noFiles) {
      if (s.environment) for (const [k, v] of Object.entries(s.environment)) if (v === null && p.environment[k] !== undefined) s.environment[k] = p.environment[k];
      continue;
    }
    const fromFiles: Record<string, string> = {};
    for (const ef of (s.env_file ?? []) as Dict[]) {
      if (!existsSync(ef.path)) {
        if (ef.required === false) continue;
        throw new ComposeError(`env file ${ef.path} not found: stat ${ef.path}: no such file or directory`);
      }
      for (const [k, v] of readEnvFile(ef.path, (k) => fromFiles[k] ?? p.environment[k])) fromFiles[k] = v;
    }
    if (!s.env_file && !s.environment) continue;
    const env: Record<string, string | null> = { ...fromFiles };
    for (const [k, v] of Object.entries(s.environment ?? {})) {
      if (v === null) {
        env[k] = p.environment[k] !== undefined ? p.environment[k] : null;
      } else env[k] = v;
    }
    s.environment = env;
  }
}

/**
 * compose-go's WithServicesLabelsResolved (run whatever the environment resolution): each service's
 * label_file entries read in order as dotenv files (a later file's keys win; a file interpolates
 * with the labels of the files before it), then the service's own `labels` win over them.
 */
function resolveLabels(p: Project): void {
  for (const s of Object.values(p.services)) {
    const files = (s.label_file ?? []) as string[];
    if (!files.length) continue;
    const labels: Record<string, string | null> = {};
    for (const f of files) {
      if (!existsSync(f)) throw new ComposeError(`label file ${f} not found: stat ${f}: no such file or directory`);
      for (const [k, v] of readEnvFile(f, (k) => labels[k] ?? undefined)) labels[k] = v;
    }
    Object.assign(labels, s.labels ?? {});
    if (Object.keys(labels).length) s.labels = labels as Record<string, string>;
  }
}

function checkConsistency(p: Project): void {
  for (const s of Object.values(p.services)) {
    if (!s.image && !s.build) throw new ComposeError(`service "${s.name}" has neither an image nor a build context specified: invalid compose project`);
    if (s.network_mode && s.networks && Object.keys(s.networks).length && !(Object.keys(s.networks).length === 1 && 'default' in s.networks && s.networks.default === null)) {
      throw new ComposeError(`service ${s.name} declares mutually exclusive \`network_mode\` and \`networks\`: invalid compose project`);
    }
    for (const n of Object.keys(s.networks ?? {})) {
      if (!p.networks[n]) throw new ComposeError(`service "${s.name}" refers to undefined network ${n}: invalid compose project`);
    }
    for (const [d, c] of Object.entries(s.depends_on ?? {})) {
      if (!p.services[d] && c.required !== false) {
        throw new ComposeError(`service "${s.name}" depends on undefined service "${d}": invalid compose project`);
      }
    }
    for (const v of (s.volumes ?? []) as Dict[]) {
      if (v.type === 'volume' && v.source && !p.volumes[v.source]) {
        throw new ComposeError(`service "${s.name}" refers to undefined volume ${v.source}: invalid compose project`);
      }
    }
    for (const k of ['secrets', 'configs'] as const) {
      for (const m of (s[k] ?? []) as Dict[]) {
        if (!p[k][m.source]) throw new ComposeError(`service "${s.name}" refers to undefined ${k.replace(/s$/, '')} ${m.source}: invalid compose project`);
      }
    }
    if (s.scale !== undefined && s.deploy?.replicas !== undefined && s.scale !== s.deploy.replicas) {
      throw new ComposeError(`services.${s.name}: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project`);
    }
    const seen = new Map<string, string>();
    for (const v of (s.volumes ?? []) as Dict[]) {
      if (seen.has(v.target)) throw new ComposeError(`services.${s.name}.volumes: target ${v.target} already mounted as ${seen.get(v.target)}`);
      seen.set(v.target, v.source ?? v.target);
    }
  }
  // dependency cycles
  const state = new Map<string, number>();
  const visit = (n: string, chain: string[]): void => {
    if (state.get(n) === 2) return;
    if (state.get(n) === 1) throw new ComposeError(`dependency cycle detected: ${[...chain.slice(chain.indexOf(n)), n].join(' -> ')}`);
    state.set(n, 1);
    for (const d of Object.keys(p.services[n]?.depends_on ?? {})) if (p.services[d]) visit(d, [...chain, n]);
    state.set(n, 2);
  };
  for (const n of Object.keys(p.services)) visit(n, []);
}

/** Services in dependency order (dependencies first), keeping the file's order among equals. */
export function dependencyOrder(p: Project, names = Object.keys(p.services)): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n) || !p.services[n]) return;
    seen.add(n);
    for (const d of Object.keys(p.services[n].depends_on ?? {})) visit(d);
    out.push(n);
  };
  for (const n of names) visit(n);
  return out;
}

/** The services named plus (unless noDeps) everything they depend on; unknown names fail as compose does. */
export function selectServices(p: Project, names: string[], noDeps = false): string[] {
  for (const n of names) if (!p.services[n]) throw new ComposeError(`no such service: ${n}`);
  if (names.length === 0) return Object.keys(p.services);
  if (noDeps) return [...names];
  return dependencyOrder(p, names);
}
