import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';

export interface NetworkConnectOptions {
  alias: string[];
  driverOpt: string[];
  gwPriority: number;
  ip: string;
  ip6: string;
  link: string[];
  linkLocalIp: string[];
}

export const spec = dockerSpec<NetworkConnectOptions>('network connect', { args: exactArgs(2), run: runNetworkConnect });

export async function runNetworkConnect(cli: Cli, o: NetworkConnectOptions, [network, container]: string[]): Promise<void> {
  const engine = await cli.engine();
  const driverOpts: Record<string, string> = {};
  for (const d of o.driverOpt) {
    const i = d.indexOf('=');
    driverOpts[i < 0 ? d : d.slice(0, i)] = i < 0 ? '' : d.slice(i + 1);
  }
  await engine.json({
    method: 'POST',
    path: `/networks/${encodeURIComponent(network)}/connect`,
    body: {
      Container: container,
      EndpointConfig: {
        IPAMConfig: o.ip || o.ip6 || o.linkLocalIp.length ? { IPv4Address: o.ip, IPv6Address: o.ip6, LinkLocalIPs: o.linkLocalIp } : undefined,
        Links: o.link.length ? o.link : undefined,
        Aliases: o.alias.length ? o.alias : undefined,
        DriverOpts: Object.keys(driverOpts).length ? driverOpts : undefined,
      },
    },
  });
}
