import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { formatFlag } from '../../cli/flagdefs.js';
import { StatusError } from '../../cli/errors.js';
import { runtimeInfo } from '../../cli/runtime.js';
import { infoTemplate, infoText, InfoTemplateError } from '../../format/info.js';
import { CLIENT_API_VERSION_DEFAULT } from '../../format/version.js';
import { DOCKER_COMPAT_VERSION, TDOCKER_VERSION } from '../../version.js';

export interface InfoOptions {
  format: string;
}

export const spec = {
  name: 'info',
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  args: noArgs,
  flags: [formatFlag()],
  run: runInfo,
};

export async function runInfo(cli: Cli, opts: InfoOptions): Promise<void> {
  const client = {
    context: cli.endpoint.context,
    debug: cli.debug,
    version: {
      Version: DOCKER_COMPAT_VERSION, ApiVersion: CLIENT_API_VERSION_DEFAULT, DefaultAPIVersion: CLIENT_API_VERSION_DEFAULT,
      GitCommit: `tdocker-${TDOCKER_VERSION}`, GoVersion: runtimeInfo.goVersion, Os: runtimeInfo.os, Arch: runtimeInfo.arch, BuildTime: '', Context: cli.endpoint.context,
    },
  };
  let info: Record<string, unknown> | undefined;
  let failure: unknown;
  try {
    const engine = await cli.engine();
    info = await engine.json<Record<string, unknown>>({ path: '/info' });
  } catch (e) {
    failure = e;
  }
  if (opts.format) {
    if (!info) throw failure;
    try {
      cli.print(infoTemplate(info, client, opts.format));
    } catch (e) {
      if (!(e instanceof InfoTemplateError)) throw e;
      if (!e.parse) cli.print('\n');
      throw new StatusError(e.message, e.parse ? 64 : 1);
    }
    return;
  }
  const { out, err } = infoText(info, client);
  cli.print(out);
  if (err) cli.warn(err);
  if (failure !== undefined) throw failure;
}
