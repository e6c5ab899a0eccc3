import { Command } from 'commander';
import type { Cli } from './cli.js';
import { FlagParseError, FlagSet, flagUsages, type FlagSpec } from './flags.js';
import { StatusError } from './errors.js';
import { helpWidth, rootHelpHead, rootHelpTail } from './roothelp.js';

export { helpWidth };

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
  /** print this command's help to stdout (cobra's pflag.ErrHelp from a PreRunE: exit 0) */
  showHelp?(): void;
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
  /** the whole help text, for a leaf that is a command tree of its own (compose) */
  helpText?: (cli: Cli) => string;
  /**
   * the command takes termination signals itself (src/cli/signals.ts): the ones held since the
   * process started are left for it, instead of being raised again before it runs
   */
  takesSignals?: boolean;
  run: (cli: Cli, opts: O, args: string[], inv: Invocation) => Promise<void> | void;
}

/** A management command (container, image, ...) or the root: a node with children. */
export interface GroupSpec {
  name: string;
  short: string;
  /** the help's description when it is longer than short */
  long?: string;
  /** docker's experimentalCLI annotation: the help says so, for the group and its commands */
  experimental?: boolean;
  /** given no subcommand, the help goes to stderr after an empty line (docker manifest) */
  bareHelpOnStderr?: boolean;
  category?: Category;
  hidden?: boolean;
}

/** A verb file's export: its `spec` (src/commands/<group>/<verb>.ts). */
export interface VerbModule {
  spec: CommandSpec;
}

/**
 * A verb of a group in the command table: the module alone, or with the top-level legacy name docker
 * also gives it (`[containerLs, 'ps']`) and that name's section of the root help (default 'other').
 */
export type Verb = VerbModule | [VerbModule, string] | [VerbModule, string, Category];

/** A management command and its verbs, as the command table lists it. */
export interface GroupEntry extends GroupSpec {
  verbs: Verb[];
}

/** What the tree needs at run time: set on the root by main before parsing. */
export interface TreeContext {
  cli: Cli;
  globalFlags: FlagSpec[];
  /** the arguments after the global flags, as given to the root's parseAsync */
  args: string[];
  /** parse a leaf's own argv with its flags and run it */
  runLeaf(node: DockerCommand, rest: string[]): Promise<void>;
}

/** Ends a run after help was printed (commander's help() never returns). */
export class HelpShown extends Error {
  constructor() {
    super('');
  }
}

export const HELP_SHORTHAND_DEPRECATED = 'Flag shorthand -h has been deprecated, use --help\n';

/**
 * One node of the command tree: a commander Command carrying docker's spec. commander routes the
 * command path (names and aliases); a leaf then hands the original argv after its path to the
 * pflag-faithful parser (src/cli/flags.ts), so `--`, interspersed flags and docker's errors are exact.
 * A spec may sit at two places (container ls and ps): two nodes.
 */
export class DockerCommand extends Command {
  declare parent: DockerCommand | null;
  readonly spec: CommandSpec | undefined;
  readonly group: GroupSpec | undefined;
  /** for leaves registered at top level as a legacy alias: the canonical node it mirrors */
  canonical?: DockerCommand;
  /** legacy top-level nodes that mirror this canonical node */
  readonly mirrors: DockerCommand[] = [];
  category: Category = 'other';
  /** on the root only */
  tree?: TreeContext;
  private flagSet?: FlagSet;

