/** docker/cli's swarm contexts: nodeContext, serviceContext, taskContext, stackContext and the service --pretty view. */
import { GoFloat, GoInt, GoStruct, type GoValue } from '../template/values.js';
import { parseTemplate } from '../template/index.js';
import { truncateId } from '../humanize.js';
import { bytesSize, humanDuration } from '../../go/units.js';
import type { ListFormat } from '../list.js';

type Json = any;

/** formatter.PrettyPrint: the first letter upper case, the rest lower case ("None" for nothing). */
export function prettyPrint(s: string | undefined | null): string {
  if (s === undefined || s === null) return 'None';
  if (!s) return '';
  return s[0].toUpperCase() + s.slice(1).toLowerCase();
}

function ctx(type: string, m: Record<string, () => GoValue>): GoStruct {
  return new GoStruct(type, [], m, () => {
    const j: Record<string, unknown> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}

/** Go's time.Duration.String() of nanoseconds. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let u = Math.abs(ns);
  let out: string;
  if (u < 1e3) out = `${u}ns`;
  else if (u < 1e6) out = `${trimFrac(u / 1e3)}µs`;
  else if (u < 1e9) out = `${trimFrac(u / 1e6)}ms`;
  else {
    const h = Math.floor(u / 3.6e12);
    u -= h * 3.6e12;
    const m = Math.floor(u / 6e10);
    u -= m * 6e10;
    const s = trimFrac(u / 1e9);
    out = h ? `${h}h${m}m${s}s` : m ? `${m}m${s}s` : `${s}s`;
  }
  return (neg ? '-' : '') + out;
}

function trimFrac(n: number): string {
  return String(Math.round(n * 1e9) / 1e9);
}

/** reference.FamiliarString of name:tag with any digest stripped (service ls, service ps). */
export function familiarImage(image: string): string {
  const at = image.indexOf('@');
  const base = at >= 0 ? image.slice(0, at) : image;
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  if (colon <= slash) return image; // no tag: docker leaves it as it is
  let name = base;
  if (name.startsWith('docker.io/')) name = name.slice('docker.io/'.length);
  if (name.startsWith('library/') && name.indexOf('/', 'library/'.length) < 0) name = name.slice('library/'.length);
  return name;
}

// ---------------------------------------------------------------------------------------------
// nodes

export const NODE_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}} {{if .Self}}*{{else}} {{ end }}\t{{.Hostname}}\t{{.Status}}\t{{.Availability}}\t{{.ManagerStatus}}\t{{.EngineVersion}}',
  headers: { ID: 'ID', Self: '', Hostname: 'HOSTNAME', Status: 'STATUS', Availability: 'AVAILABILITY', ManagerStatus: 'MANAGER STATUS', EngineVersion: 'ENGINE VERSION', TLSStatus: 'TLS STATUS' },
};

export function nodeContext(n: Json, selfId: string, clusterTLS: Json): GoStruct {
  return ctx('*node.nodeContext', {
    ID: () => n.ID,
    Self: () => n.ID === selfId,
    Hostname: () => n.Description?.Hostname ?? '',
    Status: () => prettyPrint(n.Status?.State ?? ''),
    Availability: () => prettyPrint(n.Spec?.Availability ?? ''),
    ManagerStatus: () => prettyPrint(n.ManagerStatus ? (n.ManagerStatus.Leader ? 'Leader' : n.ManagerStatus.Reachability ?? '') : ''),
    TLSStatus: () => {
      const mine = n.Description?.TLSInfo;
      const empty = (t: Json): boolean => !t || (!t.TrustRoot && !t.CertIssuerSubject && !t.CertIssuerPublicKey);
      if (empty(clusterTLS) || empty(mine)) return 'Unknown';
      return JSON.stringify(mine) === JSON.stringify(clusterTLS) ? 'Ready' : 'Needs Rotation';
    },
    EngineVersion: () => n.Description?.Engine?.EngineVersion ?? '',
  });
}

