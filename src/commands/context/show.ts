import type { Cli } from '../../cli/cli.js';
import { noArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';

export type ContextShowOptions = Record<string, never>;

export const spec = dockerSpec<ContextShowOptions>('context show', { args: noArgs, run: runContextShow });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export function runContextShow(cli: Cli): void {
  cli.print(cli.currentContext + '\n');
}
