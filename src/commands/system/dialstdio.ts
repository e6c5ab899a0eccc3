import type { Cli } from '../../cli/cli.js';
import { noArgs, type CommandSpec } from '../../cli/command.js';

export type DialStdioOptions = Record<string, never>;

/** docker's hidden `system dial-stdio`: what an ssh:// client runs on the remote host. */
export const spec: CommandSpec<DialStdioOptions> = {
  name: 'dial-stdio',
  usage: '',
  short: 'Proxy the stdio stream to the daemon connection. Should not be invoked manually.',
  args: noArgs,
  hidden: true,
  flags: [],
  run: runDialStdio,
};


/**
 * Copy stdin to the engine connection and the connection to stdout; the end of stdin half-closes the
 * connection, and the end of the connection's answer ends the command (as docker's copier pair does).
 */
export async function runDialStdio(cli: Cli): Promise<void> {
  const engine = await cli.engine();
  const conn = await engine.dialRaw();
  const input = cli.in.stream;
  const output = cli.out.stream;
  await new Promise<void>((resolve, reject) => {
    input.pipe(conn, { end: true });
    conn.pipe(output, { end: false });
    conn.on('end', () => {
      output.write('', () => resolve());
    });
    conn.on('error', reject);
    conn.on('close', () => resolve());
  });
  input.unpipe(conn);
  conn.destroy();
}
