import type { CommandSpec } from '../../cli/command.js';
import { noArgs } from '../../cli/command.js';
import { fishScript } from '../../format/completion-scripts.js';
import { completionFlags, completionLong, type CompletionOptions } from './common.js';

export type { CompletionOptions };

export const spec: CommandSpec<CompletionOptions> = {
  name: 'fish',
  usage: '',
  short: 'Generate the autocompletion script for fish',
  long: completionLong('fish'),
  args: noArgs,
  flags: completionFlags,
  run: (cli, opts) => {
    cli.out.stream.write(fishScript(cli.name, !opts.noDescriptions));
  },
};
