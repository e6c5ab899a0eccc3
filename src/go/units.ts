/** docker/go-units: HumanDuration, HumanSize, BytesSize. */
import { formatFloat } from './strconv.js';

/** go-units HumanDuration */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3600000);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(ms / 3600000 / 24 / 365)} years`;
}

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function sizeAndUnit(size: number, base: number, units: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < units.length - 1) {
    size /= base;
    i++;
  }
  return [size, units[i]];
}

/** go-units HumanSizeWithPrecision(size, 3): 77.9MB, 1.23kB, 0B */
export function humanSize(bytes: number, precision = 3): string {
  // a listing shows the same sizes many times (an image under 500 tags): Go's exact float formatting
  // is worked out once per size
  if (precision === 3) {
    const known = sizeTexts.get(bytes);
    if (known !== undefined) return known;
  }
  const [s, u] = sizeAndUnit(bytes, 1000, DECIMAL);
  const text = formatFloat(s, 'g', precision) + u;
  if (precision === 3 && sizeTexts.size < 4096) sizeTexts.set(bytes, text);
  return text;
}
const sizeTexts = new Map<number, string>();

/** go-units BytesSize: 23.54GiB */
export function bytesSize(bytes: number): string {
  const [s, u] = sizeAndUnit(bytes, 1024, BINARY);
  return formatFloat(s, 'g', 4) + u;
}
