import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { createHash } from 'node:crypto';
import { tdocker, docker, uniqueName, TmuxSession, TDOCKER } from '../helpers/run.js';

/** The course's example with busybox stand-ins: httpd for the web server, an nc loop for redis. */
function course(port: number, webCommand = 'httpd -f -p 80 -h /var/www/html'): string {
  return `version: '3.3'
services:
  web:
    image: busybox
    restart: always
    command: ${webCommand}
    depends_on:
      - redis
    ports:
      - "${port}:80"
    volumes:
      - ./html/:/var/www/html/
  redis:
    image: busybox
    restart: always
    command: sh -c 'while true; do echo PONG | nc -l -p 6379; done'
    volumes:
      - data:/data
volumes:
  data:
`;
}

function fetchText(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

async function retry<T>(fn: () => Promise<T>, tries = 40): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function cleanup(project: string): Promise<void> {
  const ids = (await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', ...ids]);
  const nets = (await docker(['network', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
  if (nets.length) await docker(['network', 'rm', ...nets]);
  const vols = (await docker(['volume', 'ls', '-q', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
  if (vols.length) await docker(['volume', 'rm', ...vols]);
}

const labelsOf = async (name: string): Promise<Record<string, string>> =>
  JSON.parse((await docker(['inspect', '--format', '{{json .Config.Labels}}', name])).stdout);

test('compose: the course example, up -d / ps / logs / recreate / stop / start / down -v', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-e2e-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  mkdirSync(join(dir, 'html'));
  writeFileSync(join(dir, 'html', 'index.html'), `hello ${project}\n`);
  writeFileSync(join(dir, 'docker-compose.yml'), course(port));
  const c = (args: string[]) => tdocker(['compose', '-p', project, ...args], { cwd: dir });
  try {
    const up = await c(['up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stderr, /the attribute `version` is obsolete/);
    const lines = up.stderr.split('\n').filter((l) => l.startsWith(' '));
    assert.deepEqual(lines, [
      ` Network ${project}_default  Creating`,
      ` Network ${project}_default  Created`,
      ` Volume ${project}_data  Creating`,
      ` Volume ${project}_data  Created`,
      ` Container ${project}-redis-1  Creating`,
      ` Container ${project}-redis-1  Created`,
      ` Container ${project}-web-1  Creating`,
      ` Container ${project}-web-1  Created`,
      ` Container ${project}-redis-1  Starting`,
      ` Container ${project}-redis-1  Started`,
      ` Container ${project}-web-1  Starting`,
      ` Container ${project}-web-1  Started`,
    ]);
    // the published port answers with the bind-mounted file (relative to the compose file)
    assert.equal(await retry(() => fetchText(port)), `hello ${project}\n`);
    // services resolve each other by name
    const ping = await retry(async () => {
      const r = await docker(['exec', `${project}-web-1`, 'sh', '-c', 'echo PING | nc -w 2 redis 6379']);
      if (!r.stdout.includes('PONG')) throw new Error(r.stdout + r.stderr);
      return r.stdout;
    });
    assert.match(ping, /PONG/);

    // labels and names as v2 sets them
    const web = await labelsOf(`${project}-web-1`);
    assert.equal(web['com.docker.compose.project'], project);
    assert.equal(web['com.docker.compose.service'], 'web');
    assert.equal(web['com.docker.compose.container-number'], '1');
    assert.equal(web['com.docker.compose.oneoff'], 'False');
    assert.equal(web['com.docker.compose.depends_on'], 'redis:service_started:false');
    assert.equal(web['com.docker.compose.project.working_dir'], dir);
    assert.equal(web['com.docker.compose.project.config_files'], join(dir, 'docker-compose.yml'));
    assert.match(web['com.docker.compose.config-hash'], /^[0-9a-f]{64}$/);
    assert.match(web['com.docker.compose.image'], /^sha256:[0-9a-f]{64}$/);
    assert.match(web['com.docker.compose.version'], /^2\.\d+\.\d+$/);
    const aliases = JSON.parse((await docker(['inspect', '--format', `{{json (index .NetworkSettings.Networks "${project}_default").Aliases}}`, `${project}-web-1`])).stdout);
    assert.ok(aliases.includes(`${project}-web-1`) && aliases.includes('web'), JSON.stringify(aliases));
    const net = JSON.parse((await docker(['network', 'inspect', '--format', '{{json .Labels}}', `${project}_default`])).stdout);
    assert.equal(net['com.docker.compose.network'], 'default');
    assert.equal(net['com.docker.compose.project'], project);
    const vol = JSON.parse((await docker(['volume', 'inspect', '--format', '{{json .Labels}}', `${project}_data`])).stdout);
    assert.equal(vol['com.docker.compose.volume'], 'data');
    assert.equal(vol['com.docker.compose.project'], project);

    // ps
    const ps = await c(['ps']);
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /^NAME\s+IMAGE\s+COMMAND\s+SERVICE\s+CREATED\s+STATUS\s+PORTS\n/);
    assert.match(ps.stdout, new RegExp(`${project}-redis-1 +busybox .* redis .* Up `));
    assert.match(ps.stdout, new RegExp(`${project}-web-1 +busybox .* web .*0\\.0\\.0\\.0:${port}->80/tcp`));
    assert.equal((await c(['ps', '--services'])).stdout, 'redis\nweb\n');

    // prefixed logs
    // (polled for up to 30 s: on a loaded engine the first PING can take a while)
    await retry(async () => {
      const l = await c(['logs', 'redis']);
      if (!/^redis-1 {2}\| PING$/m.test(l.stdout)) throw new Error(l.stdout);
    }, 120);

    // a second up -d recreates nothing
    const again = await c(['up', '-d']);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(again.stderr.split('\n').filter((l) => l.startsWith(' ')), [
      ` Container ${project}-redis-1  Running`,
      ` Container ${project}-web-1  Running`,
    ]);

    // a changed service alone is recreated
    writeFileSync(join(dir, 'docker-compose.yml'), course(port, 'httpd -f -p 80 -h /var/www/html -c /dev/null'));
    const redisId = (await docker(['inspect', '--format', '{{.Id}}', `${project}-redis-1`])).stdout;
    const changed = await c(['up', '-d']);
    assert.equal(changed.code, 0, changed.stderr);
    const cl = changed.stderr.split('\n').filter((l) => l.startsWith(' '));
    assert.ok(cl.includes(` Container ${project}-web-1  Recreated`), cl.join('\n'));
    assert.ok(cl.includes(` Container ${project}-redis-1  Running`), cl.join('\n'));
    assert.equal((await docker(['inspect', '--format', '{{.Id}}', `${project}-redis-1`])).stdout, redisId);
    assert.equal(await retry(() => fetchText(port)), `hello ${project}\n`);

    // run --rm: a one-off container on the project's network, removed afterwards; exec in a service's container
    const run = await c(['run', '--rm', '-T', 'web', 'sh', '-c', 'echo PING | nc -w 2 redis 6379; exit 3']);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stdout, /PONG/);
    assert.equal((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`, '--filter', 'label=com.docker.compose.oneoff=True'])).stdout, '');
    const ex = await c(['exec', '-T', 'web', 'cat', '/var/www/html/index.html']);
    assert.equal(ex.stdout, `hello ${project}\n`);

    // stop / start
    const stop = await c(['stop']);
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal((await docker(['inspect', '--format', '{{.State.Status}}', `${project}-web-1`])).stdout, 'exited\n');
    const start = await c(['start']);
    assert.equal(start.code, 0, start.stderr);
    assert.equal((await docker(['inspect', '--format', '{{.State.Status}}', `${project}-web-1`])).stdout, 'running\n');

    // down -v leaves nothing
    const down = await c(['down', '-v']);
    assert.equal(down.code, 0, down.stderr);
    assert.equal((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout, '');
    assert.equal((await docker(['network', 'ls', '-q', '--filter', `name=${project}_default`])).stdout, '');
    assert.equal((await docker(['volume', 'ls', '-q', '--filter', `name=${project}_data`])).stdout, '');
  } finally {
    await cleanup(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: errors in compose words', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'compose-err-'));
  try {
    const none = await tdocker(['compose', 'ps'], { cwd: dir });
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'no configuration file provided: not found\n');
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  a:\n    image: busybox\n    bogus: 1\n');
    const bad = await tdocker(['compose', 'config'], { cwd: dir });
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `validating ${join(dir, 'compose.yaml')}: services.a additional properties 'bogus' not allowed\n`);
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  a:\n    image: ${IMG:?IMG is needed}\n');
    const missing = await tdocker(['compose', 'config'], { cwd: dir });
    assert.equal(missing.stderr, 'error while interpolating services.a.image: required variable IMG is missing a value: IMG is needed\n');
    const ok = await tdocker(['compose', 'config', '--services'], { cwd: dir, env: { IMG: 'busybox' } });
    assert.equal(ok.stdout, 'a\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: attached up interleaves prefixed output and returns --exit-code-from; --abort-on-container-failure', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-att-'));
  writeFileSync(join(dir, 'compose.yaml'), "services:\n  a:\n    image: busybox\n    command: sh -c 'echo hello from a; exit 4'\n  longer:\n    image: busybox\n    command: sh -c 'echo hello from longer; sleep 30'\n");
  try {
    const r = await tdocker(['compose', '-p', project, 'up', '--exit-code-from', 'a', '-t', '1'], { cwd: dir, env: { NO_COLOR: undefined } });
    assert.equal(r.code, 4, r.stderr);
    const lines = r.stdout.split('\n');
    assert.ok(lines.includes('a-1       | hello from a'), r.stdout);
    assert.ok(lines.includes('longer-1  | hello from longer'), r.stdout);
    assert.ok(lines.includes('a-1 exited with code 4'), r.stdout);
    // v2's status stream (stderr), in progress.ErrorColor even without a terminal; NO_COLOR drops the colour
    assert.ok(r.stderr.split('\n').includes('\x1b[31;1mAborting on container exit...\x1b[0m'), JSON.stringify(r.stderr));
    assert.ok(!lines.includes('Aborting on container exit...'), r.stdout);
    // --abort-on-container-failure: a service that ends with status 0 aborts nothing, the first failure stops the rest
    // and its status is up's
    writeFileSync(join(dir, 'compose.yaml'), "services:\n  ok:\n    image: busybox\n    command: 'true'\n  bad:\n    image: busybox\n    command: sh -c 'sleep 2; exit 3'\n" +
      "  longer:\n    image: busybox\n    command: sh -c 'echo hello from longer; sleep 30'\n");
    const f = await tdocker(['compose', '-p', project, 'up', '--abort-on-container-failure', '-t', '1', '--remove-orphans'], { cwd: dir, env: { NO_COLOR: '1' } });
    assert.equal(f.code, 3, f.stderr);
    assert.ok(f.stderr.split('\n').includes('Aborting on container exit...'), f.stderr);
    const fl = f.stdout.split('\n');
    assert.ok(fl.includes('ok-1 exited with code 0'), f.stdout);
    assert.ok(fl.includes('bad-1 exited with code 3'), f.stdout);
    assert.ok(fl.some((l) => l.startsWith('longer-1 exited with code ')), f.stdout);
    assert.equal((await tdocker(['compose', '-p', project, 'down'], { cwd: dir })).code, 0);
  } finally {
    await cleanup(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: depends_on service_healthy waits for the healthcheck; --scale; --wait', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-hc-'));
  writeFileSync(join(dir, 'compose.yaml'), `services:
  db:
    image: busybox
    command: sh -c 'sleep 1; touch /ready; sleep 300'
    healthcheck:
      test: ["CMD", "test", "-f", "/ready"]
      interval: 1s
      retries: 30
  app:
    image: busybox
    command: sleep 300
    depends_on:
      db:
        condition: service_healthy
`);
  try {
    const r = await tdocker(['compose', '-p', project, 'up', '-d', '--scale', 'app=2'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith(' '));
    const healthy = lines.indexOf(` Container ${project}-db-1  Healthy`);
    assert.ok(healthy > 0, lines.join('\n'));
    assert.ok(lines.indexOf(` Container ${project}-app-1  Starting`) > healthy, lines.join('\n'));
    assert.equal((await docker(['inspect', '--format', '{{.State.Health.Status}}', `${project}-db-1`])).stdout, 'healthy\n');
    assert.equal((await tdocker(['compose', '-p', project, 'ps', '-q', 'app'], { cwd: dir })).stdout.split('\n').filter(Boolean).length, 2);
    const w = await tdocker(['compose', '-p', project, 'up', '--wait'], { cwd: dir });
    assert.equal(w.code, 0, w.stderr);
    assert.ok(w.stderr.includes(` Container ${project}-db-1  Healthy`), w.stderr);
  } finally {
    await cleanup(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: a service with build: is built as <project>-<service> (classic builder with DOCKER_BUILDKIT=0), down --rmi local removes it', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-build-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM busybox\nRUN echo built-${project} > /built\nCMD ["cat", "/built"]\n`);
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  app:\n    build: ./app\n');
  try {
    const r = await tdocker(['compose', '-p', project, 'up', '--exit-code-from', 'app'], { cwd: dir, env: { DOCKER_BUILDKIT: '0' } });
    assert.equal(r.code, 0, r.stderr);
    const events = r.stderr.split('\n');
    assert.ok(events.indexOf(' Service app  Building') >= 0 && events.indexOf(' Service app  Built') > events.indexOf(' Service app  Building'), r.stderr);
    const lines = r.stdout.split('\n');
    assert.ok(lines.indexOf(`app-1  | built-${project}`) >= 0 && lines.indexOf(`app-1  | built-${project}`) < lines.indexOf('app-1 exited with code 0'), r.stdout);
    assert.equal((await docker(['images', '-q', `${project}-app`])).stdout.trim().length, 12);
    const d = await tdocker(['compose', '-p', project, 'down', '--rmi', 'local'], { cwd: dir });
    assert.equal(d.code, 0, d.stderr);
    assert.ok(d.stderr.includes(` Image ${project}-app  Removed`), d.stderr);
    assert.equal((await docker(['images', '-q', `${project}-app`])).stdout, '');
  } finally {
    await cleanup(project);
    await docker(['rmi', '-f', `${project}-app`]);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: a recreated container keeps its anonymous volumes (fresh ones with -V); config --hash; wait', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-anon-'));
  const file = (cmd: string) => writeFileSync(join(dir, 'compose.yaml'), `services:\n  s:\n    image: busybox\n    command: ${cmd}\n    volumes: [/data]\n`);
  const c = (args: string[]) => tdocker(['compose', '-p', project, ...args], { cwd: dir });
  try {
    file('sleep 300');
    assert.equal((await c(['up', '-d'])).code, 0);
    await docker(['exec', `${project}-s-1`, 'sh', '-c', 'echo kept > /data/f']);
    const h1 = (await c(['config', '--hash', 's'])).stdout;
    file('sleep 301');
    const h2 = (await c(['config', '--hash', 's'])).stdout;
    assert.match(h1, /^s [0-9a-f]{64}\n$/);
    assert.notEqual(h1, h2);
    assert.equal((await c(['up', '-d'])).code, 0);
    assert.equal((await docker(['exec', `${project}-s-1`, 'cat', '/data/f'])).stdout, 'kept\n');
    file('sleep 302');
    assert.equal((await c(['up', '-d', '-V'])).code, 0);
    assert.notEqual((await docker(['exec', `${project}-s-1`, 'cat', '/data/f'])).code, 0);
    file("sh -c 'exit 5'");
    assert.equal((await c(['up', '-d'])).code, 0);
    assert.equal((await c(['wait', 's'])).code, 5);
    assert.equal((await c(['down', '-v'])).code, 0);
  } finally {
    await cleanup(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: every label and name v2 sets, with the values compose states (hashes derived by hand)', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-lbl-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  mkdirSync(join(dir, 'html'));
  writeFileSync(join(dir, 'html', 'index.html'), 'x\n');
  writeFileSync(join(dir, 'docker-compose.yml'), course(port));
  writeFileSync(join(dir, 'vars.env'), 'UNUSED=1\n');
  const c = (args: string[]) => tdocker(['compose', '-p', project, '--env-file', 'vars.env', ...args], { cwd: dir });
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
  try {
    assert.equal((await c(['up', '-d'])).code, 0);
    const image = (await docker(['image', 'inspect', '--format', '{{.Id}}', 'busybox'])).stdout.trim();
    const common = {
      'com.docker.compose.project': project,
      'com.docker.compose.version': '2.40.3',
      'com.docker.compose.project.working_dir': dir,
      'com.docker.compose.project.config_files': join(dir, 'docker-compose.yml'),
      'com.docker.compose.project.environment_file': join(dir, 'vars.env'),
      'com.docker.compose.oneoff': 'False',
      'com.docker.compose.image': image,
      'com.docker.compose.container-number': '1',
    };
    // ServiceHash of redis: {"command":["sh","-c","while true; do echo PONG | nc -l -p 6379; done"],"entrypoint":null,"image":"busybox",
    // "networks":{"default":null},"restart":"always","volumes":[{"type":"volume","source":"data","target":"/data","volume":{}}]}
    assert.deepEqual(await labelsOf(`${project}-redis-1`), {
      ...common,
      'com.docker.compose.service': 'redis',
      'com.docker.compose.depends_on': '',
      'com.docker.compose.config-hash': '1cd04870414aaf26f8146ff43c151ff51a1bc87745980b763be0a38c1475b947',
    });
    // web: the bind source is absolute, the target cleaned (path.Clean drops the trailing slash)
    const webJson = `{"command":["httpd","-f","-p","80","-h","/var/www/html"],"entrypoint":null,"image":"busybox","networks":{"default":null},` +
      `"ports":[{"mode":"ingress","target":80,"published":"${port}","protocol":"tcp"}],"restart":"always",` +
      `"volumes":[{"type":"bind","source":"${join(dir, 'html')}","target":"/var/www/html","bind":{"create_host_path":true}}]}`;
    assert.deepEqual(await labelsOf(`${project}-web-1`), {
      ...common,
      'com.docker.compose.service': 'web',
      'com.docker.compose.depends_on': 'redis:service_started:false',
      'com.docker.compose.config-hash': sha(webJson),
    });
    // config --hash prints the same digests, sorted by service
    assert.equal((await c(['config', '--hash', '*'])).stdout, `redis 1cd04870414aaf26f8146ff43c151ff51a1bc87745980b763be0a38c1475b947\nweb ${sha(webJson)}\n`);
    // aliases: the container name, then the service name
    const aliases: string[] = JSON.parse((await docker(['inspect', '--format', `{{json (index .NetworkSettings.Networks "${project}_default").Aliases}}`, `${project}-web-1`])).stdout);
    assert.deepEqual(aliases.slice(0, 2), [`${project}-web-1`, 'web']);
    // network and volume: names <project>_<key>, labels with NetworkHash / VolumeHash
    assert.deepEqual(JSON.parse((await docker(['network', 'inspect', '--format', '{{json .Labels}}', `${project}_default`])).stdout), {
      'com.docker.compose.network': 'default',
      'com.docker.compose.project': project,
      'com.docker.compose.version': '2.40.3',
      'com.docker.compose.config-hash': sha(`{"name":"${project}_default","ipam":{}}`),
    });
    assert.deepEqual(JSON.parse((await docker(['volume', 'inspect', '--format', '{{json .Labels}}', `${project}_data`])).stdout), {
      'com.docker.compose.volume': 'data',
      'com.docker.compose.project': project,
      'com.docker.compose.version': '2.40.3',
      'com.docker.compose.config-hash': sha(`{"name":"${project}_data","driver":"local"}`),
    });
    // a container whose hash label is v2's is not recreated; a changed one is, labelled replace=<service>-<n>
    const again = await c(['up', '-d']);
    assert.deepEqual(again.stderr.split('\n').filter((l) => l.startsWith(' ')), [` Container ${project}-redis-1  Running`, ` Container ${project}-web-1  Running`]);
    writeFileSync(join(dir, 'docker-compose.yml'), course(port, 'httpd -f -p 80 -h /var/www'));
    assert.equal((await c(['up', '-d'])).code, 0);
    const web2 = await labelsOf(`${project}-web-1`);
    assert.equal(web2['com.docker.compose.replace'], 'web-1');
    assert.equal(web2['com.docker.compose.config-hash'], sha(webJson.replace('"-h","/var/www/html"]', '"-h","/var/www"]')));
    // one-off: <project>-<service>-run-<slug[:12]>, oneoff True, a 64-hex slug, no container-number
    const run = await c(['run', '-d', 'redis', 'sleep', '30']);
    assert.equal(run.code, 0, run.stderr);
    const oneName = run.stdout.trim();
    assert.match(oneName, new RegExp(`^${project}-redis-run-[0-9a-f]{12}$`));
    const one = await labelsOf(oneName);
    assert.equal(one['com.docker.compose.oneoff'], 'True');
    assert.match(one['com.docker.compose.slug'], /^[0-9a-f]{64}$/);
    assert.equal(oneName.slice(-12), one['com.docker.compose.slug'].slice(0, 12));
    assert.equal(one['com.docker.compose.container-number'], undefined);
    assert.equal(one['com.docker.compose.service'], 'redis');
    assert.equal((await c(['down', '-v'])).code, 0);
  } finally {
    await cleanup(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: label_file labels on the container; a diverged network is recreated, a diverged volume only once confirmed (v2.40.3 create.go)', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-div-'));
  mkdirSync(join(dir, 'meta'));
  writeFileSync(join(dir, 'meta', 'web.labels'), '# labels of the web service\ntier=from-file\nowner=course\nexport quoted="a ${owner}"\n');
  const file = (netGen: string, volGen: string): string => `services:
  web:
    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
    label_file: ./meta/web.labels
    labels:
      tier: own
    networks: [front]
    volumes: [data:/data]
networks:
  front:
    labels: { gen: "${netGen}" }
volumes:
  data:
    labels: { gen: "${volGen}" }
`;
  writeFileSync(join(dir, 'compose.yaml'), file('1', '1'));
  const c = (args: string[], input?: string) => tdocker(['compose', '-p', project, ...args], { cwd: dir, input });
  const events = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith(' '));
  const web = `${project}-web-1`;
  const inspect = async (fmt: string, what: string): Promise<string> => (await docker(['inspect', '--format', fmt, what])).stdout.trim();
  try {
    const up = await c(['up', '-d']);
    assert.equal(up.code, 0, up.stderr);
    // label_file entries read back on the container, the service's own labels winning
    const labels = JSON.parse(await inspect('{{json .Config.Labels}}', web));
    assert.deepEqual([labels.tier, labels.owner, labels.quoted], ['own', 'course', 'a course']);
    assert.equal((await docker(['exec', web, 'sh', '-c', 'echo kept > /data/f'])).code, 0);
    const id = await inspect('{{.Id}}', web);
    const netId = await inspect('{{.Id}}', `${project}_front`);

    // the network's config changed: its containers are stopped and disconnected, it is removed and created again,
    // they are connected to the new one and started (not recreated: their own hash did not change)
    writeFileSync(join(dir, 'compose.yaml'), file('2', '1'));
    const net = await c(['up', '-d']);
    assert.equal(net.code, 0, net.stderr);
    assert.deepEqual(events(net.stderr), [
      ` Container ${web}  Stopping`,
      ` Container ${web}  Stopped`,
      ` Network ${project}_front  Removed`,
      ` Network ${project}_front  Creating`,
      ` Network ${project}_front  Created`,
      ` Container ${web}  Starting`,
      ` Container ${web}  Started`,
    ]);
    const netId2 = await inspect('{{.Id}}', `${project}_front`);
    assert.notEqual(netId2, netId);
    assert.equal(JSON.parse(await inspect('{{json .Labels}}', `${project}_front`)).gen, '2');
    assert.equal(await inspect('{{.Id}}', web), id);
    assert.equal(await inspect(`{{(index .NetworkSettings.Networks "${project}_front").NetworkID}}`, web), netId2);
    assert.equal(await inspect('{{.State.Running}}', web), 'true');
    // a second up finds everything converged
    assert.deepEqual(events((await c(['up', '-d'])).stderr), [` Container ${web}  Running`]);

    // the volume's config changed: v2's question on stdout; "n" (or no answer) keeps the volume and its data
    writeFileSync(join(dir, 'compose.yaml'), file('2', '2'));
    const question = `Volume "${project}_data" exists but doesn't match configuration in compose file. Recreate (data will be lost)?`;
    const no = await c(['up', '-d'], 'n\n');
    assert.equal(no.code, 0, no.stderr);
    assert.equal(no.stdout, question);
    assert.deepEqual(events(no.stderr), [` Container ${web}  Running`]);
    assert.equal((await c(['up', '-d'])).stdout, question);
    assert.equal((await docker(['exec', web, 'cat', '/data/f'])).stdout, 'kept\n');
    assert.equal(JSON.parse(await inspect('{{json .Labels}}', `${project}_data`)).gen, '1');
    // -y: the containers mounting it are stopped and removed, the volume made again, the container created anew
    const yes = await c(['up', '-d', '-y']);
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(yes.stdout, '');
    assert.deepEqual(events(yes.stderr), [
      ` Container ${web}  Stopping`,
      ` Container ${web}  Stopped`,
      ` Container ${web}  Removing`,
      ` Container ${web}  Removed`,
      ` Volume ${project}_data  Creating`,
      ` Volume ${project}_data  Created`,
      ` Container ${web}  Creating`,
      ` Container ${web}  Created`,
      ` Container ${web}  Starting`,
      ` Container ${web}  Started`,
    ]);
    assert.equal(JSON.parse(await inspect('{{json .Labels}}', `${project}_data`)).gen, '2');
    assert.notEqual((await docker(['exec', web, 'ls', '/data'])).stdout, 'f\n');
    assert.notEqual(await inspect('{{.Id}}', web), id);
    assert.equal((await c(['down', '-v'])).code, 0);
  } finally {
    await cleanup(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: --dry-run changes nothing; --progress json/quiet; ps --format json and templates; --help', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-dry-'));
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  s:\n    image: busybox\n    command: sleep 300\n    ports: ["127.0.0.1::80"]\n');
  const c = (args: string[], env?: Record<string, string>) => tdocker(['compose', '-p', project, ...args], { cwd: dir, env });
  try {
    const dry = await c(['--dry-run', 'up', '-d']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(dry.stderr.split('\n').filter(Boolean), [
      ` DRY-RUN MODE -  Network ${project}_default  Creating`,
      ` DRY-RUN MODE -  Network ${project}_default  Created`,
      ` DRY-RUN MODE -  Container ${project}-s-1  Creating`,
      ` DRY-RUN MODE -  Container ${project}-s-1  Created`,
      ` DRY-RUN MODE -  Container ${project}-s-1  Starting`,
      ` DRY-RUN MODE -  Container ${project}-s-1  Started`,
    ]);
    assert.equal((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout, '');
    assert.equal((await docker(['network', 'ls', '-q', '--filter', `name=${project}_default`])).stdout, '');
    // the flag after the verb too
    assert.match((await c(['up', '-d', '--dry-run'])).stderr, /^ DRY-RUN MODE - {2}Network/);

    const json = await c(['--progress', 'json', 'up', '-d']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(json.stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)), [
      { id: `Network ${project}_default`, status: 'Creating' },
      { id: `Network ${project}_default`, status: 'Created' },
      { id: `Container ${project}-s-1`, status: 'Creating' },
      { id: `Container ${project}-s-1`, status: 'Created' },
      { id: `Container ${project}-s-1`, status: 'Starting' },
      { id: `Container ${project}-s-1`, status: 'Started' },
    ]);
    const bad = await c(['--progress', 'fancy', 'ps']);
    assert.deepEqual([bad.code, bad.stderr], [1, 'unsupported --progress value "fancy"\n']);
    assert.equal((await c(['--ansi', 'never', '--progress', 'tty', 'ps'])).stderr, "can't use --progress tty while ANSI support is disabled\n");

    // ps: compose's ContainerContext as JSON (sorted keys), as a template, --services, -q, --status
    const ps = await c(['ps', '--format', 'json']);
    assert.equal(ps.code, 0, ps.stderr);
    const row = JSON.parse(ps.stdout);
    assert.deepEqual(Object.keys(row), ['Command', 'CreatedAt', 'ExitCode', 'Health', 'ID', 'Image', 'Labels', 'LocalVolumes', 'Mounts', 'Name', 'Names', 'Networks', 'Ports', 'Project', 'Publishers', 'RunningFor', 'Service', 'Size', 'State', 'Status']);
    assert.equal(row.Name, `${project}-s-1`);
    assert.equal(row.Command, '"sleep 300"');
    assert.equal(row.ID.length, 12);
    assert.equal(row.Networks, `${project}_default`);
    assert.equal(row.Publishers.length, 1);
    assert.equal(row.Publishers[0].URL, '127.0.0.1');
    assert.equal(row.Publishers[0].TargetPort, 80);
    assert.match(row.Ports, /^127\.0\.0\.1:\d+->80\/tcp$/);
    assert.equal((await c(['ps', '--format', '{{.Service}} {{.State}} {{.ExitCode}} {{.Label "com.docker.compose.container-number"}}'])).stdout, 's running 0 1\n');
    assert.equal((await c(['ps', '--format', 'table {{.Name}}\t{{.State}}'])).stdout, `NAME${' '.repeat(project.length + 7 - 4)}STATE\n${project}-s-1   running\n`);
    assert.equal((await c(['ps', '--status', 'exited', '--services'])).stdout, '\n');
    assert.equal((await c(['ps', '-q', '--no-trunc'])).stdout.trim().length, 64);

    // quiet progress prints nothing
    const down = await c(['--progress', 'quiet', 'down', '-t', '0']);
    assert.deepEqual([down.code, down.stderr], [0, '']);
    assert.equal((await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout, '');

    // help: v2's root text, and a verb's with the persistent --dry-run
    const help = await tdocker(['compose', '--help']);
    assert.match(help.stdout, /^Usage: {2}tdocker compose \[OPTIONS\] COMMAND\n\nDefine and run multi-container applications with Docker\n\nOptions:\n/);
    assert.match(help.stdout, /\nCommands:\n {2}attach {6}Attach local standard input/);
    assert.match(help.stdout, /\n {2}push {8}Push service images\n/);
    assert.match(help.stdout, /\n\nRun 'tdocker compose COMMAND --help' for more information on a command\.\n$/);
    assert.match((await tdocker(['compose', 'up', '--help'])).stdout, /\n {6}--dry-run +Execute command in dry run mode\n/);
    const unknown = await tdocker(['compose', 'frobnicate']);
    assert.deepEqual([unknown.code, unknown.stderr], [1, 'unknown docker command: "compose frobnicate"\n']);
  } finally {
    await cleanup(project);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: build through BuildKit ([service] vertices), push to and pull from a registry, pull policies', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-push-'));
  const cfg = mkdtempSync(join(tmpdir(), 'compose-push-cfg-'));
  const image = `127.0.0.1:5000/${project}:1`;
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM busybox\nRUN echo ${project} > /built\nCMD ["sleep", "300"]\n`);
  writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    build: ./app\n    image: ${image}\n  other:\n    image: busybox\n    command: sleep 300\n`);
  const env = { DOCKER_CONFIG: cfg };
  const c = (args: string[]) => tdocker(['compose', '-p', project, ...args], { cwd: dir, env });
  try {
    assert.equal((await tdocker(['login', '-u', 'testuser', '--password-stdin', '127.0.0.1:5000'], { env, input: 'testpassword' })).code, 0);
    const b = await c(['build']);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, /^#0 building with "default" instance using docker driver\n\n#1 \[app internal\] load build definition from Dockerfile\n/);
    assert.match(b.stdout, /\n#\d+ \[app 2\/2\] RUN echo /);
    assert.ok(b.stderr.split('\n').includes(' app  Built'), b.stderr);
    const labels = JSON.parse((await docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', image])).stdout);
    assert.deepEqual([labels['com.docker.compose.project'], labels['com.docker.compose.service'], labels['com.docker.compose.version']], [project, 'app', '2.40.3']);

    const push = await c(['push']);
    assert.equal(push.code, 0, push.stderr);
    const pl = push.stderr.split('\n');
    assert.ok(pl.includes(' other Skipped '), push.stderr);
    assert.ok(pl.some((l) => l.startsWith(` Pushing ${image}: `) && / Pushed $/.test(l)), push.stderr);

    // the image gone locally: up pulls it (missing), with v2's events
    await docker(['rmi', image]);
    const up = await c(['up', '-d', '--no-build']);
    assert.equal(up.code, 0, up.stderr);
    const ul = up.stderr.split('\n');
    assert.ok(ul.indexOf(' app Pulling ') >= 0 && ul.indexOf(' app Pulled ') > ul.indexOf(' app Pulling '), up.stderr);
    assert.ok(ul.indexOf(' app Pulled ') < ul.indexOf(` Container ${project}-app-1  Created`), up.stderr);
    // policy never with a missing image fails as the engine says (never --rmi all here: busybox is the shared fixture)
    assert.equal((await c(['down', '-t', '0'])).code, 0);
    await docker(['rmi', image]);
    const never = await c(['up', '-d', '--pull', 'never', '--no-build', 'app']);
    assert.notEqual(never.code, 0);
    assert.match(never.stderr, /No such image/);
    const badPull = await c(['up', '--pull', 'sometimes']);
    assert.deepEqual([badPull.code, badPull.stderr], [1, 'invalid --pull option "sometimes"\n']);
    const pull = await c(['pull', '--quiet', 'app']);
    assert.deepEqual([pull.code, pull.stderr], [0, '']);
    assert.equal((await docker(['image', 'inspect', '--format', '{{.Id}}', image])).code, 0);
  } finally {
    await cleanup(project);
    await docker(['rmi', '-f', image]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(cfg, { recursive: true, force: true });
  }
});

test('compose build on a terminal: BuildKit\'s live view on stdout as buildx draws it (docker:default in the header, [service] steps, a running step\'s last lines, FINISHED); --progress plain keeps plain lines', async () => {
  const project = uniqueName('cmp');
  const dir = mkdtempSync(join(tmpdir(), 'compose-tty-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'Dockerfile'), `FROM busybox\nRUN echo ${project} >/dev/null; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line-$i; sleep 0.4; done\n`);
  writeFileSync(join(dir, 'compose.yaml'), 'services:\n  app:\n    build: ./app\n');
  const session = async (args: string, ms: number, live?: RegExp): Promise<{ live?: string; final: string }> => {
    const t = await TmuxSession.start(`cd ${dir} && ${TDOCKER} compose -p ${project} ${args}; echo EXIT=$?; sleep 60`, 100, 30);
    try {
      const l = live ? await t.waitFor(live, ms) : undefined;
      return { live: l, final: await t.waitFor(/EXIT=\d+/, ms) };
    } finally {
      await t.kill();
    }
  };
  try {
    const tty = await session('build', 90_000, /=> => # line-3\b/);
    // redrawn in place: one header, buildx's console description right-aligned, the service's steps
    assert.equal(tty.live!.match(/\[\+\] Building/g)?.length, 1, tty.live);
    assert.match(tty.live!, /^\[\+\] Building \d+\.\ds \(\d+\/\d+\) +docker:default$/m);
    assert.match(tty.live!, /^ => (CACHED )?\[app 1\/2\] FROM docker\.io\/library\/busybox/m);
    assert.match(tty.live!, /^ => \[app 2\/2\] RUN echo /m);
    assert.equal(tty.final.match(/\[\+\] Building/g)?.length, 1, tty.final);
    assert.match(tty.final, /^\[\+\] Building \d+\.\ds \((\d+)\/\1\) FINISHED +docker:default$/m);
    assert.doesNotMatch(tty.final, /=> => #/);
    assert.doesNotMatch(tty.final, /#0 building with/);
    assert.match(tty.final, /^ app +Built$/m);
    assert.match(tty.final, /EXIT=0/);
    // --progress plain on the same terminal: buildx's plain lines (the build is cached now)
    const plain = await session('--progress plain build', 90_000);
    assert.match(plain.final, /^#0 building with "default" instance using docker driver$/m);
    assert.match(plain.final, /^#\d+ \[app 2\/2\] RUN echo [\s\S]*?^#\d+ CACHED$/m);
    assert.doesNotMatch(plain.final, /\[\+\] Building/);
    assert.match(plain.final, /EXIT=0/);
  } finally {
    await docker(['rmi', '-f', `${project}-app`]);
    rmSync(dir, { recursive: true, force: true });
  }
});
