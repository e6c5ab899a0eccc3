import { GoStruct, GoNil, GoSlice, GoMap, type GoValue } from './template/values.js';
import { parseTemplate, TemplateError } from './template/index.js';
import { StatusError } from '../cli/errors.js';
import { tabwrite } from './table.js';

/** The API version docker 28.2 speaks by default. */
export const CLIENT_API_VERSION_DEFAULT = '1.50';

export interface ClientVersion {
  Version: string;
  ApiVersion: string;
  DefaultAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  BuildTime: string;
  Context: string;
}

export interface ServerVersion {
  Platform?: { Name: string };
  Components?: { Name: string; Version: string; Details?: Record<string, string> }[];
  Version: string;
  ApiVersion: string;
  MinAPIVersion: string;
  GitCommit: string;
  GoVersion: string;
  Os: string;
  Arch: string;
  KernelVersion?: string;
  Experimental?: boolean;
  BuildTime?: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** docker's reformatDate: an RFC 3339 build time shown as Go's time.ANSIC ("Mon Jan _2 15:04:05 2006"). */
export function ansicDate(s: string): string {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

export interface VersionInfo {
  client: ClientVersion;
  server?: ServerVersion;
}

export function versionInfo(client: ClientVersion, server?: ServerVersion): VersionInfo {
  if (server?.Components) {
    for (const c of server.Components) {
      if (c.Name === 'Engine' && c.Details?.BuildTime) c.Details = { ...c.Details, BuildTime: ansicDate(c.Details.BuildTime) };
    }
  }
  return { client, server };
}

export function clientStruct(c: ClientVersion): GoStruct {
  return new GoStruct(
    'system.clientVersion',
    [
      ['Platform', new GoNil('*system.platformInfo', 'ptr')],
      ['Version', c.Version],
      ['APIVersion', c.ApiVersion],
      ['DefaultAPIVersion', c.DefaultAPIVersion],
      ['GitCommit', c.GitCommit],
      ['GoVersion', c.GoVersion],
      ['Os', c.Os],
      ['Arch', c.Arch],
      ['BuildTime', c.BuildTime],
      ['Context', c.Context],
    ],
    {},
    () => ({
      Version: c.Version, ApiVersion: c.ApiVersion, DefaultAPIVersion: c.DefaultAPIVersion, GitCommit: c.GitCommit,
      GoVersion: c.GoVersion, Os: c.Os, Arch: c.Arch, BuildTime: c.BuildTime, Context: c.Context,
    }),
  );
}

function serverStruct(s: ServerVersion): GoStruct {
  const components = (s.Components ?? []).map(
    (c) =>
      new GoStruct('types.ComponentVersion', [
        ['Name', c.Name],
        ['Version', c.Version],
        ['Details', c.Details ? new GoMap({ ...c.Details }, 'map[string]string') : new GoNil('map[string]string', 'map')],
      ]),
  );
  const fields: [string, GoValue][] = [
    ['Platform', new GoStruct('struct { Name string }', [['Name', s.Platform?.Name ?? '']])],
    ['Components', new GoSlice(components, '[]types.ComponentVersion')],
    ['Version', s.Version],
    ['APIVersion', s.ApiVersion],
    ['MinAPIVersion', s.MinAPIVersion],
    ['GitCommit', s.GitCommit],
    ['GoVersion', s.GoVersion],
    ['Os', s.Os],
    ['Arch', s.Arch],
    ['KernelVersion', s.KernelVersion ?? ''],
    ['Experimental', !!s.Experimental],
    ['BuildTime', s.BuildTime ?? ''],
  ];
  return new GoStruct('*types.Version', fields, {}, () => {
    const j: Record<string, unknown> = {
      Platform: { Name: s.Platform?.Name ?? '' },
      Components: (s.Components ?? []).map((c) => ({ Name: c.Name, Version: c.Version, ...(c.Details ? { Details: c.Details } : {}) })),
      Version: s.Version, ApiVersion: s.ApiVersion, MinAPIVersion: s.MinAPIVersion, GitCommit: s.GitCommit,
      GoVersion: s.GoVersion, Os: s.Os, Arch: s.Arch,
    };
    if (s.KernelVersion) j.KernelVersion = s.KernelVersion;
    if (s.Experimental) j.Experimental = true;
    if (s.BuildTime) j.BuildTime = s.BuildTime;
    return j;
  });
}

export function versionStruct(v: VersionInfo): GoStruct {
  const server = v.server ? serverStruct(v.server) : new GoNil('*types.Version', 'ptr');
  return new GoStruct(
    'system.versionInfo',
    [
      ['Client', clientStruct(v.client)],
      ['Server', server],
    ],
    {},
    () => {
      const j: Record<string, unknown> = { Client: (clientStruct(v.client).json as () => unknown)() };
      j.Server = v.server ? (serverStruct(v.server).json as () => unknown)() : null;
      return j;
    },
  );
}

function line(key: string, value: string): string {
  return `${key}\t${value}\n`;
}

/** docker writes version output through tabwriter.NewWriter(out, 20, 1, 1, ' ', 0). */
const VERSION_TABS = { minwidth: 20, padding: 1 };

/** The default `docker version` output. */
export function defaultVersionText(v: VersionInfo): string {
  return tabwrite(defaultVersionCells(v), VERSION_TABS);
}

function defaultVersionCells(v: VersionInfo): string {
  const c = v.client;
  let out = 'Client:\n';
  out += line(' Version:', c.Version);
  out += line(' API version:', c.ApiVersion + (c.ApiVersion !== c.DefaultAPIVersion ? ` (downgraded from ${c.DefaultAPIVersion})` : ''));
  out += line(' Go version:', c.GoVersion);
  out += line(' Git commit:', c.GitCommit);
  out += line(' Built:', c.BuildTime);
  out += line(' OS/Arch:', `${c.Os}/${c.Arch}`);
  out += line(' Context:', c.Context);
  const s = v.server;
  if (!s) return out;
  out += `\nServer:${s.Platform?.Name ? ' ' + s.Platform.Name : ''}\n`;
  for (const comp of s.Components ?? []) {
    out += ` ${comp.Name}:\n`;
    const d = comp.Details ?? {};
    if (comp.Name === 'Engine') {
      out += line('  Version:', comp.Version);
      out += line('  API version:', `${d.ApiVersion ?? ''} (minimum version ${d.MinAPIVersion ?? ''})`);
      out += line('  Go version:', d.GoVersion ?? '');
      out += line('  Git commit:', d.GitCommit ?? '');
      out += line('  Built:', d.BuildTime ?? '');
      out += line('  OS/Arch:', `${d.Os ?? ''}/${d.Arch ?? ''}`);
      out += line('  Experimental:', d.Experimental ?? '');
    } else {
      out += line('  Version:', comp.Version);
      // docker prints GitCommit first, then the other keys sorted
      const keys = Object.keys(d).sort();
      const ordered = keys.includes('GitCommit') ? ['GitCommit', ...keys.filter((k) => k !== 'GitCommit')] : keys;
      for (const k of ordered) out += line(`  ${k}:`, d[k]);
    }
  }
  return out;
}

/** `docker version [--format]` output. */
export function renderVersion(v: VersionInfo, format: string): string {
  if (!format) return defaultVersionText(v);
  const tmpl = format === 'json' ? '{{json .}}' : format;
  let t;
  try {
    t = parseTemplate(tmpl, { name: 'version' });
  } catch (e) {
    if (e instanceof TemplateError) throw new StatusError(`template parsing error: ${e.message}`, 64);
    throw e;
  }
  try {
    return tabwrite(t.execute(versionStruct(v)) + '\n', VERSION_TABS);
  } catch (e) {
    // docker writes the line's newline to stdout before it reports the failure
    if (e instanceof TemplateError) throw new VersionTemplateError(e.message, tabwrite(e.partial + '\n', VERSION_TABS));
    throw e;
  }
}

/** A template that failed while executing: docker prints an empty line on stdout, then the error. */
export class VersionTemplateError extends StatusError {
  constructor(
    message: string,
    /** what the template wrote before it failed, and the line's end (Go writes as it goes) */
    readonly partial = '\n',
  ) {
    super(message);
  }
}

