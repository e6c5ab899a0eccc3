/** docker/cli's ContainerContext: the fields of `docker ps --format`. */
import { GoNil, GoStruct, type GoValue } from '../template/values.js';
import { ellipsis, timeAgo, truncateId } from '../humanize.js';
import { displayablePorts, type ApiPort } from '../ports.js';
import { DEFAULT_QUIET_FORMAT, FormatExecError, FormatParseError, type ListFormat } from '../list.js';
import { parseTemplate, TemplateError } from '../template/index.js';
import { familiarName, familiarString, parseNormalized } from '../../engine/refs.js';
import { goQuote } from '../../go/strconv.js';
import { goLocalTimeString } from '../../go/time.js';
import { humanSize } from '../../go/units.js';

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
  NetworkSettings?: { Networks?: Record<string, unknown> } | null;
  ImageManifestDescriptor?: { platform?: { architecture?: string; os?: string; variant?: string; 'os.version'?: string } | null } | null;
}

export const CONTAINER_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}',
  headers: {
    ID: 'CONTAINER ID', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT', RunningFor: 'CREATED',
    Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Names: 'NAMES', Labels: 'LABELS',
    Mounts: 'MOUNTS', LocalVolumes: 'LOCAL VOLUMES', Networks: 'NETWORKS', Platform: 'PLATFORM',
  },
  quiet: DEFAULT_QUIET_FORMAT,
  raw: 'container_id: {{.ID}}\nimage: {{.Image}}\ncommand: {{.Command}}\ncreated_at: {{.CreatedAt}}\nstate: {{- pad .State 1 0}}\nstatus: {{- pad .Status 1 0}}\nnames: {{.Names}}\nlabels: {{- pad .Labels 1 0}}\nports: {{- pad .Ports 1 0}}\n',
  rawQuiet: 'container_id: {{.ID}}',
};

export const CONTAINER_QUIET_FORMAT = DEFAULT_QUIET_FORMAT;

/** docker's NewContainerFormat: table/"" (with --size a SIZE column), raw, or custom (-q wins over custom). */
export function containerFormat(source: string, quiet: boolean, size: boolean): string {
  if (source === 'table' || source === '') {
    if (quiet) return DEFAULT_QUIET_FORMAT;
    return CONTAINER_FORMAT.defaultTable + (size ? '\t{{.Size}}' : '');
  }
  if (source === 'raw') {
    if (quiet) return CONTAINER_FORMAT.rawQuiet!;
    return CONTAINER_FORMAT.raw! + (size ? 'size: {{.Size}}\\n' : '');
  }
  return quiet ? DEFAULT_QUIET_FORMAT : source;
}

export interface ContainerContextOptions {
  trunc: boolean;
  now?: number;
  /** $TZ (undefined when unset): CreatedAt is in the local zone, as Go's time.Local */
  tz?: string;
}

function names(c: ApiContainer, trunc: boolean): string {
  let n = (c.Names ?? []).map((x) => x.slice(1));
  if (trunc) {
    const plain = n.find((x) => !x.includes('/'));
    if (plain !== undefined) n = [plain];
  }
  return n.join(',');
}

function image(c: ApiContainer, trunc: boolean): string {
  const img = c.Image ?? '';
  if (img === '') return '<no image>';
  if (!trunc) return img;
  const t = truncateId(c.ImageID ?? '');
  if (t === truncateId(img)) return t;
  // a listing names the same few images many times: each reference is parsed once
  let shown = imageTexts.get(img);
  if (shown === undefined) {
    try {
      const r = parseNormalized(img);
      // a tagged reference loses its digest; an untagged one is shown by name only
      shown = r.tag ? familiarString({ ...r, digest: undefined }) : familiarName(r);
    } catch {
      shown = img;
    }
    if (imageTexts.size < 4096) imageTexts.set(img, shown);
  }
  return shown;
}
const imageTexts = new Map<string, string>();

/** Go's sort.Strings order: byte-wise (UTF-16 order agrees for the BMP). */
function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** "k=v" joined with ",", sorted as docker sorts them. */
export function joinLabels(l: Record<string, string> | null | undefined): string {
  if (!l) return '';
  return Object.keys(l).map((k) => `${k}=${l[k]}`).sort(byteCompare).join(',');
}

/** containerd platforms.FormatAll: os[(osversion)]/arch[/variant] */
export function formatPlatform(p: { architecture?: string; os?: string; variant?: string; 'os.version'?: string }): string {
  let s = p.os || 'unknown';
  if (p['os.version']) s += `(${p['os.version']})`;
  s += '/' + (p.architecture || 'unknown');
  if (p.variant) s += '/' + p.variant;
  return s;
}

