/**
 * How requests reach an engine that is not a local socket: docker's ssh connection helper (the system
 * `ssh` running `docker system dial-stdio` on the remote host, one ssh process per connection), Go's
 * proxy rules for tcp:// engines (HTTP_PROXY, HTTPS_PROXY, NO_PROXY), and the TLS material checks
 * docker makes before it dials.
 */
import { spawn } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { Agent, type AgentOptions, type ClientRequest } from 'node:http';
import { createServer, isIP, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoint, TlsMaterial } from '../cli/endpoint.js';
import { StatusError } from '../cli/errors.js';

// ---- ssh -------------------------------------------------------------------------------------------

export interface SshSpec {
  user: string;
  host: string;
  port: string;
  path: string;
}

/** docker's ssh.NewSpec (errors as docker words them, wrapped as the connection helper does) */
export function parseSshUrl(url: string): SshSpec {
  const fail = (m: string): never => {
    throw new StatusError(`Failed to initialize: ssh host connection is not valid: invalid SSH URL: ${m}`, 1);
  };
  const m = /^ssh:\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^/:?#]*)(?::([^/?#]*))?([^?#]*)(\?[^#]*)?(#.*)?$/.exec(url);
  if (!m) fail('hostname is empty');
  const [, userinfo = '', host, port, path, query, fragment] = m!;
  if (port !== undefined && !/^\d*$/.test(port)) throw new StatusError(`Failed to initialize: parse ${JSON.stringify(url)}: invalid port ${JSON.stringify(':' + port)} after host`, 1);
  if (userinfo.includes(':')) fail('plain-text password is not supported');
  if (!host) fail('hostname is empty');
  if (query && query.length > 1) fail(`query parameters are not allowed: ${JSON.stringify(query.slice(1))}`);
  if (fragment && fragment.length > 1) fail(`fragments are not allowed: ${JSON.stringify(fragment.slice(1))}`);
  return { user: decodeURIComponent(userinfo), host: host.replace(/^\[|\]$/g, ''), port: port ?? '', path: decodeURIComponent(path) };
}

/** The ssh command line docker's connection helper runs. */
export function sshArgs(sp: SshSpec): string[] {
  const args = ['-o ConnectTimeout=30', '-T'];
  if (sp.user) args.push('-l', sp.user);
  if (sp.port) args.push('-p', sp.port);
  args.push('--', sp.host, 'docker');
  if (sp.path) args.push('--host', 'unix://' + sp.path);
  args.push('system', 'dial-stdio');
  return args;
}

/** What the last ssh connection that failed said (docker's commandconn error text). */
let sshFailure: string | undefined;

export function lastSshFailure(): string | undefined {
  return sshFailure;
}

/**
 * A unix socket of our own whose every connection is one `ssh ... docker system dial-stdio` process
 * with the connection as its stdin and stdout: HTTP, streamed and hijacked requests all travel over
 * ssh while the rest of the client sees a local socket.
 */
