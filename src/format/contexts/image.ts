/** docker/cli's imageContext and historyContext: the fields of `docker images` and `docker history`. */
import { GoStruct, type GoValue } from '../template/values.js';
import { ellipsis, timeAgo, truncateId } from '../humanize.js';
import { familiarName, parseNormalized } from '../../engine/refs.js';
import { DEFAULT_QUIET_FORMAT, type ListFormat } from '../list.js';
import { goLocalRFC3339, goLocalTimeString } from '../../go/time.js';
import { humanSize } from '../../go/units.js';

export interface ApiImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Created: number;
  Size: number;
  SharedSize: number;
  VirtualSize?: number;
  Containers: number;
  Labels?: Record<string, string> | null;
}

export const IMAGE_FORMAT: ListFormat = {
  defaultTable: 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}',
  headers: {
    Repository: 'REPOSITORY', Tag: 'TAG', Digest: 'DIGEST', ID: 'IMAGE ID', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT',
    Size: 'SIZE', Containers: 'CONTAINERS', SharedSize: 'SHARED SIZE', UniqueSize: 'UNIQUE SIZE', VirtualSize: 'SIZE',
  },
  quiet: DEFAULT_QUIET_FORMAT,
  raw: 'repository: {{ .Repository }}\ntag: {{.Tag}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n',
  rawQuiet: 'image_id: {{.ID}}',
};
export const IMAGE_DIGEST_TABLE = 'table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{if .CreatedSince }}{{.CreatedSince}}{{else}}N/A{{end}}\t{{.Size}}';
const IMAGE_DIGEST_RAW = 'repository: {{ .Repository }}\ntag: {{.Tag}}\ndigest: {{.Digest}}\nimage_id: {{.ID}}\ncreated_at: {{.CreatedAt}}\nvirtual_size: {{.Size}}\n';

/** docker's NewImageFormat: table, raw (with -q/--digests variants) or custom; a custom table gets a DIGEST column with --digests. */
export function imageFormat(source: string, quiet: boolean, digest: boolean): string {
  if (source === 'table') return quiet ? DEFAULT_QUIET_FORMAT : digest ? IMAGE_DIGEST_TABLE : IMAGE_FORMAT.defaultTable;
  if (source === 'raw') return quiet ? IMAGE_FORMAT.rawQuiet! : digest ? IMAGE_DIGEST_RAW : IMAGE_FORMAT.raw!;
  if (source.startsWith('table') && digest && !source.includes('{{.Digest}}')) return source + '\t{{.Digest}}';
  return source;
}

function isDangling(i: ApiImage): boolean {
  const tags = i.RepoTags ?? [];
  const digests = i.RepoDigests ?? [];
  if (tags.length === 0 && digests.length === 0) return true;
  return tags.length === 1 && tags[0] === '<none>:<none>' && digests.length === 1 && digests[0] === '<none>@<none>';
}

