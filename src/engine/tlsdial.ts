/**
 * TLS connections to a tcp:// engine whose authority is given (DOCKER_CERT_PATH/ca.pem, --tlscacert, a
 * context's ca.pem), verified as Go's crypto/x509 verifies them, in this process.
 *
 * Why not OpenSSL's verification: node 20 builds its whole bundled root store (~140 certificates
 * parsed) the first time a secure context is given a `ca` of its own, even though that store is not
 * used for it: 20-35 ms of a ~25 ms `docker ps`. Here the secure context holds no authority (an
 * empty `ca`, which costs nothing), OpenSSL's verdict is ignored, and the server's chain is checked
 * before the connection is handed to anyone, so no request byte is written to an unverified server:
 * the leaf's validity period, its name (IP SANs for an address, DNS SANs otherwise, never the common
 * name), a chain to the authority (issuer names, signatures, CA constraints, validity of each link)
 * and the server-auth extended key usage along it, in Go's order and with its texts.
 *
 * Endpoints without a given authority (system roots) keep node's own verification.
 */
import { connect, createSecureContext, type ConnectionOptions, type SecureContext, type TLSSocket } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import type { TlsMaterial } from '../cli/endpoint.js';
import { StatusError } from '../cli/errors.js';

/** A verification failure: `code` as node's own (src/engine/errors.ts words it as Go), `goText` Go's x509 text. */
export interface VerifyError extends Error {
  code: string;
  goText: string;
  cert?: { subjectaltname?: string };
}

function failure(code: string, goText: string, extra?: object): VerifyError {
  return Object.assign(new Error(goText), { code, goText }, extra) as VerifyError;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';

/** Go's time.RFC3339 in UTC, as x509's expiry detail prints it */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function validity(c: X509Certificate, now: Date): VerifyError | undefined {
  const from = new Date(c.validFrom);
  const to = new Date(c.validTo);
  if (now < from) return failure('CERT_NOT_YET_VALID', `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is before ${rfc3339(from)}`);
  if (now > to) return failure('CERT_HAS_EXPIRED', `x509: certificate has expired or is not yet valid: current time ${rfc3339(now)} is after ${rfc3339(to)}`);
  return undefined;
}

/** Go's Certificate.VerifyHostname: an address matches IP SANs only, a name DNS SANs only */
function hostname(leaf: X509Certificate, host: string): VerifyError | undefined {
  const ok = isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host, { subject: 'never', partialWildcards: false, multiLabelWildcards: false }) !== undefined;
  if (ok) return undefined;
  // the shape of node's ERR_TLS_CERT_ALTNAME_INVALID, which errors.ts turns into Go's text
  return failure('ERR_TLS_CERT_ALTNAME_INVALID', `Hostname/IP does not match certificate's altnames: Host: ${host}.`, { cert: { subjectaltname: leaf.subjectAltName ?? '' } });
}

/** Go's CheckSignatureFrom: only a CA certificate signs, and its signature must verify */
function signedBy(child: X509Certificate, parent: X509Certificate): boolean {
  if (!parent.ca) return false;
  if (!child.checkIssued(parent)) return false;
  try {
    return child.verify(parent.publicKey);
  } catch {
    return false;
  }
}

function ekuAllows(c: X509Certificate): boolean {
  const eku = c.keyUsage;
  return !eku || eku.length === 0 || eku.includes(ANY_EKU) || eku.includes(SERVER_AUTH);
}

/**
 * Verify a server's chain (leaf first, then what the server sent with it) against the authorities,
 * for `host` (the endpoint's host name or address), at `now`. Returns the failure, or undefined.
 */
export function verifyServerChain(chain: X509Certificate[], roots: X509Certificate[], host: string, now = new Date()): VerifyError | undefined {
  const leaf = chain[0];
  if (!leaf) return failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'x509: certificate signed by unknown authority');
  const bad = validity(leaf, now) ?? hostname(leaf, host);
  if (bad) return bad;
  const intermediates = chain.slice(1);
  const chains: X509Certificate[][] = [];
  let firstInvalid: VerifyError | undefined;
  const isRoot = (c: X509Certificate): boolean => roots.some((r) => r.raw.equals(c.raw));
  // depth-first, as Go's buildChains: roots first, then the intermediates, never a certificate twice
  const build = (path: X509Certificate[]): void => {
    if (chains.length > 0 || path.length > 10) return;
    const cur = path[path.length - 1];
    for (const [pool, root] of [[roots, true], [intermediates, false]] as const) {
      for (const cand of pool) {
        if (path.some((p) => p.raw.equals(cand.raw))) continue;
        if (!signedBy(cur, cand)) continue;
        const v = validity(cand, now);
        if (v) {
          firstInvalid ??= v;
          continue;
        }
        if (root) chains.push([...path, cand]);
        else build([...path, cand]);
        if (chains.length > 0) return;
      }
    }
  };
  if (isRoot(leaf)) chains.push([leaf]);
  else build([leaf]);
  if (chains.length === 0) return firstInvalid ?? failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'x509: certificate signed by unknown authority');
  if (!chains.some((c) => c.every(ekuAllows))) return failure('UNSUPPORTED_CERTIFICATE_PURPOSE', 'x509: certificate specifies an incompatible key usage');
  return undefined;
}

