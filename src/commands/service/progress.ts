import { PassThrough } from 'node:stream';
import type { Cli } from '../../cli/cli.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { displayJSONMessages, type JSONMessage } from '../../stream/progress.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** docker's numberedStates: the order of a task's states (0: a state docker does not know). */
const STATES: Record<string, number> = { new: 1, allocated: 2, pending: 3, assigned: 4, accepted: 5, preparing: 6, ready: 7, starting: 8, running: 9, complete: 10, shutdown: 11, failed: 12, rejected: 13 };
const num = (state: string | undefined): number => STATES[state ?? ''] ?? 0;
/** the longest state shown (the non-terminal ones and "complete"): "allocated", "preparing" */
const LONGEST = 9;
const MAX_PROGRESS = 9;
const MAX_PROGRESS_BARS = 20;
const MAX_JOB_PROGRESS = 10;
const terminalState = (state: string | undefined): boolean => num(state) > STATES.running;
const pad = (state: string | undefined): string => (state ?? '').padEnd(LONGEST);

/** docker's progress.Output over streamformatter's JSON messages */
export interface ProgressOut {
  /** a progress record (always with a progressDetail, {} when there are no counts) */
  progress(id: string, action: string, p?: { current?: number; total?: number; hidecounts?: boolean }): void;
  /** a status message (no progressDetail: it ends the redrawn block on a terminal) */
  message(id: string, text: string): void;
}

export interface Task {
  ID?: string;
  Slot?: number;
  NodeID?: string;
  DesiredState?: string;
  Status?: { State?: string; Err?: string };
  JobIteration?: { Index?: number };
}

/** truncError: newlines become spaces, at most 75 bytes ("…" ending a cut one) */
export function truncError(msg: string): string {
  const s = msg.replaceAll('\n', ' ');
  const b = Buffer.from(s);
  return b.length > 75 ? b.subarray(0, 74).toString() + '…' : s;
}

/** stringid.TruncateID */
const truncateID = (id: string): string => {
  const i = id.indexOf(':');
  const s = i >= 0 ? id.slice(i + 1) : id;
  return s.length > 12 ? s.slice(0, 12) : s;
};

function writeOverall(out: ProgressOut, n: number, d: number, rollback: boolean): void {
  out.progress('overall progress', rollback ? `rolling back update: ${n} out of ${d} tasks` : `${n} out of ${d} tasks`);
}

/** of two tasks for one slot (or node), the one with the lowest desired state, then the lowest observed state */
function keep(existing: Task | undefined, t: Task): boolean {
  if (!existing) return true;
  if (num(existing.DesiredState) < num(t.DesiredState)) return false;
  if (num(existing.DesiredState) === num(t.DesiredState) && num(existing.Status?.State) <= num(t.Status?.State)) return false;
  return true;
}

export interface Updater {
  update(service: any, tasks: Task[], activeNodes: Set<string>, rollback: boolean): boolean;
}

class ReplicatedUpdater implements Updater {
  private slotMap = new Map<number, number>();
  private initialized = false;
  private done = false;
  constructor(private out: ProgressOut) {}

  update(service: any, tasks: Task[], activeNodes: Set<string>, rollback: boolean): boolean {
    const replicas = service.Spec?.Mode?.Replicated?.Replicas;
    if (replicas === undefined || replicas === null) throw new Error('no replica count');
    if (!this.initialized) {
      writeOverall(this.out, 0, replicas, rollback);
      if (replicas <= MAX_PROGRESS_BARS) for (let i = 1; i <= replicas; i++) this.out.progress(`${i}/${replicas}`, ' ');
      this.initialized = true;
    }
    const bySlot = new Map<number, Task>();
    for (const t of tasks) {
      if (num(t.DesiredState) === 0 || num(t.Status?.State) === 0) continue;
      if (!keep(bySlot.get(t.Slot ?? 0), t)) continue;
      if (t.NodeID && !activeNodes.has(t.NodeID)) continue;
      bySlot.set(t.Slot ?? 0, t);
    }
    // (docker ranges over a Go map: any order; here the slots' order)
    const slots = [...bySlot.entries()].sort((a, b) => a[0] - b[0]);
    if (this.done && slots.some(([, t]) => t.Status?.State !== 'running')) this.done = false;
    let running = 0;
    for (const [slot, t] of slots) {
      let mapped = this.slotMap.get(slot) ?? 0;
      if (mapped === 0) {
        mapped = this.slotMap.size + 1;
        this.slotMap.set(slot, mapped);
      }
      if (!terminalState(t.DesiredState) && t.Status?.State === 'running') running++;
      this.writeTask(t, mapped, replicas);
    }
    if (!this.done) {
      writeOverall(this.out, running, replicas, rollback);
      if (running === replicas) this.done = true;
    }
    return running === replicas;
  }

