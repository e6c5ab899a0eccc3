import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { keyValues } from '../../cli/keyvalues.js';
import { duration, memBytes, nanoCpus, parseMount, parsePublish, resolveFileRefs, resolveImage, resolveNetworkId, SERVICE_FLAG_KINDS, shlex } from '../../engine/servicespec.js';
import { retrieveAuth } from './auth.js';
import { waitOnService } from './progress.js';

export type ServiceUpdateOptions = Record<string, any>;

export const spec = dockerSpec<ServiceUpdateOptions>('service update', { args: exactArgs(1), flags: SERVICE_FLAG_KINDS, run: runServiceUpdate });

const addMap = (m: Record<string, string> | undefined, add: string[], rm: string[]): Record<string, string> => {
  const out = { ...(m ?? {}) };
  for (const k of rm) delete out[k.split('=')[0]];
  Object.assign(out, keyValues(add));
  return out;
};

const addList = (l: string[] | undefined, add: string[], rm: string[], key: (s: string) => string = (s) => s): string[] | undefined => {
  const rmKeys = new Set(rm.map(key));
  const out = (l ?? []).filter((x) => !rmKeys.has(key(x)));
  for (const a of add) {
    const i = out.findIndex((x) => key(x) === key(a));
    if (i >= 0) out[i] = a;
    else out.push(a);
  }
  return out.length ? out : undefined;
};

