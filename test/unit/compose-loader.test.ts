import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, substitute, parseDotEnv, parsePort, parseVolume, normalizeProjectName, dependencyOrder, type LoadOptions } from '../../src/compose/index.js';

function dir(files: Record<string, string>, name = 'My_App.1'): string {
  const root = mkdtempSync(join(tmpdir(), 'compose-unit-'));
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), text);
  }
  return d;
}

function load(d: string, o: Partial<LoadOptions> = {}) {
  const warnings: string[] = [];
  const p = loadProject({ cwd: d, env: {}, warn: (m) => warnings.push(m), ...o });
  return { p, warnings };
}

const fails = (fn: () => unknown, message: string | RegExp): void => assert.throws(fn, (e: Error) => (typeof message === 'string' ? e.message === message : message.test(e.message)));

test('interpolation: defaults, alternatives, required, escapes, nesting', () => {
  const env: Record<string, string> = { SET: 'v', EMPTY: '' };
  const m = (k: string) => env[k];
  assert.equal(substitute('${SET} $SET ${UNSET:-d} ${EMPTY:-d} ${EMPTY-d} ${UNSET-d}', m), 'v v d d  d');
  assert.equal(substitute('${SET:+alt} ${EMPTY:+alt} ${EMPTY+alt} ${UNSET+alt}', m), 'alt  alt ');
  assert.equal(substitute('$$SET $${SET}', m), '$SET ${SET}');
  assert.equal(substitute('${UNSET:-${SET:-x}}-${UNSET:-${NOPE:-deep}}', m), 'v-deep');
  assert.throws(() => substitute('${EMPTY:?is empty}', m), /required variable EMPTY is missing a value: is empty/);
  assert.equal(substitute('${EMPTY?msg}', m), '');
  assert.throws(() => substitute('${UNSET?}', m), (e: Error) => e.message === 'required variable UNSET is missing a value');
  assert.throws(() => substitute('${', m), /Invalid template/);
  const unset: string[] = [];
  substitute('$A ${B}', m, (n) => unset.push(n));
  assert.deepEqual(unset, ['A', 'B']);
});

test('.env files: quotes, export, comments, interpolation, inherited keys', () => {
  const env = parseDotEnv('# c\nexport A=1\nB="x\\ny ${A}"\nC=\'lit ${A}\'\nD=plain # comment\nE\nF=${A}${MISSING:-z}\n', (k) => (k === 'E' ? 'fromenv' : undefined));
  assert.deepEqual(Object.fromEntries(env), { A: '1', B: 'x\ny 1', C: 'lit ${A}', D: 'plain', E: 'fromenv', F: '1z' });
});

