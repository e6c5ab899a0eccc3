import type { CommandSpec } from '../../cli/command.js';
import { noArgs } from '../../cli/command.js';
import { zshScript } from '../../format/completion-scripts.js';
import { completionFlags, completionLong, type CompletionOptions } from './common.js';

export type { CompletionOptions };

export const spec: CommandSpec<CompletionOptions> = {
  name: 'zsh',
  usage: '',
  short: 'Generate the autocompletion script for zsh',
  long: completionLong('zsh'),
  args: noArgs,
  flags: completionFlags,
  run: (cli, opts) => {
    cli.out.stream.write(zshScript(cli.name, !opts.noDescriptions));
  },
};
