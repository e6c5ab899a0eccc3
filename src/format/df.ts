/** docker system df: the summary rows (docker/cli's diskUsage*Context) for table, json and templates. */
import { GoStruct, type GoValue } from './template/values.js';
import type { ListFormat } from './list.js';
import { humanDuration, humanSize } from '../go/units.js';

export interface ApiDiskUsage {
  LayersSize?: number;
  Images?: { Containers: number; Size: number; SharedSize: number; VirtualSize?: number }[] | null;
  Containers?: { State: string; SizeRw?: number }[] | null;
  Volumes?: { UsageData?: { Size: number; RefCount: number } | null }[] | null;
  BuildCache?: { InUse: boolean; Shared: boolean; Size: number }[] | null;
}

export const DF_FORMAT: ListFormat = {
  defaultTable: 'table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}',
  headers: { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' },
};

/** docker's raw (non-table, non-verbose) format. */
export const DF_RAW_FORMAT = 'type: {{.Type}}\ntotal: {{.TotalCount}}\nactive: {{.Active}}\nsize: {{.Size}}\nreclaimable: {{.Reclaimable}}\n';

function withPercent(reclaimable: number, total: number): string {
  if (total > 0) return `${humanSize(reclaimable, 4)} (${Math.trunc((reclaimable * 100) / total)}%)`;
  return humanSize(reclaimable, 4);
}

function row(type: string, m: Record<string, () => string>): GoStruct {
  const methods: Record<string, (...a: GoValue[]) => GoValue> = { Type: () => type, ...m };
  return new GoStruct(`*formatter.diskUsage${type === 'Images' ? 'Images' : type === 'Containers' ? 'Containers' : type === 'Local Volumes' ? 'Volumes' : 'Builder'}Context`, [], methods, () => {
    const j: Record<string, string> = {};
    for (const k of Object.keys(methods).sort()) j[k] = String(methods[k]());
    return j;
  });
}

export function dfRows(du: ApiDiskUsage): GoStruct[] {
  const images = du.Images ?? [];
  const layers = du.LayersSize ?? 0;
  let usedImg = 0;
  for (const i of images) if (i.Containers !== 0 && i.VirtualSize !== -1 && i.SharedSize !== -1) usedImg += i.Size - i.SharedSize;

  const containers = du.Containers ?? [];
  let cTotal = 0;
  let cReclaim = 0;
  for (const c of containers) {
    cTotal += c.SizeRw ?? 0;
    if (c.State !== 'running') cReclaim += c.SizeRw ?? 0;
  }

  const volumes = du.Volumes ?? [];
  let vTotal = 0;
  let vReclaim = 0;
  for (const v of volumes) {
    const u = v.UsageData;
    if (!u || u.Size === -1) continue;
    vTotal += u.Size;
    if (u.RefCount === 0) vReclaim += u.Size;
  }

  const cache = du.BuildCache ?? [];
  let bTotal = 0;
  let bReclaim = 0;
  for (const b of cache) {
    if (!b.Shared) bTotal += b.Size;
    if (!b.InUse && !b.Shared) bReclaim += b.Size;
  }

  return [
    row('Images', {
      TotalCount: () => String(images.length),
      Active: () => String(images.filter((i) => i.Containers > 0).length),
      Size: () => humanSize(layers, 4),
      Reclaimable: () => withPercent(layers - usedImg, layers),
    }),
    row('Containers', {
      TotalCount: () => String(containers.length),
      Active: () => String(containers.filter((c) => c.State === 'running').length),
      Size: () => humanSize(cTotal, 4),
      Reclaimable: () => withPercent(cReclaim, cTotal),
    }),
    row('Local Volumes', {
      TotalCount: () => String(volumes.length),
      Active: () => String(volumes.filter((v) => (v.UsageData?.RefCount ?? 0) > 0).length),
      Size: () => humanSize(vTotal, 4),
      Reclaimable: () => withPercent(vReclaim, vTotal),
    }),
    row('Build Cache', {
      TotalCount: () => String(cache.length),
      Active: () => String(cache.filter((b) => b.InUse).length),
      Size: () => humanSize(bTotal, 4),
      Reclaimable: () => humanSize(bReclaim, 4),
    }),
  ];
}

// ---- -v: per-object tables ---------------------------------------------------------------------

export interface ApiBuildCache {
  ID: string;
  Type: string;
  InUse: boolean;
  Shared: boolean;
  Size: number;
  CreatedAt: string;
  LastUsedAt?: string | null;
  UsageCount: number;
}

export const DF_IMAGE_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}';
export const DF_CONTAINER_TABLE = 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}';
export const DF_VOLUME_TABLE = 'table {{.Name}}\t{{.Links}}\t{{.Size}}';

export const BUILD_CACHE_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}',
  headers: { ID: 'CACHE ID', CacheType: 'CACHE TYPE', Size: 'SIZE', CreatedSince: 'CREATED', LastUsedSince: 'LAST USED', UsageCount: 'USAGE', Shared: 'SHARED', Description: 'DESCRIPTION' },
};

/** docker's buildCacheSort: never-used first, then by last use; ties by ID. */
export function sortBuildCache(items: ApiBuildCache[]): ApiBuildCache[] {
  const t = (b: ApiBuildCache): string | null => (b.LastUsedAt ? b.LastUsedAt : null);
  const byId = (x: ApiBuildCache, y: ApiBuildCache): number => (x.ID < y.ID ? -1 : x.ID > y.ID ? 1 : 0);
  return [...items].sort((x, y) => {
    const a = t(x);
    const c = t(y);
    if (a === null && c === null) return byId(x, y);
    if (a === null) return -1;
    if (c === null) return 1;
    const d = compareTimes(a, c);
    return d === 0 ? byId(x, y) : d;
  });
}

/** two RFC 3339 times compared to the nanosecond (Date.parse stops at milliseconds) */
function compareTimes(a: string, b: string): number {
  const ns = (s: string): bigint => {
    const m = /\.(\d+)/.exec(s);
    const frac = (m ? m[1] : '').padEnd(9, '0').slice(0, 9);
    const ms = Date.parse(s.replace(/\.\d+/, ''));
    return BigInt(Number.isNaN(ms) ? 0 : ms) * 1000000n + BigInt(frac);
  };
  const x = ns(a);
  const y = ns(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function buildCacheContext(b: ApiBuildCache, trunc: boolean, now = Date.now()): GoStruct {
  const m: Record<string, () => string> = {
    ID: () => {
      const id = trunc ? b.ID.slice(0, 12) : b.ID;
      return b.InUse ? id + '*' : id;
    },
    CacheType: () => b.Type,
    Size: () => humanSize(b.Size),
    CreatedSince: () => humanDuration(now - Date.parse(b.CreatedAt)) + ' ago',
    LastUsedSince: () => (b.LastUsedAt ? humanDuration(now - Date.parse(b.LastUsedAt)) + ' ago' : ''),
    UsageCount: () => String(b.UsageCount),
    InUse: () => String(b.InUse),
    Shared: () => String(b.Shared),
  };
  return new GoStruct('*formatter.buildCacheContext', [], m as Record<string, () => GoValue>, () => {
    const j: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}
