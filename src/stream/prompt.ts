import type { Cli } from '../cli/cli.js';

/** Read one line from the Cli's stdin (without consuming more than needed for a prompt answer). */
export function readLine(cli: Cli): Promise<string> {
  return new Promise((resolve) => {
    const s = cli.in.stream;
    let buf = '';
    const done = (): void => {
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

/** docker's PromptForConfirmation: "<message> [y/N] ", yes only for y/Y. */
export async function confirm(cli: Cli, message: string): Promise<boolean> {
  cli.print(`${message} [y/N] `);
  const answer = (await readLine(cli)).trim();
  return answer === 'y' || answer === 'Y';
}
