/** Go's path.Clean, as docker's client applies it to every request path. */
import { posix } from 'node:path';

/** path.Clean: `//`, `.` and `..` elements and a trailing slash removed. */
export function goCleanPath(p: string): string {
  const n = posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/**
 * The request path docker's client sends: it builds it with path.Join, which cleans it
 * (`top unix:///x` asks for container `unix:/x`, `volume inspect ssh://` for volume `ssh:`). Our
 * paths carry encoded names; a path that needs no cleaning is sent as it is.
 */
export function cleanPath(p: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(p);
  } catch {
    return p;
  }
  const clean = goCleanPath(decoded.startsWith('/') ? decoded : '/' + decoded);
  if (clean === decoded) return p;
  return clean.split('/').map((s) => encodeURIComponent(s).replace(/%3A/gi, ':').replace(/%40/g, '@')).join('/');
}
