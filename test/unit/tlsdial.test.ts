import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TlsDialer, verifyServerChain, parseRoots } from '../../src/engine/tlsdial.js';
import { tlsMessage } from '../../src/engine/errors.js';

// A small PKI made by openssl (EC keys: quick): a root CA, an intermediate, a CA that signed nothing,
// server certificates for 127.0.0.1 and for a DNS name, one that is a client certificate only, one
// issued by a certificate that is not a CA, and a client certificate.
let dir = '';
const ssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
const cert = (name: string): X509Certificate => new X509Certificate(readFileSync(join(dir, `${name}.pem`)));
const pem = (name: string): Buffer => readFileSync(join(dir, `${name}.pem`));

function key(name: string): void {
  ssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${name}-key.pem`);
}
function selfSigned(name: string, cn: string, ext = 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n'): void {
  key(name);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ssl('req', '-x509', '-new', '-key', `${name}-key.pem`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=${cn}`, '-extensions', 'v3', '-config', writeConf(name, ext));
}
function writeConf(name: string, ext: string): string {
  const f = `${name}.cnf`;
  writeFileSync(join(dir, f), `[req]\ndistinguished_name=dn\n[dn]\n[v3]\n${ext}`);
  return f;
}
function issued(name: string, cn: string, by: string, ext: string): void {
  key(name);
  ssl('req', '-new', '-key', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${by}.pem`, '-CAkey', `${by}-key.pem`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'td-tlsdial-'));
  selfSigned('root', 'test root');
  selfSigned('other', 'test root'); // the same name, another key
  issued('inter', 'test intermediate', 'root', 'basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign\n');
  issued('leaf', '127.0.0.1', 'root', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issued('dns', 'engine.example', 'inter', 'subjectAltName=DNS:engine.example,DNS:*.build.example\nextendedKeyUsage=serverAuth\n');
  issued('leafinter', '127.0.0.1', 'inter', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  issued('clientonly', '127.0.0.1', 'root', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=clientAuth\n');
  issued('notca', 'not a CA', 'root', 'basicConstraints=critical,CA:FALSE\n');
  issued('undernotca', '127.0.0.1', 'notca', 'subjectAltName=IP:127.0.0.1\n');
  issued('client', 'client', 'root', 'extendedKeyUsage=clientAuth\n');
});
after(() => (process.env.KEEP ? console.log(dir) : rmSync(dir, { recursive: true, force: true })));

const code = (e: unknown): string | undefined => (e as { code?: string } | undefined)?.code;
const goText = (e: unknown): string | undefined => (e ? tlsMessage(e as { code?: string }, '127.0.0.1') : undefined);

test('a chain to the given authority verifies; the authority decides, not the names', () => {
  const roots = [cert('root')];
  assert.equal(verifyServerChain([cert('leaf')], roots, '127.0.0.1'), undefined);
  assert.equal(verifyServerChain([cert('dns'), cert('inter')], roots, 'engine.example'), undefined);
  assert.equal(verifyServerChain([cert('dns'), cert('inter')], roots, 'a.build.example'), undefined);
  // a root of the same name but another key: unknown authority
  const e = verifyServerChain([cert('leaf')], [cert('other')], '127.0.0.1');
  assert.equal(code(e), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  assert.equal(goText(e), 'tls: failed to verify certificate: x509: certificate signed by unknown authority');
  // the intermediate is not sent: no chain
  assert.equal(code(verifyServerChain([cert('dns')], roots, 'engine.example')), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  // the leaf itself trusted
  assert.equal(verifyServerChain([cert('leaf')], [cert('leaf')], '127.0.0.1'), undefined);
  assert.equal(parseRoots(Buffer.concat([pem('other'), Buffer.from('junk\n-----BEGIN CERTIFICATE-----\nbad\n-----END CERTIFICATE-----\n'), pem('root')])).length, 2);
});

test('names as Go checks them: IP SANs for an address, DNS SANs for a name, one wildcard label', () => {
  const roots = [cert('root')];
  const e = verifyServerChain([cert('leaf')], roots, '127.0.0.2');
  assert.equal(code(e), 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(tlsMessage(e as { code?: string }, '127.0.0.2'), 'tls: failed to verify certificate: x509: certificate is valid for 127.0.0.1, not 127.0.0.2');
  assert.equal(code(verifyServerChain([cert('dns'), cert('inter')], roots, 'a.b.build.example')), 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(code(verifyServerChain([cert('dns'), cert('inter')], roots, 'other.example')), 'ERR_TLS_CERT_ALTNAME_INVALID');
  // the name is checked before the chain, as in Go: a wrong name with an unknown authority is the name
  assert.equal(code(verifyServerChain([cert('leaf')], [cert('other')], 'localhost')), 'ERR_TLS_CERT_ALTNAME_INVALID');
});

test('validity periods, CA constraints and server-auth usage along the chain', () => {
  const roots = [cert('root')];
  const later = new Date(Date.now() + 10 * 86400e3);
  const e = verifyServerChain([cert('leaf')], roots, '127.0.0.1', later);
  assert.equal(code(e), 'CERT_HAS_EXPIRED');
  assert.match(goText(e)!, /^tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ is after \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const early = verifyServerChain([cert('leaf')], roots, '127.0.0.1', new Date(Date.now() - 10 * 86400e3));
  assert.equal(code(early), 'CERT_NOT_YET_VALID');
  assert.match(goText(early)!, /is before /);
  // issued by a certificate that is not a CA: no chain
  assert.equal(code(verifyServerChain([cert('undernotca'), cert('notca')], roots, '127.0.0.1')), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  const u = verifyServerChain([cert('clientonly')], roots, '127.0.0.1');
  assert.equal(code(u), 'UNSUPPORTED_CERTIFICATE_PURPOSE');
  assert.equal(goText(u), 'tls: failed to verify certificate: x509: certificate specifies an incompatible key usage');
});

/** A TLS server on 127.0.0.1 presenting `name`'s certificate; it records whether any byte arrived. */
async function server(name: string, chain: string[] = []): Promise<{ port: number; got: () => number; close: () => Promise<void> }> {
  let got = 0;
  const open = new Set<import('node:tls').TLSSocket>();
  const srv: Server = createServer(
    { key: pem(`${name}-key`), cert: Buffer.concat([pem(name), ...chain.map(pem)]), ca: pem('root'), requestCert: true, rejectUnauthorized: true },
    (s) => {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('data', (d: Buffer) => {
        got += d.length;
        s.write(d);
      });
      s.on('error', () => {});
    },
  );
  srv.on('tlsClientError', () => {});
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  return { port: (srv.address() as AddressInfo).port, got: () => got, close: () =>
      new Promise<void>((r) => {
        srv.close(() => r());
        for (const s of open) s.destroy();
      }) };
}

test('the dialer hands over only verified connections, and writes nothing to a server it rejects', { timeout: 20000 }, async () => {
  const ok = await server('leaf');
  const bad = await server('clientonly');
  const viaInter = await server('leafinter', ['inter']);
  const interMissing = await server('leafinter');
  try {
    const material = { ca: pem('root'), cert: pem('client'), key: pem('client-key'), skipVerify: false, present: true };
    const d = new TlsDialer('127.0.0.1', ok.port, material);
    const s = await d.connect();
    s.write('ping');
    const echo = await new Promise<string>((r) => s.once('data', (b: Buffer) => r(b.toString())));
    assert.equal(echo, 'ping');
    s.destroy();
    // a second connection (the session resumed, or verified again) works the same
    const s2 = await d.connect();
    s2.destroy();

    // a server that sends its intermediate: verified through it; one that does not: unknown authority
    (await new TlsDialer('127.0.0.1', viaInter.port, material).connect()).destroy();
    await assert.rejects(new TlsDialer('127.0.0.1', interMissing.port, material).connect(), (e) => code(e) === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');

    const wrong = new TlsDialer('127.0.0.1', ok.port, { ...material, ca: pem('other') });
    await assert.rejects(wrong.connect(), (e) => code(e) === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    const d2 = new TlsDialer('127.0.0.1', bad.port, material);
    await assert.rejects(d2.connect(), (e) => code(e) === 'UNSUPPORTED_CERTIFICATE_PURPOSE');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(bad.got(), 0);
    // skip-verify: any server
    const skip = new TlsDialer('127.0.0.1', bad.port, { ...material, ca: undefined, skipVerify: true });
    (await skip.connect()).destroy();
  } finally {
    await ok.close();
    await bad.close();
    await viaInter.close();
    await interMissing.close();
  }
});
