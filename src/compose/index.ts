/**
 * The Compose loader as a library: `loadProject(options)` → a normalized `Project` (services with
 * canonical long forms, networks, volumes, secrets, configs with their engine names, `deploy:` and
 * `x-` extensions kept). Used by `compose` and `stack deploy`; no engine here.
 */
export { loadProject, findConfigFiles, normalizeProjectName, dependencyOrder, selectServices, ComposeError, DEFAULT_FILES } from './loader.js';
export type { LoadOptions, Project, Service } from './loader.js';
export { substitute, MissingRequiredError, InvalidTemplateError } from './template.js';
export { parseDotEnv } from './dotenv.js';
export { validateSchema } from './schema.js';
export { mergeYaml } from './merge.js';
export { parsePort, parseVolume, toMapping } from './canonical.js';
export type { PortConfig, VolumeConfig } from './canonical.js';
export { serviceHash, serviceHashJson, networkHash, networkHashJson, volumeHash, volumeHashJson, goJsonString } from './hash.js';
export type { HashOptions } from './hash.js';