/**
 * The certificates a TLS server sent, its leaf first, through each one's issuerCertificate (node's
 * legacy getPeerCertificate() answers nothing once getPeerX509Certificate() was called).
 */
export function chainFrom(leaf: X509Certificate): X509Certificate[] {
  const out: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let c: X509Certificate | undefined = leaf; c && !seen.has(c.fingerprint256) && out.length < 16; c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(c);
  }
  return out;
}

/** The PEM blocks of an authority file as certificates (blocks that do not parse are skipped, as Go's AppendCertsFromPEM) */
export function parseRoots(pem: Buffer): X509Certificate[] {
  const out: X509Certificate[] = [];
  const re = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
  const text = pem.toString('latin1');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    try {
      out.push(new X509Certificate(m[0]));
    } catch {
      // skipped
    }
  }
  return out;
}

/**
 * Opens the TLS connections of one tcp:// engine: one secure context (certificate and key parsed
 * once), the last TLS session resumed by the next connection, the server verified as Go does when an
 * authority is given, by node otherwise (system roots), not at all with skip-verify.
 */
export class TlsDialer {
  readonly secureContext: SecureContext;
  private readonly roots?: X509Certificate[];
  private session?: Buffer;
  private readonly servername?: string;

  constructor(
    readonly host: string,
    readonly port: number,
    private readonly tls: TlsMaterial,
  ) {
    // our own verification needs an authority; without one (and verifying), node's roots are used
    const own = !!tls.ca && !tls.skipVerify;
    if (own) this.roots = parseRoots(tls.ca!);
    try {
      this.secureContext = createSecureContext({ ca: own || tls.skipVerify ? [] : tls.ca, cert: tls.cert && tls.key ? tls.cert : undefined, key: tls.cert && tls.key ? tls.key : undefined });
    } catch (e) {
      // what checkTlsMaterial let through and OpenSSL still refuses
      throw new StatusError(`Failed to initialize: failed to retrieve context tls info: ${(e as Error).message}`, 1);
    }
    this.servername = isIP(host) ? undefined : host;
  }

  /** A verified connection (rejects with node's error shapes, which errors.ts words as docker) */
  connect(extra: Partial<ConnectionOptions> & { allowHalfOpen?: boolean } = {}): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const s = connect({
        host: this.host,
        port: this.port,
        servername: this.servername,
        secureContext: this.secureContext,
        session: this.session,
        // ours (roots) or none (skip-verify) make OpenSSL's verdict irrelevant
        rejectUnauthorized: !this.roots && !this.tls.skipVerify,
        // Go's net.Dialer sets TCP_NODELAY
        noDelay: true,
        ...extra,
      } as ConnectionOptions);
      // a session is kept for the next connection only once its server is verified (a resumed session skips it)
      let verified = false;
      let pending: Buffer | undefined;
      s.on('session', (sess: Buffer) => {
        if (verified) this.session = sess;
        else pending = sess;
      });
      const onError = (e: Error): void => reject(e);
      s.once('error', onError);
      s.once('secureConnect', () => {
        s.off('error', onError);
        if (this.roots && !s.isSessionReused()) {
          let bad: Error | undefined;
          try {
            // the leaf alone first (signed by the authority itself, the usual case), then with the
            // intermediates the server sent
            const leaf = s.getPeerX509Certificate();
            bad = verifyServerChain(leaf ? [leaf] : [], this.roots, this.host);
            if (leaf && (bad as VerifyError | undefined)?.code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') bad = verifyServerChain(chainFrom(leaf), this.roots, this.host);
          } catch (e) {
            bad = e as Error;
          }
          if (bad) {
            s.destroy();
            reject(bad);
            return;
          }
        }
        verified = true;
        if (pending) this.session = pending;
        resolve(s);
      });
    });
  }
}