  constructor(name: string, spec?: CommandSpec, group?: GroupSpec) {
    super(name);
    this.spec = spec;
    this.group = group;
    this.helpOption(false)
      .helpCommand(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .exitOverride()
      .configureOutput({ writeOut: () => {}, writeErr: () => {} })
      .description(spec?.short ?? group?.short ?? '');
    if (spec) {
      if (spec.aliases?.length) this.aliases(spec.aliases);
      this.argument('[args...]').action(() => this.context.runLeaf(this, this.rest()));
    }
  }

  get isGroup(): boolean {
    return !this.spec;
  }

  get children(): DockerCommand[] {
    return this.commands as DockerCommand[];
  }

  get short(): string {
    return this.description();
  }

  get hidden(): boolean {
    return !!(this.spec?.hidden ?? this.group?.hidden);
  }

  get flags(): FlagSet {
    return (this.flagSet ??= new FlagSet(this.spec?.flags ?? []));
  }

  get root(): DockerCommand {
    return this.parent ? this.parent.root : this;
  }

  get context(): TreeContext {
    const t = this.root.tree;
    if (!t) throw new Error('command tree run without its context');
    return t;
  }

  /** how deep in the tree: 0 for the root */
  get depth(): number {
    return this.parent ? this.parent.depth + 1 : 0;
  }

  /** the original arguments after this node's command path */
  rest(): string[] {
    return this.context.args.slice(this.depth);
  }

  path(bin: string): string {
    return this.parent ? `${this.parent.path(bin)} ${this.name()}` : bin;
  }

  useLine(bin: string): string {
    if (this.isGroup) return `${this.path(bin)} COMMAND`;
    const usage = this.spec!.usage;
    return usage ? `${this.path(bin)} ${usage}` : this.path(bin);
  }

  /** Add a leaf command under this node. */
  add(spec: CommandSpec, category: Category = 'other'): DockerCommand {
    const node = new DockerCommand(spec.name, spec);
    node.category = category;
    this.addCommand(node, { hidden: !!spec.hidden });
    return node;
  }

  /** Add a management command (a group) under this node. */
  addGroup(group: GroupSpec): DockerCommand {
    const node = new DockerCommand(group.name, undefined, group);
    node.category = group.category ?? 'management';
    this.addCommand(node, { hidden: !!group.hidden });
    return node;
  }

  /** Register a top-level legacy alias (e.g. `ps` for `container ls`) sharing the same spec. */
  addLegacy(name: string, canonical: DockerCommand, category: Category = 'other'): DockerCommand {
    const node = this.add({ ...canonical.spec!, name, aliases: [] }, category);
    node.canonical = canonical;
    canonical.mirrors.push(node);
    return node;
  }

  find(name: string): DockerCommand | undefined {
    return this.children.find((c) => c.name() === name || c.aliases().includes(name));
  }

  /** commander's hook for its help text: docker's. */
  override helpInformation(): string {
    const { cli, globalFlags } = this.context;
    return commandHelp(this, cli, globalFlags);
  }

  /**
   * commander calls this on a group given no subcommand (nothing, or only flags): docker prints the
   * group's help for nothing or --help, and refuses any other flag.
   */
  override help(): never {
    const { cli } = this.context;
    const rest = this.rest();
    const bin = cli.name;
    if (rest.length === 0 && this.group?.bareHelpOnStderr) {
      cli.warn('\n' + this.helpInformation());
      throw new HelpShown();
    }
    if (rest.length === 0 || rest[0] === '--help' || rest[0] === '-h') {
      if (rest[0] === '-h') cli.print(HELP_SHORTHAND_DEPRECATED);
      cli.print(this.helpInformation());
      throw new HelpShown();
    }
    const a = rest[0];
    const m = a.startsWith('--') ? `unknown flag: ${a.split('=')[0]}` : `unknown shorthand flag: '${a[1]}' in ${a}`;
    throw new StatusError(`${m}\n\nUsage:  ${this.path(bin)}\n\nRun '${this.path(bin)} --help' for more information`, 125);
  }

  /** commander's hook for an operand that names no subcommand: docker's unknown-command error. */
  unknownCommand(): never {
    const rest = this.rest();
    if (rest[0]?.startsWith('-')) this.help();
    const bin = this.context.cli.name;
    if (this.parent) {
      // cobra parses what follows as the group's flags: --help prints the group's help
      let after;
      try {
        after = new FlagSet([]).parse(rest.slice(1), true);
      } catch (e) {
        if (e instanceof FlagParseError) {
          throw new StatusError(`${e.message}\n\nUsage:  ${this.path(bin)}\n\nRun '${this.path(bin)} --help' for more information`, 125);
        }
        throw e;
      }
      if (after.help) {
        if (after.helpShort) this.context.cli.print(HELP_SHORTHAND_DEPRECATED);
        this.context.cli.print(this.helpInformation());
        throw new HelpShown();
      }
    }
    if (!this.parent) throw new StatusError(`${bin}: unknown command: ${bin} ${rest[0]}\n\nRun '${bin} --help' for more information`, 1);
    throw new StatusError(
      `${bin}: unknown command: ${this.path(bin)} ${rest[0]}\n\nUsage:  ${this.path(bin)}\n\nRun '${this.path(bin)} --help' for more information`,
      1,
    );
  }
}

/** Build the command tree from the command table (src/commands/index.ts). */
export function buildTree(bin: string, groups: GroupEntry[], topLevel: [VerbModule, Category][], commonOrder: string[]): DockerCommand {
  const root = new DockerCommand(bin, undefined, { name: bin, short: 'A self-sufficient runtime for containers' });
  for (const g of groups) {
    const group = root.addGroup(g);
    for (const v of g.verbs) {
      const [m, legacy, category] = Array.isArray(v) ? v : [v];
      const node = group.add(m.spec);
      if (legacy) root.addLegacy(legacy, node, category);
    }
  }
  for (const [m, category] of topLevel) root.add(m.spec, category);
  // docker's order for the Common Commands section; the other sections are sorted by name
  const rank = (n: DockerCommand): number => (n.category === 'common' ? commonOrder.indexOf(n.name()) : commonOrder.length);
  (root.commands as Command[]).sort((a, b) => rank(a as DockerCommand) - rank(b as DockerCommand));
  return root;
}

// ---------------------------------------------------------------------------------------------
// help

function rpad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function aliasLine(node: DockerCommand, bin: string): string | undefined {
  const canonical = node.canonical ?? node;
  if (canonical.mirrors.length > 0) {
    const names = [canonical.path(bin), ...canonical.aliases().map((a) => `${canonical.parent!.path(bin)} ${a}`)];
    for (const m of canonical.mirrors) names.push(m.path(bin));
    return names.join(', ');
  }
  if (node.aliases().length > 0) {
    return [node.path(bin), ...node.aliases().map((a) => `${node.parent!.path(bin)} ${a}`)].join(', ');
  }
  return undefined;
}


/** A CLI plugin as the root help lists it: valid ones among the management commands, others with their reason. */
export interface PluginHelpEntry {
  name: string;
  short: string;
  /** set for an invalid plugin (docker's "Invalid Plugins" section) */
  invalid?: string;
}

export function commandHelp(node: DockerCommand, cli: Cli, globalFlags: FlagSpec[], plugins: PluginHelpEntry[] = []): string {
  const bin = cli.name;
  const width = helpWidth(cli);
  let out = '';
  if (!node.parent) {
    out += rootHelpHead(bin);
  } else if (node.isGroup) {
    out += `Usage:  ${node.path(bin)} COMMAND\n\n${(node.group?.long ?? node.short).trim()}\n`;
    out += experimentalNote(node, bin);
  } else {
    const spec = node.spec!;
    if (spec.helpText) return spec.helpText(cli);
    out += `Usage:  ${node.useLine(bin)}\n\n${(spec.long ?? spec.short).trim()}\n`;
    out += experimentalNote(node, bin);
    const aliases = aliasLine(node, bin);
    if (aliases) out += `\nAliases:\n  ${aliases}\n`;
    if (spec.example) out += `\nExamples:\n${spec.example}\n`;
    const usages = (spec.optionsText && width === 79 ? spec.optionsText : flagUsages(spec.flags ?? [], width)).replace(/\s+$/, '');
    if (usages) out += `\nOptions:\n${usages}\n`;
  }
  if (node.isGroup) {
    const visible = node.children.filter((c) => !c.hidden);
    type Row = { name: string; short: string; plugin?: boolean };
    const rows = (cs: DockerCommand[]): Row[] => cs.map((c) => ({ name: c.name(), short: c.short }));
    // cobra's NamePadding: the longest name among the node's commands (plugins included), at least 11
    const pad = Math.max(11, ...node.children.map((c) => c.name().length), ...plugins.map((p) => p.name.length));
    const section = (title: string, items: Row[]): void => {
      if (items.length === 0) return;
      out += `\n${title}:\n`;
      // docker's decoratedName: a plugin's name is followed by '*'
      for (const c of items) out += `  ${rpad(c.name + (c.plugin ? '*' : ' '), pad + 1)}${c.short}\n`;
    };
    if (!node.parent) {
      section('Common Commands', rows(visible.filter((c) => c.category === 'common')));
      const valid: Row[] = plugins.filter((p) => !p.invalid).map((p) => ({ name: p.name, short: p.short, plugin: true }));
      section('Management Commands', sortByName([...rows(visible.filter((c) => c.category === 'management')), ...valid]));
      section('Swarm Commands', sortByName(rows(visible.filter((c) => c.category === 'swarm'))));
      section('Commands', sortByName(rows(visible.filter((c) => c.category === 'other'))));
      // cobra's sorted commands: by name, byte for byte (badjson10 before badjson1x)
      const invalid = sortByName(plugins.filter((p) => p.invalid));
      if (invalid.length > 0) {
        out += '\nInvalid Plugins:\n';
        for (const p of invalid) out += `  ${rpad(p.name, pad)} ${p.invalid}\n`;
      }
      out += rootHelpTail(bin, globalFlags, width);
    } else {
      section('Commands', sortByName(rows(visible)));
      out += `\nRun '${node.path(bin)} COMMAND --help' for more information on a command.\n`;
    }
  }
  return out;
}

/** docker's EXPERIMENTAL block, for a command of an experimental group (or the group itself). */
function experimentalNote(node: DockerCommand, bin: string): string {
  let n: DockerCommand | undefined = node;
  while (n && !n.group?.experimental) n = n.parent as DockerCommand | undefined;
  if (!n) return '';
  return (
    `\nEXPERIMENTAL:\n  ${node.path(bin)} is an experimental feature.\n` +
    '  Experimental features provide early access to product functionality. These\n' +
    '  features may change between releases without warning, or can be removed from a\n' +
    '  future release. Learn more about experimental features in our documentation:\n' +
    '  https://docs.docker.com/go/experimental/\n'
  );
}

function sortByName<T extends { name: string }>(nodes: T[]): T[] {
  return [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

// ---------------------------------------------------------------------------------------------
// argument checks (docker/cli cli/required.go)

function plural(word: string, n: number): string {
  return n === 1 ? word : word + 's';
}

export function checkArgs(node: DockerCommand, bin: string, args: string[]): StatusError | undefined {
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
export function flagError(node: DockerCommand, bin: string, message: string, status = 125): StatusError {
  return new StatusError(`${message}\n\nUsage:  ${node.useLine(bin)}\n\nRun '${node.path(bin)} --help' for more information`, status);
}

export { FlagParseError };
