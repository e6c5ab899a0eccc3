import type { Readable, Writable } from 'node:stream';
import { Config } from './config.js';
import type { Endpoint } from './endpoint.js';
import type { EngineClient } from './engine-client.js';

/** An output stream as commands see it: where to write, and whether it is a terminal. */
export interface OutStream {
  stream: Writable;
  isTTY: boolean;
  columns: number;
  rows: number;
  /** the fd, when the stream is a terminal (for raw mode / resize) */
  fd?: number;
}

export interface InStream {
  stream: Readable;
  isTTY: boolean;
  fd?: number;
}

export interface CliOptions {
  /** the name the program was called by ("tdocker"), used where docker prints "docker" */
  name: string;
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: NodeJS.ProcessEnv;
  config: Config;
  /** resolves the endpoint lazily: commands that never talk to the engine never resolve it */
  endpoint: () => Endpoint;
  /** creates the engine client; the module that does it (and dockerode) is loaded on first use */
  engineFactory: (endpoint: Endpoint) => Promise<EngineClient>;
  /** the name of the context in use (docker's CurrentContext) */
  currentContext?: () => string;
  /** the default context's endpoint (-H, DOCKER_HOST, the TLS flags); throws docker's error */
  defaultEndpoint?: () => Endpoint;
  debug?: boolean;
  logLevel?: string;
  /** the working directory, for commands that resolve local paths */
  cwd: string;
}

/**
 * The context handed to every command: streams, config, endpoint and the lazily created engine
 * client. Commands use nothing else of the process, so they can run against fake streams in tests.
 */
export class Cli {
  readonly name: string;
  readonly out: OutStream;
  readonly err: OutStream;
  readonly in: InStream;
  readonly env: NodeJS.ProcessEnv;
  readonly config: Config;
  readonly cwd: string;
  readonly debug: boolean;
  readonly logLevel: string;
  private readonly endpointFn: () => Endpoint;
  private readonly currentContextFn: () => string;
  private readonly defaultEndpointFn: () => Endpoint;
  private readonly engineFactory: (endpoint: Endpoint) => Promise<EngineClient>;
  private resolved?: Endpoint;
  private enginePromise?: Promise<EngineClient>;

  constructor(o: CliOptions) {
    this.name = o.name;
    this.out = o.stdout;
    this.err = o.stderr;
    this.in = o.stdin;
    this.env = o.env;
    this.config = o.config;
    this.cwd = o.cwd;
    this.debug = !!o.debug;
    this.logLevel = o.logLevel ?? 'info';
    this.endpointFn = o.endpoint;
    this.currentContextFn = o.currentContext ?? (() => 'default');
    this.defaultEndpointFn = o.defaultEndpoint ?? o.endpoint;
    this.engineFactory = o.engineFactory;
  }

  get endpoint(): Endpoint {
    return (this.resolved ??= this.endpointFn());
  }

  /** The name of the context in use: --context, else default when -H or DOCKER_HOST, else DOCKER_CONTEXT or config.json's. */
  get currentContext(): string {
    return this.currentContextFn();
  }

  /** The endpoint the default context stands for. */
  defaultEndpoint(): Endpoint {
    return this.defaultEndpointFn();
  }

  /** The engine client, created on first use. */
  engine(): Promise<EngineClient> {
    return (this.enginePromise ??= this.engineFactory(this.endpoint));
  }

  /** Write to stdout. */
  print(text: string): void {
    this.out.stream.write(text);
  }

  /** Write to stderr. */
  warn(text: string): void {
    this.err.stream.write(text);
  }
}
