/** docker events: the plain line (prettyPrintEvent) and the *events.Message value for --format. */
import { goLocalRFC3339NanoFixed } from '../go/time.js';
import { GoInt, GoMap, GoStruct, type GoValue } from './template/values.js';

export interface ApiEvent {
  /** the deprecated fields engines up to API 1.51 still send (docker 28 decodes and prints them) */
  status?: string;
  id?: string;
  from?: string;
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> | null };
  scope?: string;
  time?: number;
  timeNano?: number;
}

function nanoOf(raw: string): bigint | null {
  const m = /"timeNano":\s*(\d+)/.exec(raw);
  return m ? BigInt(m[1]) : null;
}

/**
 * One event as docker prints it without --format (prettyPrintEvent; raw is the JSON line, for exact
 * nanoseconds): the time as time.Unix gives it, in the local zone ($TZ honoured), RFC3339NanoFixed.
 */
export function eventLine(e: ApiEvent, raw: string): string {
  let out = '';
  const nano = nanoOf(raw);
  if (nano !== null && nano !== 0n) out += goLocalRFC3339NanoFixed(nano) + ' ';
  else if (e.time) out += goLocalRFC3339NanoFixed(BigInt(e.time) * 1000000000n) + ' ';
  out += `${e.Type ?? ''} ${e.Action ?? ''} ${e.Actor?.ID ?? ''}`;
  const attrs = e.Actor?.Attributes ?? {};
  const keys = Object.keys(attrs).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (keys.length) out += ` (${keys.map((k) => `${k}=${attrs[k]}`).join(', ')})`;
  return out + '\n';
}

/** The event as docker's *events.Message (fields Type, Action, Actor, Scope, Time, TimeNano). */
export function eventValue(e: ApiEvent, raw: string): GoStruct {
  const attrs: Record<string, GoValue> = {};
  for (const [k, v] of Object.entries(e.Actor?.Attributes ?? {})) attrs[k] = v;
  const actor = new GoStruct('events.Actor', [
    ['ID', e.Actor?.ID ?? ''],
    ['Attributes', new GoMap(attrs, 'map[string]string')],
  ], {}, () => ({ ID: e.Actor?.ID ?? '', Attributes: e.Actor?.Attributes ? new GoMap(attrs, 'map[string]string') : null }));
  const nano = nanoOf(raw) ?? 0n;
  const fields: [string, GoValue][] = [
    // the deprecated Status, ID and From fields, as the engine sent them (docker 28 keeps them)
    ['Status', e.status ?? ''],
    ['ID', e.id ?? ''],
    ['From', e.from ?? ''],
    ['Type', e.Type ?? ''],
    ['Action', e.Action ?? ''],
    ['Actor', actor],
    ['Scope', e.scope ?? ''],
    ['Time', new GoInt(e.time ?? 0, 'int64')],
    // int64 beyond double precision: the digits are kept exactly (printed and marshalled as text)
    ['TimeNano', new GoInt(nano as unknown as number, 'int64')],
  ];
  // JSON marshalled as docker does (the deprecated fields omitted when empty, exact nanoseconds)
  const legacy: Record<string, string> = {};
  if (e.status) legacy.status = e.status;
  if (e.id) legacy.id = e.id;
  if (e.from) legacy.from = e.from;
  const json = (): unknown => ({ ...legacy, Type: e.Type ?? '', Action: e.Action ?? '', Actor: { ID: e.Actor?.ID ?? '', Attributes: e.Actor?.Attributes ? new GoMap(attrs, 'map[string]string') : null }, scope: e.scope ?? '', time: e.time ?? 0, timeNano: new GoInt(nano as unknown as number, 'int64') });
  return new GoStruct('*events.Message', fields, {}, json, false);
}
