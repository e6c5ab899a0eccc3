import type { Cli } from './cli.js';
import { FlagParseError, FlagSet, flagUsages, type FlagSpec } from './flags.js';
import { StatusError } from './errors.js';

/** How many positional arguments a command takes, with docker's wording when violated. */
export type ArgsRule =
  | { kind: 'none' }
  | { kind: 'min'; n: number }
  | { kind: 'max'; n: number }
  | { kind: 'exact'; n: number }
  | { kind: 'range'; min: number; max: number }
  | { kind: 'any' };

export const noArgs: ArgsRule = { kind: 'none' };
export const anyArgs: ArgsRule = { kind: 'any' };
export const minArgs = (n: number): ArgsRule => ({ kind: 'min', n });
export const maxArgs = (n: number): ArgsRule => ({ kind: 'max', n });
export const exactArgs = (n: number): ArgsRule => ({ kind: 'exact', n });
export const rangeArgs = (min: number, max: number): ArgsRule => ({ kind: 'range', min, max });

export type Category = 'common' | 'management' | 'swarm' | 'other';

/** What a command's run function gets besides the Cli and its options. */
export interface Invocation {
  /** e.g. "docker container ls" (with the program's own name) */
  path: string;
  /** the usage line, e.g. "docker ps [OPTIONS]" */
  useLine: string;
  /** flags the user set explicitly (pflag's Changed), by option key */
  changed: Set<string>;
  /** a usage error in docker's shape for this command (exit 125, "Run '... --help'") */
  usageError(message: string, status?: number): StatusError;
}

/** A leaf command. Each lives in its own file under src/commands/<group>/<verb>.ts. */
export interface CommandSpec<O = any> {
  name: string;
  /** other names within the same parent (cobra Aliases), e.g. ls -> list, ps */
  aliases?: string[];
  /** the part of the usage line after the command path, e.g. "[OPTIONS] CONTAINER [CONTAINER...]" */
  usage: string;
  short: string;
  long?: string;
  example?: string;
  args?: ArgsRule;
  flags?: FlagSpec[];
  /** false: flags are parsed only up to the first positional argument (run, exec, create) */
  interspersed?: boolean;
  hidden?: boolean;
  /** docker's Options block as it lays it out at 80 columns (used verbatim at that width) */
  optionsText?: string;
  run: (cli: Cli, opts: O, args: string[], inv: Invocation) => Promise<void> | void;
}

/** A management command (container, image, ...) or the root: a node with children. */
export interface GroupSpec {
  name: string;
  short: string;
  category?: Category;
  hidden?: boolean;
}

/** One node of the command tree. A spec may sit at two places (container ls and ps): two nodes. */
export class CommandNode {
  readonly children: CommandNode[] = [];
  /** for leaves registered at top level as a legacy alias: the canonical node it mirrors */
  canonical?: CommandNode;
  /** legacy top-level nodes that mirror this canonical node */
  readonly mirrors: CommandNode[] = [];
  category: Category = 'other';
  private flagSet?: FlagSet;

  constructor(
    readonly name: string,
    readonly parent: CommandNode | undefined,
    readonly spec: CommandSpec | undefined,
    readonly group: GroupSpec | undefined,
  ) {}

  get isGroup(): boolean {
    return !this.spec;
  }

  get short(): string {
    return this.spec?.short ?? this.group?.short ?? '';
  }

  get hidden(): boolean {
    return !!(this.spec?.hidden ?? this.group?.hidden);
  }

  get aliases(): string[] {
    return this.spec?.aliases ?? [];
  }

  get flags(): FlagSet {
    return (this.flagSet ??= new FlagSet(this.spec?.flags ?? []));
  }

  path(bin: string): string {
    return this.parent ? `${this.parent.path(bin)} ${this.name}` : bin;
  }

  useLine(bin: string): string {
    if (this.isGroup) return `${this.path(bin)} COMMAND`;
    const usage = this.spec!.usage;
    return usage ? `${this.path(bin)} ${usage}` : this.path(bin);
  }

  /** Add a leaf command under this node. */
  add(spec: CommandSpec): CommandNode {
    const node = new CommandNode(spec.name, this, spec, undefined);
    this.children.push(node);
    return node;
  }

  /** Add a management command (a group) under this node. */
  addGroup(group: GroupSpec): CommandNode {
    const node = new CommandNode(group.name, this, undefined, group);
    node.category = group.category ?? 'management';
    this.children.push(node);
    return node;
  }

  /** Register a top-level legacy alias (e.g. `ps` for `container ls`) sharing the same spec. */
  addLegacy(name: string, canonical: CommandNode, category: Category = 'other'): CommandNode {
    const spec = { ...canonical.spec!, name, aliases: [] };
    const node = new CommandNode(name, this, spec, undefined);
    node.canonical = canonical;
    node.category = category;
    canonical.mirrors.push(node);
    this.children.push(node);
    return node;
  }

  find(name: string): CommandNode | undefined {
    return this.children.find((c) => c.name === name || c.aliases.includes(name));
  }
}

// ---------------------------------------------------------------------------------------------
// help

function rpad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function aliasLine(node: CommandNode, bin: string): string | undefined {
  const canonical = node.canonical ?? node;
  if (canonical.mirrors.length > 0) {
    const names = [canonical.path(bin), ...canonical.aliases.map((a) => `${canonical.parent!.path(bin)} ${a}`)];
    for (const m of canonical.mirrors) names.push(m.path(bin));
    return names.join(', ');
  }
  if (node.aliases.length > 0) {
    return [node.path(bin), ...node.aliases.map((a) => `${node.parent!.path(bin)} ${a}`)].join(', ');
  }
  return undefined;
}

