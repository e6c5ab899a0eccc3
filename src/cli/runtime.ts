/** Facts about the client's own runtime, for `version` (commands do not read process globals). */
export const runtimeInfo = {
  goVersion: `node${process.versions.node}`,
  os: process.platform as string,
  arch: process.arch === 'x64' ? 'amd64' : process.arch === 'ia32' ? '386' : (process.arch as string),
};
