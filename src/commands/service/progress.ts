import type { Cli } from '../../cli/cli.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Wait until the service has converged (every desired task running, or a job's tasks complete) and stays so
 * for docker's 5 s monitor period, printing docker's plain progress lines (-q: nothing). docker's per-task
 * bars and its redrawn terminal display are not reproduced.
 */
export async function waitOnService(cli: Cli, engine: Engine, id: string, quiet: boolean): Promise<void> {
  let last = '';
  for (;;) {
    const svc = await engine.json<any>({ path: `/services/${encodeURIComponent(id)}` });
    const tasks = await engine.json<any[]>({ path: '/tasks', query: { filters: JSON.stringify({ service: { [id]: true }, 'desired-state': { running: true } }) } });
    const isJob = !!(svc.Spec.Mode.ReplicatedJob || svc.Spec.Mode.GlobalJob);
    const nodes = svc.Spec.Mode.Global || svc.Spec.Mode.GlobalJob ? await engine.json<any[]>({ path: '/nodes' }) : [];
    const want = svc.Spec.Mode.Replicated ? svc.Spec.Mode.Replicated.Replicas ?? 1 : svc.Spec.Mode.ReplicatedJob ? svc.Spec.Mode.ReplicatedJob.TotalCompletions ?? 1 : nodes.filter((n) => n.Status?.State === 'ready' && n.Spec?.Availability === 'active').length;
    const done = tasks.filter((t) => t.Status?.State === (isJob ? 'complete' : 'running')).length;
    const line = `overall progress: ${Math.min(done, want)} out of ${want} tasks`;
    if (!quiet && line !== last) cli.print(line + '\n');
    last = line;
    if (done >= want) {
      // docker watches the tasks for its monitor period (5 s) before it calls the service converged
      if (!quiet) cli.print('verify: Waiting 5 seconds to verify that tasks are stable...\n');
      await sleep(5000);
      const again = await engine.json<any[]>({ path: '/tasks', query: { filters: JSON.stringify({ service: { [id]: true }, 'desired-state': { running: true } }) } });
      if (again.filter((t) => t.Status?.State === (isJob ? 'complete' : 'running')).length >= want) break;
      last = '';
      continue;
    }
    await sleep(500);
  }
  if (!quiet) cli.print('verify: Service converged\n');
}
