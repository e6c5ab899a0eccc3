// End of dist/snapshot.cjs (see bin/snapshot-head.cjs): the bundle is evaluated; its run() is what
// the snapshot starts with.
{
  const v8 = require('node:v8');
  // checked once what the bundle started loading (its import()s) has loaded, just before the heap is written
  v8.startupSnapshot.addSerializeCallback(() => {
    if (__snap.violations.length) {
      process._rawDebug(`tdocker: the bundle reads run-time state while it loads; it cannot go in a startup snapshot:\n\n${__snap.violations.join('\n\n')}`);
      process.exit(3);
    }
    for (const r of __snap.restore.reverse()) r();
  });
  const run = globalThis.__tdockerRun;
  delete globalThis.__tdockerRun;
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    // bin/tdocker runs `node --snapshot-blob BLOB -- ROOT NAME ARGS...`: ROOT is the installation
    const root = process.argv[1];
    process.argv.splice(1, 1);
    const { createRequire } = __snapRequire('node:module');
    const { join } = __snapRequire('node:path');
    __dirname = join(root, 'dist');
    __filename = join(__dirname, 'tdocker.cjs');
    globalThis.__tdockerLiveRequire = createRequire(__filename);
    globalThis.__tdockerRequire = globalThis.__tdockerLiveRequire;
    globalThis.__tdockerRoot = root;
    __tdockerTrustExtraCa();
    run();
  });
}
