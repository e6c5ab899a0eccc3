/** docker/cli's stack convert: a loaded Compose project to swarm networks, secrets, configs and service specs. */
import { readFileSync } from 'node:fs';
import type { Project, Service } from '../../compose/index.js';
import { StatusError } from '../../cli/errors.js';
import { parseDuration } from '../../cli/opts.js';
import { ramInBytes } from '../../cli/opts.js';

type Json = any;

export const LABEL_NAMESPACE = 'com.docker.stack.namespace';
export const LABEL_IMAGE = 'com.docker.stack.image';

const dur = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : typeof v === 'number' ? v * 1e9 : parseDuration(String(v)));
const bytes = (v: unknown): number | undefined => (v === undefined || v === null ? undefined : typeof v === 'number' ? v : ramInBytes(String(v)));
const withNs = (ns: string, l?: Record<string, string> | null): Record<string, string> => ({ ...(l ?? {}), [LABEL_NAMESPACE]: ns });

export interface StackNetwork {
  name: string;
  create: Json;
}

/** convert.Networks: the networks the services use; external ones are listed apart. */
export function stackNetworks(p: Project, ns: string): { create: StackNetwork[]; external: string[] } {
  const used = new Set<string>();
  for (const s of Object.values(p.services)) for (const n of Object.keys(s.networks ?? { default: null })) used.add(n);
  const create: StackNetwork[] = [];
  const external: string[] = [];
  for (const key of [...used].sort()) {
    const n: Json = p.networks[key] ?? { name: `${ns}_${key}` };
    if (n.external) {
      external.push(n.name ?? key);
      continue;
    }
    const body: Json = {
      Name: n.name ?? `${ns}_${key}`,
      Labels: withNs(ns, n.labels),
      Driver: n.driver || 'overlay',
      Options: n.driver_opts,
      Internal: !!n.internal,
      Attachable: !!n.attachable,
      Scope: 'swarm',
    };
    if (n.ipam) body.IPAM = { Driver: n.ipam.driver, Config: (n.ipam.config ?? []).map((c: Json) => ({ Subnet: c.subnet })) };
    create.push({ name: body.Name, create: body });
  }
  return { create, external };
}

/** convert.Secrets / convert.Configs: the file-backed ones to create (external ones already exist). */
export function stackFiles(p: Project, ns: string, kind: 'secrets' | 'configs'): Json[] {
  const out: Json[] = [];
  for (const [key, s] of Object.entries(p[kind] as Record<string, Json>)) {
    if (s.external) continue;
    let data: Buffer;
    if (s.file) data = readFileSync(s.file);
    else if (s.environment !== undefined) data = Buffer.from(p.environment[s.environment] ?? '');
    else if (s.content !== undefined) data = Buffer.from(String(s.content));
    else throw new StatusError(`${kind === 'secrets' ? 'secret' : 'config'} ${key}: no file, environment or content`, 1);
    const spec: Json = { Name: s.name ?? `${ns}_${key}`, Labels: withNs(ns, s.labels), Data: data.toString('base64') };
    if (s.template_driver) spec.Templating = { Name: s.template_driver };
    out.push(spec);
  }
  return out;
}

function fileRefs(p: Project, s: Service, kind: 'secrets' | 'configs', ids: Map<string, string>): Json[] | undefined {
  const refs = ((s as Json)[kind] ?? []) as Json[];
  if (!refs.length) return undefined;
  return refs.map((r) => {
    const top = (p[kind] as Record<string, Json>)[r.source];
    if (!top) throw new StatusError(`undefined ${kind === 'secrets' ? 'secret' : 'config'} "${r.source}"`, 1);
    const name = top.name ?? r.source;
    const id = ids.get(name);
    if (!id) throw new StatusError(`${kind === 'secrets' ? 'secret' : 'config'} not found: ${name}`, 1);
    const target = kind === 'secrets' ? String(r.target ?? r.source).replace(/^\/run\/secrets\//, '') : r.target ?? '/' + r.source;
    const file = { Name: target, UID: String(r.uid ?? '0'), GID: String(r.gid ?? '0'), Mode: r.mode !== undefined ? Number(r.mode) : 0o444 };
    return kind === 'secrets' ? { File: file, SecretID: id, SecretName: name } : { File: file, ConfigID: id, ConfigName: name };
  });
}

/** The checks docker's stack schema makes that the Compose spec's leaves to interpolation (integers given as text). */
export function validateStack(p: Project): void {
  for (const [key, s] of Object.entries(p.services)) {
    const d = (s as Json).deploy ?? {};
    for (const f of ['replicas']) {
      const v = d[f];
      if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v)) && !(typeof v === 'string' && /^\d+$/.test(v))) throw new StatusError(`services.${key}.deploy.${f} must be a integer`, 1);
      if (typeof v === 'string') d[f] = Number(v);
    }
  }
}

