/** compose attach, commit, export, scale: the service's container through the container verbs. */
import { StatusError } from '../../cli/errors.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import type { ComposeContext } from './index.js';
import { L, name, type Summary } from './project.js';
import { progress, runUp } from './verbs.js';

/** getSpecifiedContainer: the service's container #index (its lowest-numbered one when 0), one-offs last. */
export async function specifiedContainer(engine: Engine, project: string, service: string, index: number, all = false): Promise<Summary> {
  const label = [`${L.project}=${project}`, `${L.service}=${service}`];
  if (index > 0) label.push(`${L.number}=${index}`);
  const list = await engine.json<Summary[]>({ path: '/containers/json', query: { all: all ? '1' : undefined, filters: JSON.stringify({ label }) } });
  if (list.length === 0) throw new StatusError(index > 0 ? `service "${service}" is not running container #${index}` : `service "${service}" is not running`, 1);
  list.sort((a, b) => {
    const oa = a.Labels[L.oneoff] === 'True', ob = b.Labels[L.oneoff] === 'True';
    if (oa || ob) return oa === ob ? 0 : oa ? 1 : -1;
    return Number(a.Labels[L.number] ?? 0) - Number(b.Labels[L.number] ?? 0);
  });
  return list[0];
}

export async function runAttachVerb(ctx: ComposeContext, o: Record<string, any>, [service]: string[]): Promise<void> {
  const engine = await ctx.engine();
  const c = await specifiedContainer(engine, ctx.projectName(), service, o.index || 0);
  const { runAttach } = await import('../container/attach.js');
  await runAttach(ctx.cli, { detachKeys: o.detachKeys ?? '', noStdin: !!o.noStdin, sigProxy: o.sigProxy !== false }, [c.Id]);
}

export async function runCommitVerb(ctx: ComposeContext, o: Record<string, any>, [service, ref]: string[]): Promise<void> {
  const engine = await ctx.engine();
  const c = await specifiedContainer(engine, ctx.projectName(), service, o.index || 0);
  const pr = progress(ctx);
  const n = name(c);
  pr.event({ kind: '', name: n, text: `Commit ${n}`, status: 'Committing' });
  if (ctx.dryRun) {
    pr.event({ kind: '', name: n, text: `Commit ${n}`, status: 'Committed', done: true });
    return;
  }
  const query: Record<string, unknown> = { container: c.Id, comment: o.message || undefined, author: o.author || undefined, pause: o.pause === false ? '0' : '1', changes: o.change?.length ? o.change : undefined };
  if (ref) {
    const i = ref.lastIndexOf(':');
    if (i > 0 && !ref.slice(i).includes('/')) {
      query.repo = ref.slice(0, i);
      query.tag = ref.slice(i + 1);
    } else query.repo = ref;
  }
  const r = await engine.json<{ Id: string }>({ method: 'POST', path: '/commit', query, body: {} });
  pr.event({ kind: '', name: n, text: `Commit ${n}`, status: `Committed as ${r.Id}`, done: true });
}

export async function runExportVerb(ctx: ComposeContext, o: Record<string, any>, [service]: string[]): Promise<void> {
  const engine = await ctx.engine();
  const c = await specifiedContainer(engine, ctx.projectName(), service, o.index || 0);
  if (!o.output && ctx.cli.out.isTTY) throw new StatusError('output option is required when exporting to terminal', 1);
  const pr = progress(ctx);
  const n = name(c);
  pr.event({ kind: '', name: n, text: `export ${n} to ${o.output ?? ''}`, status: 'Exporting' });
  if (!ctx.dryRun) {
    const { runExport } = await import('../container/export.js');
    await runExport(ctx.cli, { output: o.output ?? '' }, [c.Id]);
  }
}

export async function runScaleVerb(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const scale: string[] = [];
  for (const a of args) {
    const i = a.indexOf('=');
    const k = i < 0 ? '' : a.slice(0, i);
    const v = i < 0 ? '' : a.slice(i + 1);
    if (!k || !v) throw new StatusError(`invalid scale specifier: ${a}`, 1);
    if (!/^[+-]?\d+$/.test(v)) throw new StatusError(`invalid scale specifier: can't parse replica value as int: ${a}`, 1);
    scale.push(`${k}=${Number(v)}`);
  }
  const services = [...new Set(scale.map((s) => s.split('=')[0]))].sort();
  await runUp(ctx, { detach: true, scale, noDeps: !!o.noDeps, noRecreate: false }, services);
}