/** docker's updateService over the current spec, flag by changed flag. */
export async function runServiceUpdate(cli: Cli, o: ServiceUpdateOptions, [name]: string[], inv: Invocation): Promise<void> {
  const ch = inv.changed;
  const engine = await cli.engine();
  const svc = await engine.json<any>({ path: `/services/${encodeURIComponent(name)}` });
  const query: Record<string, string> = { version: String(svc.Version.Index) };
  let spec = svc.Spec;
  if (o.rollback) {
    if (!svc.PreviousSpec) throw new StatusError(`service ${name} does not have a previous spec`, 1);
    query.rollback = 'previous';
  } else {
    const tt = (spec.TaskTemplate ??= {});
    const cs = (tt.ContainerSpec ??= {});
    if (ch.has('image')) cs.Image = o.image;
    if (ch.has('args')) cs.Args = o.args.length ? shlex(o.args) : undefined;
    if (ch.has('entrypoint')) cs.Command = o.entrypoint.length ? shlex(o.entrypoint) : undefined;
    if (ch.has('labelAdd') || ch.has('labelRm')) spec.Labels = addMap(spec.Labels, o.labelAdd, o.labelRm);
    if (ch.has('containerLabelAdd') || ch.has('containerLabelRm')) cs.Labels = addMap(cs.Labels, o.containerLabelAdd, o.containerLabelRm);
    if (ch.has('envAdd') || ch.has('envRm')) cs.Env = addList(cs.Env, o.envAdd, o.envRm, (s) => s.split('=')[0]);
    if (ch.has('groupAdd') || ch.has('groupRm')) cs.Groups = addList(cs.Groups, o.groupAdd, o.groupRm);
    if (ch.has('dnsAdd') || ch.has('dnsRm')) cs.DNSConfig = { ...(cs.DNSConfig ?? {}), Nameservers: addList(cs.DNSConfig?.Nameservers, o.dnsAdd, o.dnsRm) };
    if (ch.has('hostAdd') || ch.has('hostRm')) {
      const conv = (h: string): string => `${h.slice(h.indexOf(':') + 1)} ${h.slice(0, h.indexOf(':'))}`;
      cs.Hosts = addList(cs.Hosts, (o.hostAdd as string[]).map(conv), (o.hostRm as string[]).map(conv));
    }
    for (const [k, f] of [['user', 'User'], ['workdir', 'Dir'], ['hostname', 'Hostname'], ['stopSignal', 'StopSignal'], ['isolation', 'Isolation']]) if (ch.has(k)) cs[f] = o[k] || undefined;
    if (ch.has('tty')) cs.TTY = o.tty;
    if (ch.has('readOnly')) cs.ReadOnly = o.readOnly;
    if (ch.has('init')) cs.Init = o.init;
    if (ch.has('stopGracePeriod')) cs.StopGracePeriod = duration('stop-grace-period', o.stopGracePeriod);
    if (ch.has('mountAdd') || ch.has('mountRm')) {
      const rm = new Set<string>(o.mountRm);
      const adds = (o.mountAdd as string[]).map(parseMount);
      const kept = ((cs.Mounts ?? []) as any[]).filter((m) => !rm.has(m.Target) && !adds.some((a) => a.Target === m.Target));
      cs.Mounts = [...kept, ...adds];
    }
    if (ch.has('secretAdd') || ch.has('secretRm')) {
      const rm = new Set<string>(o.secretRm);
      const kept = ((cs.Secrets ?? []) as any[]).filter((s) => !rm.has(s.SecretName) && !rm.has(s.SecretID));
      cs.Secrets = [...kept, ...(await resolveFileRefs(engine, 'secret', o.secretAdd))];
    }
    if (ch.has('configAdd') || ch.has('configRm')) {
      const rm = new Set<string>(o.configRm);
      const kept = ((cs.Configs ?? []) as any[]).filter((s) => !rm.has(s.ConfigName) && !rm.has(s.ConfigID));
      cs.Configs = [...kept, ...(await resolveFileRefs(engine, 'config', o.configAdd))];
    }
    if (ch.has('sysctlAdd') || ch.has('sysctlRm')) cs.Sysctls = addMap(cs.Sysctls, o.sysctlAdd, o.sysctlRm);
    if (ch.has('capAdd')) cs.CapabilityAdd = addList(cs.CapabilityAdd, o.capAdd, []);
    if (ch.has('capDrop')) cs.CapabilityDrop = addList(cs.CapabilityDrop, o.capDrop, []);
    // resources
    const res = (tt.Resources ??= {});
    const lim = (res.Limits ??= {});
    const resv = (res.Reservations ??= {});
    if (ch.has('limitCpu')) lim.NanoCPUs = nanoCpus('limit-cpu', o.limitCpu);
    if (ch.has('limitMemory')) lim.MemoryBytes = memBytes('limit-memory', o.limitMemory);
    if (ch.has('limitPids')) lim.Pids = o.limitPids;
    if (ch.has('reserveCpu')) resv.NanoCPUs = nanoCpus('reserve-cpu', o.reserveCpu);
    if (ch.has('reserveMemory')) resv.MemoryBytes = memBytes('reserve-memory', o.reserveMemory);
    // placement
    if (ch.has('constraintAdd') || ch.has('constraintRm') || ch.has('replicasMaxPerNode')) {
      const p = (tt.Placement ??= {});
      if (ch.has('constraintAdd') || ch.has('constraintRm')) p.Constraints = addList(p.Constraints, o.constraintAdd, o.constraintRm);
      if (ch.has('replicasMaxPerNode')) p.MaxReplicas = o.replicasMaxPerNode;
    }
    // restart policy
    const rp = (k: string): boolean => ch.has(k);
    if (rp('restartCondition') || rp('restartDelay') || rp('restartMaxAttempts') || rp('restartWindow')) {
      const r = (tt.RestartPolicy ??= {});
      if (rp('restartCondition')) r.Condition = o.restartCondition;
      if (rp('restartDelay')) r.Delay = duration('restart-delay', o.restartDelay);
      if (rp('restartMaxAttempts')) r.MaxAttempts = o.restartMaxAttempts;
      if (rp('restartWindow')) r.Window = duration('restart-window', o.restartWindow);
    }
    for (const which of ['update', 'rollback'] as const) {
      const key = which === 'update' ? 'UpdateConfig' : 'RollbackConfig';
      const f = (s: string): string => which + s;
      if (!['Parallelism', 'Delay', 'Monitor', 'FailureAction', 'MaxFailureRatio', 'Order'].some((x) => ch.has(f(x)))) continue;
      const c = (spec[key] ??= {});
      if (ch.has(f('Parallelism'))) c.Parallelism = o[f('Parallelism')];
      if (ch.has(f('Delay'))) c.Delay = duration(`${which}-delay`, o[f('Delay')]);
      if (ch.has(f('Monitor'))) c.Monitor = duration(`${which}-monitor`, o[f('Monitor')]);
      if (ch.has(f('FailureAction'))) c.FailureAction = o[f('FailureAction')];
      if (ch.has(f('MaxFailureRatio'))) c.MaxFailureRatio = Number(o[f('MaxFailureRatio')]);
      if (ch.has(f('Order'))) c.Order = o[f('Order')];
    }
    if (ch.has('replicas')) {
      if (spec.Mode?.Replicated) spec.Mode.Replicated.Replicas = o.replicas;
      else if (spec.Mode?.ReplicatedJob) spec.Mode.ReplicatedJob.TotalCompletions = o.replicas;
      else throw new StatusError('replicas can only be used with replicated or replicated-job mode', 1);
    }
    if (ch.has('publishAdd') || ch.has('publishRm') || ch.has('endpointMode')) {
      const ep = (spec.EndpointSpec ??= { Mode: 'vip' });
      if (ch.has('endpointMode')) ep.Mode = o.endpointMode;
      const rmTargets = new Set((o.publishRm as string[]).flatMap((p) => parsePublish(p.includes(':') || p.includes('=') ? p : p).map((x) => `${x.TargetPort}/${x.Protocol}`)));
      const adds = (o.publishAdd as string[]).flatMap(parsePublish);
      const kept = ((ep.Ports ?? []) as any[]).filter((p) => !rmTargets.has(`${p.TargetPort}/${p.Protocol}`) && !adds.some((a) => a.PublishedPort && a.PublishedPort === p.PublishedPort));
      ep.Ports = [...kept, ...adds];
      if (!ep.Ports.length) delete ep.Ports;
    }
    if (ch.has('networkAdd') || ch.has('networkRm')) {
      const rm = new Set<string>();
      for (const n of o.networkRm as string[]) {
        try {
          rm.add(await resolveNetworkId(engine, n));
        } catch {
          rm.add(n);
        }
      }
      const nets = ((tt.Networks ?? []) as any[]).filter((n) => !rm.has(n.Target));
      for (const n of o.networkAdd as string[]) nets.push({ Target: await resolveNetworkId(engine, n) });
      tt.Networks = nets;
    }
    if (ch.has('logDriver')) tt.LogDriver = { Name: o.logDriver, Options: o.logOpt.length ? keyValues(o.logOpt) : undefined };
    if (o.force) tt.ForceUpdate = (tt.ForceUpdate ?? 0) + 1;
    spec = svc.Spec;
  }
  const registryAuth = o.withRegistryAuth ? retrieveAuth(cli, spec.TaskTemplate.ContainerSpec.Image) : undefined;
  if (ch.has('image') && !o.noResolveImage && !o.rollback) {
    const r = await resolveImage(engine, o.image, registryAuth);
    spec.TaskTemplate.ContainerSpec.Image = r.image;
    if (r.warning) cli.warn(r.warning + '\n');
  }
  if (registryAuth) query.registryAuthFrom = 'spec';
  const res = await engine.json<any>({ method: 'POST', path: `/services/${svc.ID}/update`, query, body: spec, registryAuth });
  for (const w of res?.Warnings ?? []) cli.warn(w + '\n');
  cli.print(name + '\n');
  if (!o.detach) await waitOnService(cli, engine, name, o.quiet);
}
