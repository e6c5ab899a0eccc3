import { statSync } from 'node:fs';

declare const __TDOCKER_BUILD_TIME__: string | undefined;

/** When this tdocker was built: stamped by bin/build.mjs; unbuilt (tsx), the running script's modification time. */
function buildTime(): string {
  if (typeof __TDOCKER_BUILD_TIME__ === 'string') return __TDOCKER_BUILD_TIME__;
  try {
    return statSync(process.argv[1] ?? '').mtime.toISOString().replace(/\.\d+Z$/, 'Z');
  } catch {
    return '';
  }
}

/** Facts about the client's own runtime, for `version` (commands do not read process globals). */
export const runtimeInfo = {
  /** RFC 3339 ('' when unknown) */
  get buildTime(): string {
    return buildTime();
  },
  goVersion: `node${process.versions.node}`,
  os: process.platform as string,
  arch: process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : (process.arch as string),
};
