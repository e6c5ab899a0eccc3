import { readFileSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { loadV3, v3Yaml, V3Error } from '../../compose/v3.js';
import { yamlV3 } from '../../format/yamlv3.js';
import { logLine } from '../../go/log.js';

export interface StackConfigOptions {
  composeFile: string[];
  skipInterpolation: boolean;
}

export const spec = dockerSpec<StackConfigOptions>('stack config', { args: noArgs, flags: { 'compose-file': { kind: 'list', default: [] } }, run: runStackConfig });

/** docker stack config: docker/cli's own loader (not Compose v2's), its types.Config as yaml.v3 writes it. */
export async function runStackConfig(cli: Cli, o: StackConfigOptions): Promise<void> {
  const files = (o.composeFile as string[]).flatMap((f) => f.split(','));
  let cfg;
  try {
    cfg = loadV3({ files, cwd: cli.cwd, env: cli.env, stdin: () => readFileSync(cli.in.fd ?? 0, 'utf8'), skipInterpolation: o.skipInterpolation, warn: (m) => cli.warn(logLine('warning', m)) });
  } catch (e) {
    if (e instanceof V3Error) throw new StatusError(e.message, 1);
    throw e;
  }
  cli.print(yamlV3(v3Yaml(cfg)));
}