// ---------------------------------------------------------------------------------------------
// services

export const SERVICE_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.Mode}}\t{{.Replicas}}\t{{.Image}}\t{{.Ports}}',
  headers: { ID: 'ID', Name: 'NAME', Mode: 'MODE', Replicas: 'REPLICAS', Image: 'IMAGE', Ports: 'PORTS' },
};

export function serviceMode(spec: Json): string {
  const m = spec.Mode ?? {};
  if (m.Global) return 'global';
  if (m.Replicated) return 'replicated';
  if (m.ReplicatedJob) return 'replicated job';
  if (m.GlobalJob) return 'global job';
  return '';
}

function servicePorts(s: Json): string {
  const ports: Json[] = s.Endpoint?.Ports;
  if (!ports) return '';
  const sorted = [...ports].sort((a, b) => (a.Protocol === b.Protocol ? (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0) : a.Protocol < b.Protocol ? -1 : 1));
  const out: string[] = [];
  let pr = { pStart: 0, pEnd: 0, tStart: 0, tEnd: 0, protocol: '' };
  const show = (): string => {
    const pub = pr.pEnd !== pr.pStart ? `${pr.pStart}-${pr.pEnd}` : `${pr.pStart}`;
    const tgt = pr.tEnd !== pr.tStart ? `${pr.tStart}-${pr.tEnd}` : `${pr.tStart}`;
    return `*:${pub}->${tgt}/${pr.protocol}`;
  };
  for (const p of sorted) {
    if (p.PublishMode !== 'ingress') continue;
    const isRange = pr.tEnd !== pr.tStart;
    const overlaps = p.TargetPort <= pr.tEnd;
    if (p.Protocol !== pr.protocol || p.PublishedPort - pr.pEnd > 1 || p.TargetPort - pr.tEnd > 1 || (isRange && overlaps)) {
      if (pr.pStart > 0) out.push(show());
      pr = { pStart: p.PublishedPort, pEnd: p.PublishedPort, tStart: p.TargetPort, tEnd: p.TargetPort, protocol: p.Protocol };
      continue;
    }
    pr.pEnd = p.PublishedPort;
    pr.tEnd = p.TargetPort;
  }
  if (pr.pStart > 0) out.push(show());
  return out.join(', ');
}

export function serviceContext(s: Json): GoStruct {
  const spec = s.Spec ?? {};
  const mode = serviceMode(spec);
  return ctx('*service.serviceContext', {
    ID: () => truncateId(s.ID),
    Name: () => spec.Name,
    Mode: () => mode,
    Replicas: () => {
      const st = s.ServiceStatus ?? {};
      const running = st.RunningTasks ?? 0;
      const desired = st.DesiredTasks ?? 0;
      const completed = st.CompletedTasks ?? 0;
      if (spec.Mode?.ReplicatedJob) return `${running}/${desired} (${completed}/${spec.Mode.ReplicatedJob.TotalCompletions ?? 0} completed)`;
      if (spec.Mode?.GlobalJob) return `${running}/${desired} (${completed}/${desired + completed} completed)`;
      const max = mode === 'replicated' ? spec.TaskTemplate?.Placement?.MaxReplicas ?? 0 : 0;
      if (max > 0) return `${running}/${desired} (max ${max} per node)`;
      return `${running}/${desired}`;
    },
    Image: () => familiarImage(spec.TaskTemplate?.ContainerSpec?.Image ?? ''),
    Ports: () => servicePorts(s),
  });
}

// ---------------------------------------------------------------------------------------------
// tasks

export const TASK_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.Image}}\t{{.Node}}\t{{.DesiredState}}\t{{.CurrentState}}\t{{.Error}}\t{{.Ports}}',
  headers: { ID: 'ID', Name: 'NAME', Image: 'IMAGE', Node: 'NODE', DesiredState: 'DESIRED STATE', CurrentState: 'CURRENT STATE', Error: 'ERROR', Ports: 'PORTS' },
};

