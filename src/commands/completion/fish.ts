import type { CommandSpec } from '../../cli/command.js';
import { fishScript } from '../../format/completion-scripts.js';
import { completionSpec, type CompletionOptions } from './common.js';

export type { CompletionOptions };

export const spec: CommandSpec<CompletionOptions> = completionSpec('fish', fishScript);
