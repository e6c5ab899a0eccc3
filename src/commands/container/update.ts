import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { forEachTarget } from '../../engine/targets.js';
import { ramInBytes } from '../../cli/opts.js';

export interface UpdateOptions {
  blkioWeight: number;
  cpuPeriod: number;
  cpuQuota: number;
  cpuRtPeriod: number;
  cpuRtRuntime: number;
  cpuShares: number;
  cpus: number;
  cpusetCpus: string;
  cpusetMems: string;
  memory: number;
  memoryReservation: number;
  memorySwap: number;
  pidsLimit: number;
  restart: string;
}

const rational = (v: string): number => {
  const n = Number(v);
  if (v.trim() === '' || Number.isNaN(n)) throw new Error(`failed to parse ${v} as a rational number`);
  return n;
};

export const spec = dockerSpec<UpdateOptions>('container update', {
  args: minArgs(1),
  flags: {
    memory: { parse: ramInBytes },
    'memory-reservation': { parse: ramInBytes },
    'memory-swap': { parse: (v) => (v === '-1' ? -1 : ramInBytes(v)) },
    cpus: { parse: rational },
  },
  run: runUpdate,
});

export async function runUpdate(cli: Cli, o: UpdateOptions, names: string[], inv: Invocation): Promise<void> {
  if (inv.changed.size === 0) throw new StatusError('you must provide one or more flags when using this command', 1);
  const body: Record<string, unknown> = {};
  const set = (key: string, flag: keyof UpdateOptions, value: unknown = o[flag]): void => {
    if (inv.changed.has(flag)) body[key] = value;
  };
  set('BlkioWeight', 'blkioWeight');
  set('CpuPeriod', 'cpuPeriod');
  set('CpuQuota', 'cpuQuota');
  set('CpuRealtimePeriod', 'cpuRtPeriod');
  set('CpuRealtimeRuntime', 'cpuRtRuntime');
  set('CpuShares', 'cpuShares');
  set('NanoCpus', 'cpus', Math.round(o.cpus * 1e9));
  set('CpusetCpus', 'cpusetCpus');
  set('CpusetMems', 'cpusetMems');
  set('Memory', 'memory');
  set('MemoryReservation', 'memoryReservation');
  set('MemorySwap', 'memorySwap');
  set('PidsLimit', 'pidsLimit');
  if (inv.changed.has('restart')) {
    const [name, count] = o.restart.split(':');
    body.RestartPolicy = { Name: name, MaximumRetryCount: count ? Number(count) : 0 };
  }
  const engine = await cli.engine();
  await forEachTarget(cli, names, async (n) => {
    const r = await engine.json<{ Warnings?: string[] | null }>({ method: 'POST', path: `/containers/${encodeURIComponent(n)}/update`, body });
    for (const w of r?.Warnings ?? []) cli.warn(`${w}\n`);
  }, { echo: true });
}
