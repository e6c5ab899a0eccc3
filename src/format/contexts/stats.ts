/** docker/cli's stats: what the engine's stats JSON turns into, and the statsContext fields. */
import { GoStruct, type GoValue } from '../template/values.js';
import { sprintf } from '../template/index.js';
import { truncateId } from '../humanize.js';
import type { ListFormat } from '../list.js';
import { bytesSize, humanSize } from '../../go/units.js';

export interface StatsEntry {
  container: string;
  name: string;
  id: string;
  cpuPercent: number;
  memory: number;
  memoryLimit: number;
  memoryPercent: number;
  networkRx: number;
  networkTx: number;
  blockRead: number;
  blockWrite: number;
  pids: number;
}

export const STATS_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}',
  headers: { Container: 'CONTAINER', ID: 'CONTAINER ID', Name: 'NAME', CPUPerc: 'CPU %', MemUsage: 'MEM USAGE / LIMIT', MemPerc: 'MEM %', NetIO: 'NET I/O', BlockIO: 'BLOCK I/O', PIDs: 'PIDS' },
};

/** The engine's stats JSON (GET /containers/{id}/stats) as docker computes its figures. */
export function statsEntry(container: string, s: any): StatsEntry {
  const cpu = s.cpu_stats ?? {};
  const pre = s.precpu_stats ?? {};
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
  const sysDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
  const online = cpu.online_cpus || (cpu.cpu_usage?.percpu_usage ?? []).length;
  const cpuPercent = sysDelta > 0 && cpuDelta > 0 ? (cpuDelta / sysDelta) * online * 100 : 0;
  const mem = s.memory_stats ?? {};
  const usage: number = mem.usage ?? 0;
  const st = mem.stats ?? {};
  let memory = usage;
  if (st.total_inactive_file !== undefined && st.total_inactive_file < usage) memory = usage - st.total_inactive_file;
  else if (st.inactive_file !== undefined && st.inactive_file < usage) memory = usage - st.inactive_file;
  const limit: number = mem.limit ?? 0;
  let rx = 0;
  let tx = 0;
  for (const n of Object.values<any>(s.networks ?? {})) {
    rx += n.rx_bytes ?? 0;
    tx += n.tx_bytes ?? 0;
  }
  let read = 0;
  let write = 0;
  for (const e of s.blkio_stats?.io_service_bytes_recursive ?? []) {
    const op = String(e.op).toLowerCase();
    if (op === 'read') read += e.value;
    else if (op === 'write') write += e.value;
  }
  return {
    container,
    name: String(s.name ?? '').replace(/^\//, ''),
    id: s.id ?? '',
    cpuPercent,
    memory,
    memoryLimit: limit,
    memoryPercent: limit ? (memory / limit) * 100 : 0,
    networkRx: rx,
    networkTx: tx,
    blockRead: read,
    blockWrite: write,
    pids: s.pids_stats?.current ?? 0,
  };
}

export function statsContext(e: StatsEntry, trunc: boolean): GoStruct {
  const m: Record<string, () => string> = {
    Container: () => e.container,
    Name: () => e.name || '--',
    ID: () => (trunc ? truncateId(e.id) : e.id),
    CPUPerc: () => sprintf('%.2f%%', e.cpuPercent),
    MemUsage: () => `${bytesSize(e.memory)} / ${bytesSize(e.memoryLimit)}`,
    MemPerc: () => sprintf('%.2f%%', e.memoryPercent),
    NetIO: () => `${humanSize(e.networkRx)} / ${humanSize(e.networkTx)}`,
    BlockIO: () => `${humanSize(e.blockRead)} / ${humanSize(e.blockWrite)}`,
    PIDs: () => String(e.pids),
  };
  return new GoStruct('*formatter.statsContext', [], m as Record<string, () => GoValue>, () => {
    const j: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}
