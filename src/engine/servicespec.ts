import { isIP } from 'node:net';
/**
 * docker service create's options turned into the engine's ServiceSpec (docker/cli's serviceOptions.ToService),
 * and the helpers service update and stack deploy share with it.
 */
import { StatusError } from '../cli/errors.js';
import { csvRecord } from '../go/csv.js';
import { keyValues } from '../cli/keyvalues.js';
import type { EngineClient as Engine } from '../cli/engine-client.js';
import { parseDuration, ramInBytes } from '../cli/opts.js';

type Json = any;

/** The flag parsers docker's flag types apply while parsing (list kinds for the repeatable custom types). */
const flagCheck = (fn: (v: string) => unknown) => (v: string): string => {
  try {
    fn(v);
  } catch (e) {
    // the flag parser adds docker's 'invalid argument "v" for "--flag" flag: ' prefix
    throw new Error((e as Error).message.replace(/^invalid argument "[^"]*" for "[^"]*" flag: /, ''));
  }
  return v;
};

/** Go's strconv.ParseUint for uint flags. */
const parseUint = (v: string): number => {
  if (!/^\d+$/.test(v)) throw new Error(`strconv.ParseUint: parsing ${JSON.stringify(v)}: invalid syntax`);
  return Number(v);
};

export const SERVICE_FLAG_KINDS: Record<string, Record<string, unknown>> = {
  config: { kind: 'list', default: [], parse: flagCheck((v) => parseFileRef('config', v)) },
  secret: { kind: 'list', default: [], parse: flagCheck((v) => parseFileRef('secret', v)) },
  publish: { kind: 'list', default: [], parse: flagCheck(parsePublish) },
  mount: { kind: 'list', default: [], parse: flagCheck(parseMount) },
  'config-add': { kind: 'list', default: [], parse: flagCheck((v) => parseFileRef('config', v)) },
  'secret-add': { kind: 'list', default: [], parse: flagCheck((v) => parseFileRef('secret', v)) },
  'publish-add': { kind: 'list', default: [], parse: flagCheck(parsePublish) },
  'mount-add': { kind: 'list', default: [], parse: flagCheck(parseMount) },
  'publish-rm': { kind: 'list', default: [] },
  replicas: { parse: parseUint },
  'replicas-max-per-node': { parse: parseUint },
  'max-concurrent': { parse: parseUint },
  'restart-max-attempts': { parse: parseUint },
  'update-parallelism': { parse: parseUint },
  'rollback-parallelism': { parse: parseUint },
  'limit-memory': { parse: flagCheck((v) => memBytes('limit-memory', v)) },
  'reserve-memory': { parse: flagCheck((v) => memBytes('reserve-memory', v)) },
  'placement-pref-rm': { kind: 'list', default: [] },
};

/** go-units RAMInBytes with docker's flag error text. */
export function memBytes(flag: string, v: string): number {
  try {
    return ramInBytes(v);
  } catch {
    throw new StatusError(`invalid argument "${v}" for "--${flag}" flag: invalid size: '${v}'`, 125);
  }
}

/** opts.NanoCPUs */
export function nanoCpus(flag: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new StatusError(`invalid argument "${v}" for "--${flag}" flag: failed to parse ${v} as a rational number`, 125);
  return Math.round(n * 1e9);
}

export function duration(flag: string, v: string): number {
  try {
    return parseDuration(v);
  } catch (e) {
    throw new StatusError(`invalid argument "${v}" for "--${flag}" flag: ${(e as Error).message}`, 125);
  }
}

/** opts.PortOpt: "8080:80", "8080:80/udp", "80" or the long form "published=8080,target=80,protocol=tcp,mode=ingress". */
/** go-connections' nat.ParsePortRange with strconv.ParseUint(…, 10, 16): [start, end], or undefined */
function portRange(ports: string): [number, number] | undefined {
  const u16 = (x: string): number | undefined => (/^\d+$/.test(x) && Number(x) <= 65535 ? Number(x) : undefined);
  if (ports === '') return undefined;
  if (!ports.includes('-')) {
    const n = u16(ports);
    return n === undefined ? undefined : [n, n];
  }
  const parts = ports.split('-');
  const a = u16(parts[0]);
  const b = u16(parts[1]);
  if (a === undefined || b === undefined || b < a) return undefined;
  return [a, b];
}

/**
 * docker's PortOpt.Set (opts/swarmopts): the long syntax when `\w+=\w+` occurs anywhere in the value
 * (a CSV record of key=value fields), else nat.ParsePortSpec's short syntax, with its errors in its order.
 */
