import type { FlagSpec } from './flags.js';

/** docker's global flags (the root command's), their defaults naming the config directory in use. */
export function globalFlags(dir: string): FlagSpec[] {
  return [
    { name: 'config', kind: 'string', typeName: 'string', usage: 'Location of client config files', defaultText: `"${dir}"` },
    {
      name: 'context', short: 'c', kind: 'string', typeName: 'string',
      usage: 'Name of the context to use to connect to the daemon (overrides DOCKER_HOST env var and default context set with "docker context use")',
    },
    { name: 'debug', short: 'D', kind: 'bool', usage: 'Enable debug mode' },
    { name: 'host', short: 'H', kind: 'list', typeName: 'list', usage: 'Daemon socket to connect to', key: 'hosts' },
    {
      name: 'log-level', short: 'l', kind: 'string', typeName: 'string', default: 'info', defaultText: '"info"',
      usage: 'Set the logging level ("debug", "info", "warn", "error", "fatal")',
    },
    { name: 'tls', kind: 'bool', usage: 'Use TLS; implied by --tlsverify' },
    { name: 'tlscacert', kind: 'string', typeName: 'string', usage: 'Trust certs signed only by this CA', defaultText: `"${dir}/ca.pem"` },
    { name: 'tlscert', kind: 'string', typeName: 'string', usage: 'Path to TLS certificate file', defaultText: `"${dir}/cert.pem"` },
    { name: 'tlskey', kind: 'string', typeName: 'string', usage: 'Path to TLS key file', defaultText: `"${dir}/key.pem"` },
    { name: 'tlsverify', kind: 'bool', usage: 'Use TLS and verify the remote' },
    { name: 'version', short: 'v', kind: 'bool', usage: 'Print version information and quit' },
  ];
}
