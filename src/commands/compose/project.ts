/**
 * A Compose project on the engine, as Compose v2 makes it: containers `<project>-<service>-<n>`,
 * networks and volumes named by the loader, the `com.docker.compose.*` labels, aliases (container
 * name, service name), the config hash that decides what `up` recreates.
 */
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import type { HashOptions, Project, Service } from '../../compose/index.js';
import { dependencyOrder, serviceHash } from '../../compose/index.js';

/** the Compose release whose behaviour this reproduces (com.docker.compose.version) */
export const COMPOSE_VERSION = '2.40.3';

export const L = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  hash: 'com.docker.compose.config-hash',
  dependsOn: 'com.docker.compose.depends_on',
  image: 'com.docker.compose.image',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  envFile: 'com.docker.compose.project.environment_file',
  version: 'com.docker.compose.version',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  slug: 'com.docker.compose.slug',
  replace: 'com.docker.compose.replace',
};

export interface Summary {
  Id: string;
  Names: string[];
  Image: string;
  Command: string;
  Created: number;
  State: string;
  Status: string;
  Labels: Record<string, string>;
  Ports: { IP?: string; PrivatePort: number; PublicPort?: number; Type: string }[];
  NetworkSettings?: { Networks?: Record<string, { NetworkID: string }> };
  Mounts?: { Type: string; Name?: string; Destination?: string }[];
}

export type Event = { kind: 'Network' | 'Volume' | 'Container'; name: string; status: string; done?: boolean };
export type Emit = (e: Event) => void;

/** The containers of a project (one-off ones too when oneoff), sorted as compose sorts them. */
export async function projectContainers(engine: Engine, project: string, o: { all?: boolean; oneoff?: boolean; services?: string[] } = {}): Promise<Summary[]> {
  const filters: Record<string, string[]> = { label: [`${L.project}=${project}`] };
  if (!o.oneoff) filters.label.push(`${L.oneoff}=False`);
  const list = await engine.json<Summary[]>({ path: '/containers/json', query: { all: o.all ? '1' : undefined, filters: JSON.stringify(filters) } });
  return list
    .filter((c) => !o.services?.length || o.services.includes(c.Labels[L.service]))
    .sort((a, b) => {
      const na = name(a), nb = name(b);
      return na < nb ? -1 : na > nb ? 1 : 0;
    });
}