export async function sshBridge(sp: SshSpec, env: NodeJS.ProcessEnv): Promise<string> {
  const path = join(tmpdir(), `tdocker-ssh-${process.pid}-${Date.now().toString(36)}.sock`);
  const args = sshArgs(sp);
  const server = createServer((conn: Socket) => {
    let stderr = '';
    const child = spawn('ssh', args, { stdio: [conn, conn, 'pipe'], env });
    child.stderr!.on('data', (c: Buffer) => {
      stderr = (stderr.length > 4096 ? '' : stderr) + c.toString('utf8');
    });
    child.on('error', (e) => {
      sshFailure = `exec: "ssh": ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'executable file not found in $PATH' : e.message}`;
      conn.destroy();
    });
    child.on('close', (code, signal) => {
      if (code !== 0) {
        const how = signal ? `signal: ${signalName(signal)}` : `exit status ${code}`;
        sshFailure = `command [ssh ${args.join(' ')}] has exited with ${how}, make sure the URL is valid, and Docker 18.09 or later is installed on the remote host: stderr=${stderr}`;
      }
      conn.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  server.unref();
  process.once('exit', () => rmSync(path, { force: true }));
  return path;
}

function signalName(s: NodeJS.Signals): string {
  const names: Record<string, string> = { SIGKILL: 'killed', SIGTERM: 'terminated', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGPIPE: 'broken pipe' };
  return names[s] ?? s;
}

// ---- proxies ---------------------------------------------------------------------------------------

/** Go's httpproxy.FromEnvironment for an http:// request to host:port; undefined when direct. */
export function proxyFor(host: string, port: string, env: NodeJS.ProcessEnv): URL | undefined {
  const raw = env.HTTP_PROXY || env.http_proxy;
  if (!raw) return undefined;
  const h = host.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return undefined;
  if (isIP(h) === 4 ? h.startsWith('127.') : h === '::1') return undefined;
  const noProxy = env.NO_PROXY ?? env.no_proxy ?? '';
  for (let entry of noProxy.split(',')) {
    entry = entry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return undefined;
    let ePort = '';
    const pm = /^(.*):(\d+)$/.exec(entry);
    if (pm && !entry.includes(']') && isIP(entry) !== 6) {
      entry = pm[1];
      ePort = pm[2];
    }
    if (ePort && ePort !== port) continue;
    if (entry.includes('/') && isIP(h) === 4 && inCidr(h, entry)) return undefined;
    if (entry === h) return undefined;
    const suffix = entry.startsWith('*.') ? entry.slice(1) : entry.startsWith('.') ? entry : '.' + entry;
    if (h.endsWith(suffix) || (!entry.startsWith('.') && !entry.startsWith('*.') && h === entry)) return undefined;
  }
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : 'http://' + raw);
  } catch {
    return undefined;
  }
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  if (isIP(net) !== 4) return false;
  const n = Number(bits);
  const toInt = (a: string): number => a.split('.').reduce((x, o) => (x << 8) + Number(o), 0) >>> 0;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (toInt(ip) & mask) === (toInt(net) & mask);
}

/** An agent that sends every request to an HTTP proxy in absolute form, as Go's transport does for http:// URLs. */
export function proxyAgent(proxy: URL, target: string): Agent {
  const agent = new Agent({ keepAlive: false } as AgentOptions);
  const add = (agent as any).addRequest.bind(agent);
  (agent as any).addRequest = (req: ClientRequest, options: any) => {
    req.path = `http://${target}${req.path}`;
    if (proxy.username) req.setHeader('Proxy-Authorization', 'Basic ' + Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64'));
    add(req, { ...options, host: proxy.hostname.replace(/^\[|\]$/g, ''), port: proxy.port || '80', servername: undefined });
  };
  return agent;
}

// ---- TLS material ----------------------------------------------------------------------------------

/** The checks docker's Endpoint.tlsConfig makes, with its messages (before anything is dialled). */
export function checkTlsMaterial(tls: TlsMaterial): void {
  const fail = (m: string): never => {
    throw new StatusError(`Failed to initialize: ${m}`, 1);
  };
  if (tls.ca) {
    const blocks = pemBlocks(tls.ca.toString('latin1')).filter((b) => b.type === 'CERTIFICATE');
    let ok = false;
    for (const b of blocks) {
      try {
        new X509Certificate(b.text);
        ok = true;
      } catch {
        // a block that does not parse is skipped, as x509.CertPool.AppendCertsFromPEM skips it
      }
    }
    if (!ok) fail('failed to retrieve context tls info: ca.pem seems invalid');
  }
  if (tls.key && tls.cert) {
    const keyBlocks = pemBlocks(tls.key.toString('latin1'));
    if (keyBlocks.length === 0) fail('no valid private key found');
    if (/Proc-Type:\s*4,ENCRYPTED/.test(keyBlocks[0].text)) {
      fail('private key is encrypted - support for encrypted private keys has been removed, see https://docs.docker.com/go/deprecated/');
    }
    const certBlocks = pemBlocks(tls.cert.toString('latin1')).filter((b) => b.type === 'CERTIFICATE');
    if (certBlocks.length === 0) fail('failed to retrieve context tls info: tls: failed to find any PEM data in certificate input');
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(certBlocks[0].text);
    } catch (e) {
      return fail(`failed to retrieve context tls info: tls: failed to parse certificate: ${(e as Error).message}`);
    }
    let key;
    try {
      key = createPrivateKey(tls.key);
    } catch {
      return fail('failed to retrieve context tls info: tls: failed to parse private key');
    }
    if (!cert.checkPrivateKey(key)) fail('failed to retrieve context tls info: tls: private key does not match public key');
  }
}

function pemBlocks(text: string): { type: string; text: string }[] {
  const out: { type: string; text: string }[] = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ type: m[1], text: m[0] });
  return out;
}

/** The URL Go's client prints in "error during connect: Get "...": ..." */
export function requestUrl(endpoint: Endpoint, tls: boolean, path: string): string {
  const h = endpoint.host;
  if (h.startsWith('unix://')) return 'http://' + encodeURIComponent(h.slice(7)) + path;
  if (h.startsWith('ssh://')) return 'http://docker.example.com' + path;
  const rest = h.replace(/^[a-z]+:\/\//, '');
  return (tls ? 'https://' : 'http://') + rest.replace(/\/+$/, '') + path;
}