/** convert.Service for each service of the project. */
export function stackServices(p: Project, ns: string, networkIds: Map<string, string>, secretIds: Map<string, string>, configIds: Map<string, string>): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const [key, s0] of Object.entries(p.services)) {
    const s = s0 as Json;
    const d: Json = s.deploy ?? {};
    const name = `${ns}_${key}`;
    if (!s.image) throw new StatusError(`Service ${key} has no image`, 1);
    let mode: Json;
    switch (d.mode ?? 'replicated') {
      case 'global':
        if (d.replicas !== undefined) throw new StatusError('replicas can only be used with replicated or replicated-job mode', 1);
        mode = { Global: {} };
        break;
      case 'replicated':
        mode = { Replicated: { Replicas: d.replicas ?? s.scale ?? 1 } };
        break;
      case 'replicated-job':
        mode = { ReplicatedJob: { MaxConcurrent: d.replicas ?? 1, TotalCompletions: d.replicas ?? 1 } };
        break;
      case 'global-job':
        mode = { GlobalJob: {} };
        break;
      default:
        throw new StatusError(`unknown mode: ${d.mode}`, 1);
    }
    const nets: Json[] = [];
    for (const [n, cfg] of Object.entries((s.networks ?? { default: null }) as Record<string, Json>)) {
      const top: Json = p.networks[n] ?? { name: `${ns}_${n}` };
      const netName = top.name ?? `${ns}_${n}`;
      const aliases = [key, ...((cfg?.aliases as string[]) ?? [])];
      nets.push({ Target: networkIds.get(netName) ?? netName, Aliases: aliases });
    }
    nets.sort((a, b) => (a.Target < b.Target ? -1 : a.Target > b.Target ? 1 : 0));
    const env = Object.entries((s.environment ?? {}) as Record<string, string | null>).map(([k, v]) => (v === null ? k : `${k}=${v}`)).sort();
    const mounts = ((s.volumes ?? []) as Json[]).map((v) => {
      const m: Json = { Type: v.type, Target: v.target, ReadOnly: !!v.read_only };
      if (v.source) m.Source = v.type === 'volume' && p.volumes[v.source] ? (p.volumes[v.source] as Json).name ?? `${ns}_${v.source}` : v.source;
      if (v.type === 'volume') m.VolumeOptions = { Labels: { [LABEL_NAMESPACE]: ns }, NoCopy: !!v.volume?.nocopy };
      return m;
    });
    const res = d.resources ?? {};
    const hc = s.healthcheck;
    const up = (c: Json): Json =>
      c
        ? { Parallelism: c.parallelism ?? 1, Delay: dur(c.delay) ?? 0, FailureAction: c.failure_action ?? '', Monitor: dur(c.monitor) ?? 0, MaxFailureRatio: c.max_failure_ratio ?? 0, Order: c.order ?? '' }
        : undefined;
    const rp = d.restart_policy;
    out[key] = {
      Name: name,
      Labels: withNs(ns, { ...(d.labels ?? {}), [LABEL_IMAGE]: s.image }),
      TaskTemplate: {
        ContainerSpec: {
          Image: s.image,
          Command: s.entrypoint ?? undefined,
          Args: s.command ?? undefined,
          Hostname: s.hostname,
          Env: env.length ? env : undefined,
          Labels: withNs(ns, s.labels),
          Dir: s.working_dir,
          User: s.user,
          Mounts: mounts.length ? mounts : undefined,
          StopGracePeriod: dur(s.stop_grace_period),
          StopSignal: s.stop_signal,
          TTY: s.tty,
          OpenStdin: s.stdin_open,
          ReadOnly: s.read_only,
          Init: s.init,
          Hosts: s.extra_hosts?.map((h: string) => {
            const i = h.search(/[=:]/);
            return `${h.slice(i + 1)} ${h.slice(0, i)}`;
          }),
          DNSConfig: s.dns || s.dns_search ? { Nameservers: s.dns, Search: s.dns_search } : undefined,
          Healthcheck: hc
            ? hc.disable
              ? { Test: ['NONE'] }
              : { Test: typeof hc.test === 'string' ? ['CMD-SHELL', hc.test] : hc.test, Interval: dur(hc.interval), Timeout: dur(hc.timeout), StartPeriod: dur(hc.start_period), Retries: hc.retries }
            : undefined,
          Secrets: fileRefs(p, s, 'secrets', secretIds),
          Configs: fileRefs(p, s, 'configs', configIds),
          CapabilityAdd: s.cap_add,
          CapabilityDrop: s.cap_drop,
          Sysctls: s.sysctls,
        },
        LogDriver: s.logging ? { Name: s.logging.driver, Options: s.logging.options } : undefined,
        Resources: {
          Limits: res.limits ? { NanoCPUs: res.limits.cpus ? Math.round(Number(res.limits.cpus) * 1e9) : undefined, MemoryBytes: bytes(res.limits.memory), Pids: res.limits.pids } : undefined,
          Reservations: res.reservations ? { NanoCPUs: res.reservations.cpus ? Math.round(Number(res.reservations.cpus) * 1e9) : undefined, MemoryBytes: bytes(res.reservations.memory) } : undefined,
        },
        RestartPolicy: rp
          ? { Condition: rp.condition ?? 'any', Delay: dur(rp.delay), MaxAttempts: rp.max_attempts, Window: dur(rp.window) }
          : s.restart
            ? { Condition: s.restart === 'always' || s.restart === 'unless-stopped' ? 'any' : s.restart === 'no' ? 'none' : 'on-failure' }
            : undefined,
        Placement: d.placement
          ? { Constraints: d.placement.constraints, Preferences: (d.placement.preferences ?? []).map((x: Json) => ({ Spread: { SpreadDescriptor: x.spread } })), MaxReplicas: d.placement.max_replicas_per_node }
          : undefined,
        Networks: nets,
      },
      Mode: mode,
      UpdateConfig: up(d.update_config),
      RollbackConfig: up(d.rollback_config),
      EndpointSpec: {
        Mode: d.endpoint_mode ?? 'vip',
        Ports: ((s.ports ?? []) as Json[]).map((pt) => ({ Protocol: pt.protocol ?? 'tcp', TargetPort: Number(pt.target), PublishedPort: pt.published !== undefined ? Number(pt.published) : undefined, PublishMode: pt.mode ?? 'ingress' })),
      },
    };
  }
  return out;
}
