/** Go's io/fs (os.FileMode is fs.FileMode). */

/**
 * fs.FileMode.String(): the type bits that are set, as letters from the highest bit down ("dalTLDpSugct?"),
 * or "-" when none is, then the nine permission bits as rwxrwxrwx. Bits 9 to 18 have no letter (Go's
 * own ModeSetuid etc. are high bits, so the octal 01777 an engine reports prints -rwxrwxrwx).
 */
export function goFileMode(mode: number): string {
  const m = mode >>> 0;
  const types = 'dalTLDpSugct?';
  let out = '';
  for (let i = 0; i < types.length; i++) if ((m >>> (31 - i)) & 1) out += types[i];
  if (out === '') out = '-';
  const rwx = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) out += (m >>> (8 - i)) & 1 ? rwx[i] : '-';
  return out;
}
