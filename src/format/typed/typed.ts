/**
 * Typed views of engine objects for inspect templates.
 *
 * docker/cli decodes an inspect response into its Go struct (container.InspectResponse, image.InspectResponse,
 * volume.Volume, network.Inspect) and executes the template on that; only when that execution fails does
 * it decode the raw JSON into a map (numbers as json.Number) and execute again with missingkey=error
 * (cli/command/inspect TemplateInspector). The converters here decode raw JSON as encoding/json would
 * into those structs (schema.ts): every field present in declaration order with its zero value when
 * absent, keys matched case-insensitively, unknown keys dropped, integers as GoInt of their Go type, nil
 * pointers/slices/maps as GoNil, embedded structs printed nested and their fields promoted.
 *
 * Approximations: time.Time values are strings in Go's Time.String() form (%T says string);
 * time.Duration prints by its String method (1s), os.FileMode by its (-r--r--r--), Ulimit by its own; pointers to
 * scalars print as their value.
 */
import { parseTemplate, TemplateError, type Template } from '../template/index.js';
import { GoFloat, GoInt, GoMap, GoNil, GoSlice, GoStruct, type GoMethod, type GoValue } from '../template/values.js';
import { GO_TYPES } from './schema.js';
import { SWARM_GO_TYPES } from './swarm-schema.js';

interface FieldDef {
  name: string;
  type: string;
  /** the JSON key ("" when the tag gives none) */
  json: string;
  omitempty: boolean;
  skip: boolean;
  embedded: boolean;
}

interface StructDef {
  kind: 'struct';
  fields: FieldDef[];
}
interface NamedDef {
  kind: 'named';
  underlying: string;
}
type TypeDef = StructDef | NamedDef;

const defs = new Map<string, TypeDef | null>();

function lookup(qualified: string): TypeDef | null {
  let d = defs.get(qualified);
  if (d !== undefined) return d;
  const text = GO_TYPES[qualified] ?? SWARM_GO_TYPES[qualified];
  if (text === undefined) d = null;
  else if (text.startsWith('= ')) d = { kind: 'named', underlying: text.slice(2) };
  else {
    const fields: FieldDef[] = text.split('; ').map((f) => {
      const parts = f.split(' ');
      const embedded = parts[0].startsWith('^');
      const name = embedded ? parts[0].slice(1) : parts[0];
      const tag = parts[2] ?? '';
      const [json, ...opts] = tag.split(',');
      return { name, type: parts[1], json, omitempty: opts.includes('omitempty'), skip: json === '-', embedded: embedded && json === '' };
    });
    d = { kind: 'struct', fields };
  }
  defs.set(qualified, d);
  return d;
}

const INTS = new Set(['int', 'int8', 'int16', 'int32', 'int64', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'byte']);

/** "Config" in package container -> "container.Config"; builtins stay. */
function qualify(t: string, pkg: string): string {
  if (t.includes('.') || INTS.has(t) || /^(string|bool|float32|float64|any|interface\{\}|struct\{\})$/.test(t)) return t;
  return `${pkg}.${t}`;
}

/** The Go spelling of a type as %T prints it, package-qualified. */
function typeName(t: string, pkg: string): string {
  if (t.startsWith('*')) return '*' + typeName(t.slice(1), pkg);
  if (t.startsWith('[]')) return '[]' + typeName(t.slice(2), pkg);
  const arr = /^\[(\d+)\](.*)$/.exec(t);
  if (arr) return `[${arr[1]}]${typeName(arr[2], pkg)}`;
  if (t.startsWith('map[')) {
    const [k, v] = splitMap(t);
    return `map[${typeName(k, pkg)}]${typeName(v, pkg)}`;
  }
  if (t === 'interface{}' || t === 'any') return 'interface {}';
  if (t === 'struct{}') return 'struct {}';
  return qualify(t, pkg);
}

function splitMap(t: string): [string, string] {
  let depth = 0;
  for (let i = 3; i < t.length; i++) {
    if (t[i] === '[') depth++;
    else if (t[i] === ']' && --depth === 0) return [t.slice(4, i), t.slice(i + 1)];
  }
  return ['string', 'interface{}'];
}

