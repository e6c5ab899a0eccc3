/**
 * The session's SSH forwarding (buildkit's sshforward with its agent provider): `--ssh default` or
 * `--ssh ID=PATH[,PATH…]` names an agent socket (SSH_AUTH_SOCK when no path is given) or private key
 * files served from memory; the engine checks an ID (CheckAgent) and opens a stream per connection a
 * RUN --mount=type=ssh makes (ForwardAgent), whose bytes are the agent protocol. A forwarded socket is
 * read-only as buildkit's is: requests that add, remove or lock keys are answered with a failure.
 */
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';

/**
 * ssh2, loaded on first use. In the bundle it is a CommonJS stand-in whose properties appear once it
 * is loaded: `in` loads it.
 */
async function ssh2(): Promise<typeof import('ssh2')> {
  const m = (await import('ssh2')) as unknown as { default?: typeof import('ssh2') };
  const d = (m.default ?? m) as typeof import('ssh2');
  void ('utils' in d);
  return d;
}

export interface SshSource {
  socket?: string;
  keys?: any[];
}

/** docker 20.10's parseSSH and buildkit's NewSSHAgentProvider: the sources by ID, or buildkit's error */
export async function parseSshSpecs(list: string[], env: NodeJS.ProcessEnv): Promise<Record<string, SshSource>> {
  const out: Record<string, SshSource> = {};
  for (const v of list) {
    const i = v.indexOf('=');
    let id = i < 0 ? v : v.slice(0, i);
    let paths = i < 0 ? [] : v.slice(i + 1).split(',');
    if (paths.length === 0 || (paths.length === 1 && paths[0] === '')) paths = [env.SSH_AUTH_SOCK ?? ''];
    if (paths[0] === '') throw new Error('invalid empty ssh agent socket, make sure SSH_AUTH_SOCK is set');
    const src = await agentSource(paths);
    if (id === '') id = 'default';
    if (out[id]) throw new Error(`invalid duplicate ID ${id}`);
    out[id] = src;
  }
  return out;
}

async function agentSource(paths: string[]): Promise<SshSource> {
  let socket = '';
  const keys: any[] = [];
  for (const p of paths) {
    if (socket) throw new Error('only single socket allowed');
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new Error(`stat ${p}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
    }
    if (st.isSocket()) {
      if (keys.length) throw new Error('invalid combination of keys and sockets');
      socket = p;
      continue;
    }
    let dt: Buffer;
    try {
      dt = readFileSync(p).subarray(0, 100 * 1024);
    } catch (e) {
      throw new Error(`failed to open ${p}: ${(e as Error).message}`);
    }
    const { utils } = await ssh2();
    const k = utils.parseKey(dt);
    if (k instanceof Error) {
      const msg = /encrypted/i.test(k.message) || /passphrase/i.test(k.message) ? 'ssh: this private key is passphrase protected' : 'ssh: no key found';
      throw new Error(`failed to parse ${p}: ${msg}`);
    }
    const key = Array.isArray(k) ? k[0] : k;
    // Go's keyring lists a key added from a file without its comment
    key.comment = '';
    keys.push(key);
  }
  return socket ? { socket } : { keys };
}

// agent protocol requests a read-only agent refuses (add, remove, lock, unlock, smartcards)
const REFUSED = new Set([17, 18, 19, 20, 21, 22, 23, 25, 26]);
const FAILURE = Buffer.from([0, 0, 0, 1, 5]);

/** ForwardAgent: one agent connection over the stream of BytesMessage */
export function serveForwardAgent(sources: Record<string, SshSource>): (call: any) => void {
  return (call: any) => {
    const id = String(call.metadata.get('buildkit.ssh.id')?.[0] ?? '') || 'default';
    const src = sources[id];
    if (!src) {
      call.destroy(Object.assign(new Error(`unset ssh forward key ${id}`), { code: 2 }));
      return;
    }
    call.on('error', () => undefined);
    if (src.socket) {
      const sock = connect(src.socket);
      let pending = Buffer.alloc(0);
      sock.on('data', (b: Buffer) => call.write({ data: b }));
      sock.on('error', (e: Error) => call.destroy(Object.assign(new Error(`failed to connect to ${src.socket}: ${e.message}`), { code: 2 })));
      sock.on('end', () => call.end());
      call.on('data', (m: any) => {
        pending = Buffer.concat([pending, Buffer.from(m.data ?? [])]);
        while (pending.length >= 5) {
          const len = pending.readUInt32BE(0);
          if (pending.length < 4 + len) break;
          const msg = pending.subarray(0, 4 + len);
          pending = pending.subarray(4 + len);
          if (REFUSED.has(msg[4])) call.write({ data: FAILURE });
          else sock.write(msg);
        }
      });
      call.on('end', () => sock.end());
      return;
    }
    void ssh2().then(({ AgentProtocol }) => {
      const proto = new AgentProtocol(false);
      const keys = src.keys ?? [];
      proto.on('identities', (req: any) => proto.getIdentitiesReply(req, keys));
      proto.on('sign', (req: any, pub: any, data: Buffer, flags: { hash?: string }) => {
        const blob = pub.getPublicSSH();
        const k = keys.find((x) => x.getPublicSSH().equals(blob));
        const sig = k?.sign(data, flags.hash);
        if (!k || !Buffer.isBuffer(sig)) proto.failureReply(req);
        else proto.signReply(req, sig);
      });
      proto.on('data', (b: Buffer) => call.write({ data: b }));
      proto.on('error', () => call.end());
      call.on('data', (m: any) => proto.write(Buffer.from(m.data ?? [])));
      call.on('end', () => call.end());
    });
  };
}

/** CheckAgent: whether the build may use an ID */
export function checkAgent(sources: Record<string, SshSource>): (call: any, cb: any) => void {
  return (call: any, cb: any) => {
    const id = call.request.ID || 'default';
    if (!sources[id]) cb(Object.assign(new Error(`unset ssh forward key ${id}`), { code: 2 }));
    else cb(null, {});
  };
}
