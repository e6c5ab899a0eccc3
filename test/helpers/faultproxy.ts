/**
 * A fault-injecting proxy of the test's own: a unix socket in a temp dir that forwards to the engine's
 * socket, and for connections whose request line matches `match` injects a fault once the engine's
 * answer has begun (after `afterBytes` bytes of it, then `delayMs`):
 * - close: both connections are closed, as when the engine dies (the client reads EOF);
 * - stall: nothing more is passed on in either direction (an engine that hangs);
 * - truncate: the answer is cut `afterBytes` bytes in and closed;
 * - garble: the rest of the answer is replaced by bytes that are not the protocol.
 * Or `respond` answers such requests itself with a canned HTTP answer (5xx bodies, redirects), or
 * `holdRequestMs` passes the request on only after a while (with `onMatch`, the test acts meanwhile).
 * The main engine is never touched: only the proxied connections are.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Fault = 'close' | 'stall' | 'truncate' | 'garble';

export interface FaultRule {
  /** tested against the request line ("POST /v1.41/containers/x/wait?condition=... HTTP/1.1") */
  match: RegExp;
  fault?: Fault;
  afterBytes?: number;
  delayMs?: number;
  /** a whole HTTP answer sent instead of the engine's */
  respond?: string;
  /** the request is held this long before it goes on to the engine (a slow engine) */
  holdRequestMs?: number;
  /** called when a request matches (the test acts while the client waits for its answer) */
  onMatch?: (line: string) => void;
}

export class FaultProxy {
  readonly dir: string;
  readonly path: string;
  /** how many times a rule fired */
  fired = 0;
  private server: Server;
  private sockets = new Set<Socket>();

  private constructor(
    private rules: FaultRule[],
    readonly upstream: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), 'tdfault-'));
    this.path = join(this.dir, 'docker.sock');
    // half-open both ways: docker's client closes its writing side of an attach once it has no stdin to
    // send, and still reads the container's output (node would otherwise end our side on its FIN)
    this.server = createServer({ allowHalfOpen: true }, (c) => this.handle(c));
  }

  static async start(rules: FaultRule[], upstream = '/var/run/docker.sock'): Promise<FaultProxy> {
    const p = new FaultProxy(rules, upstream);
    await new Promise<void>((res) => p.server.listen(p.path, res));
    return p;
  }

  get host(): string {
    return `unix://${this.path}`;
  }

  setRules(rules: FaultRule[]): void {
    this.rules = rules;
  }

  /**
   * Requests are matched one by one: docker's client keeps its connection alive, so the request a rule
   * is about may come after others on the same connection (it is sent once the previous answer ended).
   */
  private handle(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => {});
    const up = createConnection({ path: this.upstream, allowHalfOpen: true });
    this.sockets.add(up);
    up.on('close', () => this.sockets.delete(up));
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
    let rule: FaultRule | undefined;
    let seen = 0;
    let stalled = false;
    let armed = false;
    client.on('data', (d: Buffer) => {
      if (stalled) return;
      const line = /^[A-Z]+ \S+ HTTP\/1\.[01]/.exec(d.toString('latin1', 0, Math.min(d.length, 8192)))?.[0];
      if (line && !armed) {
        rule = this.rules.find((r) => r.match.test(line));
        seen = 0;
        rule?.onMatch?.(line);
        if (rule?.holdRequestMs) {
          this.fired++;
          client.pause();
          setTimeout(() => {
            up.write(d);
            client.resume();
          }, rule.holdRequestMs);
          return;
        }
        if (rule?.respond !== undefined) {
          this.fired++;
          stalled = true;
          client.end(rule.respond);
          up.destroy();
          return;
        }
      }
      up.write(d);
    });
    client.on('end', () => up.end());
    const fire = (): void => {
      this.fired++;
      stalled = true;
      switch (rule!.fault) {
        case 'stall':
          up.pause();
          break;
        case 'garble':
          client.end(Buffer.from('\x00\xffgarbage, not HTTP nor JSON {{{\r\n\r\n'));
          up.destroy();
          break;
        default:
          client.end();
          up.destroy();
      }
    };
    up.on('data', (d: Buffer) => {
      if (stalled) return;
      if (!rule?.fault || armed) {
        client.write(d);
        return;
      }
      const limit = rule.afterBytes ?? 0;
      if (seen + d.length <= limit) {
        seen += d.length;
        client.write(d);
        return;
      }
      // pass on what comes before the fault point, then fire (at once, or after delayMs)
      const cut = Math.max(0, limit - seen);
      seen += d.length;
      client.write(d.subarray(0, cut));
      if (rule.fault === 'truncate' || !rule.delayMs) {
        fire();
        return;
      }
      armed = true;
      client.write(d.subarray(cut));
      setTimeout(fire, rule.delayMs);
    });
    up.on('end', () => {
      if (!stalled) client.end();
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