/** The fields `json .` marshals: the methods without arguments, and Platform, sorted as Go's map keys. */
const JSON_KEYS = ['ID', 'Names', 'Image', 'Command', 'CreatedAt', 'RunningFor', 'Ports', 'State', 'Status', 'Size', 'Labels', 'Mounts', 'LocalVolumes', 'Networks', 'Platform'].sort();

export function containerContext(c: ApiContainer, o: ContainerContextOptions): GoStruct {
  const now = o.now ?? Date.now();
  const m: Record<string, (...a: GoValue[]) => GoValue> = {
    ID: () => (o.trunc ? truncateId(c.Id) : c.Id),
    Names: () => names(c, o.trunc),
    Image: () => image(c, o.trunc),
    Command: () => goQuote(o.trunc ? ellipsis(c.Command ?? '', 20) : c.Command ?? ''),
    CreatedAt: () => goLocalTimeString(c.Created, o.tz),
    RunningFor: () => timeAgo(c.Created, now),
    Ports: () => displayablePorts(c.Ports ?? []),
    State: () => c.State,
    Status: () => c.Status,
    Size: () => {
      const rw = humanSize(c.SizeRw ?? 0);
      return (c.SizeRootFs ?? 0) > 0 ? `${rw} (virtual ${humanSize(c.SizeRootFs ?? 0)})` : rw;
    },
    Labels: () => joinLabels(c.Labels),
    Mounts: () =>
      (c.Mounts ?? []).map((mt) => {
        const n = mt.Name || mt.Source || '';
        return o.trunc ? ellipsis(n, 15) : n;
      }).join(','),
    LocalVolumes: () => String((c.Mounts ?? []).filter((mt) => mt.Driver === 'local').length),
    // Go ranges over a map here (random order); sorted so that output is stable
    Networks: () => Object.keys(c.NetworkSettings?.Networks ?? {}).sort(byteCompare).join(','),
  };
  const platform = (): GoValue => {
    const p = c.ImageManifestDescriptor?.platform;
    if (!p) return new GoNil('*formatter.Platform', 'ptr');
    // *formatter.Platform prints through its String method
    return formatPlatform(p);
  };
  const platformJSON = (): unknown => {
    const p = c.ImageManifestDescriptor?.platform;
    if (!p) return null;
    const j: Record<string, unknown> = { architecture: p.architecture ?? '', os: p.os ?? '' };
    if (p['os.version']) j['os.version'] = p['os.version'];
    if (p.variant) j.variant = p.variant;
    return j;
  };
  // one object per row (a listing makes thousands): the methods above, Label and Platform
  const methods = m;
  methods.Label = (name) => (c.Labels ?? {})[String(name)] ?? '';
  methods.Platform = platform;
  return new GoStruct('*formatter.ContainerContext', [], methods, () => {
    const j: Record<string, unknown> = {};
    for (const k of JSON_KEYS) j[k] = k === 'Platform' ? platformJSON() : m[k]();
    return j;
  });
}

/**
 * docker ps's check of a non-empty --format (buildContainerListOptions): the format as given (with its
 * "table" prefix and literal \t) is parsed and executed over an empty ContainerContext, whose header
 * map is set. A parse error is `failed to parse template: <msg>`, an execution error `failed to
 * execute template: <msg>` (thrown as FormatParseError / FormatExecError with the Go message).
 * Returns whether the template evaluated .Size (then docker asks the engine for sizes, unless -q,
 * --size or an explicit --size=false).
 */
export function checkContainerFormat(format: string): { usesSize: boolean } {
  let usesSize = false;
  const empty = containerContext({ Id: '', Image: '', Command: '', Created: 0, State: '', Status: '' }, { trunc: false, now: 0 });
  const methods: Record<string, (...a: GoValue[]) => GoValue> = { ...empty.methods };
  const size = methods.Size;
  methods.Size = (...a) => {
    usesSize = true;
    return size(...a);
  };
  const ctx = new GoStruct('*formatter.ContainerContext', [], methods, () => {
    usesSize = true;
    return empty.json?.();
  });
  let tmpl;
  try {
    tmpl = parseTemplate(format);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatParseError(e.message);
    throw e;
  }
  try {
    tmpl.execute(ctx);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatExecError(e.message);
    throw e;
  }
  return { usesSize };
}