export function parsePublish(v: string): Json[] {
  const bad = (why: string): StatusError => new StatusError(`invalid argument ${JSON.stringify(v)} for "-p, --publish" flag: ${why}`, 125);
  if (/\w+=\w+(,\w+=\w+)*/.test(v)) {
    const p: Json = {};
    let fields: string[];
    try {
      fields = csvRecord(v);
    } catch (e) {
      throw bad((e as Error).message);
    }
    for (const field of fields) {
      const lower = field.toLowerCase();
      const i = lower.indexOf('=');
      const k = i < 0 ? lower : lower.slice(0, i);
      const val = i < 0 ? '' : lower.slice(i + 1);
      if (i < 0 || k === '') throw bad(`invalid field: ${field}`);
      switch (k) {
        case 'protocol':
          if (!['tcp', 'udp', 'sctp'].includes(val)) throw bad(`invalid protocol value '${val}'`);
          p.Protocol = val;
          break;
        case 'mode':
          if (val !== 'ingress' && val !== 'host') throw bad(`invalid publish mode value (${val}): must be either 'ingress' or 'host'`);
          p.PublishMode = val;
          break;
        case 'target':
        case 'published': {
          // strconv.ParseUint(val, 10, 16)'s error, its NumError unwrapped
          if (!/^\d+$/.test(val)) throw bad(`invalid ${k} port (${val}): value must be an integer: invalid syntax`);
          if (Number(val) > 65535) throw bad(`invalid ${k} port (${val}): value must be an integer: value out of range`);
          p[k === 'target' ? 'TargetPort' : 'PublishedPort'] = Number(val);
          break;
        }
        default:
          throw bad(`invalid field key: ${k}`);
      }
    }
    if (!p.TargetPort) throw bad("missing mandatory field 'target'");
    return [{ Protocol: p.Protocol ?? 'tcp', TargetPort: p.TargetPort, ...(p.PublishedPort ? { PublishedPort: p.PublishedPort } : {}), PublishMode: p.PublishMode ?? 'ingress' }];
  }
  // nat.ParsePortSpec
  const parts = v.split(':');
  const n = parts.length;
  let ip = n >= 3 ? parts.slice(0, n - 2).join(':') : '';
  const hostPort = n >= 2 ? parts[n - 2] : '';
  const raw = parts[n - 1];
  const sp = raw.split('/');
  const [proto, containerPort] = raw === '' || sp[0] === '' ? ['', ''] : sp.length === 1 ? ['tcp', raw] : sp[1] === '' ? ['tcp', sp[0]] : [sp[1], sp[0]];
  if (ip !== '' && ip.startsWith('[')) {
    if (!ip.endsWith(']')) throw bad(`invalid IP address ${ip}: address ${ip}:: missing ']' in address`);
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && isIP(ip) === 0) throw bad(`invalid IP address: ${ip}`);
  if (containerPort === '') throw bad(`no port specified: ${v}<empty>`);
  const cr = portRange(containerPort);
  if (!cr) throw bad(`invalid containerPort: ${containerPort}`);
  let hr: [number, number] = [0, 0];
  if (hostPort.length > 0) {
    const r = portRange(hostPort);
    if (!r) throw bad(`invalid hostPort: ${hostPort}`);
    hr = r;
  }
  if (hostPort !== '' && cr[1] - cr[0] !== hr[1] - hr[0] && cr[1] !== cr[0]) throw bad(`invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`);
  if (!['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) throw bad(`invalid proto: ${proto}`);
  if (ip !== '') throw bad('hostip is not supported');
  const out: Json[] = [];
  for (let i = 0; i <= cr[1] - cr[0]; i++) {
    // one container port and a host range: a port config per host port (ConvertPortToPortConfig)
    const [hs, he] = hostPort === '' ? [0, 0] : cr[0] === cr[1] ? hr : [hr[0] + i, hr[0] + i];
    for (let h = hs; h <= he; h++) out.push({ Protocol: proto.toLowerCase(), TargetPort: cr[0] + i, ...(h ? { PublishedPort: h } : {}), PublishMode: 'ingress' });
  }
  return out;
}

/** opts.MountOpt: "type=volume,source=x,target=/y,readonly". */
export function parseMount(v: string): Json {
  const bad = (why: string): StatusError => new StatusError(`invalid argument "${v}" for "--mount" flag: ${why}`, 125);
  const m: Json = { Type: 'volume' };
  for (const part of v.split(',')) {
    const i = part.indexOf('=');
    const k = (i < 0 ? part : part.slice(0, i)).toLowerCase();
    const val = i < 0 ? '' : part.slice(i + 1);
    switch (k) {
      case 'type':
        m.Type = val;
        break;
      case 'source':
      case 'src':
        m.Source = val;
        break;
      case 'target':
      case 'dst':
      case 'destination':
        m.Target = val;
        break;
      case 'readonly':
      case 'ro':
        m.ReadOnly = i < 0 ? true : val === 'true' || val === '1';
        break;
      case 'consistency':
        m.Consistency = val;
        break;
      case 'volume-driver':
        m.VolumeOptions = { ...(m.VolumeOptions ?? {}), DriverConfig: { Name: val } };
        break;
      case 'volume-nocopy':
        m.VolumeOptions = { ...(m.VolumeOptions ?? {}), NoCopy: i < 0 || val === 'true' };
        break;
      case 'bind-propagation':
        m.BindOptions = { Propagation: val };
        break;
      case 'tmpfs-size':
        m.TmpfsOptions = { ...(m.TmpfsOptions ?? {}), SizeBytes: ramInBytes(val) };
        break;
      default:
        if (i < 0) throw bad(`invalid field '${part}' must be a key=value pair`);
        throw bad(`unexpected key '${k}' in '${part}'`);
    }
  }
  if (!m.Target) throw bad('target is required');
  return m;
}

/** "source=x,target=y,uid=,gid=,mode=" or just "x" (--secret, --config). */
export function parseFileRef(flag: string, v: string): { source: string; target: string; uid: string; gid: string; mode: number } {
  const r = { source: '', target: '', uid: '0', gid: '0', mode: 0o444 };
  if (!v.includes('=')) {
    r.source = v;
    r.target = v;
    return r;
  }
  for (const part of v.split(',')) {
    const i = part.indexOf('=');
    if (i < 0) throw new StatusError(`invalid argument "${v}" for "--${flag}" flag: invalid field '${part}' must be a key=value pair`, 125);
    const k = part.slice(0, i).toLowerCase();
    const val = part.slice(i + 1);
    if (k === 'source' || k === 'src') r.source = val;
    else if (k === 'target') r.target = val;
    else if (k === 'uid') r.uid = val;
    else if (k === 'gid') r.gid = val;
    else if (k === 'mode') r.mode = parseInt(val, 8);
    else throw new StatusError(`invalid argument "${v}" for "--${flag}" flag: invalid field key ${k}`, 125);
  }
  if (!r.source) throw new StatusError(`invalid argument "${v}" for "--${flag}" flag: source is required`, 125);
  if (!r.target) r.target = r.source;
  return r;
}

/** Secret or config references resolved to their IDs (docker's ParseSecrets / ParseConfigs). */
export async function resolveFileRefs(engine: Engine, kind: 'secret' | 'config', specs: string[]): Promise<Json[]> {
  if (!specs.length) return [];
  const refs = specs.map((s) => parseFileRef(kind, s));
  const names = refs.map((r) => r.source);
  const list: Json[] = await engine.json({ path: kind === 'secret' ? '/secrets' : '/configs', query: { filters: JSON.stringify({ name: Object.fromEntries(names.map((n) => [n, true])) }) } });
  const byName = new Map<string, string>();
  for (const o of list) byName.set(o.Spec.Name, o.ID);
  return refs.map((r) => {
    const id = byName.get(r.source);
    if (!id) throw new StatusError(`${kind} not found: ${r.source}`, 1);
    const ref: Json = { File: { Name: r.target, UID: r.uid, GID: r.gid, Mode: r.mode } };
    if (kind === 'secret') {
      ref.SecretID = id;
      ref.SecretName = r.source;
    } else {
      ref.ConfigID = id;
      ref.ConfigName = r.source;
    }
    return ref;
  });
}

/** docker's resolveNetworkID: a network name or ID to the network's full ID. */
export async function resolveNetworkId(engine: Engine, name: string): Promise<string> {
  const n: Json = await engine.json({ path: `/networks/${encodeURIComponent(name)}` });
  return n.Id;
}

export interface ServiceCreateOptions {
  [key: string]: any;
}

/** serviceOptions.ToService */
export async function buildServiceSpec(engine: Engine, o: ServiceCreateOptions, image: string, args: string[], changed: Set<string>, procEnv: Record<string, string | undefined>): Promise<Json> {
  const mode = o.mode || 'replicated';
  const modes: Record<string, Json> = {};
  if (mode === 'replicated') modes.Replicated = changed.has('replicas') ? { Replicas: o.replicas } : {};
  else if (mode === 'global') {
    if (changed.has('replicas')) throw new StatusError('replicas can only be used with replicated or replicated-job mode', 1);
    modes.Global = {};
  } else if (mode === 'replicated-job') {
    const r = changed.has('replicas') ? o.replicas : 1;
    modes.ReplicatedJob = { MaxConcurrent: changed.has('maxConcurrent') ? o.maxConcurrent : r, TotalCompletions: r };
  } else if (mode === 'global-job') {
    if (changed.has('replicas')) throw new StatusError('replicas can only be used with replicated or replicated-job mode', 1);
    modes.GlobalJob = {};
  } else throw new StatusError(`Unknown mode: ${mode}, only replicated and global supported`, 1);
  if (changed.has('maxConcurrent') && mode !== 'replicated-job') throw new StatusError('max-concurrent can only be used with replicated-job mode', 1);

  const isJob = mode.endsWith('-job');
  const update = updateConfig(o, changed, 'update');
  const rollback = updateConfig(o, changed, 'rollback');
  if (isJob && (update || rollback)) throw new StatusError('update and rollback configuration is not supported for jobs', 1);

  const networks: Json[] = [];
  for (const n of o.network as string[]) {
    const kv = n.includes('=') ? keyValues(n.split(',')) : { name: n };
    const net: Json = { Target: await resolveNetworkId(engine, kv.name ?? kv.target ?? n) };
    if (kv.alias) net.Aliases = [kv.alias];
    networks.push(net);
  }
  networks.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));

  const env: string[] = [];
  for (const e of o.env as string[]) env.push(e.includes('=') ? e : e + '=' + (procEnv[e] ?? ''));

  const cs: Json = {
    Image: image,
    Args: args.length ? args : undefined,
    Command: o.entrypoint?.length ? shlex(o.entrypoint) : undefined,
    Env: env.length ? env : undefined,
    Hostname: o.hostname || undefined,
    Labels: o.containerLabel.length ? keyValues(o.containerLabel) : undefined,
    Dir: o.workdir || undefined,
    User: o.user || undefined,
    Groups: o.group.length ? o.group : undefined,
    StopSignal: o.stopSignal || undefined,
    TTY: o.tty || undefined,
    ReadOnly: o.readOnly || undefined,
    Mounts: o.mount.length ? (o.mount as string[]).map(parseMount) : undefined,
    Init: !!o.init,
    DNSConfig: {
      Nameservers: o.dns.length ? o.dns : undefined,
      Search: o.dnsSearch.length ? o.dnsSearch : undefined,
      Options: o.dnsOption.length ? o.dnsOption : undefined,
    },
    Hosts: o.host.length ? (o.host as string[]).map((h) => {
      const i = h.indexOf(':');
      return `${h.slice(i + 1)} ${h.slice(0, i)}`;
    }) : undefined,
    StopGracePeriod: changed.has('stopGracePeriod') ? duration('stop-grace-period', o.stopGracePeriod) : undefined,
    Healthcheck: healthcheck(o, changed),
    Isolation: o.isolation || undefined,
    Sysctls: o.sysctl.length ? keyValues(o.sysctl) : undefined,
    CapabilityAdd: o.capAdd.length ? o.capAdd : undefined,
    CapabilityDrop: o.capDrop.length ? o.capDrop : undefined,
    Secrets: undefined as Json,
    Configs: undefined as Json,
  };
  const secrets = await resolveFileRefs(engine, 'secret', o.secret);
  if (secrets.length) cs.Secrets = secrets;
  const configs = await resolveFileRefs(engine, 'config', o.config);
  if (configs.length) cs.Configs = configs;

  const restart: Json = {};
  if (changed.has('restartCondition')) restart.Condition = o.restartCondition;
  if (changed.has('restartDelay')) restart.Delay = duration('restart-delay', o.restartDelay);
  if (changed.has('restartMaxAttempts')) restart.MaxAttempts = o.restartMaxAttempts;
  if (changed.has('restartWindow')) restart.Window = duration('restart-window', o.restartWindow);

  const prefs = (o.placementPref as string[]).map((p) => {
    const [k, v] = [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)];
    if (k !== 'spread') throw new StatusError(`invalid argument "${p}" for "--placement-pref" flag: unsupported placement preference ${k} (only spread is supported)`, 125);
    return { Spread: { SpreadDescriptor: v } };
  });

  const ports: Json[] = [];
  for (const p of o.publish as string[]) ports.push(...parsePublish(p));

  const labels = keyValues(o.label);
  return {
    Name: o.name || undefined,
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: cs,
      Resources: {
        Limits: { NanoCPUs: o.limitCpu ? nanoCpus('limit-cpu', o.limitCpu) : undefined, MemoryBytes: o.limitMemory ? memBytes('limit-memory', o.limitMemory) : undefined, Pids: o.limitPids || undefined },
        Reservations: { NanoCPUs: o.reserveCpu ? nanoCpus('reserve-cpu', o.reserveCpu) : undefined, MemoryBytes: o.reserveMemory ? memBytes('reserve-memory', o.reserveMemory) : undefined },
      },
      RestartPolicy: Object.keys(restart).length ? restart : undefined,
      Placement: { Constraints: o.constraint.length ? o.constraint : undefined, Preferences: prefs.length ? prefs : undefined, MaxReplicas: o.replicasMaxPerNode || undefined },
      LogDriver: o.logDriver ? { Name: o.logDriver, Options: o.logOpt.length ? keyValues(o.logOpt) : undefined } : undefined,
      Networks: networks.length ? networks : undefined,
    },
    Mode: modes,
    UpdateConfig: update,
    RollbackConfig: rollback,
    EndpointSpec: { Mode: o.endpointMode || 'vip', Ports: ports.length ? ports : undefined },
  };
}

