import { startupSnapshot } from 'node:v8';
import { prebuildTree, run } from './main.js';

// In a V8 startup snapshot (bin/build.mjs), the bundle is evaluated at build time and the snapshot's
// main (bin/snapshot-tail.cjs) calls run() when it starts; otherwise (bin/launch.cjs) it runs now.
if (startupSnapshot.isBuildingSnapshot()) {
  prebuildTree();
  // evaluated (not constructed): a run makes its engine client when its command first needs one
  void import('./engine/client.js').then((m) => m.preloadEngine());
  (globalThis as { __tdockerRun?: () => void }).__tdockerRun = () => void run();
}
else void run();
