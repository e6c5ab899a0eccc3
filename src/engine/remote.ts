/**
 * The socket client of a remote engine (src/engine/socketclient.ts), with no dockerode and no node
 * http: over ssh:// on the local socket of the ssh bridge (each connection one `ssh ... docker system
 * dial-stdio`), over tcp:// with TLS on verified TLS connections (src/engine/tlsdial.ts). Its first
 * connection (the ssh login, the TLS handshake) is opened at once, while the rest of the client is
 * still loading. The full engine client (src/engine/client.ts) and the start-up fast path (src/fast.ts)
 * both make theirs here.
 */
import type { Endpoint } from '../cli/endpoint.js';
import { SocketClient } from './socketclient.js';
import { TlsDialer } from './tlsdial.js';
import { checkTlsMaterial, parseSshUrl, sshBridge } from './transport.js';

export interface RemoteClient {
  raw: SocketClient;
  /** ssh://: the bridge's socket */
  socketPath?: string;
  /** tcp:// with TLS: the dialer every connection of the engine comes from */
  tlsDialer?: TlsDialer;
}

/** host and port of a tcp:// address, as docker-modem takes them (the default port by scheme) */
export function tcpHostPort(host: string, tls: boolean): { host: string; port: string; hostPort: string } {
  const rest = host.replace(/^[a-z]+:\/\//, '');
  const m = /^(\[[^\]]*\]|[^:/]*)(?::(\d*))?/.exec(rest)!;
  const port = m[2] || (tls ? '443' : '80');
  return { host: m[1].replace(/^\[|\]$/g, ''), port, hostPort: `${m[1]}:${port}` };
}

/** For ssh:// and TLS tcp:// endpoints (undefined for the others); throws docker's errors for bad TLS material. */
export async function remoteClient(endpoint: Endpoint, env: NodeJS.ProcessEnv): Promise<RemoteClient | undefined> {
  const h = endpoint.host;
  if (h.startsWith('ssh://')) {
    const socketPath = await sshBridge(parseSshUrl(h), env);
    const raw = new SocketClient(socketPath);
    raw.warm();
    return { raw, socketPath };
  }
  if (!/^(tcp|http|https):\/\//.test(h) || !endpoint.tls) return undefined;
  checkTlsMaterial(endpoint.tls);
  const { host, port, hostPort } = tcpHostPort(h, true);
  const tlsDialer = new TlsDialer(host, Number(port), endpoint.tls);
  const raw = new SocketClient('', () => tlsDialer.connect(), hostPort);
  raw.warm();
  return { raw, tlsDialer };
}
