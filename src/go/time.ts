/** Go's time package: Time.String(), the local zone as time.Local loads it. */
import { readFileSync } from 'node:fs';

/** Go's time.Time.String() for a UTC time: 2026-11-22 12:46:44 +0000 UTC */
export function goTimeString(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

// ---- the local zone, as Go's time.Local loads it ---------------------------------------------------

interface Zone {
  /** transition times (unix seconds) and the index of the type in force from each */
  times: number[];
  idx: number[];
  types: { off: number; dst: boolean; abbr: string }[];
  /** the footer's POSIX rule names (std, dst), for times after the last transition */
  std?: string;
  dstName?: string;
}

const zones = new Map<string, Zone | null>();

/** The TZif file time.Local reads for $TZ: unset -> /etc/localtime, "" or "UTC" -> none, a name under /usr/share/zoneinfo. */
function zoneFile(tz: string | undefined): string | undefined {
  if (tz === undefined) return '/etc/localtime';
  const t = tz.startsWith(':') ? tz.slice(1) : tz;
  if (t === '' || t === 'UTC') return undefined;
  return t.startsWith('/') ? t : `/usr/share/zoneinfo/${t}`;
}

function loadZone(file: string): Zone | null {
  if (zones.has(file)) return zones.get(file)!;
  let z: Zone | null = null;
  try {
    z = parseTZif(readFileSync(file));
  } catch {
    z = null;
  }
  zones.set(file, z);
  return z;
}

function parseTZif(b: Buffer): Zone | null {
  if (b.toString('latin1', 0, 4) !== 'TZif') return null;
  const counts = (at: number): number[] => [0, 1, 2, 3, 4, 5].map((i) => b.readUInt32BE(at + 20 + i * 4));
  let [isutc, isstd, leap, timecnt, typecnt, charcnt] = counts(0);
  let at = 44;
  let wide = false;
  if (b[4] >= 0x32) {
    // skip the 32-bit block for the 64-bit one
    at += timecnt * 4 + timecnt + typecnt * 6 + charcnt + leap * 8 + isstd + isutc;
    [isutc, isstd, leap, timecnt, typecnt, charcnt] = counts(at);
    at += 44;
    wide = true;
  }
  const times: number[] = [];
  for (let i = 0; i < timecnt; i++) times.push(wide ? Number(b.readBigInt64BE(at + i * 8)) : b.readInt32BE(at + i * 4));
  at += timecnt * (wide ? 8 : 4);
  const idx = [...b.subarray(at, at + timecnt)];
  at += timecnt;
  const raw: { off: number; dst: boolean; ai: number }[] = [];
  for (let i = 0; i < typecnt; i++) raw.push({ off: b.readInt32BE(at + i * 6), dst: b[at + i * 6 + 4] === 1, ai: b[at + i * 6 + 5] });
  at += typecnt * 6;
  const chars = b.toString('latin1', at, at + charcnt);
  at += charcnt + leap * (wide ? 12 : 8) + isstd + isutc;
  const types = raw.map((t) => ({ off: t.off, dst: t.dst, abbr: chars.slice(t.ai, chars.indexOf('\0', t.ai) < 0 ? undefined : chars.indexOf('\0', t.ai)) }));
  const z: Zone = { times, idx, types };
  if (wide) {
    const footer = b.toString('latin1', at).split('\n')[1] ?? '';
    const m = /^(<[^>]*>|[A-Za-z]+)[-+\d:]+(<[^>]*>|[A-Za-z]+)?/.exec(footer);
    if (m) {
      z.std = m[1].replace(/^<|>$/g, '');
      z.dstName = m[2]?.replace(/^<|>$/g, '');
    }
  }
  return z;
}

/** The zone name Go prints for a time in zone z whose UTC offset (seconds east) is off. */
function abbreviation(z: Zone, unix: number, off: number): string | undefined {
  let i = -1;
  for (let k = 0; k < z.times.length && z.times[k] <= unix; k++) i = k;
  if (i >= 0 && i < z.times.length - 1) return z.types[z.idx[i]]?.abbr;
  if (z.std !== undefined) {
    const last = i >= 0 ? z.types[z.idx[i]] : z.types[0];
    if (!z.dstName) return z.std;
    if (last && last.off === off) return last.abbr;
    const std = z.types.find((t) => !t.dst && t.abbr === z.std);
    return std && std.off === off ? z.std : z.dstName;
  }
  return i >= 0 ? z.types[z.idx[i]]?.abbr : z.types[0]?.abbr;
}

/**
 * Go's time.Unix(sec, 0).String(), in the local zone as Go's time.Local has it for $TZ
 * (tz: the TZ variable, undefined when unset): 2026-12-01 20:15:14 -0500 EST. The offset is the one
 * Node's Date uses for the same TZ; the zone's name comes from its zoneinfo file.
 */
export function goLocalTimeString(unixSeconds: number, tz: string | undefined): string {
  const file = zoneFile(tz);
  const z = file ? loadZone(file) : null;
  if (!z) return goTimeString(unixSeconds);
  const d = new Date(unixSeconds * 1000);
  const off = -d.getTimezoneOffset() * 60;
  const name = abbreviation(z, unixSeconds, off) ?? 'UTC';
  const p = (n: number): string => String(n).padStart(2, '0');
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())} ${sign}${p(Math.floor(a / 3600))}${p(Math.floor((a % 3600) / 60))} ${name}`;
}

/** The local wall clock of a time as Go's Format writes it (2006-01-02T15:04:05) and its zone as Z07:00 (Z at offset 0). */
function localRFC3339Parts(unixSeconds: number): [string, string] {
  const d = new Date(unixSeconds * 1000);
  const off = -d.getTimezoneOffset() * 60;
  const p = (n: number): string => String(n).padStart(2, '0');
  const a = Math.abs(off);
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${p(Math.floor(a / 3600))}:${p(Math.floor((a % 3600) / 60))}`;
  return [`${String(d.getFullYear()).padStart(4, '0')}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`, zone];
}

