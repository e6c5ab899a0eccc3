// cobra's completion protocol (`__complete` / `__completeNoDesc`): walk the command tree over the
// words typed so far and print the candidates for the last one, one a line ("name\tdescription"),
// then ":<directive>", with cobra's note on stderr. Dynamic candidates are docker 28's
// (cli/command/completion): container names by state per verb, images, volumes, networks.
import type { Cli } from '../../cli/cli.js';
import type { DockerCommand } from '../../cli/command.js';
import type { FlagSpec } from '../../cli/flags.js';

export const DIRECTIVE = { Error: 1, NoSpace: 2, NoFileComp: 4, FilterFileExt: 8, FilterDirs: 16, KeepOrder: 32, Default: 0 };

function directiveNames(d: number): string {
  if (d === 0) return 'ShellCompDirectiveDefault';
  const names: string[] = [];
  if (d & 1) names.push('ShellCompDirectiveError');
  if (d & 2) names.push('ShellCompDirectiveNoSpace');
  if (d & 4) names.push('ShellCompDirectiveNoFileComp');
  if (d & 8) names.push('ShellCompDirectiveFilterFileExt');
  if (d & 16) names.push('ShellCompDirectiveFilterDirs');
  if (d & 32) names.push('ShellCompDirectiveKeepOrder');
  return names.join(', ');
}

type Summary = { Names?: string[]; State?: string };
type ContainerFilter = (c: Summary, changed: Set<string>) => boolean;

/** docker 28's ValidArgsFunction for each container verb: all containers or running ones, then a state filter. */
const containerVerbs: Record<string, { all: boolean; filter?: ContainerFilter }> = {
  attach: { all: false, filter: (c) => c.State !== 'paused' },
  commit: { all: false },
  diff: { all: false },
  exec: { all: false, filter: (c) => c.State !== 'paused' },
  export: { all: true },
  inspect: { all: true },
  kill: { all: false },
  logs: { all: true },
  pause: { all: false, filter: (c) => c.State !== 'paused' },
  port: { all: false },
  rename: { all: true },
  restart: { all: true },
  rm: { all: true, filter: (c, changed) => changed.has('force') || c.State !== 'running' },
  start: { all: true, filter: (c) => c.State === 'exited' || c.State === 'created' },
  stats: { all: false },
  stop: { all: false },
  top: { all: false },
  unpause: { all: false, filter: (c) => c.State === 'paused' },
  update: { all: true },
  wait: { all: false },
};
/** image verbs and how many image arguments they complete (-1: any) */
const imageVerbs: Record<string, number> = { create: -1, run: 1, history: 1, push: 1, rmi: -1, rm: -1, save: -1, tag: 2, inspect: -1 };
/** docker's completion.NoComplete verbs (group verb) */
const noComplete = new Set([
  'container ls', 'container prune', 'image load', 'image prune', 'image pull',
  'network create', 'network ls', 'volume create', 'volume ls', 'volume prune',
]);

function takesValue(f: FlagSpec): boolean {
  return f.kind !== 'bool' && f.noOptDefault === undefined;
}

function findFlag(flags: FlagSpec[], word: string): FlagSpec | undefined {
  if (word.startsWith('--')) return flags.find((f) => f.name === word.slice(2).split('=')[0]);
  if (word.startsWith('-') && word.length >= 2) return flags.find((f) => f.short === word[word.length - 1]);
  return undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

/** Run `__complete` (withDesc) or `__completeNoDesc` over the words after it. */
export async function runComplete(root: DockerCommand, cli: Cli, words: string[], withDesc: boolean, globalFlags: FlagSpec[], plugins: { name: string; short: string }[]): Promise<number> {
  const toComplete = words.length > 0 ? words[words.length - 1] : '';
  const typed = words.slice(0, -1);
  let node = root;
  let flags = globalFlags;
  const args: string[] = [];
  const changed = new Set<string>();
  let pendingFlag: FlagSpec | undefined;
  let dashdash = false;
  for (const w of typed) {
    if (pendingFlag) {
      pendingFlag = undefined;
      continue;
    }
    if (!dashdash && w === '--') {
      dashdash = true;
      continue;
    }
    if (!dashdash && w.startsWith('-') && w.length > 1) {
      const f = findFlag(flags, w) ?? findFlag(globalFlags, w);
      if (f) {
        changed.add(f.name);
        if (takesValue(f) && !w.includes('=') && !(w[1] !== '-' && w.length > 2 && w.indexOf(f.short!) < w.length - 1)) pendingFlag = f;
      }
      continue;
    }
    const child = args.length === 0 && node.isGroup ? node.find(w) : undefined;
    if (child) {
      node = child;
      flags = [...(child.spec?.flags ?? []), ...globalFlags];
      continue;
    }
    args.push(w);
  }

  const out: string[] = [];
  let directive = DIRECTIVE.NoFileComp;
  const emit = (name: string, desc = ''): void => {
    out.push(withDesc && desc ? `${name}\t${firstLine(desc)}` : name);
  };

  const valueFlag = pendingFlag ?? (toComplete.startsWith('--') && toComplete.includes('=') ? findFlag(flags, toComplete) : undefined);
  if (valueFlag) {
    const prefix = pendingFlag ? '' : toComplete.slice(0, toComplete.indexOf('=') + 1);
    const values = await flagValues(cli, node, valueFlag);
    if (values === undefined) directive = DIRECTIVE.Default;
    else for (const v of values) out.push(prefix + v);
  } else if (toComplete.startsWith('-') && !dashdash) {
    // docker's global flags are not inherited by its commands' flag sets
    // pflag visits flags in name order
    const byName = [...(node.parent ? node.spec?.flags ?? [] : globalFlags)].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const f of byName) {
      // flags hidden for an engine too old for them are still offered, as docker's completion does
      if ((f.hidden && !f.minApi) || f.deprecated) continue;
      if (changed.has(f.name) && f.kind !== 'list') continue;
      const usage = (f.completionUsage ?? f.usage).trimEnd();
      if (`--${f.name}`.startsWith(toComplete)) emit(`--${f.name}`, usage);
      if (f.short && toComplete.length === 1) emit(`-${f.short}`, usage);
    }
  } else if (node.isGroup && args.length === 0) {
    const rows: { name: string; short: string }[] = node.children.filter((c) => !c.hidden).map((c) => ({ name: c.name(), short: c.short }));
    if (!node.parent) {
      rows.push({ name: 'help', short: 'Help about any command' }, ...plugins);
    }
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const r of rows) if (r.name.startsWith(toComplete)) emit(r.name, r.short);
  } else if (!node.isGroup) {
    const r = await argValues(cli, node, args, changed);
    if (r === undefined) directive = DIRECTIVE.Default;
    else out.push(...r);
  } else {
    directive = DIRECTIVE.NoFileComp;
  }
  cli.out.stream.write(out.map((l) => l + '\n').join('') + `:${directive}\n`);
  cli.err.stream.write(`Completion ended with directive: ${directiveNames(directive)}\n`);
  return 0;
}

