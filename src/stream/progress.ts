/**
 * docker's jsonmessage display (pull, push, load, import, build): on a terminal one line per layer
 * id, redrawn in place with a progress bar; elsewhere plain "id: status" lines, progress skipped.
 * An error message in the stream becomes the command's error.
 */
import type { Readable, Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { humanSize } from '../go/units.js';
import { UnexpectedEOF } from '../cli/errors.js';

export interface JSONMessage {
  id?: string;
  status?: string;
  stream?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number; units?: string };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: Record<string, unknown>;
}

export class JSONMessageError extends Error {
  constructor(
    message: string,
    readonly code = 0,
  ) {
    super(message);
  }
}

/** jsonmessage's JSONProgress.String(): "[=====>     ]  1.2MB/3.4MB" (the bar only when wide enough). */
export function progressBar(p: { current?: number; total?: number; units?: string }, width: number): string {
  const current = p.current ?? 0;
  const total = p.total ?? 0;
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return p.units ? `${current} ${p.units}` : humanSize(current, 4).padStart(8);
  const pct = Math.min(50, Math.trunc(Math.trunc((current / total) * 100) / 2));
  const bar = width > 110 ? `[${'='.repeat(pct)}>${' '.repeat(Math.max(0, 50 - pct))}] ` : '';
  const numbers = p.units
    ? current > total
      ? `${current} ${p.units}`
      : `${current}/${total} ${p.units}`
    : current > total
      ? humanSize(current, 4).padStart(8)
      : `${humanSize(current, 4).padStart(8)}/${humanSize(total, 4)}`;
  return bar + numbers;
}

/**
 * Render a stream of JSON messages. Resolves with the aux messages; rejects with the stream's error.
 */
export async function displayJSONMessages(
  source: Readable,
  out: Writable,
  o: { isTerminal: boolean; width?: number; onAux?: (aux: Record<string, unknown>) => void },
): Promise<void> {
  const ids = new Map<string, number>();
  let buffered = '';
  let failure: Error | undefined;
  const handle = (jm: JSONMessage): void => {
    if (failure) return;
    if (jm.error || jm.errorDetail) {
      failure = new JSONMessageError(jm.errorDetail?.message || jm.error || '', jm.errorDetail?.code ?? 0);
      return;
    }
    if (jm.aux) {
      o.onAux?.(jm.aux);
      return;
    }
    // docker: a progressDetail object, even {}, makes a progress message
    const hasProgress = jm.progressDetail !== undefined && jm.progressDetail !== null;
    let diff = 0;
    if (jm.id && (hasProgress || jm.progress)) {
      let line = ids.get(jm.id);
      if (line === undefined) {
        line = ids.size;
        ids.set(jm.id, line);
        if (o.isTerminal) out.write('\n');
      }
      diff = ids.size - line;
      if (o.isTerminal) out.write(`\x1b[${diff}A`);
    } else {
      ids.clear();
    }
    let text = '';
    let endl = '';
    if (o.isTerminal && !jm.stream && hasProgress) {
      text += '\x1b[2K\r';
      endl = '\r';
    } else if (hasProgress && progressBar(jm.progressDetail!, 0) !== '') {
      return; // no progress bars off a terminal
    }
    if (jm.id) text += `${jm.id}: `;
    if (hasProgress && o.isTerminal) text += `${jm.status ?? ''} ${progressBar(jm.progressDetail!, o.width ?? 80)}${endl}`;
    else if (jm.progress) text += `${jm.status ?? ''} ${jm.progress}${endl}`;
    else if (jm.stream) text += jm.stream + endl;
    else text += `${jm.status ?? ''}${endl}\n`;
    out.write(text);
    if (o.isTerminal && diff) out.write(`\x1b[${diff}B`);
  };
  // a character split across two chunks is decoded whole (never U+FFFD halves)
  const decoder = new StringDecoder('utf8');
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) handle(JSON.parse(line) as JSONMessage);
      }
    }
  } catch (e) {
    // the connection gone before the answer ended (node's 'aborted'): Go's body reader says unexpected EOF
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ECONNRESET') throw new UnexpectedEOF();
    throw e;
  }
  buffered += decoder.end();
  if (buffered.trim()) handle(JSON.parse(buffered) as JSONMessage);
  if (failure) throw failure;
}