  private writeTask(t: Task, mapped: number, replicas: number): void {
    if (this.done || replicas > MAX_PROGRESS_BARS || mapped > replicas) return;
    const id = `${mapped}/${replicas}`;
    if (t.Status?.Err) this.out.progress(id, truncError(t.Status.Err));
    else if (!terminalState(t.DesiredState) && !terminalState(t.Status?.State)) this.out.progress(id, pad(t.Status?.State), { current: num(t.Status?.State), total: MAX_PROGRESS, hidecounts: true });
  }
}

class GlobalUpdater implements Updater {
  private initialized = false;
  private done = false;
  constructor(private out: ProgressOut) {}

  update(_service: any, tasks: Task[], activeNodes: Set<string>, rollback: boolean): boolean {
    const byNode = new Map<string, Task>();
    for (const t of tasks) {
      if (num(t.DesiredState) === 0 || num(t.Status?.State) === 0) continue;
      if (!keep(byNode.get(t.NodeID ?? ''), t)) continue;
      byNode.set(t.NodeID ?? '', t);
    }
    const nodeCount = byNode.size;
    if (!this.initialized) {
      if (nodeCount === 0) {
        this.out.progress('overall progress', 'waiting for new tasks');
        return false;
      }
      writeOverall(this.out, 0, nodeCount, rollback);
      this.initialized = true;
    }
    if (this.done && [...byNode.values()].some((t) => t.Status?.State !== 'running')) this.done = false;
    let running = 0;
    for (const t of byNode.values()) {
      if (!activeNodes.has(t.NodeID ?? '')) continue;
      if (!terminalState(t.DesiredState) && t.Status?.State === 'running') running++;
      this.writeTask(t, nodeCount);
    }
    if (!this.done) {
      writeOverall(this.out, running, nodeCount, rollback);
      if (running === nodeCount) this.done = true;
    }
    return running === nodeCount;
  }

  private writeTask(t: Task, nodeCount: number): void {
    if (this.done || nodeCount > MAX_PROGRESS_BARS) return;
    const id = truncateID(t.NodeID ?? '');
    if (t.Status?.Err) this.out.progress(id, truncError(t.Status.Err));
    else if (!terminalState(t.DesiredState) && !terminalState(t.Status?.State)) this.out.progress(id, pad(t.Status?.State), { current: num(t.Status?.State), total: MAX_PROGRESS, hidecounts: true });
  }
}

class ReplicatedJobUpdater implements Updater {
  private initialized = false;
  private readonly concurrent: number;
  private readonly total: number;
  private readonly iteration: number;
  private readonly progressDigits: number;
  private readonly activeDigits: number;
  constructor(
    private out: ProgressOut,
    service: any,
  ) {
    this.concurrent = service.Spec.Mode.ReplicatedJob.MaxConcurrent ?? 0;
    this.total = service.Spec.Mode.ReplicatedJob.TotalCompletions ?? 0;
    this.iteration = service.JobStatus?.JobIteration?.Index ?? 0;
    this.progressDigits = String(this.total).length;
    this.activeDigits = String(this.concurrent).length;
  }

  update(_service: any, tasks: Task[]): boolean {
    if (!this.initialized) {
      this.writeOverall(0, 0);
      if (this.total <= MAX_PROGRESS_BARS) for (let i = 1; i <= this.total; i++) this.out.progress(`${i}/${this.total}`, ' ');
      this.initialized = true;
    }
    const bySlot = new Map<number, Task>();
    for (const t of tasks) {
      if (!t.JobIteration || (t.JobIteration.Index ?? 0) !== this.iteration) continue;
      if (num(t.DesiredState) === 0 || num(t.Status?.State) === 0) continue;
      const existing = bySlot.get(t.Slot ?? 0);
      if (!existing || num(existing.Status?.State) > num(t.Status?.State)) bySlot.set(t.Slot ?? 0, t);
    }
    let active = 0;
    let complete = 0;
    // docker reads slots 0..len-1 (a missing one is Go's zero task)
    for (let i = 0; i < bySlot.size; i++) {
      const t = bySlot.get(i) ?? { Slot: 0, Status: { State: '' } };
      this.writeTask(t);
      if (num(t.Status?.State) < STATES.complete) active++;
      if (t.Status?.State === 'complete') complete++;
    }
    this.writeOverall(active, complete);
    return complete === this.total;
  }