export function taskContext(t: Json, name: string, node: string, trunc: boolean, now = Date.now()): GoStruct {
  return ctx('*task.taskContext', {
    ID: () => (trunc ? truncateId(t.ID) : t.ID),
    Name: () => name,
    Image: () => {
      const image = t.Spec?.ContainerSpec?.Image ?? '';
      return trunc ? familiarImage(image) : image;
    },
    Node: () => node,
    DesiredState: () => prettyPrint(t.DesiredState),
    CurrentState: () => `${prettyPrint(t.Status?.State)} ${humanDuration(now - Date.parse(t.Status?.Timestamp)).toLowerCase()} ago`,
    Error: () => {
      let e: string = t.Status?.Err ?? '';
      if (trunc && [...e].length > 30) e = [...e].slice(0, 29).join('') + '…';
      return e ? `"${e}"` : '';
    },
    Ports: () => ((t.Status?.PortStatus?.Ports ?? []) as Json[]).map((p) => `*:${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`).join(','),
  });
}

// ---------------------------------------------------------------------------------------------
// stacks

export const STACK_FORMAT: ListFormat = {
  defaultTable: 'table {{.Name}}\t{{.Services}}',
  headers: { Name: 'NAME', Services: 'SERVICES' },
};

export function stackContext(name: string, services: number): GoStruct {
  return ctx('*formatter.stackContext', { Name: () => name, Services: () => String(services) });
}

// ---------------------------------------------------------------------------------------------
// service inspect --pretty