export const name = (c: Summary): string => (c.Names[0] ?? '').replace(/^\//, '');

export function containerName(p: Project, s: Service, n: number): string {
  return (s.container_name as string | undefined) ?? `${p.name}-${s.name}-${n}`;
}

/**
 * The config hash `up` stamps on a service's containers: compose-go's ServiceConfig as `up` loads it
 * (environment resolved, env_file discarded), with `service:` references resolved to the
 * containers compose would name (src/compose/hash.ts).
 */
export function upServiceHash(s: Service, containerOf?: HashOptions['containerOf']): string {
  const d: Record<string, unknown> = { ...s };
  delete d.env_file;
  return serviceHash(d, { containerOf });
}

export function imageOf(p: Project, s: Service): string {
  return s.image ?? `${p.name}-${s.name}`;
}

function restartPolicy(r: string | undefined): { Name: string; MaximumRetryCount?: number } | undefined {
  if (!r || r === 'no') return undefined;
  const [n, count] = r.split(':');
  return count ? { Name: n, MaximumRetryCount: Number(count) } : { Name: n };
}

/** A number of nanoseconds from a Go duration ("30s", "1m30s"). */
export function durationNs(d: string | undefined): number | undefined {
  if (d === undefined) return undefined;
  const units: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const m of d.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return Math.round(total);
}

export interface CreateExtras {
  /** com.docker.compose.replace: the container this one replaces (`<service>-<n>`) */
  replace?: string;
  /** the container standing for another service (`service:NAME` references) */
  containerOf?: HashOptions['containerOf'];
}

/**
 * The labels compose v2 puts on a container: the service's own, then its CustomLabels (project,
 * service, version, working_dir, config_files, oneoff, environment_file with --env-file, image
 * digest), then prepareLabels' config-hash, container-number (not one-offs) and depends_on.
 */
export function containerLabels(p: Project, s: Service, n: number, imageId: string, oneoff = false, x: CreateExtras = {}): Record<string, string> {
  const labels: Record<string, string> = {
    ...(s.labels ?? {}),
    [L.project]: p.name,
    [L.service]: s.name,
    [L.version]: COMPOSE_VERSION,
    [L.workingDir]: p.workingDir,
    [L.configFiles]: p.configFiles.join(','),
    [L.oneoff]: oneoff ? 'True' : 'False',
  };
  if (p.envFiles?.length) labels[L.envFile] = p.envFiles.join(',');
  if (imageId) labels[L.image] = imageId;
  if (x.replace) labels[L.replace] = x.replace;
  labels[L.hash] = upServiceHash(s, x.containerOf);
  if (!oneoff) labels[L.number] = String(n);
  labels[L.dependsOn] = Object.entries(s.depends_on ?? {}).map(([d, c]) => `${d}:${c.condition}:${!!c.restart}`).join(',');
  return labels;
}

/** The engine's create body for replica `n` of service `s`. */
export function createBody(p: Project, s: Service, n: number, imageId: string, oneoff = false, x: CreateExtras = {}): Record<string, unknown> {
  const cname = containerName(p, s, n);
  const labels = containerLabels(p, s, n, imageId, oneoff, x);
  const env = Object.entries(s.environment ?? {}).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const port of (s.ports ?? []) as any[]) {
    const key = `${port.target}/${port.protocol ?? 'tcp'}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: port.host_ip ?? '', HostPort: port.published ?? '' });
  }
  for (const e of (s.expose ?? []) as string[]) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  const binds: string[] = [];
  const mounts: Record<string, unknown>[] = [];
  for (const v of (s.volumes ?? []) as any[]) {
    if (v.type === 'bind' && v.bind?.create_host_path !== false) {
      const mode = [v.read_only ? 'ro' : 'rw', v.bind?.selinux, v.bind?.propagation].filter(Boolean).join(',');
      binds.push(`${v.source}:${v.target}:${mode}`);
    } else if (v.type === 'volume') {
      mounts.push({
        Type: 'volume',
        Source: v.source ? (p.volumes[v.source]?.name ?? v.source) : '',
        Target: v.target,
        ReadOnly: !!v.read_only,
        VolumeOptions: v.volume?.nocopy ? { NoCopy: true } : {},
      });
    } else {
      mounts.push({ Type: v.type, Source: v.source, Target: v.target, ReadOnly: !!v.read_only });
    }
  }
  const nets = Object.keys(s.networks ?? {});
  const first = nets[0];
  const endpoint = (key: string) => {
    const cfg = (s.networks?.[key] ?? {}) as Record<string, any>;
    return {
      Aliases: [cname, s.name, ...((cfg.aliases as string[]) ?? [])],
      IPAMConfig: cfg.ipv4_address || cfg.ipv6_address ? { IPv4Address: cfg.ipv4_address, IPv6Address: cfg.ipv6_address } : undefined,
    };
  };
  const hc = s.healthcheck as Record<string, any> | undefined;
  const body: Record<string, unknown> = {
    Hostname: s.hostname,
    Domainname: s.domainname,
    User: s.user,
    ExposedPorts: Object.keys(exposed).length ? exposed : undefined,
    Tty: !!s.tty,
    OpenStdin: !!s.stdin_open,
    AttachStdout: !oneoff,
    AttachStderr: !oneoff,
    Env: env,
    Cmd: s.command ?? undefined,
    Entrypoint: s.entrypoint ?? undefined,
    Image: imageOf(p, s),
    WorkingDir: s.working_dir,
    Labels: labels,
    StopSignal: s.stop_signal,
    StopTimeout: s.stop_grace_period ? Math.round(durationNs(s.stop_grace_period as string)! / 1e9) : undefined,
    Healthcheck: hc
      ? hc.disable
        ? { Test: ['NONE'] }
        : { Test: hc.test, Interval: durationNs(hc.interval), Timeout: durationNs(hc.timeout), Retries: hc.retries, StartPeriod: durationNs(hc.start_period) }
      : undefined,
    HostConfig: {
      Binds: binds.length ? binds : undefined,
      Mounts: mounts.length ? mounts : undefined,
      PortBindings: Object.keys(bindings).length ? bindings : undefined,
      RestartPolicy: restartPolicy(s.restart as string | undefined),
      NetworkMode: s.network_mode ?? (first ? (p.networks[first]?.name as string) : undefined),
      Privileged: !!s.privileged,
      ReadonlyRootfs: !!s.read_only,
      Init: s.init,
      CapAdd: s.cap_add,
      CapDrop: s.cap_drop,
      Dns: s.dns,
      DnsSearch: s.dns_search,
      ExtraHosts: ((s.extra_hosts as string[] | undefined) ?? []).map((h) => h.replace('=', ':')),
      Tmpfs: s.tmpfs ? Object.fromEntries((s.tmpfs as string[]).map((t) => { const [d, ...o] = t.split(':'); return [d, o.join(':')]; })) : undefined,
      LogConfig: s.logging ? { Type: (s.logging as any).driver, Config: (s.logging as any).options } : undefined,
      Sysctls: s.sysctls,
      ShmSize: undefined,
    },
    NetworkingConfig: first && !s.network_mode ? { EndpointsConfig: { [p.networks[first].name as string]: endpoint(first) } } : undefined,
  };
  return body;
}

/** The further networks of a service (the engine takes one at create time before API 1.44). */
export function extraNetworks(p: Project, s: Service, n: number): { name: string; aliases: string[] }[] {
  if (s.network_mode) return [];
  return Object.keys(s.networks ?? {}).slice(1).map((k) => ({
    name: p.networks[k].name as string,
    aliases: [containerName(p, s, n), s.name, ...(((s.networks?.[k] as any)?.aliases as string[]) ?? [])],
  }));
}

/** Run tasks over services in dependency order: each service starts once all it depends on are done. */
export async function inDependencyOrder(p: Project, names: string[], task: (s: string) => Promise<void>, reverse = false): Promise<void> {
  const order = dependencyOrder(p, names).filter((n) => names.includes(n));
  const deps = new Map<string, string[]>();
  for (const n of order) {
    const d = Object.keys(p.services[n]?.depends_on ?? {}).filter((x) => order.includes(x));
    deps.set(n, d);
  }
  if (reverse) {
    const rev = new Map<string, string[]>(order.map((n) => [n, []]));
    for (const [n, d] of deps) for (const x of d) rev.get(x)!.push(n);
    deps.clear();
    for (const [k, v] of rev) deps.set(k, v);
  }
  const done = new Map<string, Promise<void>>();
  const run = (n: string): Promise<void> => {
    let pr = done.get(n);
    if (!pr) {
      pr = Promise.all((deps.get(n) ?? []).map(run)).then(() => task(n));
      done.set(n, pr);
    }
    return pr;
  };
  await Promise.all(order.map(run));
}
