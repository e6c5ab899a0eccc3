import { readFileSync } from 'node:fs';
import { parseDuration } from '../../cli/opts.js';
import { errnoText } from '../../cli/errors.js';
import { csvRecord } from '../../go/csv.js';

const isPem = (text: string): boolean => /-----BEGIN [^-\n]*-----\r?\n[\s\S]*?-----END [^-\n]*-----/.test(text);

/** swarm's ExternalCAOption: protocol=cfssl,url=...[,cacert=file][,other=options] (a CSV record). */
export function parseExternalCA(spec: string): Record<string, unknown> {
  const fields = csvRecord(spec);
  const ca: { Protocol?: string; URL?: string; CACert?: string; Options: Record<string, string> } = { Options: {} };
  let hasProtocol = false;
  let hasURL = false;
  for (const field of fields) {
    const i = field.indexOf('=');
    if (i < 0) throw new Error(`invalid field '${field}' must be a key=value pair`);
    const key = field.slice(0, i);
    const value = field.slice(i + 1);
    switch (key.toLowerCase()) {
      case 'protocol':
        hasProtocol = true;
        if (value.toLowerCase() !== 'cfssl') throw new Error(`unrecognized external CA protocol ${value}`);
        ca.Protocol = 'cfssl';
        break;
      case 'url':
        hasURL = true;
        ca.URL = value;
        break;
      case 'cacert': {
        let text: string;
        try {
          text = readFileSync(value, 'utf8');
        } catch (e) {
          throw new Error(`unable to read CA cert for external CA: open ${value}: ${errnoText(e) ?? (e as Error).message}`);
        }
        if (!isPem(text)) throw new Error('CA cert for external CA must be in PEM format');
        ca.CACert = text;
        break;
      }
      default:
        ca.Options[key] = value;
    }
  }
  if (!hasProtocol) throw new Error('the external-ca option needs a protocol= parameter');
  if (!hasURL) throw new Error('the external-ca option needs a url= parameter');
  return ca;
}

/** PEMFile.Set: the file's contents, which must hold a PEM block */
export function readPemFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`open ${path}: ${errnoText(e) ?? (e as Error).message}`);
  }
  if (!isPem(text)) throw new Error('file contents must be in PEM format');
  return text;
}

/** flag parsers shared by init, update and ca */
export const durationFlag = { parse: (t: string): string => (parseDuration(t), t) };
export const externalCAFlag = { kind: 'list' as const, default: [], parse: (t: string, prev: unknown): unknown => [...((prev as unknown[]) ?? []), parseExternalCA(t)] };
