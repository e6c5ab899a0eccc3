import type { Cli } from '../cli/cli.js';
import { StatusError } from '../cli/errors.js';
import type { Inspected } from '../engine/inspect.js';
import { inspectJSON, inspectTemplate, InspectTemplateError } from '../format/inspect.js';

/**
 * Print inspected objects as docker does: an indented JSON array (printed even when empty), or each
 * object through the template; then the errors for the names not found, exit 1 if any.
 */
export async function printInspected(cli: Cli, names: string[], format: string, find: (name: string) => Promise<Inspected>): Promise<void> {
  const found: Inspected[] = [];
  const errors: string[] = [];
  let printed = false;
  let out = ''; // docker's inspector buffers its output and flushes it once every name is resolved
  for (const n of names) {
    let f: Inspected;
    try {
      f = await find(n);
    } catch (e) {
      if (e instanceof StatusError && e.status !== 1) throw e;
      errors.push((e as Error).message);
      continue;
    }
    if (!format || format === 'json') {
      found.push(f);
      continue;
    }
    try {
      out += inspectTemplate(format, f.value, f.kind) + '\n';
      printed = true;
    } catch (e) {
      if (e instanceof InspectTemplateError) errors.push(e.message);
      else throw e;
    }
  }
  if (!format) cli.print(inspectJSON(found.map((f) => f.raw)));
  // --format json: the engine's objects as one compact JSON array
  else if (format === 'json') cli.print(`[${found.map((f) => f.raw.trim()).join(',')}]\n`);
  else cli.print(printed ? out : '\n');
  if (errors.length) throw new StatusError(errors.join('\n'), 1);
}
