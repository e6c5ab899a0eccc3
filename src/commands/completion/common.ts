import { noArgs, type CommandSpec } from '../../cli/command.js';
import type { FlagSpec } from '../../cli/flags.js';

export interface CompletionOptions {
  noDescriptions: boolean;
}

export const completionFlags: FlagSpec[] = [{ name: 'no-descriptions', kind: 'bool', usage: 'disable completion descriptions' }];

export function completionLong(shell: string): string {
  return `Generate the autocompletion script for the ${shell} shell.\n\nLoad it in your current shell session with:\n\n\tsource <(docker completion ${shell})`;
}

/** `completion SHELL`: cobra's default completion command for one shell, printing script(name, descriptions). */
export function completionSpec(shell: string, script: (name: string, descriptions: boolean) => string): CommandSpec<CompletionOptions> {
  return {
    name: shell,
    usage: '',
    short: `Generate the autocompletion script for ${shell}`,
    long: completionLong(shell),
    args: noArgs,
    flags: completionFlags,
    run: (cli, opts) => {
      cli.out.stream.write(script(cli.name, !opts.noDescriptions));
    },
  };
}
