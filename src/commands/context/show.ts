import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';

export type ContextShowOptions = Record<string, never>;

export const spec = dockerSpec<ContextShowOptions>('context show', { args: noArgs, run: runContextShow });


export function runContextShow(cli: Cli): void {
  cli.print(cli.currentContext + '\n');
}
