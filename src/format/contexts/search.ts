/** docker/cli's searchContext. */
import { GoStruct, type GoValue } from '../template/values.js';
import { ellipsis } from '../humanize.js';
import type { ListFormat } from '../list.js';

export interface ApiSearchResult {
  name: string;
  description: string;
  star_count: number;
  is_official: boolean;
  is_automated: boolean;
}

export const SEARCH_FORMAT: ListFormat = {
  defaultTable: 'table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}',
  headers: { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL' },
};

/** docker 28's searchContext (IsAutomated is gone); its MarshalJSON turns the booleans into "true"/"false". */
export function searchContext(r: ApiSearchResult, trunc: boolean): GoStruct {
  let json = false;
  const bool = (b: boolean): string => (json ? String(b) : b ? '[OK]' : '');
  const m: Record<string, () => string> = {
    Name: () => r.name,
    Description: () => {
      const d = r.description.replace(/\n/g, ' ').replace(/\r/g, ' ');
      return trunc ? ellipsis(d, 45) : d;
    },
    StarCount: () => String(r.star_count),
    IsOfficial: () => bool(r.is_official),
  };
  return new GoStruct('*registry.searchContext', [], m as Record<string, () => GoValue>, () => {
    json = true;
    const j: Record<string, string> = {};
    for (const k of Object.keys(m).sort()) j[k] = m[k]();
    return j;
  });
}
