/** docker/cli's volumeContext and networkContext. */
import { GoStruct, type GoValue } from '../template/values.js';
import { truncateId } from '../humanize.js';
import type { ListFormat } from '../list.js';
import { joinLabels } from './container.js';
import { humanSize } from '../../go/units.js';

/** Go ranges over the labels map (random order); sorted here so that output is stable. */
function labelsOf(l: Record<string, string> | null | undefined): string {
  return joinLabels(l);
}

function ctx(type: string, m: Record<string, () => string>, labels: Record<string, string> | null | undefined): GoStruct {
  const methods: Record<string, (...a: GoValue[]) => GoValue> = { ...m };
  methods.Label = (name) => (labels ?? {})[String(name)] ?? '';
  return new GoStruct(type, [], methods, () => {
    const j: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}

export interface ApiVolume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  Scope: string;
  Labels?: Record<string, string> | null;
  CreatedAt?: string;
  UsageData?: { Size: number; RefCount: number } | null;
}

export const VOLUME_FORMAT: ListFormat = {
  defaultTable: 'table {{.Driver}}\t{{.Name}}',
  quiet: '{{.Name}}',
  raw: 'name: {{.Name}}\\ndriver: {{.Driver}}\\n',
  rawQuiet: 'name: {{.Name}}',
  headers: { Name: 'VOLUME NAME', Driver: 'DRIVER', Scope: 'SCOPE', Mountpoint: 'MOUNTPOINT', Labels: 'LABELS', Links: 'LINKS', Size: 'SIZE', Group: 'GROUP', Availability: 'AVAILABILITY', Status: 'STATUS' },
};

export function volumeContext(v: ApiVolume): GoStruct {
  return ctx('*formatter.volumeContext', {
    Name: () => v.Name,
    Driver: () => v.Driver,
    Scope: () => v.Scope,
    Mountpoint: () => v.Mountpoint,
    Labels: () => labelsOf(v.Labels),
    Links: () => (v.UsageData ? String(v.UsageData.RefCount) : 'N/A'),
    Size: () => (v.UsageData && v.UsageData.Size >= 0 ? humanSize(v.UsageData.Size) : 'N/A'),
    Group: () => 'N/A',
    Availability: () => 'N/A',
    Status: () => 'N/A',
  }, v.Labels);
}

export interface ApiNetwork {
  Name: string;
  Id: string;
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv6: boolean;
  EnableIPv4?: boolean;
  Internal: boolean;
  Labels?: Record<string, string> | null;
}

export const NETWORK_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}',
  raw: 'network_id: {{.ID}}\\nname: {{.Name}}\\ndriver: {{.Driver}}\\nscope: {{.Scope}}\\n',
  rawQuiet: 'network_id: {{.ID}}',
  headers: { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE', IPv4: 'IPV4', IPv6: 'IPV6', Internal: 'INTERNAL', Labels: 'LABELS', CreatedAt: 'CREATED AT' },
};

/** Go's time.Time.String() of an RFC 3339 timestamp with nanoseconds: 2026-11-22 11:52:44.214076404 +0000 UTC */
export function goTimeFromRFC3339(s: string): string {
  const m = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return s;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  const zone = m[4] === 'Z' ? '+0000 UTC' : `${m[4].replace(':', '')} ${m[4].replace(':', '')}`;
  return `${m[1]} ${m[2]}${frac === '.' ? '' : frac} ${zone}`;
}

export function networkContext(n: ApiNetwork, trunc: boolean): GoStruct {
  return ctx('*network.networkContext', {
    ID: () => (trunc ? truncateId(n.Id) : n.Id),
    Name: () => n.Name,
    Driver: () => n.Driver,
    Scope: () => n.Scope,
    IPv4: () => String(n.EnableIPv4 ?? false),
    IPv6: () => String(n.EnableIPv6),
    Internal: () => String(n.Internal),
    Labels: () => labelsOf(n.Labels),
    CreatedAt: () => goTimeFromRFC3339(n.Created),
  }, n.Labels);
}

/** sortorder.NaturalLess: digit runs compare as numbers. */
export function naturalLess(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true, sensitivity: 'variant', caseFirst: 'upper' });
}
