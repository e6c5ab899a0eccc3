/** docker's relative times, IDs and ellipses (go-units' sizes and durations are in src/go/units.ts). */
import { humanDuration } from '../go/units.js';

/** "N units ago" from a Unix time in seconds, as docker's CREATED columns. */
export function timeAgo(unixSeconds: number, now = Date.now()): string {
  return humanDuration(now - unixSeconds * 1000) + ' ago';
}

/** stringid.TruncateID */
export function truncateId(id: string): string {
  const i = id.indexOf(':');
  const s = i >= 0 ? id.slice(i + 1) : id;
  return s.length > 12 ? s.slice(0, 12) : s;
}

/** East Asian Wide and Fullwidth code points (golang.org/x/text/width kinds docker counts as 2 columns). */
function charWidth(cp: number): number {
  if (cp < 0x1100) return 1;
  if (
    (cp <= 0x115f) || (cp >= 0x231a && cp <= 0x231b) || (cp >= 0x2329 && cp <= 0x232a) || (cp >= 0x23e9 && cp <= 0x23ec) ||
    cp === 0x23f0 || cp === 0x23f3 || (cp >= 0x25fd && cp <= 0x25fe) || (cp >= 0x2614 && cp <= 0x2615) ||
    (cp >= 0x2648 && cp <= 0x2653) || cp === 0x267f || cp === 0x2693 || cp === 0x26a1 || (cp >= 0x26aa && cp <= 0x26ab) ||
    (cp >= 0x26bd && cp <= 0x26be) || (cp >= 0x26c4 && cp <= 0x26c5) || cp === 0x26ce || cp === 0x26d4 || cp === 0x26ea ||
    (cp >= 0x26f2 && cp <= 0x26f3) || cp === 0x26f5 || cp === 0x26fa || cp === 0x26fd || cp === 0x2705 ||
    (cp >= 0x270a && cp <= 0x270b) || cp === 0x2728 || cp === 0x274c || cp === 0x274e || (cp >= 0x2753 && cp <= 0x2755) ||
    cp === 0x2757 || (cp >= 0x2795 && cp <= 0x2797) || cp === 0x27b0 || cp === 0x27bf || (cp >= 0x2b1b && cp <= 0x2b1c) ||
    cp === 0x2b50 || cp === 0x2b55 || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xa960 && cp <= 0xa97f) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe10 && cp <= 0xfe19) || (cp >= 0xfe30 && cp <= 0xfe6f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x16fe0 && cp <= 0x18cff) || (cp >= 0x1b000 && cp <= 0x1b2ff) ||
    (cp >= 0x1f004 && cp <= 0x1f0cf && (cp === 0x1f004 || cp === 0x1f0cf)) || cp === 0x1f18e || (cp >= 0x1f191 && cp <= 0x1f19a) ||
    (cp >= 0x1f200 && cp <= 0x1f251) || (cp >= 0x1f300 && cp <= 0x1f64f && !(cp >= 0x1f321 && cp <= 0x1f32c) && cp !== 0x1f336 &&
      cp !== 0x1f37d && !(cp >= 0x1f394 && cp <= 0x1f39f) && !(cp >= 0x1f3cb && cp <= 0x1f3ce) && !(cp >= 0x1f3d4 && cp <= 0x1f3df) &&
      !(cp >= 0x1f3f1 && cp <= 0x1f3f3) && !(cp >= 0x1f3f5 && cp <= 0x1f3f7) && cp !== 0x1f43f && cp !== 0x1f441 &&
      !(cp >= 0x1f4fd && cp <= 0x1f4fe) && !(cp >= 0x1f53e && cp <= 0x1f54a) && cp !== 0x1f54f && !(cp >= 0x1f568 && cp <= 0x1f579) &&
      !(cp >= 0x1f57b && cp <= 0x1f594) && !(cp >= 0x1f597 && cp <= 0x1f5a3) && !(cp >= 0x1f5a5 && cp <= 0x1f5fa)) ||
    (cp >= 0x1f680 && cp <= 0x1f6c5) || cp === 0x1f6cc || (cp >= 0x1f6d0 && cp <= 0x1f6d2) || (cp >= 0x1f6d5 && cp <= 0x1f6d7) ||
    (cp >= 0x1f6eb && cp <= 0x1f6ec) || (cp >= 0x1f6f4 && cp <= 0x1f6fc) || (cp >= 0x1f7e0 && cp <= 0x1f7eb) ||
    (cp >= 0x1f90c && cp <= 0x1f93a) || (cp >= 0x1f93c && cp <= 0x1f945) || (cp >= 0x1f947 && cp <= 0x1f9ff) ||
    (cp >= 0x1fa70 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x2fffd) || (cp >= 0x30000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

/**
 * docker/cli formatter.Ellipsis: cut s to maxDisplayWidth columns ending in "…"; East Asian wide and
 * fullwidth characters count 2; a width of 1 gives the first character; 0 or less gives "".
 */
export function ellipsis(s: string, max: number): string {
  if (max <= 0) return '';
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(s);
  if (ascii) {
    if (max === 1) return s.slice(0, 1);
    return s.length <= max ? s : s.slice(0, max - 1) + '…';
  }
  const rs = [...s];
  if (max === 1) return rs[0] ?? '';
  const display: number[] = [];
  let w = 0;
  for (const r of rs) {
    w += charWidth(r.codePointAt(0)!);
    display.push(w);
  }
  if (w <= max) return s;
  for (let i = 0; i + 1 < display.length; i++) {
    if (display[i] <= max - 1 && display[i + 1] > max - 1) return rs.slice(0, i + 1).join('') + '…';
  }
  return s;
}
