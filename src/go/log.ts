/** docker's log lines (logrus' text format, as the docker CLI prints them on stderr). */
import { goQuote } from './strconv.js';

/** a line of docker's log (logrus' text format): time="<RFC 3339, local>" level=... msg="..." */
export function logLine(level: string, msg: string, now = new Date()): string {
  const off = -now.getTimezoneOffset();
  const local = new Date(now.getTime() + off * 60_000).toISOString().slice(0, 19);
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
  return `time="${local}${zone}" level=${level} msg=${goQuote(msg)}\n`;
}