function imageRow(i: ApiImage, repo: string, tag: string, digest: string, trunc: boolean, now: number, tz: string | undefined): GoStruct {
  const m: Record<string, () => string> = {
    ID: () => (trunc ? truncateId(i.Id) : i.Id),
    Repository: () => repo,
    Tag: () => tag,
    Digest: () => digest,
    CreatedSince: () => timeAgo(i.Created, now),
    CreatedAt: () => goLocalTimeString(i.Created, tz),
    Size: () => humanSize(i.Size),
    Containers: () => (i.Containers === -1 ? 'N/A' : String(i.Containers)),
    // deprecated: the same figure as Size, at HumanSize's precision
    VirtualSize: () => humanSize(i.Size, 4),
    SharedSize: () => (i.SharedSize === -1 ? 'N/A' : humanSize(i.SharedSize, 4)),
    UniqueSize: () => (i.Size === -1 || i.SharedSize === -1 ? 'N/A' : humanSize(i.Size - i.SharedSize, 4)),
  };
  return new GoStruct('*formatter.imageContext', [], m as Record<string, () => GoValue>, () => {
    const j: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}

/**
 * One row per repository:tag (and per digest when needed), as docker lays images out.
 * digests: --digests; format: the format in use (a format naming {{.Digest}} also needs digests).
 */
export function imageRows(images: ApiImage[], o: { trunc: boolean; digests: boolean; now?: number; format?: string; tz?: string }): GoStruct[] {
  const needDigest = o.digests || (o.format ?? '').includes('{{.Digest}}');
  const now = o.now ?? Date.now();
  const rows: GoStruct[] = [];
  for (const i of images) {
    if (isDangling(i)) {
      rows.push(imageRow(i, '<none>', '<none>', '<none>', o.trunc, now, o.tz));
      continue;
    }
    const repoTags = new Map<string, string[]>();
    const repoDigests = new Map<string, string[]>();
    for (const s of i.RepoTags ?? []) {
      try {
        const r = parseNormalized(s);
        if (r.tag) {
          const n = familiarName(r);
          const tags = repoTags.get(n);
          if (tags) tags.push(r.tag);
          else repoTags.set(n, [r.tag]);
        }
      } catch {
        // not a valid reference: skipped, as docker does
      }
    }
    for (const s of i.RepoDigests ?? []) {
      try {
        const r = parseNormalized(s);
        if (r.digest) {
          const n = familiarName(r);
          const digests = repoDigests.get(n);
          if (digests) digests.push(r.digest);
          else repoDigests.set(n, [r.digest]);
        }
      } catch {
        // skipped
      }
    }
    for (const [repo, tags] of repoTags) {
      let digests = repoDigests.get(repo) ?? [];
      repoDigests.delete(repo);
      if (!needDigest) digests = [];
      for (const tag of tags) {
        if (digests.length === 0) rows.push(imageRow(i, repo, tag, '<none>', o.trunc, now, o.tz));
        else for (const d of digests) rows.push(imageRow(i, repo, tag, d, o.trunc, now, o.tz));
      }
    }
    for (const [repo, digests] of repoDigests) {
      if (o.digests) for (const d of digests) rows.push(imageRow(i, repo, '<none>', d, o.trunc, now, o.tz));
      else rows.push(imageRow(i, repo, '<none>', '', o.trunc, now, o.tz));
    }
  }
  return rows;
}

export interface ApiHistory {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags?: string[] | null;
  Size: number;
  Comment: string;
}

export const HISTORY_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
  headers: { ID: 'IMAGE', CreatedSince: 'CREATED', CreatedAt: 'CREATED AT', CreatedBy: 'CREATED BY', Size: 'SIZE', Comment: 'COMMENT' },
};

/** -H=false: docker's nonHumanHistoryTableFormat. */
export const HISTORY_FORMAT_NON_HUMAN: ListFormat = {
  ...HISTORY_FORMAT,
  defaultTable: 'table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}',
};

/** 2000-01-01T00:00:00Z: older layers show N/A */
const HISTORY_EPOCH = 946684800;


export function historyRow(h: ApiHistory, o: { trunc: boolean; human: boolean; now?: number; tz?: string }): GoStruct {
  const now = o.now ?? Date.now();
  const m: Record<string, () => string> = {
    ID: () => (o.trunc ? truncateId(h.Id) : h.Id),
    CreatedSince: () => (!o.human ? goLocalRFC3339(h.Created) : h.Created <= HISTORY_EPOCH ? 'N/A' : timeAgo(h.Created, now)),
    CreatedAt: () => goLocalRFC3339(h.Created),
    CreatedBy: () => {
      const c = (h.CreatedBy ?? '').replaceAll('\t', ' ');
      return o.trunc ? ellipsis(c, 45) : c;
    },
    Size: () => (o.human ? humanSize(h.Size) : String(h.Size)),
    Comment: () => h.Comment ?? '',
  };
  return new GoStruct('*image.historyContext', [], m as Record<string, () => GoValue>, () => {
    const j: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}
