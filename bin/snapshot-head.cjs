// Start of dist/snapshot.cjs, the script node evaluates at build time to make the V8 startup snapshot
// (bin/build.mjs: this file, bin/extra-ca.cjs, the bundle, bin/snapshot-tail.cjs). Everything the
// bundle evaluates at its top level is kept in the snapshot, so it must not read what belongs to the
// run: the environment, the arguments, the working directory, the standard streams, the terminal,
// the home directory, the clock or the local time zone. Each such read made while the bundle is
// evaluated is recorded here, and the tail fails the build when there was any (the code that read it
// must wait until it is needed).
const __snap = { violations: [], restore: [] };
{
  const seen = (what) => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 6;
    const stack = String(new Error().stack).split('\n').slice(3).join('\n');
    Error.stackTraceLimit = limit;
    __snap.violations.push(`${what}\n${stack}`);
  };
  const env = process.env;
  process.env = new Proxy(env, {
    get: (t, k) => (typeof k === 'string' && seen(`process.env.${k}`), t[k]),
    has: (t, k) => (seen(`'${String(k)}' in process.env`), k in t),
    ownKeys: (t) => (seen('the keys of process.env'), Reflect.ownKeys(t)),
  });
  __snap.restore.push(() => { process.env = env; });
  const argv = process.argv;
  Object.defineProperty(process, 'argv', { configurable: true, enumerable: true, get: () => (seen('process.argv'), argv), set: () => {} });
  __snap.restore.push(() => { delete process.argv; process.argv = argv; });
  for (const k of ['stdout', 'stderr', 'stdin']) {
    const d = Object.getOwnPropertyDescriptor(process, k);
    Object.defineProperty(process, k, { ...d, get() { seen(`process.${k}`); return d.get.call(this); } });
    __snap.restore.push(() => Object.defineProperty(process, k, d));
  }
  const wrap = (obj, name, label) => {
    const f = obj[name];
    obj[name] = function (...a) { seen(label); return f.apply(this, a); };
    __snap.restore.push(() => { obj[name] = f; });
  };
  wrap(process, 'cwd', 'process.cwd()');
  const os = require('node:os');
  for (const n of ['homedir', 'userInfo', 'hostname', 'tmpdir']) wrap(os, n, `os.${n}()`);
  wrap(require('node:tty'), 'isatty', 'tty.isatty()');
  wrap(Date, 'now', 'Date.now()');
  for (const n of ['getTimezoneOffset', 'getHours', 'getDate', 'toString', 'toLocaleString']) wrap(Date.prototype, n, `Date#${n}()`);
  wrap(Intl, 'DateTimeFormat', 'Intl.DateTimeFormat');
}
// The bundle's require, __dirname and __filename are the build's; the snapshot's main points them at
// the installation it runs from (a require that loads any module, not only node's own).
const __snapRequire = require;
require = Object.assign((id) => (globalThis.__tdockerLiveRequire ?? __snapRequire)(id), {
  resolve: (id, o) => (globalThis.__tdockerLiveRequire ?? __snapRequire).resolve(id, o),
});
