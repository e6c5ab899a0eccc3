import type { CommandSpec } from '../../cli/command.js';
import { noArgs } from '../../cli/command.js';
import { bashScript } from '../../format/completion-scripts.js';
import { completionFlags, completionLong, type CompletionOptions } from './common.js';

export type { CompletionOptions };

export const spec: CommandSpec<CompletionOptions> = {
  name: 'bash',
  usage: '',
  short: 'Generate the autocompletion script for bash',
  long: completionLong('bash'),
  args: noArgs,
  flags: completionFlags,
  run: (cli, opts) => {
    cli.out.stream.write(bashScript(cli.name, !opts.noDescriptions));
  },
};
