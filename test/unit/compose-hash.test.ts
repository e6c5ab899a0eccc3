/**
 * com.docker.compose.config-hash, network and volume hashes as Compose v2 computes them.
 *
 * Derivation (docker/compose v2.40.3 pkg/compose/hash.go, compose-go v2.9.1 types/types.go):
 * ServiceHash clears Build, PullPolicy, Scale, Deploy.Replicas, DependsOn, Profiles, then
 * json.Marshal(ServiceConfig) and sha256 hex. Go writes fields in declaration order (…, cpus, …,
 * command, …, deploy, …, entrypoint, environment, …, extra_hosts, …, healthcheck, image, init, …,
 * labels, …, mem_limit, …, networks, …, ports, …, restart, …, stop_grace_period, …, tty, ulimits, …,
 * volumes, …), omits zero `omitempty` fields, always writes `command`/`entrypoint` (no omitempty: null
 * when unset) and non-pointer structs (deploy.resources, deploy.placement), sorts map keys, escapes
 * < > & as \u003c \u003e \u0026; UnitBytes marshals as a quoted byte count, Duration as
 * time.Duration.String(), HostsList as sorted host=ip, a single ulimit as a bare number. The loader
 * adds networks {default: null} to a service without networks, cleans volume targets (path.Clean)
 * and makes bind sources absolute; the short volume syntax gets bind.create_host_path: true.
 * Each expected digest below is `printf '%s' '<the JSON in the comment>' | sha256sum`, the JSON
 * written by hand from those rules (not by the code under test).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProject, serviceHash, serviceHashJson, networkHash, volumeHash } from '../../src/compose/index.js';
import { upServiceHash } from '../../src/commands/compose/project.js';

function project(yaml: string, env: Record<string, string> = {}) {
  const d = mkdtempSync(join(tmpdir(), 'compose-hash-'));
  writeFileSync(join(d, 'compose.yaml'), yaml);
  try {
    return loadProject({ cwd: d, env, files: [join(d, 'compose.yaml')], projectDirectory: '/srv/course', warn: () => undefined });
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

test('config-hash: an image-only service', () => {
  const p = project('services:\n  web:\n    image: busybox\n');
  // {"command":null,"entrypoint":null,"image":"busybox","networks":{"default":null}}
  assert.equal(serviceHashJson(p.services.web), '{"command":null,"entrypoint":null,"image":"busybox","networks":{"default":null}}');
  assert.equal(upServiceHash(p.services.web), '2afd7866203dca40993313263173003833e9de9c3ad83f2f59484e32a5605234');
});

test("config-hash: the course's web service (ports, bind mount, restart, depends_on dropped)", () => {
  const p = project(`version: '3.3'
services:
  web:
    image: busybox
    command: httpd -f -p 80 -h /var/www/html
    restart: always
    depends_on: [redis]
    ports: ["8080:80"]
    volumes: ["./html/:/var/www/html/"]
  redis:
    image: busybox
`);
  // {"command":["httpd","-f","-p","80","-h","/var/www/html"],"entrypoint":null,"image":"busybox","networks":{"default":null},
  //  "ports":[{"mode":"ingress","target":80,"published":"8080","protocol":"tcp"}],"restart":"always",
  //  "volumes":[{"type":"bind","source":"/srv/course/html","target":"/var/www/html","bind":{"create_host_path":true}}]}
  assert.equal(upServiceHash(p.services.web), 'c76630402cf8954ac7ded5365cfe2482851bd8b9bfc3511e6423fce782738a93');
  assert.equal(upServiceHash(p.services.redis), '2afd7866203dca40993313263173003833e9de9c3ad83f2f59484e32a5605234');
});

test('config-hash: field order, Go escapes, units, durations, hosts, ulimits, *bool, deploy structs', () => {
  const p = project(`services:
  db:
    image: busybox
    cpus: 0.5
    command: ["sh", "-c", "echo <ok> & done"]
    entrypoint: []
    deploy:
      replicas: 3
      resources: { limits: { memory: 256m } }
    environment: { A: 1, B: }
    extra_hosts: ["host=[::1]", "db:10.0.0.2"]
    healthcheck: { test: "true", timeout: 5s, interval: 90s, retries: 3 }
    init: false
    labels: { z: "<tag>", a.b: x }
    mem_limit: 512m
    networks: { default: , back: { aliases: [db] } }
    stop_grace_period: 1500ms
    tty: true
    ulimits: { nproc: 65535, nofile: { soft: 1024, hard: 2048 } }
    x-ignored: 1
networks: { back: {} }
`);
  // {"cpus":0.5,"command":["sh","-c","echo \u003cok\u003e \u0026 done"],"deploy":{"resources":{"limits":{"memory":"268435456"}},"placement":{}},
  //  "entrypoint":[],"environment":{"A":"1","B":null},"extra_hosts":["db=10.0.0.2","host=::1"],
  //  "healthcheck":{"test":["CMD-SHELL","true"],"timeout":"5s","interval":"1m30s","retries":3},"image":"busybox","init":false,
  //  "labels":{"a.b":"x","z":"\u003ctag\u003e"},"mem_limit":"536870912","networks":{"back":{"aliases":["db"]},"default":null},
  //  "stop_grace_period":"1.5s","tty":true,"ulimits":{"nofile":{"soft":1024,"hard":2048},"nproc":65535}}
  assert.equal(upServiceHash(p.services.db), '2b62e4bf6270125fd9903cedce68f9385c29cea0addfe7356c83411cf5e0232b');
});

test('config-hash ignores what compose clears (build, pull_policy, scale, replicas, depends_on, profiles) and x- keys', () => {
  const base = project('services:\n  web:\n    image: busybox\n').services.web;
  const p = project(`services:
  web:
    image: busybox
    build: .
    pull_policy: always
    scale: 2
    deploy: { replicas: 2 }
    depends_on: { other: { condition: service_healthy } }
    profiles: [debug]
    x-note: hi
  other:
    image: busybox
`, { COMPOSE_PROFILES: 'debug' });
  const withDeploy = { ...base, deploy: {} };
  assert.equal(upServiceHash(p.services.web), serviceHash(withDeploy));
  // {"command":null,"deploy":{"resources":{},"placement":{}},"entrypoint":null,"image":"busybox","networks":{"default":null}}
  assert.equal(serviceHashJson(withDeploy), '{"command":null,"deploy":{"resources":{},"placement":{}},"entrypoint":null,"image":"busybox","networks":{"default":null}}');
  // any other change changes it
  assert.notEqual(upServiceHash({ ...base, restart: 'always' }), upServiceHash(base));
});

test('config-hash: up discards env_file once read; config --hash keeps it (as v2 does)', () => {
  const s = { name: 'web', image: 'busybox', env_file: [{ path: '/srv/a.env', required: true }, { path: '/srv/b.env', required: false }], networks: { default: null } };
  assert.equal(serviceHashJson(s), '{"command":null,"entrypoint":null,"env_file":["/srv/a.env",{"path":"/srv/b.env","required":false}],"image":"busybox","networks":{"default":null}}');
  assert.equal(upServiceHash(s), '2afd7866203dca40993313263173003833e9de9c3ad83f2f59484e32a5605234');
});

test('network and volume hashes (NetworkHash, VolumeHash with driver "local")', () => {
  // {"name":"course_default","ipam":{}}
  assert.equal(networkHash({ name: 'course_default' }), '6920f0e398250ff7013394d64c5a8b01282b77534ef217b3e5b59d34f1710f92');
  // {"name":"course_data","driver":"local"}
  assert.equal(volumeHash({ name: 'course_data' }), '849c4f8e2b53b167d07107e1f42dd4a151216a62c15d42762888009271dbd242');
});
