import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { keyValues } from '../../cli/keyvalues.js';

export interface NetworkCreateOptions {
  attachable: boolean;
  auxAddress: string[];
  configFrom: string;
  configOnly: boolean;
  driver: string;
  gateway: string[];
  ingress: boolean;
  internal: boolean;
  ipRange: string[];
  ipamDriver: string;
  ipamOpt: string[];
  ipv4: boolean;
  ipv6: boolean;
  label: string[];
  opt: string[];
  scope: string;
  subnet: string[];
}

export const spec = dockerSpec<NetworkCreateOptions>('network create', { args: exactArgs(1), run: runNetworkCreate });

/** docker's consolidateIpam: gateways, ranges and aux addresses paired with their subnets. */
function ipamConfig(o: NetworkCreateOptions): Record<string, unknown>[] {
  if (o.subnet.length < o.ipRange.length || o.subnet.length < o.gateway.length) {
    throw new StatusError('every ip-range or gateway must have a corresponding subnet', 1);
  }
  const aux = keyValues(o.auxAddress);
  return o.subnet.map((subnet, i) => {
    const c: Record<string, unknown> = { Subnet: subnet };
    if (o.ipRange[i]) c.IPRange = o.ipRange[i];
    if (o.gateway[i]) c.Gateway = o.gateway[i];
    const mine: Record<string, string> = {};
    for (const [k, v] of Object.entries(aux)) mine[k] = v;
    if (Object.keys(mine).length && i === 0) c.AuxiliaryAddresses = mine;
    return c;
  });
}

export async function runNetworkCreate(cli: Cli, o: NetworkCreateOptions, [name]: string[], inv: { changed: Set<string> }): Promise<void> {
  const engine = await cli.engine();
  const body: Record<string, unknown> = {
    Name: name,
    CheckDuplicate: true,
    Driver: o.driver || 'bridge',
    Scope: o.scope,
    EnableIPv6: inv.changed.has('ipv6') ? o.ipv6 : undefined,
    IPAM: { Driver: o.ipamDriver || 'default', Config: ipamConfig(o), Options: keyValues(o.ipamOpt) },
    Internal: o.internal,
    Attachable: o.attachable,
    Ingress: o.ingress,
    ConfigOnly: o.configOnly,
    ConfigFrom: o.configFrom ? { Network: o.configFrom } : undefined,
    Options: keyValues(o.opt),
    Labels: keyValues(o.label),
  };
  const r = await engine.json<{ Id: string; Warning?: string }>({ method: 'POST', path: '/networks/create', body });
  if (r.Warning) cli.warn(`Warning: ${r.Warning}\n`);
  cli.print(r.Id + '\n');
}