  private writeOverall(active: number, completed: number): void {
    this.out.progress('job progress', `${String(completed).padStart(this.progressDigits)} out of ${this.total} complete`, { current: completed, total: this.total, hidecounts: true });
    const desired = Math.min(this.total - completed, this.concurrent);
    this.out.progress('active tasks', `${String(active).padStart(this.activeDigits)} out of ${String(desired).padStart(this.activeDigits)} tasks`);
  }

  private writeTask(t: Task): void {
    if (this.total > MAX_PROGRESS_BARS) return;
    const id = `${(t.Slot ?? 0) + 1}/${this.total}`;
    if (t.Status?.Err) this.out.progress(id, truncError(t.Status.Err));
    else this.out.progress(id, pad(t.Status?.State), { current: num(t.Status?.State), total: MAX_JOB_PROGRESS, hidecounts: true });
  }
}

class GlobalJobUpdater implements Updater {
  private initialized = false;
  private total = 0;
  private progressDigits = 1;
  private taskNodes = new Set<string>();
  constructor(private out: ProgressOut) {}

  update(service: any, tasks: Task[], activeNodes: Set<string>): boolean {
    const iteration = service.JobStatus?.JobIteration?.Index ?? 0;
    if (!this.initialized) {
      if (tasks.length === 0 && activeNodes.size !== 0) {
        this.out.progress('job progress', 'waiting for tasks');
        return false;
      }
      for (const t of tasks) if (t.JobIteration && (t.JobIteration.Index ?? 0) === iteration) this.taskNodes.add(t.NodeID ?? '');
      this.total = this.taskNodes.size;
      this.progressDigits = String(this.total).length;
      this.writeOverall(0);
      this.initialized = true;
    }
    const byNode = new Map<string, Task>();
    for (const t of tasks) {
      if (!t.JobIteration || (t.JobIteration.Index ?? 0) !== iteration) continue;
      if (!this.taskNodes.has(t.NodeID ?? '')) continue;
      const old = byNode.get(t.NodeID ?? '');
      if (!old || num(old.Status?.State) > num(t.Status?.State)) byNode.set(t.NodeID ?? '', t);
    }
    let complete = 0;
    for (const t of byNode.values()) {
      this.writeTask(t);
      if (t.Status?.State === 'complete') complete++;
    }
    this.writeOverall(complete);
    return complete === this.total;
  }

  private writeTask(t: Task): void {
    if (this.total > MAX_PROGRESS_BARS) return;
    if (t.Status?.Err) this.out.progress(t.NodeID ?? '', truncError(t.Status.Err));
    else this.out.progress(t.NodeID ?? '', pad(t.Status?.State), { current: num(t.Status?.State), total: MAX_JOB_PROGRESS, hidecounts: true });
  }

  private writeOverall(complete: number): void {
    this.out.progress('job progress', `${String(complete).padStart(this.progressDigits)} out of ${this.total} complete`, { current: complete, total: this.total, hidecounts: true });
  }
}

export function initializeUpdater(service: any, out: ProgressOut): Updater {
  const mode = service.Spec?.Mode ?? {};
  if (mode.Replicated && mode.Replicated.Replicas !== undefined && mode.Replicated.Replicas !== null) return new ReplicatedUpdater(out);
  if (mode.Global) return new GlobalUpdater(out);
  if (mode.ReplicatedJob) return new ReplicatedJobUpdater(out, service);
  if (mode.GlobalJob) return new GlobalJobUpdater(out);
  throw new Error('unrecognized service mode');
}

/** what ServiceProgress asks the engine, so that a test can play it back */
export interface ProgressSource {
  service(): Promise<any>;
  tasks(serviceId: string): Promise<Task[]>;
  nodes(): Promise<any[]>;
  now(): number;
  sleep(ms: number): Promise<void>;
}

/**
 * docker's progress.ServiceProgress: poll the service, its up-to-date tasks and the nodes every 200 ms and
 * report through `out` until the service has converged and stayed so for its update monitor period (5 s
 * by default), or a job has completed, or the update/rollback is paused (an error).
 */