async function names(cli: Cli, what: 'containers' | 'images' | 'networks' | 'volumes', all = false): Promise<any[]> {
  const e = await cli.engine();
  if (what === 'containers') return e.json({ path: '/containers/json', query: { all: all ? '1' : undefined } });
  if (what === 'images') return e.json({ path: '/images/json' });
  if (what === 'networks') return e.json({ path: '/networks' });
  return (await e.json({ path: '/volumes' }))?.Volumes ?? [];
}

/** The candidates for a positional argument; undefined: none of ours (the shell completes files). */
async function argValues(cli: Cli, node: DockerCommand, args: string[], changed: Set<string>): Promise<string[] | undefined> {
  const verb = node.name();
  const group = node.canonical?.parent?.name() ?? node.parent?.name();
  const top = !node.parent?.parent;
  try {
    const canonical = node.canonical ?? node;
    if (noComplete.has(`${canonical.parent?.name()} ${canonical.name()}`)) return [];
    if (top && verb === 'inspect') return [];
    if ((group === 'container' || (top && !['rmi', 'inspect', 'tag', 'save', 'history', 'push', 'images', 'build'].includes(verb))) && containerVerbs[verb]) {
      const v = containerVerbs[verb];
      const list = (await names(cli, 'containers', v.all)) as Summary[];
      const res: string[] = [];
      const ids = cli.env.DOCKER_COMPLETION_SHOW_CONTAINER_IDS === 'yes';
      for (const c of list) {
        if (v.filter && !v.filter(c, changed)) continue;
        if (ids) res.push((c as any).Id);
        for (const n of c.Names ?? []) res.push(n.replace(/^\//, ''));
      }
      return res;
    }
    if ((group === 'image' || top) && imageVerbs[verb] !== undefined) {
      const limit = imageVerbs[verb];
      if (limit > 0 && args.length >= limit) return [];
      const list = await names(cli, 'images');
      return list.flatMap((i: any) => i.RepoTags ?? []);
    }
    if (group === 'volume' && ['rm', 'inspect', 'update'].includes(verb)) return (await names(cli, 'volumes')).map((v: any) => v.Name);
    if (group === 'network' && ['rm', 'inspect'].includes(verb)) return (await names(cli, 'networks')).map((n: any) => n.Name);
    if (group === 'network' && ['connect', 'disconnect'].includes(verb)) {
      if (args.length === 0) return (await names(cli, 'networks')).map((n: any) => n.Name);
      if (args.length === 1) return ((await names(cli, 'containers', verb === 'disconnect')) as Summary[]).flatMap((c) => (c.Names ?? []).map((n) => n.replace(/^\//, '')));
      return [];
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The candidates for a flag's value; undefined: no completion function (files). */
async function flagValues(cli: Cli, _node: DockerCommand, f: FlagSpec): Promise<string[] | undefined> {
  try {
    switch (f.name) {
      case 'network':
        return (await names(cli, 'networks')).map((n: any) => n.Name);
      case 'log-driver': {
        // docker offers the engine's log plugins (info's Plugins.Log)
        const info: any = await (await cli.engine()).json({ path: '/info' });
        return info?.Plugins?.Log ?? [];
      }
      case 'volume':
        return undefined;
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}
