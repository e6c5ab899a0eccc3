import type { FlagSpec } from '../../cli/flags.js';

export interface CompletionOptions {
  noDescriptions: boolean;
}

export const completionFlags: FlagSpec[] = [{ name: 'no-descriptions', kind: 'bool', usage: 'disable completion descriptions' }];

export function completionLong(shell: string): string {
  return `Generate the autocompletion script for the ${shell} shell.\n\nLoad it in your current shell session with:\n\n\tsource <(docker completion ${shell})`;
}
