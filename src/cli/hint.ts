/**
 * Beyond docker: when no engine answers at the default socket and stdout is a terminal, one more line
 * names the engine sockets that do exist on this machine (Docker Desktop, rootless Docker, Podman,
 * Colima) and the `context create` line that would use the first. Scripts (no terminal) get docker's
 * bytes only.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HOST } from './endpoint.js';

export interface EngineSocket {
  /** the context name the line suggests */
  name: string;
  path: string;
}

/** The sockets other engines listen on, for this user. */
export function candidateSockets(env: NodeJS.ProcessEnv): EngineSocket[] {
  const home = env.HOME || homedir();
  const out: EngineSocket[] = [{ name: 'desktop-linux', path: join(home, '.docker', 'run', 'docker.sock') }];
  if (env.XDG_RUNTIME_DIR) {
    out.push({ name: 'rootless', path: join(env.XDG_RUNTIME_DIR, 'docker.sock') });
    out.push({ name: 'podman', path: join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock') });
  }
  out.push({ name: 'colima', path: join(home, '.colima', 'default', 'docker.sock') });
  return out;
}

function isSocket(p: string): boolean {
  try {
    return statSync(p).isSocket();
  } catch {
    return false;
  }
}

/**
 * The hint line for a failure to reach `host`, or undefined: only for the default socket, only when
 * another engine's socket exists.
 */
export function engineHint(message: string, host: string, bin: string, env: NodeJS.ProcessEnv, exists: (p: string) => boolean = isSocket): string | undefined {
  if (host !== DEFAULT_HOST || !message.startsWith(`Cannot connect to the Docker daemon at ${DEFAULT_HOST}.`)) return undefined;
  const found = candidateSockets(env).filter((s) => exists(s.path));
  if (found.length === 0) return undefined;
  const first = found[0];
  const where = found.map((s) => `unix://${s.path}`).join(', ');
  return `Hint: an engine answers elsewhere on this machine (${where}); to use it: ${bin} context create ${first.name} --docker host=unix://${first.path} && ${bin} context use ${first.name}\n`;
}
