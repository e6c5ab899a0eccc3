#!/usr/bin/env bash
# Idempotent setup of the local test engine: Debian's docker.io, busybox-static, docker-registry,
# apache2-utils; dockerd in the background; the busybox:latest fixture image; a registry with
# htpasswd auth on 127.0.0.1:5000. Safe to run again: it only does what is missing.
set -euo pipefail

SOCK=/var/run/docker.sock
STATE=${TDOCKER_ENGINE_STATE:-/var/lib/tdocker-test}
REG_PORT=5000
REG_USER=${TDOCKER_REG_USER:-testuser}
REG_PASS=${TDOCKER_REG_PASS:-testpassword}
log() { printf 'engine: %s\n' "$*" >&2; }

need_pkgs=()
command -v dockerd >/dev/null 2>&1 || need_pkgs+=(docker.io)
[ -x /bin/busybox ] && /bin/busybox --list >/dev/null 2>&1 && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || need_pkgs+=(busybox-static)
command -v docker-registry >/dev/null 2>&1 || [ -x /usr/bin/docker-registry ] || need_pkgs+=(docker-registry)
command -v htpasswd >/dev/null 2>&1 || need_pkgs+=(apache2-utils)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # The reference client lives in /usr/local/bin/docker; keep it (docker.io's client goes to /usr/bin).
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

engine_up() { curl -sf --max-time 2 --unix-socket "$SOCK" http://localhost/_ping >/dev/null 2>&1; }

if ! engine_up; then
  mkdir -p "$STATE"
  # containerd ships with docker.io; dockerd starts its own when none runs.
  log "starting dockerd"
  nohup dockerd --host "unix://$SOCK" >"$STATE/dockerd.log" 2>&1 &
  echo $! >"$STATE/dockerd.pid"
  for _ in $(seq 1 120); do engine_up && break; sleep 0.5; done
  engine_up || { log "dockerd did not answer; last log lines:"; tail -20 "$STATE/dockerd.log" >&2; exit 1; }
fi

api() { curl -sf --unix-socket "$SOCK" "http://localhost$1"; }

# busybox:latest: static busybox, a link for every applet, passwd/group with root and nobody.
if ! api /images/busybox:latest/json >/dev/null; then
  log "creating busybox:latest"
  root=$(mktemp -d)
  mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/root"
  cp /bin/busybox "$root/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"; done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  tar -C "$root" -cf "$root.tar" .
  curl -sf --unix-socket "$SOCK" -X POST -H 'Content-Type: application/x-tar' --data-binary "@$root.tar" \
    "http://localhost/images/create?fromSrc=-&repo=busybox&tag=latest&changes=$(printf 'CMD ["sh"]' | jq -sRr @uri 2>/dev/null || echo 'CMD%20%5B%22sh%22%5D')" >/dev/null
  rm -rf "$root" "$root.tar"
  api /images/busybox:latest/json >/dev/null || { log "busybox:latest import failed"; exit 1; }
fi

# Registry with htpasswd auth on 127.0.0.1:5000.
reg_up() { curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REG_PORT/v2/" 2>/dev/null | grep -q 401; }
if ! reg_up; then
  mkdir -p "$STATE/registry/data"
  htpasswd -Bbc "$STATE/registry/htpasswd" "$REG_USER" "$REG_PASS" >/dev/null 2>&1
  cat >"$STATE/registry/config.yml" <<YAML
version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: $STATE/registry/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$REG_PORT
auth:
  htpasswd:
    realm: tdocker-test
    path: $STATE/registry/htpasswd
YAML
  log "starting docker-registry on 127.0.0.1:$REG_PORT"
  reg_bin=$(command -v docker-registry || echo /usr/bin/docker-registry)
  nohup "$reg_bin" serve "$STATE/registry/config.yml" >"$STATE/registry.log" 2>&1 &
  echo $! >"$STATE/registry.pid"
  for _ in $(seq 1 60); do reg_up && break; sleep 0.5; done
  reg_up || { log "registry did not answer; last log lines:"; tail -20 "$STATE/registry.log" >&2; exit 1; }
fi
bash "$(dirname "$0")/setup/sshd.sh"  # the ssh:// tests run an sshd of their own
bash "$(dirname "$0")/setup/swarm-node.sh" install  # the two-node swarm tests start a second engine in a netns of their own
log "ready (engine at unix://$SOCK, registry at 127.0.0.1:$REG_PORT user $REG_USER)"
