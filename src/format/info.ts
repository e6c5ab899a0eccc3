/** `docker info`: docker/cli's plain listing (prettyPrintInfo) or a template over its dockerInfo struct. */
import { GoNil, GoSlice, GoStruct, type GoValue } from './template/values.js';
import { parseTemplate, TemplateError } from './template/index.js';
import { toTyped } from './typed/typed.js';
import { tabwrite } from './table.js';
import { clientStruct, type ClientVersion } from './version.js';
import { bytesSize, humanDuration } from '../go/units.js';

export interface InfoClient {
  context: string;
  debug: boolean;
  version: ClientVersion;
}

type Info = Record<string, any>;

function maskBits(b64: string): number {
  let n = 0;
  for (const byte of Buffer.from(b64, 'base64')) n += byte.toString(2).split('1').length - 1;
  return n;
}

/** docker's printSwarmInfo: the Swarm section's lines under " Swarm: STATE" (none inactive or locked) */
function swarmText(sw: Info, ln: (...parts: unknown[]) => void): void {
  const state = sw.LocalNodeState ?? 'inactive';
  if (state === 'inactive' || state === 'locked') return;
  ln('  NodeID:', sw.NodeID ?? '');
  if (sw.Error) ln('  Error:', sw.Error);
  ln('  Is Manager:', sw.ControlAvailable ?? false);
  const c = sw.Cluster;
  if (c && sw.ControlAvailable && !sw.Error && state !== 'error') {
    const spec = c.Spec ?? {};
    ln('  ClusterID:', c.ID ?? '');
    ln('  Managers:', sw.Managers ?? 0);
    ln('  Nodes:', sw.Nodes ?? 0);
    if (Array.isArray(c.DefaultAddrPool)) {
      ln('  Default Address Pool:', c.DefaultAddrPool.map((p: string) => p + '  ').join(''));
      ln('  SubnetSize:', c.SubnetSize ?? 0);
    }
    if ((c.DataPathPort ?? 0) > 0) ln('  Data Path Port:', c.DataPathPort);
    ln('  Orchestration:');
    ln('   Task History Retention Limit:', spec.Orchestration?.TaskHistoryRetentionLimit ?? 0);
    ln('  Raft:');
    ln('   Snapshot Interval:', spec.Raft?.SnapshotInterval ?? 0);
    if (spec.Raft?.KeepOldSnapshots !== undefined && spec.Raft.KeepOldSnapshots !== null) ln(`   Number of Old Snapshots to Retain: ${spec.Raft.KeepOldSnapshots}`);
    ln('   Heartbeat Tick:', spec.Raft?.HeartbeatTick ?? 0);
    ln('   Election Tick:', spec.Raft?.ElectionTick ?? 0);
    ln('  Dispatcher:');
    ln('   Heartbeat Period:', humanDuration((spec.Dispatcher?.HeartbeatPeriod ?? 0) / 1e6));
    ln('  CA Configuration:');
    ln('   Expiry Duration:', humanDuration((spec.CAConfig?.NodeCertExpiry ?? 0) / 1e6));
    ln('   Force Rotate:', spec.CAConfig?.ForceRotate ?? 0);
    const caCert = String(spec.CAConfig?.SigningCACert ?? '').trim();
    if (caCert) ln(`   Signing CA Certificate: \n${caCert}\n`);
    const ext: any[] = spec.CAConfig?.ExternalCAs ?? [];
    if (ext.length) {
      ln('   External CAs:');
      for (const e of ext) ln(`     ${e.Protocol ?? ''}: ${e.URL ?? ''}`);
    }
    ln('  Autolock Managers:', spec.EncryptionConfig?.AutoLockManagers ?? false);
    ln('  Root Rotation In Progress:', c.RootRotationInProgress ?? false);
  }
  ln('  Node Address:', sw.NodeAddr ?? '');
  const managers: string[] = (sw.RemoteManagers ?? []).map((m: any) => m.Addr ?? '');
  if (managers.length) {
    ln('  Manager Addresses:');
    for (const m of managers.sort()) ln(`   ${m}`);
  }
}

