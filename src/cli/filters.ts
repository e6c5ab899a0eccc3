/** docker's --filter values: "key=value", gathered into the engine's filters map {key: {value: true}}. */
export function parseFilters(values: string[]): Record<string, Record<string, boolean>> {
  const out: Record<string, Record<string, boolean>> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    const key = v.slice(0, i).trim().toLowerCase();
    const val = v.slice(i + 1).trim();
    (out[key] ??= {})[val] = true;
  }
  return out;
}

/** Flag-time check, with docker's message: bad format of filter (expected name=value) */
parseFilters.check = (v: string): string => {
  if (!v.includes('=')) throw new Error('bad format of filter (expected name=value)');
  return v;
};

/** The `filters` query parameter of a request: the values as the engine's JSON map, none without any. */
export function filtersQuery(values: string[]): string | undefined {
  return values.length ? JSON.stringify(parseFilters(values)) : undefined;
}
