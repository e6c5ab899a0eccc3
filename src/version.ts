/** The docker CLI release whose behaviour tdocker reproduces, and tdocker's own version. */
export const DOCKER_COMPAT_VERSION = '28.2.2';
export const TDOCKER_VERSION = '0.1.0';
/** What `tdocker --version` prints: docker's shape, tdocker's build. */
export const VERSION_LINE = `Docker version ${DOCKER_COMPAT_VERSION}, build tdocker-${TDOCKER_VERSION}`;