/** The width pflag wraps flag help to: the terminal's columns (of stdin, as docker asks), else 80, minus 1. */
export function helpWidth(cli: Cli): number {
  const cols = cli.in.isTTY && cli.out.columns ? cli.out.columns : 80;
  return cols - 1;
}

/** A CLI plugin as the root help lists it: valid ones among the management commands, others with their reason. */
export interface PluginHelpEntry {
  name: string;
  short: string;
  /** set for an invalid plugin (docker's "Invalid Plugins" section) */
  invalid?: string;
}

export function commandHelp(node: CommandNode, cli: Cli, globalFlags: FlagSpec[], plugins: PluginHelpEntry[] = []): string {
  const bin = cli.name;
  const width = helpWidth(cli);
  let out = '';
  if (!node.parent) {
    out += `Usage:  ${bin} [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n`;
  } else if (node.isGroup) {
    out += `Usage:  ${node.path(bin)} COMMAND\n\n${node.short}\n`;
  } else {
    const spec = node.spec!;
    out += `Usage:  ${node.useLine(bin)}\n\n${(spec.long ?? spec.short).trim()}\n`;
    const aliases = aliasLine(node, bin);
    if (aliases) out += `\nAliases:\n  ${aliases}\n`;
    if (spec.example) out += `\nExamples:\n${spec.example}\n`;
    const usages = (spec.optionsText && width === 79 ? spec.optionsText : flagUsages(spec.flags ?? [], width)).replace(/\s+$/, '');
    if (usages) out += `\nOptions:\n${usages}\n`;
  }
  if (node.isGroup) {
    const visible = node.children.filter((c) => !c.hidden);
    type Row = { name: string; short: string; plugin?: boolean };
    // cobra's NamePadding: the longest name among the node's commands (plugins included), at least 11
    const pad = Math.max(11, ...node.children.map((c) => c.name.length), ...plugins.map((p) => p.name.length));
    const section = (title: string, items: Row[]): void => {
      if (items.length === 0) return;
      out += `\n${title}:\n`;
      // docker's decoratedName: a plugin's name is followed by '*'
      for (const c of items) out += `  ${rpad(c.name + (c.plugin ? '*' : ' '), pad + 1)}${c.short}\n`;
    };
    if (!node.parent) {
      section('Common Commands', visible.filter((c) => c.category === 'common'));
      const valid: Row[] = plugins.filter((p) => !p.invalid).map((p) => ({ name: p.name, short: p.short, plugin: true }));
      section('Management Commands', sortByName([...visible.filter((c) => c.category === 'management'), ...valid]));
      section('Swarm Commands', sortByName(visible.filter((c) => c.category === 'swarm')));
      section('Commands', sortByName(visible.filter((c) => c.category === 'other')));
      const invalid = plugins.filter((p) => p.invalid);
      if (invalid.length > 0) {
        out += '\nInvalid Plugins:\n';
        for (const p of invalid) out += `  ${rpad(p.name, pad)} ${p.invalid}\n`;
      }
      out += `\nGlobal Options:\n${flagUsages(globalFlags, width).replace(/\s+$/, '')}\n`;
      out += `\nRun '${bin} COMMAND --help' for more information on a command.\n`;
      out += `\nFor more help on how to use Docker, head to https://docs.docker.com/go/guides/\n`;
    } else {
      section('Commands', sortByName(visible));
      out += `\nRun '${node.path(bin)} COMMAND --help' for more information on a command.\n`;
    }
  }
  return out;
}

function sortByName<T extends { name: string }>(nodes: T[]): T[] {
  return [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// argument checks (docker/cli cli/required.go)

function plural(word: string, n: number): string {
  return n === 1 ? word : word + 's';
}

export function checkArgs(node: CommandNode, bin: string, args: string[]): StatusError | undefined {
  const rule = node.spec?.args ?? anyArgs;
  const p = node.path(bin);
  const use = node.useLine(bin);
  const fail = (what: string, verb: 'Run' | 'See' | 'SRun'): StatusError =>
    new StatusError(`${bin}: '${p}' ${what}\n\nUsage:  ${use}\n\n${verb} '${p} --help' for more information`, 1);
  switch (rule.kind) {
    case 'none':
      return args.length === 0 ? undefined : fail('accepts no arguments', 'Run');
    case 'min':
      return args.length >= rule.n ? undefined : fail(`requires at least ${rule.n} ${plural('argument', rule.n)}`, 'See');
    case 'max':
      return args.length <= rule.n ? undefined : fail(`requires at most ${rule.n} ${plural('argument', rule.n)}`, 'SRun');
    case 'exact':
      return args.length === rule.n ? undefined : fail(`requires ${rule.n} ${plural('argument', rule.n)}`, 'Run');
    case 'range':
      return args.length >= rule.min && args.length <= rule.max
        ? undefined
        : fail(`requires at least ${rule.min} and at most ${rule.max} ${plural('argument', rule.max)}`, 'Run');
    default:
      return undefined;
  }
}

/** docker's FlagErrorFunc: the message, the usage line, the pointer to --help; exit 125. */
export function flagError(node: CommandNode, bin: string, message: string, status = 125): StatusError {
  return new StatusError(`${message}\n\nUsage:  ${node.useLine(bin)}\n\nRun '${node.path(bin)} --help' for more information`, status);
}

export { FlagParseError };