test('short syntaxes: ports and volumes', () => {
  assert.deepEqual(parsePort('8080:80'), [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  assert.deepEqual(parsePort('127.0.0.1:53:53/udp'), [{ mode: 'ingress', host_ip: '127.0.0.1', target: 53, published: '53', protocol: 'udp' }]);
  assert.equal(parsePort('3000-3001:4000-4001').length, 2);
  assert.equal(parsePort('3000-3001:4000-4001')[1].published, '3001');
  assert.deepEqual(parsePort(80), [{ mode: 'ingress', target: 80, protocol: 'tcp' }]);
  assert.deepEqual(parseVolume('./html:/var/www/html:ro'), { type: 'bind', source: './html', target: '/var/www/html', read_only: true, bind: { create_host_path: true } });
  assert.deepEqual(parseVolume('data:/data'), { type: 'volume', source: 'data', target: '/data', volume: {} });
  assert.deepEqual(parseVolume('/anon'), { type: 'volume', target: '/anon', volume: {} });
});

test('project name: -p, COMPOSE_PROJECT_NAME, name:, directory (normalized)', () => {
  const d = dir({ 'compose.yaml': 'services:\n  a:\n    image: busybox\n' });
  assert.equal(normalizeProjectName('My_App.1'), 'my_app1');
  assert.equal(load(d).p.name, 'my_app1');
  assert.equal(load(d, { env: { COMPOSE_PROJECT_NAME: 'fromenv' } }).p.name, 'fromenv');
  assert.equal(load(d, { projectName: 'flag', env: { COMPOSE_PROJECT_NAME: 'fromenv' } }).p.name, 'flag');
  fails(() => load(d, { projectName: 'Bad' }), /^invalid project name "Bad": must consist only of lowercase/);
  const named = dir({ 'compose.yaml': 'name: ${N:-named}\nservices:\n  a:\n    image: busybox\n' });
  assert.equal(load(named).p.name, 'named');
  assert.equal(load(named, { env: { N: 'other' } }).p.name, 'other');
});

test('file lookup: the working directory upward, no file, version warning', () => {
  const d = dir({ 'docker-compose.yml': "version: '3.3'\nservices:\n  a:\n    image: busybox\n", 'sub/deeper/.keep': '' });
  const { p, warnings } = load(join(d, 'sub/deeper'));
  assert.deepEqual(p.configFiles, [join(d, 'docker-compose.yml')]);
  assert.equal(p.workingDir, d);
  assert.deepEqual(warnings, [`${join(d, 'docker-compose.yml')}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`]);
  const empty = mkdtempSync(join(tmpdir(), 'compose-empty-'));
  fails(() => load(empty), 'no configuration file provided: not found');
  rmSync(empty, { recursive: true });
});

test('the course example: defaults, network, bind mount relative to the file, depends_on', () => {
  const d = dir({
    'docker-compose.yml': `version: '3.3'
services:
  web:
    image: busybox
    restart: always
    depends_on:
      - redis
    ports:
      - "8080:80"
    volumes:
      - ./html/:/var/www/html/
  redis:
    image: busybox
    environment:
      - A=1
      - HOME
`,
  }, 'course');
  const { p } = load(d, { env: { HOME: '/root' } });
  assert.equal(p.name, 'course');
  assert.deepEqual(Object.keys(p.services), ['web', 'redis']);
  assert.deepEqual(p.networks, { default: { name: 'course_default' } });
  const web = p.services.web;
  assert.deepEqual(web.networks, { default: null });
  assert.deepEqual(web.depends_on, { redis: { condition: 'service_started', required: true } });
  assert.deepEqual(web.ports, [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  assert.deepEqual(web.volumes, [{ type: 'bind', source: join(d, 'html'), target: '/var/www/html', bind: { create_host_path: true } }]);
  assert.deepEqual(p.services.redis.environment, { A: '1', HOME: '/root' });
  assert.deepEqual(dependencyOrder(p), ['redis', 'web']);
});

test('several -f files merge as the spec says', () => {
  const d = dir({
    'a.yaml': `services:
  web:
    image: busybox
    command: sleep 1
    environment: { A: "1", B: "2" }
    ports: ["80:80"]
    volumes: ["./x:/data"]
    labels: [l1=a]
    dns: [1.1.1.1]
`,
    'b.yaml': `services:
  web:
    command: ["sleep", "2"]
    environment: [B=3, C=4]
    ports: ["80:80", "81:81"]
    volumes: ["./y:/data"]
    dns: [1.1.1.1, 8.8.8.8]
    labels: !reset []
`,
  });
  const { p } = load(d, { files: ['a.yaml', 'b.yaml'] });
  const web = p.services.web;
  assert.deepEqual(web.command, ['sleep', '2']);
  assert.deepEqual(web.environment, { A: '1', B: '3', C: '4' });
  assert.deepEqual(web.ports!.map((x) => x.published), ['80', '81']);
  assert.deepEqual(web.volumes!.map((x) => x.source), [join(d, 'y')]);
  assert.deepEqual(web.dns, ['1.1.1.1', '8.8.8.8']);
  assert.equal(web.labels, undefined);
  assert.deepEqual(p.configFiles, [join(d, 'a.yaml'), join(d, 'b.yaml')]);
});

test('-f - reads stdin, relative to the working directory', () => {
  const d = dir({});
  const { p } = load(d, { files: ['-'], stdin: () => 'services:\n  s:\n    image: busybox\n    volumes: [./v:/v]\n' });
  assert.equal(p.services.s.volumes![0].source, join(d, 'v'));
});

test('extends: same file and another file, paths relative to the extended file', () => {
  const d = dir({
    'compose.yaml': `services:
  base:
    image: busybox
    environment: { A: "1" }
  child:
    extends: base
    environment: { B: "2" }
  other:
    extends:
      file: common/base.yaml
      service: tmpl
`,
    'common/base.yaml': 'services:\n  tmpl:\n    image: busybox:other\n    volumes: [./data:/data]\n',
  });
  const { p } = load(d);
  assert.deepEqual(p.services.child.environment, { A: '1', B: '2' });
  assert.equal(p.services.child.image, 'busybox');
  assert.equal(p.services.other.image, 'busybox:other');
  assert.equal(p.services.other.volumes![0].source, join(d, 'common/data'));
  const bad = dir({ 'compose.yaml': 'services:\n  a:\n    image: x\n    extends: nope\n' });
  fails(() => load(bad), /^cannot extend service "a" in .*compose.yaml: service "nope" not found$/);
});

test('include: services of another file, its own .env', () => {
  const d = dir({
    'compose.yaml': 'include:\n  - sub/compose.yaml\nservices:\n  web:\n    image: busybox\n    depends_on: [db]\n',
    'sub/compose.yaml': 'services:\n  db:\n    image: ${DBIMAGE}\n    volumes: [./d:/d]\n',
    'sub/.env': 'DBIMAGE=busybox:db\n',
  });
  const { p } = load(d);
  assert.deepEqual(Object.keys(p.services).sort(), ['db', 'web']);
  assert.equal(p.services.db.image, 'busybox:db');
  assert.equal(p.services.db.volumes![0].source, join(d, 'sub/d'));
});

test('profiles: --profile, COMPOSE_PROFILES, services named on the command line', () => {
  const d = dir({ 'compose.yaml': 'services:\n  a:\n    image: x\n  dbg:\n    image: x\n    profiles: [debug]\n' });
  assert.deepEqual(Object.keys(load(d).p.services), ['a']);
  assert.deepEqual(Object.keys(load(d).p.disabled), ['dbg']);
  assert.deepEqual(Object.keys(load(d, { profiles: ['debug'] }).p.services), ['a', 'dbg']);
  assert.deepEqual(Object.keys(load(d, { env: { COMPOSE_PROFILES: 'debug' } }).p.services), ['a', 'dbg']);
  assert.deepEqual(Object.keys(load(d, { services: ['dbg'] }).p.services), ['a', 'dbg']);
});

test('.env and --env-file feed interpolation; the process environment wins', () => {
  const d = dir({ 'compose.yaml': 'services:\n  a:\n    image: busybox:${TAG}\n    labels: { v: "${V:-none}" }\n', '.env': 'TAG=one\nV=dot\n', 'other.env': 'TAG=two\n' });
  assert.equal(load(d).p.services.a.image, 'busybox:one');
  assert.equal(load(d, { env: { TAG: 'env' } }).p.services.a.image, 'busybox:env');
  assert.equal(load(d, { envFiles: ['other.env'] }).p.services.a.image, 'busybox:two');
  assert.deepEqual(load(d, { envFiles: ['other.env'] }).p.services.a.labels, { v: 'none' });
});

test('YAML anchors and merge keys', () => {
  const d = dir({ 'compose.yaml': 'x-common: &common\n  image: busybox\n  environment: { A: "1" }\nservices:\n  a:\n    <<: *common\n    command: echo a\n' });
  const { p } = load(d);
  assert.equal(p.services.a.image, 'busybox');
  assert.deepEqual(p.services.a.command, ['echo', 'a']);
  assert.ok('x-common' in p.extensions);
});

test('errors in compose words: schema, YAML line, missing variable, unknown references', () => {
  const bad = (text: string) => dir({ 'compose.yaml': text });
  let d = bad('services:\n  a:\n    image: x\n    foo: 1\n');
  fails(() => load(d), `validating ${join(d, 'compose.yaml')}: services.a additional properties 'foo' not allowed`);
  d = bad('services:\n  a:\n    image: x\n    ports: 80\n');
  fails(() => load(d), `validating ${join(d, 'compose.yaml')}: services.a.ports must be a array`);
  d = bad('services:\n  a:\n    image: x\n   bad: [\n');
  fails(() => load(d), /^failed to parse .*compose.yaml: yaml: line \d+: /);
  d = bad('services:\n  a:\n    image: ${IMG:?set IMG please}\n');
  fails(() => load(d), 'error while interpolating services.a.image: required variable IMG is missing a value: set IMG please');
  d = bad('services:\n  a:\n    image: x\n    depends_on: [b]\n');
  fails(() => load(d), 'service "a" depends on undefined service "b": invalid compose project');
  d = bad('services:\n  a:\n    image: x\n    volumes: [data:/d]\n');
  fails(() => load(d), 'service "a" refers to undefined volume data: invalid compose project');
  d = bad('services:\n  a:\n    build: .\n    depends_on: [b]\n  b:\n    image: x\n    depends_on: [a]\n');
  fails(() => load(d), /^dependency cycle detected: /);
});

test('swarm keys survive: deploy, overlay networks, external secrets and configs', () => {
  const d = dir({
    'compose.yaml': `services:
  a:
    image: x
    deploy:
      replicas: 3
      placement: { constraints: [node.role==manager] }
    networks: [front]
    secrets: [s1]
    configs: [c1]
networks:
  front:
    driver: overlay
    attachable: true
secrets:
  s1:
    external: true
configs:
  c1:
    file: ./c1.txt
`,
  });
  const { p } = load(d);
  assert.equal(p.services.a.deploy!.replicas, 3);
  assert.deepEqual(p.networks.front, { driver: 'overlay', attachable: true, name: `${p.name}_front` });
  assert.deepEqual(p.secrets.s1, { external: true, name: 's1' });
  assert.equal(p.configs.c1.file, join(d, 'c1.txt'));
  assert.deepEqual(p.services.a.secrets, [{ source: 's1', target: '/run/secrets/s1' }]);
});

test('normalization as compose-go: implied depends_on (links, service: namespaces, volumes_from), cleaned targets, env precedence', () => {
  const d = dir({
    'compose.yaml': `services:
  db:
    image: busybox
  cache:
    image: busybox
  app:
    image: busybox
    links: ["db:database"]
    network_mode: service:cache
    volumes_from: [db, "container:other:ro"]
    volumes: ["data:/data//x/../y/", { type: bind, source: ./src, target: /src/ }]
    env_file: [app.env]
    environment: { FROM_FILE:, FROM_ENV:, PLAIN: p }
volumes: { data: {} }
`,
    'app.env': 'FROM_FILE=file\nONLY_FILE=1\n',
  }, 'norm');
  const { p } = load(d, { env: { FROM_ENV: 'env' } });
  const app = p.services.app;
  assert.deepEqual(app.depends_on, {
    db: { condition: 'service_started', restart: true, required: true },
    cache: { condition: 'service_started', restart: true, required: true },
  });
  assert.equal(app.networks, undefined);
  assert.deepEqual(app.volumes!.map((v) => v.target), ['/data/y', '/src']);
  // the long syntax gets no bind defaults; the short one create_host_path
  assert.equal(app.volumes![1].bind, undefined);
  assert.deepEqual(app.volumes![0].volume, {});
  // service entries win over env_file values, a bare unset key too (null); bare keys take the environment
  assert.deepEqual(app.environment, { FROM_FILE: null, ONLY_FILE: '1', FROM_ENV: 'env', PLAIN: 'p' });
  assert.deepEqual(p.envFiles, []);
  const withEnvFile = load(d, { env: {}, envFiles: ['app.env'] }).p;
  assert.deepEqual(withEnvFile.envFiles, [join(d, 'app.env')]);
  // without environment resolution (config --hash), env_file stays unread
  const raw = load(d, { env: { FROM_ENV: 'env' }, noEnvResolution: true }).p.services.app;
  assert.deepEqual(raw.environment, { FROM_FILE: null, FROM_ENV: 'env', PLAIN: 'p' });
});

test('label_file: paths from the project directory, KEY=VALUE lines, later files and labels win, merged by appending', () => {
  const d = dir({
    'compose.yaml': `
services:
  web:
    image: busybox
    label_file: ./labels/a.labels
    labels: { OWN: own, BOTH: from-labels }
  api:
    image: busybox
    label_file: [labels/a.labels, b.labels]
  plain:
    image: busybox
    labels: [X=1]
`,
    'labels/a.labels': '# a comment\nA=1\nBOTH=from-a\nSHARED=a\nexport QUOTED="x ${A}"\n',
    'b.labels': 'SHARED=b\nFROM_PREV=${A}-${SHARED}\nB=2 # trailing comment\n',
    'override.yaml': 'services:\n  web:\n    label_file: b.labels\n',
  }, 'lf');
  const { p } = load(d);
  assert.deepEqual(p.services.web.label_file, [join(d, 'labels/a.labels')]);
  assert.deepEqual(p.services.web.labels, { A: '1', BOTH: 'from-labels', SHARED: 'a', QUOTED: 'x 1', OWN: 'own' });
  // a later file's keys win; a file interpolates with its own earlier lines, then the labels of the files before it
  assert.deepEqual(p.services.api.labels, { A: '1', BOTH: 'from-a', SHARED: 'b', QUOTED: 'x 1', FROM_PREV: '1-b', B: '2' });
  assert.deepEqual(p.services.plain.labels, { X: '1' });
  // -f merging appends label_file entries (compose-go's mergeToSequence)
  const merged = load(d, { files: ['compose.yaml', 'override.yaml'] }).p.services.web;
  assert.deepEqual(merged.label_file, [join(d, 'labels/a.labels'), join(d, 'b.labels')]);
  assert.equal(merged.labels!.SHARED, 'b');
  assert.equal(merged.labels!.BOTH, 'from-labels');
  // read whatever the environment resolution (compose-go resolves labels in every load)
  assert.equal(load(d, { noEnvResolution: true }).p.services.web.labels!.A, '1');
  // a missing file is compose-go's error
  const bad = dir({ 'compose.yaml': 'services:\n  web:\n    image: busybox\n    label_file: nope.labels\n' }, 'lfbad');
  fails(() => load(bad), `label file ${join(bad, 'nope.labels')} not found: stat ${join(bad, 'nope.labels')}: no such file or directory`);
});
