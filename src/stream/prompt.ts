import type { Cli } from '../cli/cli.js';
import { onTermination } from './terminal.js';

/**
 * Read one line from the Cli's stdin (without consuming more than needed for a prompt answer). With
 * onSignal, SIGINT/SIGTERM end the wait: onSignal runs and the line read so far is dropped.
 */
export function readLine(cli: Cli, onSignal?: () => void): Promise<string> {
  return new Promise((resolve) => {
    const s = cli.in.stream;
    let buf = '';
    const untrap = onSignal
      ? onTermination(() => {
          buf = '';
          onSignal();
          done();
        })
      : () => {};
    const done = (): void => {
      untrap();
      s.off('data', onData);
      s.off('end', done);
      s.off('error', done);
      s.pause();
      resolve(buf.split('\n')[0].replace(/\r$/, ''));
    };
    const onData = (d: Buffer | string): void => {
      buf += d.toString();
      if (buf.includes('\n')) done();
    };
    s.on('data', onData);
    s.on('end', done);
    s.on('error', done);
    s.resume();
  });
}

/**
 * docker's PromptForConfirmation: "<message> [y/N] ", yes only for y/Y. SIGINT or SIGTERM while it
 * waits is a "no": docker writes a newline and the command ends with status 0.
 */
export async function confirm(cli: Cli, message: string): Promise<boolean> {
  cli.print(`${message} [y/N] `);
  const answer = (await readLine(cli, () => cli.print('\n'))).trim();
  return answer === 'y' || answer === 'Y';
}