function serverText(i: Info, debug: boolean): string {
  const lines: string[] = [];
  const ln = (...parts: unknown[]): void => {
    lines.push(parts.map(String).join(' '));
  };
  const nonEmpty = (k: string, v: unknown): void => {
    if (v !== undefined && v !== null && v !== '') ln(k, v);
  };
  ln(' Containers:', i.Containers);
  ln('  Running:', i.ContainersRunning);
  ln('  Paused:', i.ContainersPaused);
  ln('  Stopped:', i.ContainersStopped);
  ln(' Images:', i.Images);
  nonEmpty(' Server Version:', i.ServerVersion);
  if (i.Driver) {
    ln(' Storage Driver:', i.Driver);
    for (const [k, v] of i.DriverStatus ?? []) ln(`  ${k}:`, v);
  }
  for (const [k, v] of i.SystemStatus ?? []) ln(` ${k}:`, v);
  nonEmpty(' Logging Driver:', i.LoggingDriver);
  nonEmpty(' Cgroup Driver:', i.CgroupDriver);
  nonEmpty(' Cgroup Version:', i.CgroupVersion);
  ln(' Plugins:');
  ln('  Volume:', (i.Plugins?.Volume ?? []).join(' '));
  ln('  Network:', (i.Plugins?.Network ?? []).join(' '));
  if ((i.Plugins?.Authorization ?? []).length) ln('  Authorization:', i.Plugins.Authorization.join(' '));
  ln('  Log:', (i.Plugins?.Log ?? []).join(' '));
  if ((i.CDISpecDirs ?? []).length) {
    ln(' CDI spec directories:');
    for (const d of i.CDISpecDirs) ln(`  ${d}`);
  }
  ln(' Swarm:', i.Swarm?.LocalNodeState ?? 'inactive');
  swarmText(i.Swarm ?? {}, ln);
  const runtimes = Object.keys(i.Runtimes ?? {}).sort();
  if (runtimes.length) {
    ln(' Runtimes:', runtimes.join(' '));
    ln(' Default Runtime:', i.DefaultRuntime);
  }
  if (i.OSType === 'linux') {
    ln(' Init Binary:', i.InitBinary);
    for (const [name, c] of [['containerd', i.ContainerdCommit], ['runc', i.RuncCommit], ['init', i.InitCommit]] as const) {
      lines.push(` ${name} version: ${c?.ID ?? ''}`);
    }
    const opts: string[] = i.SecurityOptions ?? [];
    if (opts.length) {
      ln(' Security Options:');
      for (const so of opts) {
        const kv = Object.fromEntries(so.split(',').map((p) => p.split('=') as [string, string]));
        ln(`  ${kv.name}`);
        if (kv.profile) ln('   Profile:', kv.profile);
      }
    }
  }
  if (i.OSType === 'windows') ln(' Default Isolation:', i.Isolation);
  nonEmpty(' Kernel Version:', i.KernelVersion);
  nonEmpty(' Operating System:', i.OperatingSystem);
  nonEmpty(' OSType:', i.OSType);
  nonEmpty(' Architecture:', i.Architecture);
  ln(' CPUs:', i.NCPU);
  ln(' Total Memory:', bytesSize(i.MemTotal ?? 0));
  nonEmpty(' Name:', i.Name);
  nonEmpty(' ID:', i.ID);
  ln(' Docker Root Dir:', i.DockerRootDir);
  ln(' Debug Mode:', !!i.Debug);
  if (i.Debug || debug) {
    ln('  File Descriptors:', i.NFd);
    ln('  Goroutines:', i.NGoroutines);
    ln('  System Time:', i.SystemTime);
    ln('  EventsListeners:', i.NEventsListener);
  }
  nonEmpty(' HTTP Proxy:', i.HttpProxy);
  nonEmpty(' HTTPS Proxy:', i.HttpsProxy);
  nonEmpty(' No Proxy:', i.NoProxy);
  nonEmpty(' Username:', i.UserName);
  if ((i.Labels ?? []).length) {
    ln(' Labels:');
    for (const l of i.Labels) ln(`  ${l}`);
  }
  ln(' Experimental:', !!i.ExperimentalBuild);
  const reg = i.RegistryConfig;
  const insecureIdx = Object.values(reg?.IndexConfigs ?? {}).filter((r: any) => !r.Secure) as { Name: string }[];
  if (reg && ((reg.InsecureRegistryCIDRs ?? []).length || Object.keys(reg.IndexConfigs ?? {}).length)) {
    ln(' Insecure Registries:');
    for (const r of insecureIdx) ln(`  ${r.Name}`);
    for (const c of reg.InsecureRegistryCIDRs ?? []) lines.push(typeof c === 'string' ? `  ${c}` : `  ${c.IP}/${maskBits(c.Mask)}`);
  }
  if ((reg?.Mirrors ?? []).length) {
    ln(' Registry Mirrors:');
    for (const m of reg.Mirrors) ln(`  ${m}`);
  }
  ln(' Live Restore Enabled:', !!i.LiveRestoreEnabled);
  if (i.ProductLicense) ln(' Product License:', i.ProductLicense);
  if ((i.DefaultAddressPools ?? []).length) {
    ln(' Default Address Pools:');
    for (const p of i.DefaultAddressPools) lines.push(`   Base: ${p.Base}, Size: ${p.Size}`);
  }
  return lines.join('\n') + '\n\n';
}

