import { PassThrough, Readable } from 'node:stream';
import { main, type MainIO } from '../../src/main.js';

/** Run main() in-process with fake streams: commands read nothing of the process. */
export async function runMain(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = '/', engineFactory?: MainIO['engineFactory']): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main({ argv, name: 'tdocker', env: { HOME: '/home/x', ...env }, cwd, stdout, stderr, stdin: Readable.from([]), engineFactory });
  return { code, out, err };
}
