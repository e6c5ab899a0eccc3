// Lists and inspect templates against outputs recorded from docker 28.2 (test/golden/record-format.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chooseFormat, FormatExecError, FormatParseError, renderList, type ListFormat } from '../../src/format/list.js';
import { checkContainerFormat, containerContext, containerFormat, CONTAINER_FORMAT, type ApiContainer } from '../../src/format/contexts/container.js';
import { historyRow, HISTORY_FORMAT, HISTORY_FORMAT_NON_HUMAN, imageFormat, imageRows, IMAGE_FORMAT, type ApiHistory, type ApiImage } from '../../src/format/contexts/image.js';
import { networkContext, NETWORK_FORMAT, volumeContext, VOLUME_FORMAT, type ApiNetwork, type ApiVolume } from '../../src/format/contexts/volnet.js';
import { renderInspectTemplate, toTyped, InspectTemplateError } from '../../src/format/typed/typed.js';
import type { GoValue } from '../../src/format/template/values.js';

interface ListCase {
  args: string[];
  now: number;
  raw: unknown[];
  stdout: string;
  stderr: string;
  status: number;
}
const golden = (name: string): unknown => JSON.parse(readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8'));
const lists = golden('format-list.json') as Record<string, ListCase[]>;
const inspects = golden('format-inspect.json') as Record<string, { raw: unknown; cases: { format: string; stdout: string; stderr: string; status: number }[] }>;

function flags(args: string[]): { format: string; noTrunc: boolean; quiet: boolean; digests: boolean; human: boolean } {
  const i = args.indexOf('--format');
  return {
    format: i >= 0 ? args[i + 1] : 'table',
    noTrunc: args.includes('--no-trunc'),
    quiet: args.includes('-q'),
    digests: args.includes('--digests'),
    human: !args.includes('-H=false'),
  };
}

/** What the list command prints (stdout, or the error line on stderr), as docker's commands do. */
function render(kind: string, c: ListCase): { stdout: string; stderr: string } {
  const f = flags(c.args);
  const trunc = !f.noTrunc;
  let format: string;
  let rows: GoValue[];
  let spec: ListFormat;
  let prefix = ['template parsing error: ', 'template parsing error: '];
  switch (kind) {
    case 'ps':
      if (f.format !== 'table') {
        try {
          checkContainerFormat(f.format);
        } catch (e) {
          if (e instanceof FormatParseError) return { stdout: '', stderr: 'failed to parse template: ' + e.message + '\n' };
          if (e instanceof FormatExecError) return { stdout: '', stderr: 'failed to execute template: ' + e.message + '\n' };
          throw e;
        }
      }
      format = containerFormat(f.format, f.quiet, false);
      rows = (c.raw as ApiContainer[]).map((x) => containerContext(x, { trunc, now: c.now }));
      spec = CONTAINER_FORMAT;
      prefix = ['failed to parse template: ', 'failed to execute template: '];
      break;
    case 'images':
      format = imageFormat(f.format, f.quiet, f.digests);
      rows = imageRows(c.raw as ApiImage[], { trunc, digests: f.digests, now: c.now, format });
      spec = IMAGE_FORMAT;
      break;
    case 'volumes':
      format = chooseFormat(f.format, VOLUME_FORMAT, f.quiet);
      rows = (c.raw as ApiVolume[]).map((v) => volumeContext(v));
      spec = VOLUME_FORMAT;
      break;
    case 'networks':
      format = chooseFormat(f.format, NETWORK_FORMAT, f.quiet);
      rows = (c.raw as ApiNetwork[]).map((n) => networkContext(n, trunc));
      spec = NETWORK_FORMAT;
      break;
    default:
      spec = f.human ? HISTORY_FORMAT : HISTORY_FORMAT_NON_HUMAN;
      format = chooseFormat(f.format, spec, f.quiet);
      rows = (c.raw as ApiHistory[]).map((h) => historyRow(h, { trunc, human: f.human, now: c.now }));
  }
  try {
    return { stdout: renderList(format, rows, spec), stderr: '' };
  } catch (e) {
    if (e instanceof FormatParseError) return { stdout: '', stderr: prefix[0] + e.message + '\n' };
    if (e instanceof FormatExecError) return { stdout: '', stderr: prefix[1] + e.message + '\n' };
    throw e;
  }
}

for (const [kind, cases] of Object.entries(lists)) {
  for (const c of cases) {
    const name = `${kind} ${c.args.join(' ')}`;
    test(`docker ${name}`, () => {
      const got = render(kind, c);
      assert.equal(got.stdout, c.stdout);
      assert.equal(got.stderr, c.stderr);
    });
  }
}

for (const [kind, { raw, cases }] of Object.entries(inspects)) {
  const typed = toTyped(raw, kind);
  // docker volume inspect has no raw JSON to fall back on (VolumeInspect); the others do
  const fallback = kind === 'volume' ? undefined : raw;
  for (const c of cases) {
    test(`docker ${kind} inspect --format ${c.format}`, () => {
      let out: string;
      try {
        out = renderInspectTemplate(c.format, fallback, typed) + '\n';
      } catch (e) {
        assert.ok(e instanceof InspectTemplateError);
        // docker prints the error after its newline-only output
        assert.equal(c.status, 1);
        assert.equal(e.message + '\n', c.stderr);
        return;
      }
      assert.equal(out, c.stdout);
      assert.equal(c.status, 0);
    });
  }
}
