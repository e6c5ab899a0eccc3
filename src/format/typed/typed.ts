/**
 * Typed views of engine objects for inspect templates. docker decodes inspect JSON into its Go
 * structs, so `{{.State}}` prints as a struct, `{{.State.Pid | printf "%T"}}` is int and sizes are
 * integers, while maps (labels, options, ports) stay maps. JSON key order is the structs' field order.
 */
import { GoInt, GoMap, GoNil, GoSlice, GoStruct, type GoValue } from '../template/values.js';

/** Object-valued fields that are Go maps, with their Go map types. */
const MAPS: Record<string, string> = {
  Labels: 'map[string]string', Options: 'map[string]string', DriverOpts: 'map[string]string', Sysctls: 'map[string]string',
  Tmpfs: 'map[string]string', StorageOpt: 'map[string]string', Data: 'map[string]string', Annotations: 'map[string]string',
  ExposedPorts: 'nat.PortSet', Volumes: 'map[string]struct {}', Networks: 'map[string]*network.EndpointSettings',
  Ports: 'nat.PortMap', PortBindings: 'nat.PortMap', RestartPolicyX: '', Containers: 'map[string]network.EndpointResource', Status: 'map[string]interface {}',
  Metadata: 'map[string]string', UsageData: 'map[string]int64', ConfigFrom: 'network.ConfigReference', Peers: '[]network.PeerInfo',
};

/** Fields that are slices in Go (a null prints as []). */
const SLICES = new Set([
  'Args', 'Cmd', 'Entrypoint', 'Env', 'Mounts', 'Binds', 'Links', 'Dns', 'DnsOptions', 'DnsSearch', 'ExtraHosts',
  'CapAdd', 'CapDrop', 'Layers', 'RepoTags', 'RepoDigests', 'SecurityOpt', 'Devices', 'DeviceCgroupRules', 'DeviceRequests',
  'GroupAdd', 'Ulimits', 'VolumesFrom', 'Aliases', 'DNSNames', 'OnBuild', 'Shell', 'Healthcheck', 'BlkioWeightDevice',
  'BlkioDeviceReadBps', 'BlkioDeviceWriteBps', 'BlkioDeviceReadIOps', 'BlkioDeviceWriteIOps', 'MaskedPaths', 'ReadonlyPaths',
  'Config', 'ConsoleSize', 'SecondaryIPAddresses', 'SecondaryIPv6Addresses', 'IPAMConfig', 'Log', 'DriverOpts',
]);

const INT64 = new Set(['Size', 'SizeRw', 'SizeRootFs', 'VirtualSize', 'Memory', 'MemoryReservation', 'MemorySwap', 'KernelMemory',
  'NanoCpus', 'CpuPeriod', 'CpuQuota', 'CpuRealtimePeriod', 'CpuRealtimeRuntime', 'ShmSize', 'PidsLimit', 'Interval', 'Timeout',
  'StartPeriod', 'StartInterval', 'RefCount', 'MemorySwappiness']);

function typed(v: unknown, key: string, parentType: string): GoValue {
  if (v === null || v === undefined) {
    if (MAPS[key] || (key === 'Config' && parentType === 'LogConfig')) return new GoNil(MAPS[key] ?? 'map[string]string', 'map');
    if (SLICES.has(key)) return new GoNil('[]string', 'slice');
    return new GoNil('*' + key, 'ptr');
  }
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) return v;
    if (INT64.has(key)) return new GoInt(v, 'int64');
    if (key === 'CpuShares' || key === 'BlkioWeight') return new GoInt(v, key === 'BlkioWeight' ? 'uint16' : 'int64');
    return new GoInt(v, 'int');
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => typed(x, key + '[]', parentType));
    const type = v.every((x) => typeof x === 'string') ? '[]string' : `[]${key}`;
    return new GoSlice(items, type);
  }
  const o = v as Record<string, unknown>;
  const isMap = (MAPS[key] && key !== 'Status') || (key === 'Status' && parentType === '') || (key === 'Config' && parentType === 'LogConfig');
  if (isMap) {
    const entries: Record<string, GoValue> = {};
    for (const [k, x] of Object.entries(o)) {
      if (x !== null && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0) entries[k] = new GoStruct('struct {}', []);
      else {
        const t = typed(x, k, 'map');
        // map[string]*T: the values are pointers (printed as addresses inside the map, as Go does)
        entries[k] = t instanceof GoStruct && MAPS[key].includes(']*') ? new GoStruct('*' + MAPS[key].split(']*')[1], t.fields) : t;
      }
    }
    return new GoMap(entries, MAPS[key]);
  }
  // Go field names where the JSON name differs (ID `json:"Id"`)
  const fields: [string, GoValue][] = Object.entries(o).map(([k, x]) => [k === 'Id' ? 'ID' : k, typed(x, k, key)]);
  if (key === 'State' && !fields.some(([k]) => k === 'Health')) fields.push(['Health', new GoNil('*container.Health', 'ptr')]);
  return new GoStruct(structType(key), fields);
}

function structType(key: string): string {
  switch (key) {
    case 'State': return '*container.State';
    case 'Config': return '*container.Config';
    case 'HostConfig': return '*container.HostConfig';
    case 'NetworkSettings': return '*container.NetworkSettings';
    default: return `types.${key || 'Object'}`;
  }
}

/** The typed value of an inspected object of the given kind (container, image, volume, network, ...). */
export function toTyped(raw: unknown, kind: string): GoValue {
  const name = { container: 'container.InspectResponse', image: 'image.InspectResponse', volume: 'volume.Volume', network: 'network.Inspect' }[kind] ?? kind;
  const v = typed(raw, '', '');
  if (v instanceof GoStruct) return new GoStruct(name, v.fields);
  return v;
}
