import type { Cli } from '../../cli/cli.js';
import { noArgs, type CommandSpec } from '../../cli/command.js';
import { formatFlag } from '../../cli/flagdefs.js';
import { StatusError } from '../../cli/errors.js';
import { ansicDate, CLIENT_API_VERSION_DEFAULT, versionInfo, renderVersion, VersionTemplateError, type ServerVersion } from '../../format/version.js';
import { runtimeInfo } from '../../cli/runtime.js';
import { DOCKER_COMPAT_VERSION, TDOCKER_VERSION } from '../../version.js';

export interface VersionOptions {
  format: string;
}

export const spec: CommandSpec<VersionOptions> = {
  name: 'version',
  usage: '[OPTIONS]',
  short: 'Show the Docker version information',
  args: noArgs,
  flags: [formatFlag()],
  run: runVersion,
};

export async function runVersion(cli: Cli, opts: VersionOptions): Promise<void> {
  const client = {
    Version: DOCKER_COMPAT_VERSION,
    ApiVersion: CLIENT_API_VERSION_DEFAULT,
    DefaultAPIVersion: CLIENT_API_VERSION_DEFAULT,
    GitCommit: `tdocker-${TDOCKER_VERSION}`,
    GoVersion: runtimeInfo.goVersion,
    Os: runtimeInfo.os,
    Arch: runtimeInfo.arch,
    // docker shows its build time as time.ANSIC (reformatDate)
    BuildTime: runtimeInfo.buildTime ? ansicDate(runtimeInfo.buildTime) : '',
    Context: cli.endpoint.context,
  };
  let server: ServerVersion | undefined;
  let failure: unknown;
  try {
    const engine = await cli.engine();
    client.ApiVersion = engine.apiVersion;
    server = await engine.json<ServerVersion>({ path: '/version' });
  } catch (e) {
    failure = e;
  }
  try {
    cli.print(renderVersion(versionInfo(client, server), opts.format));
  } catch (e) {
    if (!(e instanceof VersionTemplateError)) throw e;
    cli.print(e.partial);
    // docker reports the template's failure only when the engine answered
    if (failure === undefined) throw e;
    throw failure;
  }
  if (failure !== undefined) {
    if (failure instanceof StatusError) throw new StatusError('\n' + failure.message, failure.status);
    throw failure;
  }
}
