import type { Cli } from '../../cli/cli.js';
import { maxArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { INDEX_SERVER, runHelper } from '../../engine/auth.js';
import { readLine } from '../../stream/prompt.js';
import { readSecret } from '../../stream/terminal.js';

export interface LoginOptions {
  password: string;
  passwordStdin: boolean;
  username: string;
}

export const spec = dockerSpec<LoginOptions>('login', { short: 'Authenticate to a registry', args: maxArgs(1), run: runLogin });

/** The key docker stores credentials under for a server argument. */
export function serverKey(arg: string | undefined): string {
  if (!arg || ['docker.io', 'index.docker.io', 'registry-1.docker.io'].includes(arg.replace(/^https?:\/\//, '').replace(/\/.*$/, ''))) return INDEX_SERVER;
  return arg.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

export async function runLogin(cli: Cli, o: LoginOptions, [server]: string[], inv?: Invocation): Promise<void> {
  // docker 28.2's verifyLoginFlags: on the flags given, whatever their values
  const changed = (f: string): boolean => inv?.changed.has(f) ?? false;
  if (changed('passwordStdin')) {
    if (changed('password')) throw new StatusError('conflicting options: cannot specify both --password and --password-stdin', 1);
    if (!changed('username')) throw new StatusError('the --password-stdin option requires --username to be set', 1);
  }
  if (changed('username') && o.username === '') throw new StatusError('username is empty', 1);
  if (changed('password') && o.password === '') throw new StatusError('password is empty', 1);
  if (o.passwordStdin && !o.username) throw new StatusError('username is empty', 1);
  const key = serverKey(server);
  let username = o.username.trim();
  let password = o.password;
  if (o.password) cli.warn('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
  if (o.passwordStdin) {
    const chunks: Buffer[] = [];
    for await (const c of cli.in.stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '').replace(/\r$/, '');
  }
  if (!username || !password) {
    if (!cli.in.isTTY) throw new StatusError('Error: Cannot perform an interactive login from a non TTY device', 1);
    if (!username) {
      cli.print('Username: ');
      username = (await readLine(cli)).trim();
      if (!username) throw new StatusError('Error: Non-null Username Required', 1);
    }
    if (!password) {
      cli.print('Password: ');
      password = await readSecret(cli);
      cli.print('\n');
      if (!password) throw new StatusError('Error: Password Required', 1);
    }
  }
  const engine = await cli.engine();
  const r = await engine.json<{ Status: string; IdentityToken?: string }>({
    method: 'POST',
    path: '/auth',
    body: { username, password, serveraddress: key },
  });
  const file = cli.config.file;
  const helper = file.credHelpers?.[key] ?? file.credsStore;
  if (helper) {
    const secret = r.IdentityToken || password;
    const h = runHelper(cli, helper, 'store', JSON.stringify({ ServerURL: key, Username: r.IdentityToken ? '<token>' : username, Secret: secret }));
    if (!h.ok) throw new StatusError(`Error saving credentials: error storing credentials - err: exit status 1, out: \`${h.err}\``, 1);
    file.auths ??= {};
    file.auths[key] = {};
  } else {
    file.auths ??= {};
    file.auths[key] = r.IdentityToken ? { identitytoken: r.IdentityToken } : { auth: Buffer.from(`${username}:${password}`).toString('base64') };
  }
  cli.config.save();
  if (!helper) {
    cli.warn(`\nWARNING! Your credentials are stored unencrypted in '${cli.config.path}'.\nConfigure a credential helper to remove this warning. See\nhttps://docs.docker.com/go/credential-store/\n\n`);
  }
  cli.print(`${r.Status || 'Login Succeeded'}\n`);
}
