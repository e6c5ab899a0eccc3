/**
 * An sshd of the test's own on 127.0.0.1 (installed by test/setup/sshd.sh): generated host and client
 * keys, and an ssh client configuration with host aliases, which the system `ssh` reads through a
 * wrapper first on PATH (OpenSSH takes ~/.ssh/config from the passwd entry, not from $HOME).
 *
 * Two aliases: `tdremote` logs in with a key whose sessions find docker 28 as `docker`, `tdonly` with
 * a key whose sessions find tdocker as `docker` (a remote host that has only tdocker).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TDOCKER } from './run.js';

export interface Sshd {
  dir: string;
  port: number;
  /** PATH with the ssh wrapper first */
  path: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitListening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect({ host: '127.0.0.1', port }, () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sshd did not start');
}

export async function startSshd(): Promise<Sshd> {
  const dir = mkdtempSync(join(tmpdir(), 'td-sshd-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  const keygen = (file: string): void => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, file)]);
  };
  keygen('host_key');
  keygen('id_docker');
  keygen('id_tdocker');
  const bin = join(dir, 'bin');
  const only = join(dir, 'tdocker-only');
  mkdirSync(bin);
  mkdirSync(only);
  // the remote host that has only tdocker: its `docker` is tdocker
  writeFileSync(join(only, 'docker'), `#!/bin/sh\nexec ${TDOCKER} "$@"\n`, { mode: 0o755 });
  const keyLine = (f: string): string => readFileSync(join(dir, f + '.pub'), 'utf8').trim();
  writeFileSync(join(dir, 'authorized_keys'),
    `${keyLine('id_docker')}\nenvironment="PATH=${only}:/usr/bin:/bin" ${keyLine('id_tdocker')}\n`, { mode: 0o600 });
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_key')}`, `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PermitUserEnvironment yes',
    'StrictModes no', 'UsePAM no', `PidFile ${join(dir, 'sshd.pid')}`, 'LogLevel ERROR', '',
  ].join('\n'));
  const known = `127.0.0.1 ${readFileSync(join(dir, 'host_key.pub'), 'utf8').trim().split(' ').slice(0, 2).join(' ')}`;
  writeFileSync(join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${known.split(' ').slice(1).join(' ')}\n`);
  const common = (key: string): string => [`  HostName 127.0.0.1`, `  Port ${port}`, `  User root`, `  IdentityFile ${join(dir, key)}`, '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${join(dir, 'known_hosts')}`, '  StrictHostKeyChecking yes', '  BatchMode yes', '  LogLevel ERROR'].join('\n');
  writeFileSync(join(dir, 'ssh_config'), `Host tdremote\n${common('id_docker')}\n\nHost tdonly\n${common('id_tdocker')}\n\nHost 127.0.0.1\n  IdentityFile ${join(dir, 'id_docker')}\n  UserKnownHostsFile ${join(dir, 'known_hosts')}\n  BatchMode yes\n`);
  writeFileSync(join(bin, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F ${join(dir, 'ssh_config')} "$@"\n`, { mode: 0o755 });
  mkdirSync('/run/sshd', { recursive: true });
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.resume();
  await waitListening(port);
  return {
    dir,
    port,
    path: `${bin}:${process.env.PATH}`,
    close: async () => {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