function updateConfig(o: ServiceCreateOptions, changed: Set<string>, which: 'update' | 'rollback'): Json {
  const k = (s: string): string => which + s;
  const keys = ['Parallelism', 'Delay', 'Monitor', 'FailureAction', 'MaxFailureRatio', 'Order'];
  if (!keys.some((x) => changed.has(k(x)))) return undefined;
  return {
    Parallelism: o[k('Parallelism')],
    Delay: duration(`${which}-delay`, o[k('Delay')] || '0s'),
    Monitor: duration(`${which}-monitor`, o[k('Monitor')] || '0s'),
    FailureAction: o[k('FailureAction')] || undefined,
    MaxFailureRatio: Number(o[k('MaxFailureRatio')] || 0),
    Order: o[k('Order')] || undefined,
  };
}

function healthcheck(o: ServiceCreateOptions, changed: Set<string>): Json {
  const any = ['healthCmd', 'healthInterval', 'healthTimeout', 'healthRetries', 'healthStartPeriod'].some((x) => changed.has(x));
  if (o.noHealthcheck) {
    if (any) throw new StatusError('--no-healthcheck conflicts with --health-* options', 1);
    return { Test: ['NONE'] };
  }
  if (!any) return undefined;
  return {
    Test: o.healthCmd ? ['CMD-SHELL', o.healthCmd] : undefined,
    Interval: o.healthInterval ? duration('health-interval', o.healthInterval) : undefined,
    Timeout: o.healthTimeout ? duration('health-timeout', o.healthTimeout) : undefined,
    StartPeriod: o.healthStartPeriod ? duration('health-start-period', o.healthStartPeriod) : undefined,
    Retries: o.healthRetries || undefined,
  };
}