export const SERVICE_PRETTY = `
ID:		{{.ID}}
Name:		{{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Service Mode:
{{- if .IsModeGlobal }}	Global
{{- else if .IsModeReplicated }}	Replicated
{{- if .ModeReplicatedReplicas }}
 Replicas:	{{ .ModeReplicatedReplicas }}
{{- end }}{{ end }}
{{- if .HasUpdateStatus }}
UpdateStatus:
 State:		{{ .UpdateStatusState }}
{{- if .HasUpdateStatusStarted }}
 Started:	{{ .UpdateStatusStarted }}
{{- end }}
{{- if .UpdateIsCompleted }}
 Completed:	{{ .UpdateStatusCompleted }}
{{- end }}
 Message:	{{ .UpdateStatusMessage }}
{{- end }}
Placement:
{{- if .TaskPlacementConstraints }}
 Constraints:	{{ .TaskPlacementConstraints }}
{{- end }}
{{- if .TaskPlacementPreferences }}
 Preferences:   {{ .TaskPlacementPreferences }}
{{- end }}
{{- if .MaxReplicas }}
 Max Replicas Per Node:   {{ .MaxReplicas }}
{{- end }}
{{- if .HasUpdateConfig }}
UpdateConfig:
 Parallelism:	{{ .UpdateParallelism }}
{{- if .HasUpdateDelay}}
 Delay:		{{ .UpdateDelay }}
{{- end }}
 On failure:	{{ .UpdateOnFailure }}
{{- if .HasUpdateMonitor}}
 Monitoring Period: {{ .UpdateMonitor }}
{{- end }}
 Max failure ratio: {{ .UpdateMaxFailureRatio }}
 Update order:      {{ .UpdateOrder }}
{{- end }}
{{- if .HasRollbackConfig }}
RollbackConfig:
 Parallelism:	{{ .RollbackParallelism }}
{{- if .HasRollbackDelay}}
 Delay:		{{ .RollbackDelay }}
{{- end }}
 On failure:	{{ .RollbackOnFailure }}
{{- if .HasRollbackMonitor}}
 Monitoring Period: {{ .RollbackMonitor }}
{{- end }}
 Max failure ratio: {{ .RollbackMaxFailureRatio }}
 Rollback order:    {{ .RollbackOrder }}
{{- end }}
ContainerSpec:
 Image:		{{ .ContainerImage }}
{{- if .ContainerArgs }}
 Args:		{{ range $arg := .ContainerArgs }}{{ $arg }} {{ end }}
{{- end -}}
{{- if .ContainerEnv }}
 Env:		{{ range $env := .ContainerEnv }}{{ $env }} {{ end }}
{{- end -}}
{{- if .ContainerWorkDir }}
 Dir:		{{ .ContainerWorkDir }}
{{- end -}}
{{- if .HasContainerInit }}
 Init:		{{ .ContainerInit }}
{{- end -}}
{{- if .ContainerUser }}
 User: {{ .ContainerUser }}
{{- end }}
{{- if .HasCapabilities }}
Capabilities:
{{- if .HasCapabilityAdd }}
 Add: {{ .CapabilityAdd }}
{{- end }}
{{- if .HasCapabilityDrop }}
 Drop: {{ .CapabilityDrop }}
{{- end }}
{{- end }}
{{- if .ContainerSysCtls }}
SysCtls:
{{- range $k, $v := .ContainerSysCtls }}
 {{ $k }}{{if $v }}: {{ $v }}{{ end }}
{{- end }}{{ end }}
{{- if .ContainerUlimits }}
Ulimits:
{{- range $k, $v := .ContainerUlimits }}
 {{ $k }}: {{ $v }}
{{- end }}{{ end }}
{{- if .ContainerMounts }}
Mounts:
{{- end }}
{{- range $mount := .ContainerMounts }}
 Target:	{{ $mount.Target }}
  Source:	{{ $mount.Source }}
  ReadOnly:	{{ $mount.ReadOnly }}
  Type:		{{ $mount.Type }}
{{- end -}}
{{- if .Configs}}
Configs:
{{- range $config := .Configs }}
 Target:	{{$config.File.Name}}
  Source:	{{$config.ConfigName}}
{{- end }}{{ end }}
{{- if .Secrets }}
Secrets:
{{- range $secret := .Secrets }}
 Target:	{{$secret.File.Name}}
  Source:	{{$secret.SecretName}}
{{- end }}{{ end }}
{{- if .HasLogDriver }}
Log Driver:
{{- if .HasLogDriverName }}
 Name:		{{ .LogDriverName }}
{{- end }}
{{- if .LogOpts }}
 LogOpts:
{{- range $k, $v := .LogOpts }}
  {{ $k }}{{if $v }}:       {{ $v }}{{ end }}
{{- end }}{{ end }}
{{ end }}
{{- if .HasResources }}
Resources:
{{- if .HasResourceReservations }}
 Reservations:
{{- if gt .ResourceReservationNanoCPUs 0.0 }}
  CPU:		{{ .ResourceReservationNanoCPUs }}
{{- end }}
{{- if .ResourceReservationMemory }}
  Memory:	{{ .ResourceReservationMemory }}
{{- end }}{{ end }}
{{- if .HasResourceLimits }}
 Limits:
{{- if gt .ResourceLimitsNanoCPUs 0.0 }}
  CPU:		{{ .ResourceLimitsNanoCPUs }}
{{- end }}
{{- if .ResourceLimitMemory }}
  Memory:	{{ .ResourceLimitMemory }}
{{- end }}{{ end }}{{ end }}
{{- if gt .ResourceLimitPids 0 }}
  PIDs:		{{ .ResourceLimitPids }}
{{- end }}
{{- if .Networks }}
Networks:
{{- range $network := .Networks }} {{ $network }}{{ end }} {{ end }}
Endpoint Mode:	{{ .EndpointMode }}
{{- if .Ports }}
Ports:
{{- range $port := .Ports }}
 PublishedPort = {{ $port.PublishedPort }}
  Protocol = {{ $port.Protocol }}
  TargetPort = {{ $port.TargetPort }}
  PublishMode = {{ $port.PublishMode }}
{{- end }} {{ end -}}
{{- if .Healthcheck }}
 Healthcheck:
  Interval = {{ .Healthcheck.Interval }}
  Retries = {{ .Healthcheck.Retries }}
  StartPeriod =	{{ .Healthcheck.StartPeriod }}
  Timeout =	{{ .Healthcheck.Timeout }}
  {{- if .Healthcheck.Test }}
  Tests:
	{{- range $test := .Healthcheck.Test }}
	 Test = {{ $test }}
  {{- end }} {{ end -}}
{{- end }}
`;