/** Go's time.Unix(sec, 0).Format(time.RFC3339) in the local zone: 2026-12-01T20:15:14-05:00 (Z in UTC). */
export function goLocalRFC3339(unixSeconds: number): string {
  const [clock, zone] = localRFC3339Parts(unixSeconds);
  return clock + zone;
}

/**
 * Go's time.Unix(0, nsec).Format(RFC3339NanoFixed) ("2006-01-02T15:04:05.000000000Z07:00", jsonmessage's and
 * docker events' layout) in the local zone, nanoseconds exact: 2026-12-02T10:18:51.628486291+09:00.
 */
export function goLocalRFC3339NanoFixed(unixNanos: bigint): string {
  let secs = unixNanos / 1000000000n;
  let nanos = unixNanos % 1000000000n;
  if (nanos < 0n) {
    secs -= 1n;
    nanos += 1000000000n;
  }
  const [clock, zone] = localRFC3339Parts(Number(secs));
  return `${clock}.${String(nanos).padStart(9, '0')}${zone}`;
}

/** Go's time.Duration.String(): 1h2m3.5s, 1.5ms, 1µs, 0s. */
export function goDuration(ns: number | bigint): string {
  let u = BigInt(ns);
  const neg = u < 0n;
  if (neg) u = -u;
  const frac = (v: bigint, digits: number): string => {
    const s = v.toString().padStart(digits, '0').replace(/0+$/, '');
    return s ? '.' + s : '';
  };
  let out: string;
  if (u < 1000000000n) {
    // below a second: the largest unit that keeps a whole part
    if (u === 0n) return '0s';
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1000000n) out = `${u / 1000n}${frac(u % 1000n, 3)}µs`;
    else out = `${u / 1000000n}${frac(u % 1000000n, 6)}ms`;
  } else {
    const secs = u / 1000000000n;
    const s = `${secs % 60n}${frac(u % 1000000000n, 9)}s`;
    const mins = secs / 60n;
    if (mins === 0n) out = s;
    else {
      const hours = mins / 60n;
      out = hours === 0n ? `${mins % 60n}m${s}` : `${hours}h${mins % 60n}m${s}`;
    }
  }
  return neg ? '-' + out : out;
}
