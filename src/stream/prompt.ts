import type { Cli } from '../cli/cli.js';
import { onTermination } from './terminal.js';

/**
 * Read one line from the Cli's stdin (without consuming more than needed for a prompt answer). With
 * onSignal, SIGINT/SIGTERM end the wait: onSignal runs and the line read so far is dropped. A prompt
 * is written once the signals are trapped, so a signal that follows the prompt never finds them default.
 */
export function readLine(cli: Cli, onSignal?: () => void, prompt?: string): Promise<string> {
  return new Promise((resolve) => {
    let buf = '';
    const untrap = onSignal
      ? onTermination(() => {
          buf = '';
          onSignal();
          done();
        })
      : () => {};
    const s = cli.in.stream;
    if (prompt) cli.print(prompt);
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
  const answer = (await readLine(cli, () => cli.print('\n'), `${message} [y/N] `)).trim();
  return answer === 'y' || answer === 'Y';
}
