/**
 * Validation against the Compose Specification's JSON schema (compose-spec.json, as compose-go ships
 * it), with compose-go's messages: the most specific error (deepest instance location, an unknown
 * property counting one deeper), its path joined with dots, and santhosh-tekuri/jsonschema's wording.
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from './compose-spec.json';

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  if (validator) return validator;
  const AjvCtor = ((Ajv2020 as any).default ?? Ajv2020) as typeof Ajv2020;
  const ajv = new AjvCtor({ allErrors: true, strict: false, validateFormats: true });
  ajv.addFormat('duration', /^[-+]?(\d+(\.\d*)?(ns|us|µs|ms|s|m|h))+$|^0$/);
  validator = ajv.compile(schema as object);
  return validator;
}

function humanType(want: string[]): string {
  const h = (t: string): string => (t === 'object' ? 'mapping' : t);
  if (want.length === 1) return h(want[0]);
  const w = want.map(h).sort();
  return `${w.slice(0, -1).join(', ')} or ${w[w.length - 1]}`;
}

function location(e: ErrorObject): string[] {
  return e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function specificity(e: ErrorObject): number {
  return location(e).length + (e.keyword === 'additionalProperties' ? 1 : 0);
}

const quote = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v));

function message(e: ErrorObject, all: ErrorObject[]): string {
  const path = location(e).join('.');
  const p = e.params as Record<string, any>;
  switch (e.keyword) {
    case 'type': {
      // ajv reports one error per alternative type of a oneOf; santhosh's names them all
      const wants = new Set<string>();
      for (const o of all) if (o.keyword === 'type' && o.instancePath === e.instancePath) for (const t of String((o.params as any).type).split(',')) wants.add(t);
      return `${path} must be a ${humanType([...wants])}`;
    }
    case 'minimum':
      return `${path} must be greater than or equal to ${p.limit}`;
    case 'maximum':
      return `${path} must be less than or equal to ${p.limit}`;
    case 'additionalProperties': {
      const extra = all.filter((o) => o.keyword === 'additionalProperties' && o.instancePath === e.instancePath).map((o) => `'${(o.params as any).additionalProperty}'`);
      return `${path} additional properties ${[...new Set(extra)].join(', ')} not allowed`;
    }
    case 'required':
      return `${path} missing property '${p.missingProperty}'`;
    case 'enum':
      return `${path} value must be one of ${(p.allowedValues as unknown[]).map(quote).join(', ')}`;
    case 'const':
      return `${path} value must be ${quote(p.allowedValue)}`;
    case 'pattern':
      return `${path} '${String(e.data)}' does not match pattern '${p.pattern}'`;
    case 'format':
      return `${path} '${String(e.data)}' is not valid '${p.format}'`;
    case 'minItems':
      return `${path} minItems: got ${Array.isArray(e.data) ? e.data.length : 0}, want ${p.limit}`;
    case 'maxItems':
      return `${path} maxItems: got ${Array.isArray(e.data) ? e.data.length : 0}, want ${p.limit}`;
    case 'uniqueItems':
      return `${path} items at index ${p.j} and ${p.i} are equal`;
    case 'minProperties':
      return `${path} minProperties: got ${e.data && typeof e.data === 'object' ? Object.keys(e.data).length : 0}, want ${p.limit}`;
    default:
      return `${path} ${e.message ?? 'is invalid'}`;
  }
}

/** Validate a (merged, interpolated) compose model; the message of the most specific violation, or undefined. */
export function validateSchema(model: unknown): string | undefined {
  const v = compile();
  if (v(model)) return undefined;
  const errors = (v.errors ?? []).filter((e) => !['oneOf', 'anyOf', 'allOf', 'if', 'not', '$ref'].includes(e.keyword));
  if (errors.length === 0) return `${location(v.errors![0]).join('.')} ${v.errors![0].message}`;
  let best = errors[0];
  for (const e of errors) if (specificity(e) > specificity(best)) best = e;
  return message(best, errors);
}
