/** `docker port` lines: "80/tcp -> 127.0.0.1:8080", sorted by port then protocol as docker does. */
export type PortMap = Record<string, { HostIp: string; HostPort: string }[] | null>;

function hostPort(b: { HostIp: string; HostPort: string }): string {
  const ip = b.HostIp || '0.0.0.0';
  return ip.includes(':') ? `[${ip}]:${b.HostPort}` : `${ip}:${b.HostPort}`;
}

export function portBindings(bindings: { HostIp: string; HostPort: string }[] | null | undefined): string[] {
  return (bindings ?? []).map(hostPort);
}

export function portLines(ports: PortMap): string[] {
  const keys = Object.keys(ports).sort((a, b) => {
    const [pa, ta] = a.split('/');
    const [pb, tb] = b.split('/');
    if (Number(pa) !== Number(pb)) return Number(pa) - Number(pb);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
  const out: string[] = [];
  for (const k of keys) for (const b of portBindings(ports[k])) out.push(`${k} -> ${b}`);
  return out;
}