/** The plain listing on stdout, and the engine's warnings for stderr. */
export function infoText(info: Info | undefined, client: InfoClient, serverError?: string): { out: string; err: string } {
  let out = tabwrite(`Client:\n Version:\t${client.version.Version}\n Context:\t${client.context}\n Debug Mode:\t${client.debug}\n`, { minwidth: 0, padding: 1 });
  out += '\nServer:\n';
  if (!info) return { out, err: serverError ? `${serverError}\n` : '' };
  out += serverText(info, client.debug);
  return { out, err: (info.Warnings ?? []).map((w: string) => w + '\n').join('') };
}

function infoStruct(info: Info, client: InfoClient): GoStruct {
  const typed = toTyped(info, 'system.Info');
  const fields = typed instanceof GoStruct ? [...typed.fields] : [];
  const clientInfo = new GoStruct('*system.clientInfo', [
    ['Debug', client.debug],
    ['clientVersion', clientStruct({ ...client.version, ApiVersion: '' })],
    ['Plugins', new GoSlice([], '[]pluginmanager.Plugin')],
    ['Warnings', new GoNil('[]string', 'slice')],
  ]);
  fields.push(['ClientInfo', clientInfo], ['ClientErrors', new GoNil('[]string', 'slice')], ['ServerErrors', new GoNil('[]string', 'slice')]);
  return new GoStruct('system.dockerInfo', fields as [string, GoValue][], {}, () => ({
    ...info,
    ClientInfo: { Debug: client.debug, Version: client.version.Version, GitCommit: client.version.GitCommit, GoVersion: client.version.GoVersion, Os: client.version.Os, Arch: client.version.Arch, BuildTime: client.version.BuildTime, Context: client.context, Plugins: [], Warnings: null },
  }));
}

export class InfoTemplateError extends Error {
  constructor(
    message: string,
    readonly parse: boolean,
  ) {
    super(message);
  }
}

/** `docker info --format`. */
export function infoTemplate(info: Info, client: InfoClient, format: string): string {
  const text = format === 'json' ? '{{json .}}' : format;
  let t;
  try {
    t = parseTemplate(text);
  } catch (e) {
    if (e instanceof TemplateError) throw new InfoTemplateError(`template parsing error: ${e.message}`, true);
    throw e;
  }
  try {
    return t.execute(infoStruct(info, client)) + '\n';
  } catch (e) {
    if (e instanceof TemplateError) throw new InfoTemplateError(e.message, false);
    throw e;
  }
}