const strs = (v: unknown): GoValue => (Array.isArray(v) && v.length ? (v as string[]) : null);
const strMap = (v: unknown): GoValue => (v && typeof v === 'object' && Object.keys(v).length ? (v as Record<string, string>) : null);

/** The service's --pretty view (docker's serviceInspectPrettyTemplate over serviceInspectContext). */
export function servicePretty(s: Json, networkNames: Record<string, string>, now = Date.now()): string {
  const spec = s.Spec ?? {};
  const tt = spec.TaskTemplate ?? {};
  const cs = tt.ContainerSpec ?? {};
  const uc = spec.UpdateConfig;
  const rc = spec.RollbackConfig;
  const us = s.UpdateStatus;
  const res = tt.Resources;
  const ns = (v: unknown): number => Number(v ?? 0);
  const hc = cs.Healthcheck;
  const c = new GoStruct('*service.serviceInspectContext', [], {
    ID: () => s.ID,
    Name: () => spec.Name,
    Labels: () => strMap(spec.Labels),
    HasLogDriver: () => !!tt.LogDriver,
    HasLogDriverName: () => !!tt.LogDriver?.Name,
    LogDriverName: () => tt.LogDriver?.Name ?? '',
    LogOpts: () => strMap(tt.LogDriver?.Options),
    Configs: () => (cs.Configs?.length ? cs.Configs : null),
    Secrets: () => (cs.Secrets?.length ? cs.Secrets : null),
    Healthcheck: () =>
      hc
        ? {
            Interval: goDuration(ns(hc.Interval)),
            Retries: ns(hc.Retries),
            StartPeriod: goDuration(ns(hc.StartPeriod)),
            Timeout: goDuration(ns(hc.Timeout)),
            Test: strs(hc.Test),
          }
        : null,
    IsModeGlobal: () => !!spec.Mode?.Global,
    IsModeReplicated: () => !!spec.Mode?.Replicated,
    ModeReplicatedReplicas: () => (spec.Mode?.Replicated?.Replicas === undefined ? null : new GoInt(spec.Mode.Replicated.Replicas, 'uint64')),
    HasUpdateStatus: () => !!us?.State,
    UpdateStatusState: () => us?.State ?? '',
    HasUpdateStatusStarted: () => !!us?.StartedAt,
    UpdateStatusStarted: () => humanDuration(now - Date.parse(us.StartedAt)) + ' ago',
    UpdateIsCompleted: () => us?.State === 'completed' && !!us?.CompletedAt,
    UpdateStatusCompleted: () => humanDuration(now - Date.parse(us.CompletedAt)) + ' ago',
    UpdateStatusMessage: () => us?.Message ?? '',
    TaskPlacementConstraints: () => strs(tt.Placement?.Constraints),
    TaskPlacementPreferences: () => strs(((tt.Placement?.Preferences ?? []) as Json[]).filter((p) => p.Spread).map((p) => 'spread=' + p.Spread.SpreadDescriptor)),
    MaxReplicas: () => new GoInt(tt.Placement?.MaxReplicas ?? 0, 'uint64'),
    HasUpdateConfig: () => !!uc,
    UpdateParallelism: () => new GoInt(uc?.Parallelism ?? 0, 'uint64'),
    HasUpdateDelay: () => ns(uc?.Delay) > 0,
    UpdateDelay: () => goDuration(ns(uc?.Delay)),
    UpdateOnFailure: () => uc?.FailureAction ?? '',
    UpdateOrder: () => uc?.Order ?? '',
    HasUpdateMonitor: () => ns(uc?.Monitor) > 0,
    UpdateMonitor: () => goDuration(ns(uc?.Monitor)),
    UpdateMaxFailureRatio: () => new GoFloat(uc?.MaxFailureRatio ?? 0, 'float32'),
    HasRollbackConfig: () => !!rc,
    RollbackParallelism: () => new GoInt(rc?.Parallelism ?? 0, 'uint64'),
    HasRollbackDelay: () => ns(rc?.Delay) > 0,
    RollbackDelay: () => goDuration(ns(rc?.Delay)),
    RollbackOnFailure: () => rc?.FailureAction ?? '',
    HasRollbackMonitor: () => ns(rc?.Monitor) > 0,
    RollbackMonitor: () => goDuration(ns(rc?.Monitor)),
    RollbackMaxFailureRatio: () => new GoFloat(rc?.MaxFailureRatio ?? 0, 'float32'),
    RollbackOrder: () => rc?.Order ?? '',
    ContainerImage: () => cs.Image ?? '',
    ContainerArgs: () => strs(cs.Args),
    ContainerEnv: () => strs(cs.Env),
    ContainerWorkDir: () => cs.Dir ?? '',
    ContainerUser: () => cs.User ?? '',
    HasContainerInit: () => cs.Init !== undefined && cs.Init !== null,
    ContainerInit: () => !!cs.Init,
    ContainerMounts: () => (cs.Mounts?.length ? (cs.Mounts as Json[]).map((m) => ({ Target: m.Target ?? '', Source: m.Source ?? '', ReadOnly: !!m.ReadOnly, Type: m.Type ?? '' })) : null),
    ContainerSysCtls: () => strMap(cs.Sysctls),
    ContainerUlimits: () => {
      const u: Record<string, string> = {};
      for (const l of (cs.Ulimits ?? []) as Json[]) u[l.Name] = `${l.Soft}:${l.Hard}`;
      return Object.keys(u).length ? u : null;
    },
    HasResources: () => !!res,
    HasResourceReservations: () => !!res?.Reservations && (ns(res.Reservations.NanoCPUs) > 0 || ns(res.Reservations.MemoryBytes) > 0),
    ResourceReservationNanoCPUs: () => ns(res?.Reservations?.NanoCPUs) / 1e9,
    ResourceReservationMemory: () => (ns(res?.Reservations?.MemoryBytes) ? bytesSize(ns(res.Reservations.MemoryBytes)) : ''),
    HasResourceLimits: () => !!res?.Limits && (ns(res.Limits.NanoCPUs) > 0 || ns(res.Limits.MemoryBytes) > 0 || ns(res.Limits.Pids) > 0),
    ResourceLimitsNanoCPUs: () => ns(res?.Limits?.NanoCPUs) / 1e9,
    ResourceLimitMemory: () => (ns(res?.Limits?.MemoryBytes) ? bytesSize(ns(res.Limits.MemoryBytes)) : ''),
    ResourceLimitPids: () => new GoInt(ns(res?.Limits?.Pids), 'int64'),
    Networks: () => strs(((tt.Networks ?? []) as Json[]).map((n) => networkNames[n.Target] ?? n.Target)),
    EndpointMode: () => spec.EndpointSpec?.Mode ?? '',
    Ports: () => (s.Endpoint?.Ports?.length ? s.Endpoint.Ports : null),
    HasCapabilities: () => !!(cs.CapabilityAdd?.length || cs.CapabilityDrop?.length),
    HasCapabilityAdd: () => !!cs.CapabilityAdd?.length,
    HasCapabilityDrop: () => !!cs.CapabilityDrop?.length,
    CapabilityAdd: () => (cs.CapabilityAdd ?? []).join(', '),
    CapabilityDrop: () => (cs.CapabilityDrop ?? []).join(', '),
  });
  return parseTemplate(SERVICE_PRETTY).execute(c);
}

