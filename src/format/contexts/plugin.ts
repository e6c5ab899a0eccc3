/** docker/cli's plugin formatter (cli/command/plugin/formatter.go). */
import { GoStruct, type GoValue } from '../template/values.js';
import { ellipsis, truncateId } from '../humanize.js';
import type { ListFormat } from '../list.js';

export interface ApiPlugin {
  Id: string;
  Name: string;
  Enabled: boolean;
  PluginReference?: string;
  Config?: { Description?: string };
}

export const PLUGIN_FORMAT: ListFormat = {
  defaultTable: 'table {{.ID}}\t{{.Name}}\t{{.Description}}\t{{.Enabled}}',
  quiet: '{{.ID}}',
  raw: 'plugin_id: {{.ID}}\\nname: {{.Name}}\\ndescription: {{.Description}}\\nenabled: {{.Enabled}}\\n',
  rawQuiet: 'plugin_id: {{.ID}}',
  headers: { ID: 'ID', Name: 'NAME', Description: 'DESCRIPTION', Enabled: 'ENABLED', PluginReference: 'IMAGE' },
};

export function pluginContext(p: ApiPlugin, trunc: boolean): GoStruct {
  const m: Record<string, () => GoValue> = {
    ID: () => (trunc ? truncateId(p.Id) : p.Id),
    Name: () => p.Name,
    Description: () => {
      const d = (p.Config?.Description ?? '').replace(/\n/g, '').replace(/\r/g, '');
      return trunc ? ellipsis(d, 45) : d;
    },
    Enabled: () => p.Enabled,
    PluginReference: () => p.PluginReference ?? '',
  };
  return new GoStruct('*plugin.pluginContext', [], m, () => {
    const j: Record<string, GoValue> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}