function pkgOf(qualified: string): string {
  return qualified.slice(0, qualified.indexOf('.'));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Go's time.Time.String() of an RFC 3339 timestamp: 2026-11-22 11:52:44.214076404 +0000 UTC */
export function goTimeString(s: unknown): string {
  if (typeof s !== 'string') return '0001-01-01 00:00:00 +0000 UTC';
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return s;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const off = m[4] === 'Z' ? '' : m[4].replace(':', '');
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${off} ${off}`;
  return `${m[1]} ${m[2]}${frac === '.' ? '' : frac} ${zone}`;
}

/** encoding/json into interface{}: numbers float64, objects map[string]interface{}, arrays []interface{}. */
function untyped(v: unknown): GoValue {
  if (v === undefined) return null;
  return v as GoValue;
}

function isEmpty(v: GoValue): boolean {
  if (v === null || v === undefined || v === '' || v === false || v === 0) return true;
  if (v instanceof GoNil) return true;
  if (v instanceof GoInt || v instanceof GoFloat) return v.value === 0;
  if (v instanceof GoSlice) return v.items.length === 0;
  if (v instanceof GoMap) return Object.keys(v.entries).length === 0;
  return false;
}

/** Decode raw JSON into the Go type t (as written in package pkg). */
function decode(raw: unknown, t: string, pkg: string): GoValue {
  if (t.startsWith('*')) {
    if (raw === null || raw === undefined) return new GoNil(typeName(t, pkg), 'ptr');
    const v = decode(raw, t.slice(1), pkg);
    if (v instanceof GoStruct) return new GoStruct('*' + v.type, v.fields, v.methods, v.json, v.jsonEscapes);
    return v; // a pointer to a scalar: printed as its value at the top level
  }
  if (t.startsWith('[]')) {
    const name = typeName(t, pkg);
    if (t === '[]byte') return typeof raw === 'string' ? raw : new GoNil(name, 'slice');
    if (!Array.isArray(raw)) return new GoNil(name, 'slice');
    const et = t.slice(2);
    return new GoSlice(raw.map((x) => decode(x, et, pkg)), name);
  }
  const arr = /^\[(\d+)\](.*)$/.exec(t);
  if (arr) {
    const n = Number(arr[1]);
    const items: GoValue[] = [];
    for (let i = 0; i < n; i++) items.push(decode(Array.isArray(raw) ? raw[i] : undefined, arr[2], pkg));
    return new GoSlice(items, typeName(t, pkg));
  }
  if (t.startsWith('map[')) return decodeMap(raw, t, pkg, typeName(t, pkg));
  switch (t) {
    case 'string':
      return typeof raw === 'string' ? raw : '';
    case 'bool':
      return raw === true;
    case 'float64':
      return typeof raw === 'number' ? raw : 0;
    case 'float32':
      return new GoFloat(typeof raw === 'number' ? raw : 0, 'float32');
    case 'interface{}':
    case 'any':
      return untyped(raw);
    case 'struct{}':
      return new GoStruct('struct {}', []);
    case 'time.Time':
      return goTimeString(raw);
    case 'time.Duration':
      return new GoInt(typeof raw === 'number' ? raw : 0, 'time.Duration');
    // os.FileMode is an alias of fs.FileMode (what %T prints): a uint32 printed by its String method
    case 'os.FileMode':
    case 'fs.FileMode':
      return new GoInt(typeof raw === 'number' ? raw : 0, 'fs.FileMode');
  }
  if (INTS.has(t)) return new GoInt(typeof raw === 'number' ? raw : 0, t === 'byte' ? 'uint8' : t);
  const q = qualify(t, pkg);
  const d = lookup(q);
  if (!d) return untyped(raw); // a type outside the schema: as encoding/json gives it in a map
  if (d.kind === 'named') return decodeNamed(raw, d.underlying, pkgOf(q), q);
  return decodeStruct(isObject(raw) ? raw : {}, q, d);
}

function decodeNamed(raw: unknown, underlying: string, pkg: string, name: string): GoValue {
  if (underlying.startsWith('map[')) return decodeMap(raw, underlying, pkg, name);
  if (underlying.startsWith('[]')) {
    // strslice.StrSlice also accepts a single string
    const r = name === 'strslice.StrSlice' && typeof raw === 'string' ? [raw] : raw;
    const v = decode(r, underlying, pkg);
    if (v instanceof GoSlice) return new GoSlice(v.items, name);
    if (v instanceof GoNil) return new GoNil(name, 'slice');
    return v;
  }
  const v = decode(raw, underlying, pkg);
  if (v instanceof GoInt) return new GoInt(v.value, name);
  return v;
}

function decodeMap(raw: unknown, t: string, pkg: string, name: string): GoValue {
  if (!isObject(raw)) return new GoNil(name, 'map');
  const vt = splitMap(t)[1];
  const entries: Record<string, GoValue> = {};
  for (const k of Object.keys(raw)) entries[k] = decode(raw[k], vt, pkg);
  return new GoMap(entries, name);
}

/** The JSON key of raw that encoding/json matches to a field: exact first, then case-insensitively. */
function findKey(raw: Record<string, unknown>, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(raw, key)) return key;
  const lower = key.toLowerCase();
  for (const k of Object.keys(raw)) if (k.toLowerCase() === lower) return k;
  return undefined;
}

function decodeStruct(raw: Record<string, unknown>, q: string, d: StructDef): GoStruct {
  const pkg = pkgOf(q);
  const fields: [string, GoValue][] = [];
  const promoted: Record<string, GoMethod> = {};
  const own = new Set(d.fields.map((f) => f.name));
  const jsonParts: (() => [string, unknown][])[] = [];
  for (const f of d.fields) {
    if (f.embedded) {
      // the embedded struct's fields come from the same JSON object
      const v = decode(raw, f.type, pkg);
      fields.push([f.name, v]);
      if (v instanceof GoStruct) {
        for (const [name] of v.fields) if (!own.has(name) && !(name in promoted)) promoted[name] = () => v.field(name).value as GoValue;
        for (const name of Object.keys(v.methods)) if (!own.has(name) && !(name in promoted)) promoted[name] = v.methods[name];
        jsonParts.push(() => Object.entries(v.json ? (v.json() as Record<string, unknown>) : {}));
      }
      continue;
    }
    const key = f.json || f.name;
    const k = f.skip ? undefined : findKey(raw, key);
    const v = decode(k === undefined ? undefined : raw[k], f.type, pkg);
    fields.push([f.name, v]);
    if (f.skip) continue;
    const isTime = f.type === 'time.Time';
    jsonParts.push(() => {
      if (f.omitempty && !isTime && isEmpty(v)) return [];
      return [[key, isTime ? (k === undefined ? '0001-01-01T00:00:00Z' : raw[k]) : v]];
    });
  }
  const json = (): unknown => {
    const o: Record<string, unknown> = {};
    for (const part of jsonParts) for (const [k, v] of part()) if (!(k in o)) o[k] = v;
    return o;
  };
  const methods: Record<string, GoMethod> = { ...promoted, ...(STRINGERS[q] ? { String: () => STRINGERS[q](new Map(fields)) } : {}) };
  // a struct of the engine's API types: no MarshalJSON, its fields encoded as the encoder says
  return new GoStruct(q, fields, methods, json, false);
}

const num = (v: GoValue | undefined): string => (v instanceof GoInt ? String(v.value) : String(v ?? 0));

/** String methods of the API types (fmt prints a Stringer by it: `{{.HostConfig.Ulimits}}`) */
const STRINGERS: Record<string, (f: Map<string, GoValue>) => string> = {
  // go-units: func (u *Ulimit) String() string { return fmt.Sprintf("%s=%d:%d", u.Name, u.Soft, u.Hard) }
  'units.Ulimit': (f) => `${String(f.get('Name') ?? '')}=${num(f.get('Soft'))}:${num(f.get('Hard'))}`,
};

function decodeAs(raw: unknown, qualified: string): GoValue {
  return decode(raw, qualified, pkgOf(qualified));
}

/** container.InspectResponse (docker container inspect / docker inspect of a container) */
export function typedContainer(raw: unknown): GoValue {
  return decodeAs(raw, 'container.InspectResponse');
}

/** image.InspectResponse */
export function typedImage(raw: unknown): GoValue {
  return decodeAs(raw, 'image.InspectResponse');
}

/** volume.Volume */
export function typedVolume(raw: unknown): GoValue {
  return decodeAs(raw, 'volume.Volume');
}

/** network.Inspect */
export function typedNetwork(raw: unknown): GoValue {
  return decodeAs(raw, 'network.Inspect');
}

// ---- kinds outside the schema (system info, ...): a heuristic typing kept for their callers --------

const MAPS: Record<string, string> = {
  Labels: 'map[string]string', Options: 'map[string]string', DriverOpts: 'map[string]string', Sysctls: 'map[string]string',
  Tmpfs: 'map[string]string', StorageOpt: 'map[string]string', Data: 'map[string]string', Annotations: 'map[string]string',
  ExposedPorts: 'nat.PortSet', Volumes: 'map[string]struct {}', Networks: 'map[string]*network.EndpointSettings',
  Ports: 'nat.PortMap', PortBindings: 'nat.PortMap', Containers: 'map[string]network.EndpointResource', Status: 'map[string]interface {}',
  Metadata: 'map[string]string', UsageData: 'map[string]int64', ConfigFrom: 'network.ConfigReference', Peers: '[]network.PeerInfo',
};

function heuristic(v: unknown, key: string, parentType: string): GoValue {
  if (v === null || v === undefined) {
    if (MAPS[key]) return new GoNil(MAPS[key], 'map');
    return new GoNil('*' + key, 'ptr');
  }
  if (typeof v === 'number') return Number.isInteger(v) ? new GoInt(v, 'int') : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => heuristic(x, key + '[]', parentType));
    return new GoSlice(items, v.every((x) => typeof x === 'string') ? '[]string' : `[]${key}`);
  }
  const o = v as Record<string, unknown>;
  if (MAPS[key] && key !== 'Status') {
    const entries: Record<string, GoValue> = {};
    for (const [k, x] of Object.entries(o)) entries[k] = heuristic(x, k, 'map');
    return new GoMap(entries, MAPS[key]);
  }
  const fields: [string, GoValue][] = Object.entries(o).map(([k, x]) => [k === 'Id' ? 'ID' : k, heuristic(x, k, key)]);
  return new GoStruct(`types.${key || 'Object'}`, fields);
}

/** The typed value of an inspected object of the given kind (container, image, volume, network, or another type name). */
export function toTyped(raw: unknown, kind: string): GoValue {
  // an object already typed by its command (context inspect)
  if (raw instanceof GoStruct) return raw;
  switch (kind) {
    case 'container':
      return typedContainer(raw);
    case 'image':
      return typedImage(raw);
    case 'volume':
      return typedVolume(raw);
    case 'network':
      return typedNetwork(raw);
    // swarm objects, decoded as docker's client decodes them (swarm.Service, swarm.Node, ...)
    case 'service':
      return decodeAs(raw, 'swarm.Service');
    case 'node':
      return decodeAs(raw, 'swarm.Node');
    case 'secret':
      return decodeAs(raw, 'swarm.Secret');
    case 'config':
      return decodeAs(raw, 'swarm.Config');
  }
  const v = heuristic(raw, '', '');
  return v instanceof GoStruct ? new GoStruct(kind, v.fields) : v;
}

// ---- docker/cli's TemplateInspector ---------------------------------------------------------------

/** What docker prints for an inspect template error (status 64 for a parse error, 1 for execution). */
export class InspectTemplateError extends Error {
  constructor(
    message: string,
    readonly parse: boolean,
  ) {
    super(message);
  }
}

export interface InspectTemplate {
  typed: Template;
  /** the same template with missingkey=error, for the raw map */
  raw: Template;
}

/** templates.Parse of an inspect --format (docker: `template parsing error: ...`, status 64). */
export function compileInspectTemplate(format: string): InspectTemplate {
  try {
    return { typed: parseTemplate(format), raw: parseTemplate(format, { missingKeyError: true }) };
  } catch (e) {
    if (e instanceof TemplateError) throw new InspectTemplateError(`template parsing error: ${e.message}`, true);
    throw e;
  }
}

/** json.Decoder with UseNumber: numbers are json.Number (they print as their text). */
export function rawInspectValue(v: unknown): GoValue {
  if (typeof v === 'number') return Number.isInteger(v) ? new GoInt(v, 'json.Number') : new GoFloat(v, 'json.Number');
  if (Array.isArray(v)) return v.map(rawInspectValue);
  if (isObject(v)) {
    const o: Record<string, GoValue> = {};
    for (const k of Object.keys(v)) o[k] = rawInspectValue(v[k]);
    return o;
  }
  return v as GoValue;
}

/**
 * docker/cli TemplateInspector.Inspect for one object: execute on the typed value; on an execution
 * error, when raw JSON is known, execute with missingkey=error on the JSON map instead (the typed
 * attempt's output is dropped); an error there (or with no raw JSON) is
 * `template parsing error: <Go error>`. Returns the output without the newline docker adds.
 */
export function renderInspectTemplate(tmpl: string | InspectTemplate, raw: unknown, typed: GoValue): string {
  const t = typeof tmpl === 'string' ? compileInspectTemplate(tmpl) : tmpl;
  try {
    return t.typed.execute(typed);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    if (raw === undefined) throw new InspectTemplateError(`template parsing error: ${e.message}`, false);
  }
  try {
    return t.raw.execute(rawInspectValue(raw));
  } catch (e) {
    if (e instanceof TemplateError) throw new InspectTemplateError(`template parsing error: ${e.message}`, false);
    throw e;
  }
}
