/**
 * Image references as docker parses them (distribution/reference): normalisation to
 * docker.io/library/NAME:latest, familiar names back, and docker's error texts.
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const NAME = `(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(${NAME})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const ANCHORED_ID = /^[a-f0-9]{64}$/;

export const DEFAULT_DOMAIN = 'docker.io';

export class ReferenceError extends Error {}

export interface Reference {
  /** docker.io/library/busybox */
  name: string;
  domain: string;
  /** library/busybox */
  path: string;
  tag?: string;
  digest?: string;
}

function splitDomain(name: string): [string, string] {
  const i = name.indexOf('/');
  let domain: string;
  let rest: string;
  if (i === -1 || (!/[.:]/.test(name.slice(0, i)) && name.slice(0, i) !== 'localhost' && name.slice(0, i).toLowerCase() === name.slice(0, i))) {
    domain = DEFAULT_DOMAIN;
    rest = name;
  } else {
    domain = name.slice(0, i);
    rest = name.slice(i + 1);
  }
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !rest.includes('/')) rest = 'library/' + rest;
  return [domain, rest];
}

/** reference.ParseNormalizedNamed */
export function parseNormalized(s: string): Reference {
  if (ANCHORED_ID.test(s)) throw new ReferenceError(`invalid repository name (${s}), cannot specify 64-byte hexadecimal strings`);
  const [domain, rest] = splitDomain(s);
  const restName = rest.split(/[:@]/)[0];
  if (restName.toLowerCase() !== restName) throw new ReferenceError(`invalid reference format: repository name (${restName}) must be lowercase`);
  const m = REFERENCE.exec(`${domain}/${rest}`);
  if (!m) throw new ReferenceError('invalid reference format');
  const name = m[1];
  if (name.length > 255) throw new ReferenceError('invalid reference format: repository name must not be more than 255 characters');
  return { name, domain, path: name.slice(domain.length + 1), tag: m[2], digest: m[3] };
}

/** The name as users write it: busybox, user/img, 127.0.0.1:5000/x */
export function familiarName(r: Reference): string {
  if (r.domain !== DEFAULT_DOMAIN) return r.name;
  return r.path.startsWith('library/') && r.path.split('/').length === 2 ? r.path.slice('library/'.length) : r.path;
}

/** Familiar name with tag and digest, e.g. busybox:latest */
export function familiarString(r: Reference): string {
  return familiarName(r) + (r.tag ? `:${r.tag}` : '') + (r.digest ? `@${r.digest}` : '');
}

/** Add :latest when there is neither tag nor digest (reference.TagNameOnly). */
export function withDefaultTag(r: Reference): Reference {
  return r.tag || r.digest ? r : { ...r, tag: 'latest' };
}

/** repo and tag of a "repo[:tag]" argument (commit, tag), as docker sends them to the engine. */
export function splitRepoTag(s: string): { repo: string; tag?: string } | Error {
  try {
    const r = parseNormalized(s);
    if (r.digest) return new Error('refusing to create a tag with a digest reference');
    return { repo: familiarName(r), tag: r.tag };
  } catch (e) {
    return e as Error;
  }
}

/** The repo and tag parameters of an optional "repo[:tag]" argument (commit, import): none without it. */
export function optionalRepoTag(ref: string | undefined): { repo?: string; tag?: string } | Error {
  return ref ? splitRepoTag(ref) : {};
}

/**
 * The reference of a pull or push, as docker resolves it: the lowercase rule and its errors, no tag
 * with --all-tags, and :latest added (reported unless quiet) when neither a tag nor a digest is given.
 */
export function pushPullReference(name: string, allTags: boolean): { ref: Reference; defaulted: boolean } | Error {
  let ref: Reference;
  try {
    ref = parseNormalized(name);
  } catch (e) {
    return e as Error;
  }
  if (allTags && (ref.tag || ref.digest)) return new Error("tag can't be used with --all-tags/-a");
  if (!allTags && !ref.tag && !ref.digest) return { ref: { ...ref, tag: 'latest' }, defaulted: true };
  return { ref, defaulted: false };
}
