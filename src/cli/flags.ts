/**
 * Command-line flags with the semantics of spf13/pflag as docker uses it: `--name=value`, `--name value`,
 * combined shorthands (`-it`, `-aq`, `-p8080:80`, `-n=3`), bool flags that take `=false`, `--` ends the
 * flags, and (for run/exec/create) parsing that stops at the first positional argument. Error texts are
 * pflag's, because scripts and users see them.
 *
 * commander owns the command tree; it cannot give pflag's parsing or messages, so flag parsing is here.
 */
import { goQuote, parseGoBool, parseGoInt } from '../go/strconv.js';

export type FlagKind = 'bool' | 'string' | 'int' | 'list' | 'custom';

export interface FlagSpec {
  /** long name, without dashes */
  name: string;
  /** one-letter shorthand, without dash */
  short?: string;
  kind: FlagKind;
  /** the type word shown in help ("string", "list", "int", "duration", "bytes", ...); "" for bool */
  typeName?: string;
  usage: string;
  /** what help prints as "(default X)"; already quoted where pflag quotes (strings) */
  defaultText?: string;
  /** value when the flag is absent */
  default?: unknown;
  /** key in the options object; camelCase of name by default */
  key?: string;
  hidden?: boolean;
  /** the engine API version the flag needs (docker's "version" annotation) */
  minApi?: string;
  /** what completion shows for the flag: the help text's first line (docker's own usage has line breaks) */
  completionUsage?: string;
  deprecated?: string;
  /** for custom/int/string kinds: turn the text into a value; throw Error(message) to reject */
  parse?: (text: string, previous: unknown) => unknown;
  /** value used when the flag is given without "=value" (pflag's NoOptDefVal) */
  noOptDefault?: string;
}

export class FlagParseError extends Error {}

export interface ParsedFlags {
  values: Record<string, unknown>;
  /** keys of the flags the user set (pflag's Changed) */
  changed: Set<string>;
  args: string[];
  help: boolean;
  /** help was asked with the deprecated -h shorthand */
  helpShort: boolean;
}

export function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function keyOf(f: FlagSpec): string {
  return f.key ?? camel(f.name);
}

function initial(f: FlagSpec): unknown {
  if (f.default !== undefined) return Array.isArray(f.default) ? [...f.default] : f.default;
  switch (f.kind) {
    case 'bool':
      return false;
    case 'string':
      return '';
    case 'int':
      return 0;
    case 'list':
      return [];
    default:
      return undefined;
  }
}

function flagDisplay(f: FlagSpec): string {
  return f.short ? `-${f.short}, --${f.name}` : `--${f.name}`;
}

export class FlagSet {
  readonly flags: FlagSpec[] = [];
  private byName = new Map<string, FlagSpec>();
  private byShort = new Map<string, FlagSpec>();

  constructor(flags: FlagSpec[] = []) {
    for (const f of flags) this.add(f);
  }

  add(f: FlagSpec): this {
    this.flags.push(f);
    this.byName.set(f.name, f);
    if (f.short) this.byShort.set(f.short, f);
    return this;
  }

  lookup(name: string): FlagSpec | undefined {
    return this.byName.get(name);
  }

  defaults(): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const f of this.flags) values[keyOf(f)] = initial(f);
    return values;
  }

  /**
   * Parse args. interspersed=false stops at the first positional argument (everything after it is
   * positional), as docker's run/exec/create and the root command do.
   */
  parse(argv: string[], interspersed = true): ParsedFlags {
    const values = this.defaults();
    const changed = new Set<string>();
    const args: string[] = [];
    let help = false;
    let helpShort = false;

    const set = (f: FlagSpec, text: string, display: string): void => {
      const key = keyOf(f);
      changed.add(key);
      try {
        values[key] = convert(f, text, values[key]);
      } catch (e) {
        throw new FlagParseError(`invalid argument ${goQuote(text)} for ${goQuote(display)} flag: ${(e as Error).message}`);
      }
    };

    for (let i = 0; i < argv.length; i++) {
      const a = argv[i];
      if (a === '--') {
        args.push(...argv.slice(i + 1));
        break;
      }
      if (a.length < 2 || a[0] !== '-') {
        if (!interspersed) {
          args.push(...argv.slice(i));
          break;
        }
        args.push(a);
        continue;
      }
      if (a.startsWith('--')) {
        const body = a.slice(2);
        if (body.startsWith('-') || body.startsWith('=')) throw new FlagParseError(`bad flag syntax: ${a}`);
        const eq = body.indexOf('=');
        const name = eq >= 0 ? body.slice(0, eq) : body;
        const f = this.byName.get(name);
        if (!f) {
          if (name === 'help') {
            help = true;
            continue;
          }
          throw new FlagParseError(`unknown flag: --${name}`);
        }
        if (eq >= 0) set(f, body.slice(eq + 1), flagDisplay(f));
        else if (f.kind === 'bool') set(f, 'true', flagDisplay(f));
        else if (f.noOptDefault !== undefined) set(f, f.noOptDefault, flagDisplay(f));
        else if (i + 1 < argv.length) set(f, argv[++i], flagDisplay(f));
        else throw new FlagParseError(`flag needs an argument: --${name}`);
        continue;
      }
      // shorthands: -abc, -n=3, -p8080:80, -e X
      let rest = a.slice(1);
      while (rest.length > 0) {
        const c = rest[0];
        const f = this.byShort.get(c);
        if (!f) {
          if (c === 'h') {
            help = true;
            helpShort = true;
            rest = rest.slice(1);
            continue;
          }
          throw new FlagParseError(`unknown shorthand flag: '${c}' in -${rest}`);
        }
        if (rest.length > 2 && rest[1] === '=') {
          set(f, rest.slice(2), flagDisplay(f));
          rest = '';
        } else if (f.kind === 'bool') {
          set(f, 'true', flagDisplay(f));
          rest = rest.slice(1);
        } else if (f.noOptDefault !== undefined) {
          set(f, rest.length > 1 ? rest.slice(1) : f.noOptDefault, flagDisplay(f));
          rest = '';
        } else if (rest.length > 1) {
          set(f, rest.slice(1), flagDisplay(f));
          rest = '';
        } else if (i + 1 < argv.length) {
          set(f, argv[++i], flagDisplay(f));
          rest = '';
        } else {
          throw new FlagParseError(`flag needs an argument: '${c}' in -${c}`);
        }
      }
    }
    return { values, changed, args, help, helpShort };
  }
}