export async function serviceProgress(src: ProgressSource, serviceID: string, out: ProgressOut): Promise<void> {
  let updater: Updater | undefined;
  let converged = false;
  let convergedAt = 0;
  let monitor = 5000;
  let rollback = false;
  let message: [string, string] | undefined;
  for (;;) {
    const service = await src.service();
    const m = service.Spec?.UpdateConfig?.Monitor;
    if (m) monitor = m / 1e6;
    updater ??= initializeUpdater(service, out);
    const us = service.UpdateStatus;
    if (us) {
      switch (us.State) {
        case 'updating':
          rollback = false;
          break;
        case 'completed':
          if (!converged) return;
          break;
        case 'paused':
          throw new Error(`service update paused: ${us.Message ?? ''}`);
        case 'rollback_started':
          if (!rollback && us.Message) out.progress('rollback', us.Message);
          rollback = true;
          break;
        case 'rollback_paused':
          throw new Error(`service rollback paused: ${us.Message ?? ''}`);
        case 'rollback_completed':
          if (!converged) message = ['rollback', us.Message ?? ''];
          rollback = true;
          break;
      }
    }
    if (converged && src.now() - convergedAt >= monitor) {
      out.progress('verify', `Service ${serviceID} converged`);
      if (message) {
        // a Progress with a Message is written as a status (its ID kept)
        if (message[1]) out.message(message[0], message[1]);
        else out.progress(message[0], '');
      }
      return;
    }
    const tasks = await src.tasks(service.ID);
    const nodes = await src.nodes();
    const active = new Set<string>(nodes.filter((n) => n.Status?.State !== 'down').map((n) => n.ID));
    converged = updater.update(service, tasks, active, rollback);
    if (converged) {
      if (service.JobStatus) {
        out.message('', 'job complete');
        return;
      }
      if (convergedAt === 0) convergedAt = src.now();
      const wait = monitor - (src.now() - convergedAt);
      // (Go's clock always moves between convergedAt and time.Since: 5 s of monitor show as "5 seconds" first)
      if (wait >= 0) out.progress('verify', `Waiting ${Math.floor(Math.max(0, wait - 1e-6) / 1000) + 1} seconds to verify that tasks are stable...`);
    } else {
      if (convergedAt !== 0) out.progress('verify', 'Detected task failure');
      convergedAt = 0;
    }
    await src.sleep(200);
  }
}

/** the engine as ServiceProgress reads it */
export function engineSource(engine: Engine, serviceID: string): ProgressSource {
  return {
    service: () => engine.json<any>({ path: `/services/${encodeURIComponent(serviceID)}`, query: { insertDefaults: 'false' } }),
    tasks: async (id) => (await engine.json<Task[]>({ path: '/tasks', query: { filters: JSON.stringify({ service: { [id]: true }, '_up-to-date': { true: true } }) } })) ?? [],
    nodes: async () => (await engine.json<any[]>({ path: '/nodes' })) ?? [],
    now: () => performance.now(),
    sleep,
  };
}

/** streamformatter's JSON progress output: each record one JSON message on `send` */
export function jsonProgressOut(send: (m: JSONMessage) => void): ProgressOut {
  return {
    progress: (id, action, p) => send({ status: action, progressDetail: { ...(p?.current ? { current: p.current } : {}), ...(p?.total ? { total: p.total } : {}), ...(p?.hidecounts ? { hidecounts: true } : {}) }, id }),
    message: (id, text) => send(id ? { id, status: text } : { status: text }),
  };
}

/**
 * docker's WaitOnService: ServiceProgress's messages rendered by jsonmessage's display on stdout
 * (redrawn in place on a terminal, docker's plain lines otherwise; -q: nothing).
 */
export async function waitOnService(cli: Cli, engine: Engine, serviceID: string, quiet: boolean): Promise<void> {
  const pipe = new PassThrough();
  const shown = quiet ? (pipe.resume(), Promise.resolve()) : displayJSONMessages(pipe, cli.out.stream, { isTerminal: cli.out.isTTY, width: cli.out.isTTY ? cli.out.columns || 200 : 200 });
  let failure: unknown;
  try {
    await serviceProgress(
      engineSource(engine, serviceID),
      serviceID,
      jsonProgressOut((m) => pipe.write(JSON.stringify(m) + '\n')),
    );
  } catch (e) {
    failure = e;
  }
  pipe.end();
  await shown;
  if (failure) throw failure;
}
