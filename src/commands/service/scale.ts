import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { waitOnService } from './progress.js';

export interface ServiceScaleOptions {
  detach: boolean;
}

export const spec = dockerSpec<ServiceScaleOptions>('service scale', { args: minArgs(1), run: runServiceScale });

export async function runServiceScale(cli: Cli, o: ServiceScaleOptions, args: string[], inv: Invocation): Promise<void> {
  for (const a of args) {
    const i = a.indexOf('=');
    if (i <= 0 || i === a.length - 1) {
      throw new StatusError(`invalid scale specifier '${a}'.\nSee '${inv.path} --help'.\n\nUsage:  ${inv.useLine}\n\n${spec.short}`, 1);
    }
  }
  const engine = await cli.engine();
  const errs: string[] = [];
  const done: string[] = [];
  for (const a of args) {
    const i = a.indexOf('=');
    const id = a.slice(0, i);
    const v = a.slice(i + 1);
    if (!/^\d+$/.test(v) || BigInt(v) > 18446744073709551615n) {
      errs.push(`${id}: invalid replicas value ${v}: strconv.ParseUint: parsing ${JSON.stringify(v)}: ${/^\d+$/.test(v) ? 'value out of range' : 'invalid syntax'}`);
      continue;
    }
    const n = Number(v);
    try {
      const s = await engine.json<any>({ path: `/services/${encodeURIComponent(id)}` });
      const mode = s.Spec.Mode;
      if (mode.Replicated) mode.Replicated.Replicas = n;
      else if (mode.ReplicatedJob) mode.ReplicatedJob.TotalCompletions = n;
      else throw new Error('scale can only be used with replicated or replicated-job mode');
      const r = await engine.json<any>({ method: 'POST', path: `/services/${s.ID}/update`, query: { version: s.Version.Index }, body: s.Spec });
      for (const w of r?.Warnings ?? []) cli.warn(w + '\n');
    } catch (e) {
      errs.push(`${id}: ${(e as Error).message}`);
      continue;
    }
    cli.print(`${id} scaled to ${n}\n`);
    done.push(id);
  }
  if (!o.detach) {
    for (const id of done) {
      try {
        await waitOnService(cli, engine, id, false);
      } catch (e) {
        errs.push(`${id}: ${(e as Error).message}`);
      }
    }
  }
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
