/**
 * A TLS endpoint for tests: a throwaway CA, server and client certificates made by openssl, and a
 * TLS-terminating proxy on 127.0.0.1 that requires a client certificate signed by that CA and forwards
 * every connection to the engine socket (half-closes included, so `exec -i` sees its stdin end).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsEndpoint {
  /** the directory with ca.pem, cert.pem, key.pem (the client's) and the server's files */
  dir: string;
  port: number;
  host: string;
  /** a second CA's certificate, which did not sign the server's */
  otherCa: string;
  close(): Promise<void>;
}

function ssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Make the CA and certificates in a fresh directory. */
export function makeCerts(): string {
  const dir = mkdtempSync(join(tmpdir(), 'td-tls-'));
  const days = '2';
  ssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', days, '-subj', '/CN=tdocker test CA');
  ssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-key.pem', '-out', 'other-ca.pem', '-days', days, '-subj', '/CN=another CA');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  ssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'server-cert.pem', '-days', days, '-extfile', 'server.ext');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  ssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'client.csr', '-subj', '/CN=client');
  ssl(dir, 'x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', days, '-extfile', 'client.ext');
  return dir;
}

export async function startTlsEndpoint(socket = '/var/run/docker.sock'): Promise<TlsEndpoint> {
  const dir = makeCerts();
  const server: Server = createServer(
    {
      key: readFileSync(join(dir, 'server-key.pem')),
      cert: readFileSync(join(dir, 'server-cert.pem')),
      ca: readFileSync(join(dir, 'ca.pem')),
      requestCert: true,
      rejectUnauthorized: true,
      allowHalfOpen: true,
      // Go's servers (dockerd) set TCP_NODELAY on every connection: without it the answer to a
      // request sent with the client's Finished waits on Nagle behind the session tickets, until the
      // client's delayed ACK (40 ms)
      noDelay: true,
    },
    (client: TLSSocket) => {
      const up = connect({ path: socket, allowHalfOpen: true });
      client.pipe(up);
      up.pipe(client);
      const done = (): void => {
        client.destroy();
        up.destroy();
      };
      client.on('error', done);
      up.on('error', done);
      client.on('close', () => up.destroy());
      up.on('close', () => client.end());
    },
  );
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    dir,
    port,
    host: `tcp://127.0.0.1:${port}`,
    otherCa: join(dir, 'other-ca.pem'),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(dir, { recursive: true, force: true });
      }),
  };
}