function convert(f: FlagSpec, text: string, previous: unknown): unknown {
  switch (f.kind) {
    case 'bool': {
      const b = parseGoBool(text);
      if (b === undefined) throw new Error(`strconv.ParseBool: parsing ${goQuote(text)}: invalid syntax`);
      return b;
    }
    case 'string':
      return f.parse ? f.parse(text, previous) : text;
    case 'int':
      return f.parse ? f.parse(text, previous) : parseGoInt(text);
    case 'list': {
      const v = f.parse ? f.parse(text, previous) : text;
      return [...((previous as unknown[]) ?? []), v];
    }
    case 'custom':
      if (!f.parse) throw new Error('no parser');
      return f.parse(text, previous);
  }
}

// ---- help rendering (pflag's FlagUsagesWrapped) ----

function wrapN(i: number, slop: number, s: string): [string, string] {
  if (i + slop > s.length) return [s, ''];
  const head = s.slice(0, i);
  const w = Math.max(head.lastIndexOf(' '), head.lastIndexOf('\t'), head.lastIndexOf('\n'));
  if (w <= 0) return [s, ''];
  const nl = head.lastIndexOf('\n');
  if (nl > 0 && nl < w) return [s.slice(0, nl), s.slice(nl + 1)];
  return [s.slice(0, w), s.slice(w + 1)];
}

function wrap(indent: number, width: number, s: string): string {
  let i = indent;
  if (width === 0) return s.replaceAll('\n', '\n' + ' '.repeat(i));
  let space = width - i;
  let r = '';
  if (space < 24) {
    i = 16;
    space = width - i;
    r += '\n' + ' '.repeat(i);
  }
  if (space < 24) return s.replaceAll('\n', r);
  const slop = 5;
  space -= slop;
  const [first, remainder] = wrapN(space, slop, s);
  let rest = remainder;
  r += first.replaceAll('\n', '\n' + ' '.repeat(i));
  while (rest !== '') {
    let t: string;
    [t, rest] = wrapN(space, slop, rest);
    r += '\n' + ' '.repeat(i) + t.replaceAll('\n', '\n' + ' '.repeat(i));
  }
  return r;
}

/** The Options block of a help page, wrapped to cols as pflag does. */
export function flagUsages(flags: FlagSpec[], cols: number): string {
  const lines: string[] = [];
  let maxlen = 0;
  const visible = [...flags].filter((f) => !f.hidden && !f.deprecated).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of visible) {
    let line = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
    const typeName = f.typeName ?? (f.kind === 'bool' ? '' : f.kind);
    if (typeName) line += ' ' + typeName;
    if (f.noOptDefault !== undefined && f.kind !== 'bool') line += `[="${f.noOptDefault}"]`;
    line += '\x00';
    if (line.length > maxlen) maxlen = line.length;
    line += f.usage;
    if (f.defaultText !== undefined) line += ` (default ${f.defaultText})`;
    lines.push(line);
  }
  let out = '';
  for (const line of lines) {
    const sidx = line.indexOf('\x00');
    const spacing = ' '.repeat(maxlen - sidx);
    out += line.slice(0, sidx) + ' ' + spacing + ' ' + wrap(maxlen + 2, cols, line.slice(sidx + 1)) + '\n';
  }
  return out;
}
