/**
 * docker's context archive (store.Export / store.Import): a tar of meta.json, tls/ and
 * tls/<endpoint>/<file> as Go's archive/tar writes it, and the reading side, which also takes a zip.
 * Error texts are Go's (archive/tar, archive/zip) because docker prints them as they are.
 */
import { inflateRawSync } from 'node:zlib';
import { StoreError, validateContextName, metaJSON, parseMeta, type ContextMeta, type TlsData } from './contextstore.js';

const BLOCK = 512;

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, mode: number, size: number, dir: boolean): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'latin1');
  h.write(octal(0, 8), 108, 'latin1');
  h.write(octal(0, 8), 116, 'latin1');
  h.write(octal(size, 12), 124, 'latin1');
  h.write(octal(0, 12), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(dir ? '5' : '0', 156, 'latin1');
  h.write('ustar\x0000', 257, 'latin1');
  h.write(octal(0, 8), 329, 'latin1');
  h.write(octal(0, 8), 337, 'latin1');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

/** The archive `docker context export` writes. */
export function exportArchive(meta: ContextMeta, tls: TlsData): Buffer {
  const parts: Buffer[] = [];
  const file = (name: string, mode: number, data: Buffer): void => {
    parts.push(header(name, mode, data.length, false), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  };
  file('meta.json', 0o644, Buffer.from(metaJSON(meta)));
  parts.push(header('tls', 0o700, 0, true));
  for (const [ep, files] of Object.entries(tls)) {
    parts.push(header(`tls/${ep}`, 0o700, 0, true));
    for (const [f, data] of Object.entries(files)) file(`tls/${ep}/${f}`, 0o600, data);
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function validPath(p: string): void {
  if (p !== 'meta.json' && !p.startsWith('tls/')) throw new StoreError(`${p}: unexpected context file`);
  const clean = p.split('/').filter((s) => s !== '' && s !== '.').join('/');
  if (clean !== p || p.split('/').includes('..')) throw new StoreError(`${p}: unexpected path format`);
  if (p.includes('\\')) throw new StoreError(`${p}: unexpected '\\' in path`);
}

interface Entry {
  name: string;
  regular: boolean;
  data: () => Buffer;
}

function tarEntries(b: Buffer): Entry[] {
  const out: Entry[] = [];
  let off = 0;
  let longName: string | undefined;
  for (;;) {
    if (off === b.length) return out;
    if (b.length - off < BLOCK) throw new StoreError('unexpected EOF');
    const h = b.subarray(off, off + BLOCK);
    if (h.every((x) => x === 0)) return out;
    const field = (o: number, n: number): string => h.toString('latin1', o, o + n).replace(/\0.*$/s, '');
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = parseInt(field(148, 8).trim() || 'x', 8);
    if (stored !== sum) throw new StoreError('archive/tar: invalid tar header');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const prefix = field(257, 6).startsWith('ustar') ? field(345, 155) : '';
    let name = (prefix ? prefix + '/' : '') + h.toString('utf8', 0, 100).replace(/\0.*$/s, '');
    const start = off + BLOCK;
    const end = start + size;
    if (end > b.length) throw new StoreError('unexpected EOF');
    // docker's own export stops after the last file's data (its tar writer is closed after the pipe):
    // a missing padding or end-of-archive block ends the archive
    off = Math.min(b.length, start + Math.ceil(size / BLOCK) * BLOCK);
    if (type === 'L') {
      longName = b.toString('utf8', start, end).replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      const pax = b.toString('utf8', start, end);
      const m = / path=([^\n]*)\n/.exec(pax);
      if (m) longName = m[1];
      continue;
    }
    if (longName !== undefined) {
      name = longName;
      longName = undefined;
    }
    out.push({ name, regular: type === '0' || type === '\0', data: () => b.subarray(start, end) });
  }
}

function zipEntries(b: Buffer): Entry[] {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65557); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new StoreError('zip: not a valid zip file');
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== 0x02014b50) throw new StoreError('zip: not a valid zip file');
    const method = b.readUInt16LE(p + 10);
    const csize = b.readUInt32LE(p + 20);
    const nlen = b.readUInt16LE(p + 28);
    const xlen = b.readUInt16LE(p + 30);
    const clen = b.readUInt16LE(p + 32);
    const extAttr = b.readUInt32LE(p + 38);
    const local = b.readUInt32LE(p + 42);
    const name = b.toString('utf8', p + 46, p + 46 + nlen);
    p += 46 + nlen + xlen + clen;
    const mode = extAttr >>> 16;
    const regular = !name.endsWith('/') && (mode === 0 || (mode & 0o170000) === 0o100000);
    out.push({
      name,
      regular,
      data: () => {
        const lstart = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
        const raw = b.subarray(lstart, lstart + csize);
        if (method === 0) return raw;
        if (method === 8) return inflateRawSync(raw);
        throw new StoreError('zip: unsupported compression algorithm');
      },
    });
  }
  return out;
}

/** store.Import: the context's metadata (named `name`) and TLS files from an archive. */
export function importArchive(name: string, archive: Buffer): { meta: ContextMeta; tls: TlsData } {
  const isZip = archive.length >= 4 && archive.readUInt32LE(0) === 0x04034b50;
  if (archive.length > 10 << 20) throw new StoreError('read size exceeded');
  const entries = isZip ? zipEntries(archive) : tarEntries(archive);
  let meta: ContextMeta | undefined;
  const tls: TlsData = {};
  for (const e of entries) {
    if (!e.regular) continue;
    validPath(e.name);
    if (e.name === 'meta.json') {
      meta = parseMeta(e.data().toString('utf8'), 'meta.json');
      validateContextName(name);
      meta.Name = name;
    } else {
      const parts = e.name.slice(4).split('/');
      if (parts.length < 2) throw new StoreError('archive format is invalid');
      const [ep, ...rest] = parts;
      (tls[ep] ??= {})[rest.join('/')] = Buffer.from(e.data());
    }
  }
  if (!meta) throw new StoreError('invalid context: no metadata found');
  return { meta, tls };
}
