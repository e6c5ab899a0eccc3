/**
 * Command specs built from docker 28's own help pages (src/cli/docker-help.json, made by
 * bin/gen-help.mjs): usage line, description and every flag with docker's exact help text, type word
 * and default, so `tdocker X --help` matches `docker X --help` and every listed flag is parsed.
 */
import help from './docker-help.json';
import { type FlagKind, type FlagSpec } from './flags.js';
import type { ArgsRule, CommandSpec, Invocation } from './command.js';
import type { Cli } from './cli.js';
import { parseGoInt } from '../go/strconv.js';
import { API_FLAGS } from './apiflags.js';
import { parseFilters } from './filters.js';

interface HelpFlag {
  short?: string;
  name: string;
  type: string;
  usage: string;
  default?: string;
}

interface HelpEntry {
  usage: string;
  use: string;
  description: string;
  aliases?: string;
  flags: HelpFlag[];
  options: string;
}

const table = help as Record<string, HelpEntry>;

const INT_TYPES = new Set(['int', 'int64', 'uint', 'uint16', 'uint64', 'int32']);
const LIST_TYPES = new Set(['list', 'filter', 'stringArray', 'strings', 'stringSlice', 'ulimit', 'mount', 'network', 'gpu-request', 'command', 'pref', 'map']);

function kindOf(type: string): FlagKind {
  if (type === '') return 'bool';
  if (INT_TYPES.has(type)) return 'int';
  if (LIST_TYPES.has(type)) return 'list';
  return 'string';
}

function defaultValue(f: HelpFlag, kind: FlagKind): unknown {
  if (f.default === undefined) return undefined;
  if (kind === 'bool') return f.default === 'true';
  if (kind === 'int') {
    try {
      return parseGoInt(f.default);
    } catch {
      return 0;
    }
  }
  if (kind === 'string' && f.default.startsWith('"')) return JSON.parse(f.default);
  return undefined;
}

/**
 * A "(default ...)" docker writes in the usage text itself (a bool's "shows just running", a duration
 * option's "0s"): the help page shows it as pflag's default, completion as part of the usage.
 */
function literalDefault(f: HelpFlag): string | undefined {
  if (f.default === undefined) return undefined;
  const literal = (f.type === '' && f.default !== 'true' && f.default !== 'false') || f.type === 'duration';
  return literal ? `${f.usage.replace(/\n/g, ' ')} (default ${f.default})` : undefined;
}

/** The first line break is docker's own: a list follows a colon that ends the line outside parentheses. */
function ownBreak(usage: string): boolean {
  const first = usage.split('\n')[0];
  return usage.includes('\n') && first.endsWith(':') && (first.match(/\(/g) ?? []).length === (first.match(/\)/g) ?? []).length;
}

function flagFrom(f: HelpFlag, over: Partial<FlagSpec> = {}): FlagSpec {
  const kind = over.kind ?? kindOf(f.type);
  return {
    name: f.name,
    short: f.short,
    kind,
    typeName: f.type,
    usage: f.usage.replace(/\n/g, ' '),
    // docker's own line break (a list follows a colon) ends what completion shows; other breaks are the help's wrapping
    completionUsage: ownBreak(f.usage) ? f.usage.split('\n')[0] : literalDefault(f),
    defaultText: f.default,
    default: defaultValue(f, kind),
    // docker's FilterOpt checks each value as the flag is parsed
    ...(f.type === 'filter' ? { parse: parseFilters.check } : {}),
    ...over,
  };
}

export interface DockerSpecOptions<O> {
  /** the command's name where it is registered (defaults to the last word of the key) */
  name?: string;
  aliases?: string[];
  /** the one-line description the parent's help lists, when docker's Short differs from the page's */
  short?: string;
  args?: ArgsRule;
  interspersed?: boolean;
  /** per-flag changes (parsers, kinds) by long name */
  flags?: Record<string, Partial<FlagSpec>>;
  /** flags docker lists that this command hides (never used today) */
  /** see CommandSpec.takesSignals */
  takesSignals?: boolean;
  run: (cli: Cli, opts: O, args: string[], inv: Invocation) => Promise<void> | void;
}

/** A CommandSpec for docker's command `key` ("container ls", "inspect"). */
export function dockerSpec<O>(key: string, o: DockerSpecOptions<O>): CommandSpec<O> {
  const h = table[key];
  if (!h) throw new Error(`no docker help for ${key}`);
  const words = key.split(' ');
  const gated = (API_FLAGS[key] ?? []).filter((g) => !h.flags.some((f) => f.name === g.name));
  return {
    name: o.name ?? words[words.length - 1],
    aliases: o.aliases,
    usage: h.use.slice(`docker ${key} `.length),
    // a multi-line description is cobra's Long; its Short (the listings' text) is the first sentence
    short: o.short ?? (h.description.includes('\n') ? h.description.split('\n')[0].replace(/\.$/, '') : h.description),
    long: h.description.includes('\n') || o.short ? h.description : undefined,
    args: o.args,
    interspersed: o.interspersed,
    flags: [
      ...h.flags.map((f) => flagFrom(f, o.flags?.[f.name])),
      // the flags an engine this old does not support: hidden, parsed, refused when given (runLeaf)
      ...gated.map((g) => ({ name: g.name, kind: g.kind, typeName: g.typeName, usage: g.usage, hidden: true, minApi: g.version })),
    ],
    optionsText: h.options,
    takesSignals: o.takesSignals,
    run: o.run,
  };
}
