// TEMPORARY STUB written by the lead so the skeleton builds; the template engine's author replaces
// this whole file with the real implementation (same API).
import type { GoValue, GoMethod } from './values.js';
export interface TemplateOptions { missingKeyError?: boolean; funcs?: Record<string, GoMethod> }
export class TemplateError extends Error {}
export class Template { constructor(readonly text: string) {} execute(_data: GoValue): string { throw new TemplateError('template engine not built yet'); } }
export function parseTemplate(text: string, _opts?: TemplateOptions): Template { return new Template(text); }
export function formatValue(v: GoValue): string { return String(v); }
export function sprintf(format: string, ..._args: GoValue[]): string { return format; }
export function marshalJSON(v: GoValue): string { return JSON.stringify(v); }
