import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { naturalLess } from '../../format/contexts/volnet.js';
import { pluginContext, PLUGIN_FORMAT, type ApiPlugin } from '../../format/contexts/plugin.js';
import { listFormat, printList } from '../print-list.js';

export interface PluginLsOptions {
  filter: string[];
  format: string;
  noTrunc: boolean;
  quiet: boolean;
}

export const spec = dockerSpec<PluginLsOptions>('plugin ls', { aliases: ['list'], args: noArgs, run: runPluginLs });

export async function runPluginLs(cli: Cli, o: PluginLsOptions): Promise<void> {
  const engine = await cli.engine();
  const plugins = (await engine.json<ApiPlugin[] | null>({
    path: '/plugins',
    query: { filters: filtersQuery(o.filter) },
  })) ?? [];
  plugins.sort((a, b) => naturalLess(a.Name, b.Name));
  const configured = (cli.config.file as { pluginsFormat?: string }).pluginsFormat;
  printList(cli, listFormat(o.format, configured, o.quiet, '{{.ID}}'), plugins.map((p) => pluginContext(p, !o.noTrunc)), PLUGIN_FORMAT);
}
