/** docker/cli's ContainerContext: the fields of `docker ps --format`. */
import { GoStruct, type GoValue } from '../template/values.js';
import { goQuoteString } from '../template/gofmt.js';
import { ellipsis, goTimeString, humanSize, timeAgo, truncateId } from '../humanize.js';
import { displayablePorts, type ApiPort } from '../ports.js';
import type { ListFormat } from '../list.js';

/** A container as GET /containers/json returns it. */
export interface ApiContainer {
  Id: string;
  Names?: string[];
  Image: string;
  ImageID?: string;
  Command: string;
  Created: number;
  Ports?: ApiPort[];
  SizeRw?: number;
  SizeRootFs?: number;
  Labels?: Record<string, string> | null;
  State: string;
  Status: string;
  Mounts?: { Type?: string; Name?: string; Source?: string; Driver?: string }[];
  NetworkSettings?: { Networks?: Record<string, unknown> };
}

export const CONTAINER_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
  headers: {
    ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
    Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS',
    Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS', Platform: 'PLATFORM',
  },
};

export const CONTAINER_QUIET_FORMAT = '{{.ID}}';

export interface ContainerContextOptions {
  trunc: boolean;
  now?: number;
}

function names(c: ApiContainer, trunc: boolean): string {
  let n = (c.Names ?? []).map((x) => x.replace(/^\//, ''));
  if (trunc) {
    const plain = n.find((x) => !x.includes('/'));
    if (plain !== undefined) n = [plain];
  }
  return n.join(',');
}

function image(c: ApiContainer, trunc: boolean): string {
  let img = c.Image ?? '';
  if (!trunc) return img;
  if (c.ImageID && truncateId(c.ImageID) === truncateId(img)) return truncateId(img);
  const at = img.indexOf('@');
  if (at >= 0) img = img.slice(0, at);
  return img;
}

function labels(c: ApiContainer): string {
  const l = c.Labels ?? {};
  return Object.keys(l).map((k) => `${k}=${l[k]}`).join(',');
}

export function containerContext(c: ApiContainer, o: ContainerContextOptions): GoStruct {
  const now = o.now ?? Date.now();
  const m: Record<string, () => string> = {
    ID: () => (o.trunc ? truncateId(c.Id) : c.Id),
    Names: () => names(c, o.trunc),
    Image: () => image(c, o.trunc),
    Command: () => goQuoteString(o.trunc ? ellipsis(c.Command ?? '', 20) : c.Command ?? ''),
    CreatedAt: () => goTimeString(c.Created),
    RunningFor: () => timeAgo(c.Created, now),
    Ports: () => displayablePorts(c.Ports ?? []),
    State: () => c.State,
    Status: () => c.Status,
    Size: () => {
      const rw = humanSize(c.SizeRw ?? 0);
      return (c.SizeRootFs ?? 0) > 0 ? `${rw} (virtual ${humanSize(c.SizeRootFs ?? 0)})` : rw;
    },
    Labels: () => labels(c),
    Mounts: () =>
      (c.Mounts ?? []).map((mt) => {
        const n = mt.Name || mt.Source || '';
        return o.trunc ? ellipsis(n, 15) : n;
      }).join(','),
    LocalVolumes: () => String((c.Mounts ?? []).filter((mt) => mt.Driver === 'local').length),
    Networks: () => Object.keys(c.NetworkSettings?.Networks ?? {}).sort().join(','),
  };
  const methods: Record<string, (...a: GoValue[]) => GoValue> = { ...m };
  methods.Label = (name) => (c.Labels ?? {})[String(name)] ?? '';
  methods.Platform = () => null;
  return new GoStruct('*formatter.ContainerContext', [], methods, () => {
    const j: Record<string, unknown> = {};
    for (const k of Object.keys(m).concat('Platform').sort()) j[k] = k === 'Platform' ? null : m[k]();
    return j;
  });
}
