import type { CommandSpec } from '../../cli/command.js';
import { noArgs } from '../../cli/command.js';
import { powershellScript } from '../../format/completion-scripts.js';
import { completionFlags, completionLong, type CompletionOptions } from './common.js';

export type { CompletionOptions };

export const spec: CommandSpec<CompletionOptions> = {
  name: 'powershell',
  usage: '',
  short: 'Generate the autocompletion script for powershell',
  long: completionLong('powershell'),
  args: noArgs,
  flags: completionFlags,
  run: (cli, opts) => {
    cli.out.stream.write(powershellScript(cli.name, !opts.noDescriptions));
  },
};
