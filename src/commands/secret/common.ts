import { readFileSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { StatusError } from '../../cli/errors.js';
import { keyValues } from '../../cli/keyvalues.js';
import { filtersQuery } from '../../cli/filters.js';
import { DaemonError } from '../../engine/errors.js';
import { fileObjectContext, fileObjectPretty, CONFIG_FORMAT, SECRET_FORMAT } from '../../format/contexts/swarm.js';
import { forEachTarget } from '../../engine/targets.js';
import { listFormat, printList } from '../print-list.js';
import { printInspected } from '../print-inspected.js';

export type FileKind = 'secret' | 'config';

/** readSecretData / readConfigData: the file's bytes or stdin's, never empty. */
function readData(cli: Cli, file: string, kind: FileKind): Buffer {
  if (file === '' && kind === 'secret') throw new StatusError('secret file is required', 1);
  let data: Buffer;
  const where = file === '-' ? 'STDIN' : file;
  try {
    data = readFileSync(file === '-' ? (cli.in.fd ?? 0) : file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? `open ${file}: no such file or directory` : err.code === 'EISDIR' ? `read ${file}: is a directory` : err.message;
    throw new StatusError(`error reading from ${where}: ${why}`, 1);
  }
  if (!data.length) throw new StatusError(`error reading from ${where}: data is empty`, 1);
  return data;
}

export async function createFileObject(cli: Cli, kind: FileKind, o: { label: string[]; templateDriver: string; driver?: string }, name: string, file: string | undefined): Promise<void> {
  const spec: Record<string, unknown> = { Name: name, Labels: keyValues(o.label) };
  if (o.driver) {
    if (file) throw new StatusError('When using secret driver secret data must be empty', 1);
    spec.Driver = { Name: o.driver };
  } else spec.Data = readData(cli, file ?? '', kind).toString('base64');
  if (o.templateDriver) spec.Templating = { Name: o.templateDriver };
  const engine = await cli.engine();
  const r = await engine.json<{ ID: string }>({ method: 'POST', path: `/${kind}s/create`, body: spec });
  cli.print(r.ID + '\n');
}

export async function listFileObjects(cli: Cli, kind: FileKind, o: { filter: string[]; format: string; quiet: boolean }): Promise<void> {
  const engine = await cli.engine();
  const list = (await engine.json<any[]>({ path: `/${kind}s`, query: { filters: filtersQuery(o.filter) } })) ?? [];
  list.sort((a, b) => String(a.Spec?.Name).localeCompare(String(b.Spec?.Name), undefined, { numeric: true }));
  const configured = (kind === 'secret' ? cli.config.file.secretFormat : cli.config.file.configFormat) as string | undefined;
  printList(cli, listFormat(o.format, configured, o.quiet, '{{.ID}}'), list.map((x) => fileObjectContext(kind, x)), kind === 'secret' ? SECRET_FORMAT : CONFIG_FORMAT);
}

export async function inspectFileObjects(cli: Cli, kind: FileKind, o: { format: string; pretty: boolean }, names: string[]): Promise<void> {
  const engine = await cli.engine();
  const get = async (n: string): Promise<string> => {
    try {
      return await engine.text({ path: `/${kind}s/${encodeURIComponent(n)}` });
    } catch (e) {
      if (e instanceof DaemonError && e.notFound) throw new StatusError(e.message, 1);
      throw e;
    }
  };
  if (!o.pretty && o.format !== 'pretty') {
    await printInspected(cli, names, o.format, async (n) => {
      const raw = await get(n);
      return { kind, raw, value: JSON.parse(raw) };
    });
    return;
  }
  let out = '';
  for (const n of names) out += fileObjectPretty(kind, JSON.parse(await get(n))) + '\n';
  cli.print(out);
}

export async function removeFileObjects(cli: Cli, kind: FileKind, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await forEachTarget(cli, names, async (n) => {
    await engine.json({ method: 'DELETE', path: `/${kind}s/${encodeURIComponent(n)}` });
  }, { echo: true });
}
