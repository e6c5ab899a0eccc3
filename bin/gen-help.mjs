#!/usr/bin/env node
// Development-time generator: reads the reference docker's help pages (docker 28) for the commands
// tdocker implements and writes src/cli/docker-help.json: per command its usage line, description,
// aliases line and flags (name, shorthand, type word, usage, default), plus the Options block as
// docker lays it out at 80 columns. Run again after upgrading the reference: node bin/gen-help.mjs
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const commands = [
  'container ls', 'container inspect', 'container start', 'container stop', 'container restart', 'container kill',
  'container pause', 'container unpause', 'container rename', 'container rm', 'container prune', 'container wait',
  'container top', 'container port', 'container diff', 'container commit', 'container update', 'container logs',
  'container cp', 'container export', 'container stats', 'container run', 'container create', 'container exec',
  'container attach', 'inspect', 'image ls', 'image inspect', 'image history', 'image tag', 'image rm', 'image prune',
  'image import', 'image save', 'image load', 'image build', 'image pull', 'image push', 'login', 'logout', 'search',
  'volume create', 'volume ls', 'volume inspect', 'volume rm', 'volume prune', 'network create', 'network ls',
  'network inspect', 'network rm', 'network prune', 'network connect', 'network disconnect', 'system df',
  'system prune', 'system events',
];

// every verb of docker's other management commands (swarm, contexts, plugins, manifests, builder...),
// so that commands added later find their help here without regenerating
for (const group of ['builder', 'context', 'manifest', 'plugin', 'trust', 'config', 'node', 'secret', 'service', 'stack', 'swarm', 'system', 'image', 'container', 'volume', 'network']) {
  const text = spawnSync('docker', [group, '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } }).stdout;
  const sect = /\nCommands:\n((?: {2}\S.*\n)+)/.exec(text);
  for (const line of sect ? sect[1].split('\n') : []) {
    const verb = /^ {2}(\S+)/.exec(line)?.[1];
    if (verb && !commands.includes(`${group} ${verb}`)) commands.push(`${group} ${verb}`);
  }
}

const out = {};
for (const c of commands) {
  const r = spawnSync('docker', [...c.split(' '), '--help'], { encoding: 'utf8', env: { ...process.env, COLUMNS: '80' } });
  const text = r.stdout;
  const usage = /^Usage: {2}(.*)$/m.exec(text)[1];
  const desc = text.split('\n\n')[1];
  const aliases = /\nAliases:\n {2}(.*)\n/.exec(text)?.[1];
  const optStart = text.indexOf('\nOptions:\n');
  const options = optStart >= 0 ? text.slice(optStart + '\nOptions:\n'.length).replace(/\n+$/, '\n') : '';
  const flags = [];
  for (const line of options.split('\n')) {
    const m = /^ {2}(?:-(\S), )?\s*--([\w-]+)(?: (\S+))? {2,}(.*)$/.exec(line);
    if (m) flags.push({ short: m[1], name: m[2], type: m[3] ?? '', usage: m[4] });
    else if (flags.length && line.trim()) flags[flags.length - 1].usage += '\n' + line.trim();
  }
  for (const f of flags) {
    const d = /\(default (.*)\)$/s.exec(f.usage);
    if (d) {
      f.default = d[1];
      f.usage = f.usage.slice(0, d.index).trimEnd();
    }
  }
  out[c] = { usage: usage.slice(usage.indexOf(' ', 'docker '.length) + 1), use: usage, description: desc, aliases, flags, options };
}
writeFileSync(new URL('../src/cli/docker-help.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
console.log(`${commands.length} commands`);