/** opts.ShlexOpt: the words of each value, split as a shell would (quotes kept together). */
export function shlex(values: string[]): string[] {
  const out: string[] = [];
  for (const v of values) for (const m of v.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The image with its tag (docker's imageWithTagString: "busybox" -> "busybox:latest"). */
export function imageWithTag(image: string): string {
  if (image.includes('@')) return image;
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? image : image + ':latest';
}

/** The warning docker's client adds when it cannot record the image's digest. */
export function digestWarning(image: string): string {
  return `image ${image} could not be accessed on a registry to record\nits digest. Each node will access ${image} independently,\npossibly leading to different nodes running different\nversions of the image.\n`;
}

/**
 * The client side of QueryRegistry (moby's client ServiceCreate): ask the engine for the image's digest;
 * pin it when found, else keep the tagged name and return docker's warning.
 */
export async function resolveImage(engine: Engine, image: string, registryAuth?: string): Promise<{ image: string; warning?: string }> {
  try {
    const d: Json = await engine.json({ path: `/distribution/${image}/json`, registryAuth });
    const digest = d?.Descriptor?.digest;
    if (digest) return { image: `${imageWithTag(image)}@${digest}` };
  } catch {
    // fall through: docker keeps the tagged name and warns
  }
  const tagged = imageWithTag(image);
  return { image: tagged, warning: digestWarning(tagged) };
}
