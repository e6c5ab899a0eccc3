import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { RUN_FLAG_PARSERS, withHiddenRunFlags, type RunOptions } from './run-options.js';
import { createContainer } from './create-container.js';

export type CreateOptions = RunOptions;

export const spec = withHiddenRunFlags(dockerSpec<CreateOptions>('container create', { args: minArgs(1), interspersed: false, flags: RUN_FLAG_PARSERS, run: runCreate }));

export async function runCreate(cli: Cli, o: CreateOptions, args: string[], inv: Invocation): Promise<void> {
  const id = await createContainer(cli, { ...o, attach: o.attach ?? [] }, args, inv, 'create');
  cli.print(id + '\n');
}
