/**
 * The parts of the root help that do not come from the command tree: its head, and its global options
 * and closing lines (src/cli/command.ts puts the tree's sections between them; the start-up fast path,
 * src/fast.ts, puts the sections rendered at build time there).
 */
import type { Cli } from './cli.js';
import { flagUsages, type FlagSpec } from './flags.js';

/** The width pflag wraps flag help to: the terminal's columns (of stdin, as docker asks), else 80, minus 1. */
export function helpWidth(cli: Pick<Cli, 'in' | 'out'>): number {
  const cols = cli.in.isTTY && cli.out.columns ? cli.out.columns : 80;
  return cols - 1;
}

export function rootHelpHead(bin: string): string {
  return `Usage:  ${bin} [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n`;
}

export function rootHelpTail(bin: string, globalFlags: FlagSpec[], width: number): string {
  return (
    `\nGlobal Options:\n${flagUsages(globalFlags, width).replace(/\s+$/, '')}\n` +
    `\nRun '${bin} COMMAND --help' for more information on a command.\n` +
    `\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n`
  );
}
