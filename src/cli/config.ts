import { existsSync, readFileSync, mkdirSync, writeFileSync, renameSync, chmodSync } from 'node:fs';
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

  constructor(readonly dir: string) {
    this.path = join(dir, 'config.json');
  }

  /** Parsed config.json; an absent file is an empty config. A malformed one is an error, as in docker. */
  get file(): ConfigFile {
    if (this.data) return this.data;
    if (!existsSync(this.path)) return (this.data = {});
    const text = readFileSync(this.path, 'utf8');
    if (text.trim() === '') return (this.data = {});
    try {
      this.data = JSON.parse(text) as ConfigFile;
    } catch (e) {
      throw new Error(`loading config file: ${this.path}: ${(e as Error).message}`);
    }
    return this.data;
  }

  /** Write config.json atomically with mode 0600, as docker does. */
  save(): void {
    const data = this.file;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const tmp = this.path + '.tmp' + process.pid;
    writeFileSync(tmp, JSON.stringify(data, null, '\t'), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}
