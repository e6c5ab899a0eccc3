import { errnoText, goJSONError } from './errors.js';
import { existsSync, readFileSync, mkdirSync, writeFileSync, renameSync, chmodSync, chownSync, realpathSync, readlinkSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { homedir } from 'node:os';

/** The subset of ~/.docker/config.json the client reads; unknown keys are kept when saving. */
export interface ConfigFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; registrytoken?: string; email?: string; username?: string; password?: string; serveraddress?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
  currentContext?: string;
  detachKeys?: string;
  psFormat?: string;
  imagesFormat?: string;
  networksFormat?: string;
  volumesFormat?: string;
  statsFormat?: string;
  pluginsFormat?: string;
  servicesFormat?: string;
  [key: string]: unknown;
}

/** Resolve the config directory as docker does: --config, then DOCKER_CONFIG, then ~/.docker. */
export function configDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.DOCKER_CONFIG) return env.DOCKER_CONFIG;
  return join(env.HOME || homedir(), '.docker');
}

export class Config {
  readonly path: string;
  private data: ConfigFile | undefined;

  constructor(
    readonly dir: string,
    /** where docker's "Error parsing config file" warning goes (stderr) */
    private readonly warn: (text: string) => void = () => {},
  ) {
    this.path = join(dir, 'config.json');
  }

  /**
   * Parsed config.json; an absent or empty file is an empty config. One that cannot be read or parsed
   * (invalid JSON, a directory, no permission) is, as in docker, a warning and an empty config.
   */
  get file(): ConfigFile {
    if (this.data) return this.data;
    if (!existsSync(this.path)) return (this.data = {});
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      const why = errnoText(e) ?? (e as Error).message;
      // a directory opens and fails at its read (a parse error in docker's words); others fail to open
      if ((e as NodeJS.ErrnoException).code === 'EISDIR') return this.invalid(`read ${this.path}: ${why}`);
      this.warn(`WARNING: Error loading config file: open ${this.path}: ${why}\n`);
      return (this.data = {});
    }
    if (text.trim() === '') return (this.data = {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return this.invalid(goJSONError(text));
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'string' ? 'string' : typeof parsed === 'boolean' ? 'bool' : 'number';
      if (parsed === null) return (this.data = {});
      return this.invalid(`json: cannot unmarshal ${kind} into Go value of type configfile.ConfigFile`);
    }
    return (this.data = parsed as ConfigFile);
  }

  private invalid(why: string): ConfigFile {
    this.warn(`WARNING: Error parsing config file (${this.path}): ${why}\n`);
    return (this.data = {});
  }

  /**
   * Write config.json atomically as docker does: a temp file (mode 0600) beside it, given the current
   * file's mode and owner when there is one, renamed over the file (over a symlink's target).
   */
  save(): void {
    const data = this.file;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    let target = this.path;
    try {
      target = realpathSync(this.path);
    } catch {
      // absent (or a dangling symlink: written where it points)
      try {
        const link = readlinkSync(this.path);
        target = link.startsWith('/') ? link : join(dirname(this.path), link);
      } catch {
        // not a link
      }
    }
    const tmp = join(dirname(target), `config.json${process.pid}${Math.floor(Math.random() * 1e6)}`);
    writeFileSync(tmp, JSON.stringify(data, null, '\t'), { mode: 0o600 });
    try {
      const st = statSync(target);
      if (st.isFile()) chmodSync(tmp, st.mode & 0o7777);
      if (st.uid > 0 && st.gid > 0) chownSync(tmp, st.uid, st.gid);
    } catch {
      chmodSync(tmp, 0o600);
    }
    renameSync(tmp, target);
  }

}