// ---------------------------------------------------------------------------------------------
// secrets and configs

export const SECRET_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.CreatedAt}}\t{{.UpdatedAt}}',
  headers: { ID: 'ID', Name: 'NAME', Driver: 'DRIVER', CreatedAt: 'CREATED', UpdatedAt: 'UPDATED', Labels: 'LABELS' },
};

export const CONFIG_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.CreatedAt}}\t{{.UpdatedAt}}',
  headers: { ID: 'ID', Name: 'NAME', CreatedAt: 'CREATED', UpdatedAt: 'UPDATED', Labels: 'LABELS' },
};

/** secretContext / configContext (kind decides the Driver method). */
export function fileObjectContext(kind: 'secret' | 'config', o: Json, now = Date.now()): GoStruct {
  const labels: Record<string, string> | null = o.Spec?.Labels ?? null;
  const m: Record<string, () => GoValue> = {
    ID: () => o.ID,
    Name: () => o.Spec?.Name ?? '',
    CreatedAt: () => humanDuration(now - Date.parse(o.CreatedAt)) + ' ago',
    UpdatedAt: () => humanDuration(now - Date.parse(o.UpdatedAt)) + ' ago',
    Labels: () => (labels ? Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') : ''),
  };
  if (kind === 'secret') m.Driver = () => o.Spec?.Driver?.Name ?? '';
  const s = ctx(kind === 'secret' ? '*secret.secretContext' : '*config.configContext', m);
  return new GoStruct(s.type, [], { ...s.methods, Label: (n) => labels?.[String(n)] ?? '' }, s.json);
}

const SECRET_PRETTY = `ID:              {{.ID}}
Name:              {{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Driver:            {{.Driver}}
Created at:        {{.CreatedAt}}
Updated at:        {{.UpdatedAt}}`;

const CONFIG_PRETTY = `ID:			{{.ID}}
Name:			{{.Name}}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Created at:            	{{.CreatedAt}}
Updated at:            	{{.UpdatedAt}}
Data:
{{.Data}}`;

/** Go's time.Time String() of an RFC 3339 time with nanoseconds. */
function goTime(s: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(s ?? '');
  if (!m) return s;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${m[4].replace(':', '')} ${m[4].replace(':', '')}`;
  return `${m[1]} ${m[2]}${frac === '.' ? '' : frac} ${zone}`;
}

/** The --pretty view of a secret or config. */
export function fileObjectPretty(kind: 'secret' | 'config', o: Json): string {
  const c = new GoStruct('*inspectContext', [], {
    ID: () => o.ID,
    Name: () => o.Spec?.Name ?? '',
    Labels: () => strMap(o.Spec?.Labels),
    Driver: () => o.Spec?.Driver?.Name ?? '',
    CreatedAt: () => prettyPrint(goTime(o.CreatedAt)),
    UpdatedAt: () => prettyPrint(goTime(o.UpdatedAt)),
    Data: () => Buffer.from(o.Spec?.Data ?? '', 'base64').toString('utf8'),
  });
  return parseTemplate(kind === 'secret' ? SECRET_PRETTY : CONFIG_PRETTY).execute(c);
}

// ---------------------------------------------------------------------------------------------
// node inspect --pretty

const NODE_PRETTY = `ID:			{{.ID}}
{{- if .Name }}
Name:			{{.Name}}
{{- end }}
{{- if .Labels }}
Labels:
{{- range $k, $v := .Labels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{ end }}
Hostname:              	{{.Hostname}}
Joined at:             	{{.CreatedAt}}
Status:
 State:			{{.StatusState}}
 {{- if .HasStatusMessage}}
 Message:              	{{.StatusMessage}}
 {{- end}}
 Availability:         	{{.SpecAvailability}}
 {{- if .Status.Addr}}
 Address:		{{.StatusAddr}}
 {{- end}}
{{- if .HasManagerStatus}}
Manager Status:
 Address:		{{.ManagerStatusAddr}}
 Raft Status:		{{.ManagerStatusReachability}}
 {{- if .IsManagerStatusLeader}}
 Leader:		Yes
 {{- else}}
 Leader:		No
 {{- end}}
{{- end}}
Platform:
 Operating System:	{{.PlatformOS}}
 Architecture:		{{.PlatformArchitecture}}
Resources:
 CPUs:			{{.ResourceNanoCPUs}}
 Memory:		{{.ResourceMemory}}
{{- if .HasEnginePlugins}}
Plugins:
{{- range $k, $v := .EnginePlugins }}
 {{ $k }}:{{if $v }}		{{ $v }}{{ end }}
{{- end }}
{{- end }}
Engine Version:		{{.EngineVersion}}
{{- if .EngineLabels}}
Engine Labels:
{{- range $k, $v := .EngineLabels }}
 - {{ $k }}{{if $v }}={{ $v }}{{ end }}
{{- end }}{{- end }}
{{- if .HasTLSInfo}}
TLS Info:
 TrustRoot:
{{.TLSInfoTrustRoot}}
 Issuer Subject:	{{.TLSInfoCertIssuerSubject}}
 Issuer Public Key:	{{.TLSInfoCertIssuerPublicKey}}
{{- end}}`;

/** The node's --pretty view (docker's nodeInspectPrettyTemplate over nodeInspectContext). */
export function nodePretty(n: Json): string {
  const d = n.Description ?? {};
  const tls = d.TLSInfo ?? {};
  const plugins: Record<string, string[]> = {};
  for (const p of (d.Engine?.Plugins ?? []) as Json[]) (plugins[p.Type] ??= []).push(p.Name);
  const c = new GoStruct('*node.nodeInspectContext', [['Status', { Addr: n.Status?.Addr ?? '' }]], {
    ID: () => n.ID,
    Name: () => n.Spec?.Name ?? '',
    Labels: () => strMap(n.Spec?.Labels),
    Hostname: () => d.Hostname ?? '',
    CreatedAt: () => prettyPrint(goTime(n.CreatedAt)),
    StatusState: () => prettyPrint(n.Status?.State ?? ''),
    HasStatusMessage: () => !!n.Status?.Message,
    StatusMessage: () => prettyPrint(n.Status?.Message ?? ''),
    SpecAvailability: () => prettyPrint(n.Spec?.Availability ?? ''),
    StatusAddr: () => n.Status?.Addr ?? '',
    HasManagerStatus: () => !!n.ManagerStatus,
    ManagerStatusAddr: () => n.ManagerStatus?.Addr ?? '',
    ManagerStatusReachability: () => prettyPrint(n.ManagerStatus?.Reachability ?? ''),
    IsManagerStatusLeader: () => !!n.ManagerStatus?.Leader,
    PlatformOS: () => d.Platform?.OS ?? '',
    PlatformArchitecture: () => d.Platform?.Architecture ?? '',
    ResourceNanoCPUs: () => Math.trunc(Number(d.Resources?.NanoCPUs ?? 0) / 1e9),
    ResourceMemory: () => (d.Resources?.MemoryBytes ? bytesSize(d.Resources.MemoryBytes) : ''),
    HasEnginePlugins: () => Object.keys(plugins).length > 0,
    EnginePlugins: () => Object.fromEntries(Object.entries(plugins).map(([k, v]) => [k, v.join(', ')])),
    EngineLabels: () => strMap(d.Engine?.Labels),
    EngineVersion: () => d.Engine?.EngineVersion ?? '',
    HasTLSInfo: () => !!(tls.TrustRoot || tls.CertIssuerSubject || tls.CertIssuerPublicKey),
    TLSInfoTrustRoot: () => tls.TrustRoot ?? '',
    TLSInfoCertIssuerSubject: () => tls.CertIssuerSubject ?? '',
    TLSInfoCertIssuerPublicKey: () => tls.CertIssuerPublicKey ?? '',
  });
  return parseTemplate(NODE_PRETTY).execute(c);
}
