/**
 * Registry credentials as docker reads them from config.json: credHelpers[host], credsStore,
 * auths[host].auth / identitytoken; docker.io is stored under https://index.docker.io/v1/.
 * Credential helpers are run as docker-credential-<name> get|store|erase.
 */
import { spawnSync } from 'node:child_process';
import type { Cli } from '../cli/cli.js';

export const INDEX_SERVER = 'https://index.docker.io/v1/';

export interface AuthConfig {
  username?: string;
  password?: string;
  serveraddress?: string;
  identitytoken?: string;
  registrytoken?: string;
  auth?: string;
  email?: string;
}

/** The key a registry's credentials are stored under. */
export function authKey(domain: string): string {
  return domain === 'docker.io' || domain === 'index.docker.io' ? INDEX_SERVER : domain;
}

function helperFor(cli: Cli, key: string): string | undefined {
  const f = cli.config.file;
  const host = key.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return f.credHelpers?.[key] ?? f.credHelpers?.[host] ?? f.credsStore;
}

export function runHelper(cli: Cli, helper: string, action: string, input: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync(`docker-credential-${helper}`, [action], { input, encoding: 'utf8', env: cli.env });
  if (r.error) return { ok: false, out: '', err: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? `exec: "docker-credential-${helper}": executable file not found in $PATH` : r.error.message };
  return { ok: r.status === 0, out: r.stdout.trim(), err: (r.stdout + r.stderr).trim() };
}

/** The stored credentials for a registry (empty when none). */
export function getAuth(cli: Cli, key: string): AuthConfig {
  const helper = helperFor(cli, key);
  if (helper) {
    const r = runHelper(cli, helper, 'get', key);
    if (!r.ok) return { serveraddress: key };
    const j = JSON.parse(r.out) as { Username: string; Secret: string; ServerURL?: string };
    if (j.Username === '<token>') return { identitytoken: j.Secret, serveraddress: key };
    return { username: j.Username, password: j.Secret, serveraddress: key };
  }
  const a = cli.config.file.auths?.[key];
  if (!a) return { serveraddress: key };
  const out: AuthConfig = { serveraddress: key };
  if (a.auth) {
    const dec = Buffer.from(a.auth, 'base64').toString('utf8');
    const i = dec.indexOf(':');
    out.username = dec.slice(0, i);
    out.password = dec.slice(i + 1);
  }
  if (a.identitytoken) out.identitytoken = a.identitytoken;
  return out;
}

/** X-Registry-Auth: URL-safe base64 of the JSON auth config. */
export function encodeAuth(a: AuthConfig): string {
  return Buffer.from(JSON.stringify(a)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * Every stored login, as docker's GetAllCredentials gathers them for a build's X-Registry-Config: the
 * default store's (a credsStore helper's `list`, then `get` for each server it names; else config.json's
 * auths), then each credHelpers registry's own, which win. A failing helper makes it empty, as docker
 * ignores that error.
 */
export function allCredentials(cli: Cli): Record<string, AuthConfig> {
  const f = cli.config.file;
  const auths: Record<string, AuthConfig> = {};
  if (f.credsStore) {
    const l = runHelper(cli, f.credsStore, 'list', '');
    if (!l.ok) return {};
    let servers: Record<string, string>;
    try {
      servers = JSON.parse(l.out) as Record<string, string>;
    } catch {
      return {};
    }
    for (const server of Object.keys(servers)) {
      const g = runHelper(cli, f.credsStore, 'get', server);
      if (!g.ok) return {};
      const j = JSON.parse(g.out) as { Username: string; Secret: string };
      auths[server] = j.Username === '<token>' ? { identitytoken: j.Secret, serveraddress: server } : { username: j.Username, password: j.Secret, serveraddress: server };
    }
  } else {
    for (const key of Object.keys(f.auths ?? {})) auths[key] = getAuth(cli, key);
  }
  for (const host of Object.keys(f.credHelpers ?? {})) auths[host] = getAuth(cli, host);
  return auths;
}
