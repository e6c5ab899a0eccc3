import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Cli } from '../../cli/cli.js';
import { noArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { displayJSONMessages } from '../../stream/progress.js';
import { durationFlag, externalCAFlag, readPemFile } from './common.js';
import { mergeCAFlags } from './update.js';

export interface SwarmCAOptions {
  caCert: string;
  caKey: string;
  certExpiry: string;
  detach: boolean;
  externalCa: Record<string, unknown>[];
  quiet: boolean;
  rotate: boolean;
}

export const spec = dockerSpec<SwarmCAOptions>('swarm ca', {
  args: noArgs,
  flags: { 'external-ca': externalCAFlag, 'cert-expiry': durationFlag, 'ca-cert': { parse: readPemFile }, 'ca-key': { parse: readPemFile } },
  run: runSwarmCA,
});

const CERTS = '  rotated TLS certificates';
const ROOTS = '  rotated CA certificates';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function trustRoot(sw: any): string {
  const root = sw.ClusterInfo?.TLSInfo?.TrustRoot ?? sw.TLSInfo?.TrustRoot ?? '';
  if (!root) throw new StatusError('No CA information available', 1);
  return root.trim() + '\n';
}

export async function runSwarmCA(cli: Cli, o: SwarmCAOptions, _a: string[], inv: Invocation): Promise<void> {
  const engine = await cli.engine();
  const sw = await engine.json<any>({ path: '/swarm' });
  if (!o.rotate) {
    for (const [k, f] of [['caCert', 'ca-cert'], ['caKey', 'ca-key'], ['certExpiry', 'cert-expiry'], ['externalCa', 'external-ca']]) {
      if (inv.changed.has(k)) throw new StatusError(`\`--${f}\` flag requires the \`--rotate\` flag to update the CA`, 1);
    }
    cli.print(trustRoot(sw));
    return;
  }
  if (inv.changed.has('externalCa') && o.externalCa.length > 0 && !inv.changed.has('caCert')) {
    throw new StatusError("rotating to an external CA requires the `--ca-cert` flag to specify the external CA's cert - to add an external CA with the current root CA certificate, use the `update` command instead", 1);
  }
  if (inv.changed.has('caCert') && o.externalCa.length === 0 && !inv.changed.has('caKey')) {
    throw new StatusError('the --ca-cert flag requires that a --ca-key flag and/or --external-ca flag be provided as well', 1);
  }
  const caCert = o.caCert || '';
  const caKey = o.caKey || '';
  mergeCAFlags(sw.Spec, o, inv.changed, caCert);
  sw.Spec.CAConfig.SigningCACert = caCert || undefined;
  sw.Spec.CAConfig.SigningCAKey = caKey || undefined;
  if (!caKey && !caCert) sw.Spec.CAConfig.ForceRotate = (sw.Spec.CAConfig.ForceRotate ?? 0) + 1;
  await engine.json({ method: 'POST', path: '/swarm/update', query: { version: sw.Version.Index, rotateWorkerToken: 'false', rotateManagerToken: 'false', rotateManagerUnlockKey: 'false' }, body: sw.Spec });
  if (o.detach) return;

  // progress.RootRotationProgress, rendered by docker's jsonmessage display (or discarded with -q)
  const pipe = new PassThrough();
  const shown = o.quiet ? Promise.resolve() : displayJSONMessages(pipe, cli.out.stream, { isTerminal: cli.out.isTTY, width: cli.out.columns });
  const send = (m: object): void => {
    pipe.write(JSON.stringify(m) + '\n');
  };
  send({ status: '', progressDetail: {}, id: 'desired root digest' });
  send({ status: '', progressDetail: {}, id: CERTS });
  send({ status: ' ', progressDetail: {}, id: ROOTS });
  let done = false;
  for (;;) {
    const info = await engine.json<any>({ path: '/swarm' });
    if (done) break;
    const nodes = (await engine.json<any[]>({ path: '/nodes' })) ?? [];
    const tls = info.ClusterInfo?.TLSInfo ?? info.TLSInfo ?? {};
    send({ status: 'sha256:' + createHash('sha256').update(tls.TrustRoot ?? '').digest('hex'), progressDetail: {}, id: 'desired root digest' });
    let certs = 0;
    let roots = 0;
    for (const n of nodes) {
      const t = n.Description?.TLSInfo ?? {};
      if ((t.CertIssuerPublicKey ?? '') === (tls.CertIssuerPublicKey ?? '') && (t.CertIssuerSubject ?? '') === (tls.CertIssuerSubject ?? '')) certs++;
      if (t.TrustRoot === tls.TrustRoot) roots++;
    }
    const total = nodes.length;
    send({ status: '', progressDetail: { current: certs, total, units: 'nodes' }, id: CERTS });
    if (certs === total && !info.ClusterInfo?.RootRotationInProgress) {
      send({ status: ' ', progressDetail: { current: roots, total, units: 'nodes' }, id: ROOTS });
      done = certs === total && roots === total;
    } else {
      send({ status: ' ', progressDetail: { current: 0, total, units: 'nodes' }, id: ROOTS });
      done = false;
    }
    await sleep(200);
  }
  pipe.end();
  await shown;
  if (o.quiet) return;
  cli.print(trustRoot(await engine.json<any>({ path: '/swarm' })));
}
