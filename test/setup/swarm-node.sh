#!/usr/bin/env bash
# A second engine for the two-node swarm tests, in a network namespace of its own (tdswarm) reached
# over a veth pair with private addresses (host side 10.231.77.1, namespace side 10.231.77.2).
# It has its own --data-root, --exec-root, --pidfile, socket and cgroup parent; it is entered with
# `nsenter --net=` (never `ip netns exec`, which remounts /sys and hides the cgroup mounts).
#
#   swarm-node.sh install   install what it needs (iproute2, util-linux) — called by test/engine.sh
#   swarm-node.sh up        create the namespace, start the engine, load busybox:latest into it
#   swarm-node.sh down      stop the engine (by its pid file), remove the namespace and its files
#   swarm-node.sh restart   stop and start the engine (its state kept: a locked swarm stays locked)
#   swarm-node.sh status    "up" or "down"
# Idempotent: `up` twice or `down` twice is harmless. Prints the engine's socket on `up`.
# TDSWARM_NS, TDSWARM_BASE, TDSWARM_CGROUP and TDSWARM_HOSTNAME name another such engine; TDSWARM_LINK=0 gives it no veth
# pair (a one-node swarm of its own, beside the two-node tests' engine).
set -euo pipefail

NS=${TDSWARM_NS:-tdswarm}
HOST_IF=tdsw0
NS_IF=tdsw1
HOST_ADDR=10.231.77.1
NS_ADDR=10.231.77.2
BASE=${TDSWARM_BASE:-/tmp/tdswarm-node}
SOCK=$BASE/docker.sock
PIDFILE=$BASE/docker.pid
MAIN=${TDSWARM_MAIN_HOST:-unix:///var/run/docker.sock}
CGROUP=${TDSWARM_CGROUP:-tdswarm}
LINK=${TDSWARM_LINK:-1}

log() { printf 'swarm-node: %s\n' "$*" >&2; }

install() {
  command -v ip >/dev/null && command -v nsenter >/dev/null && return 0
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 util-linux >/dev/null
}

running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

start_engine() {
  if ! running; then
    # its own UTS namespace too, so that the node has a name of its own in `node ls`
    nsenter --net=/var/run/netns/"$NS" unshare --uts sh -c 'hostname "$0" && exec "$@"' "${TDSWARM_HOSTNAME:-tdswarm-worker}" dockerd \
      --data-root "$BASE/data" --exec-root "$BASE/exec" --pidfile "$PIDFILE" \
      -H "unix://$SOCK" --cgroup-parent "/$CGROUP" --iptables=true \
      >> "$BASE/dockerd.log" 2>&1 &
    for _ in $(seq 300); do
      docker -H "unix://$SOCK" version >/dev/null 2>&1 && break
      sleep 0.2
    done
    docker -H "unix://$SOCK" version >/dev/null 2>&1 || { log "the engine did not come up: $(tail -5 "$BASE/dockerd.log")"; exit 1; }
  fi
}

stop_engine() {
  running || return 0
  local pid
  pid=$(cat "$PIDFILE")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
}

up() {
  install
  mkdir -p "$BASE"
  if ! ip netns list | grep -qw "$NS"; then ip netns add "$NS"; fi
  if [ "$LINK" = 1 ]; then
    if ! ip link show "$HOST_IF" >/dev/null 2>&1; then
      ip link add "$HOST_IF" type veth peer name "$NS_IF"
      ip link set "$NS_IF" netns "$NS"
    fi
    ip addr replace "$HOST_ADDR/30" dev "$HOST_IF"
    ip link set "$HOST_IF" up
    nsenter --net=/var/run/netns/"$NS" ip addr replace "$NS_ADDR/30" dev "$NS_IF"
    nsenter --net=/var/run/netns/"$NS" ip link set "$NS_IF" up
  fi
  nsenter --net=/var/run/netns/"$NS" ip link set lo up
  start_engine
  if ! docker -H "unix://$SOCK" image inspect busybox:latest >/dev/null 2>&1; then
    docker -H "$MAIN" save busybox:latest | docker -H "unix://$SOCK" load -q >/dev/null
  fi
  echo "unix://$SOCK"
}

down() {
  if running; then
    docker -H "unix://$SOCK" swarm leave --force >/dev/null 2>&1 || true
    docker -H "unix://$SOCK" ps -aq | xargs -r docker -H "unix://$SOCK" rm -f >/dev/null 2>&1 || true
    stop_engine
  fi
  # the managed containerd of that engine (its own pid file under the exec root)
  local cpid=$BASE/exec/containerd/containerd.pid
  if [ -f "$cpid" ] && kill -0 "$(cat "$cpid")" 2>/dev/null; then
    kill -TERM "$(cat "$cpid")" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$(cat "$cpid")" 2>/dev/null || break; sleep 0.1; done
  fi
  if ip netns list | grep -qw "$NS"; then ip netns del "$NS"; fi
  if [ "$LINK" = 1 ]; then ip link del "$HOST_IF" 2>/dev/null || true; fi
  # its cgroup parent, in every hierarchy (empty once its containers are gone)
  for d in /sys/fs/cgroup/*/"$CGROUP" /sys/fs/cgroup/"$CGROUP"; do
    [ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  if [ -d "$BASE" ]; then
    # nothing may stay mounted under the data root before it is removed
    grep -o " $BASE[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
    rm -rf "$BASE"
  fi
}

case "${1:-}" in
  install) install ;;
  up) up ;;
  down) down ;;
  restart) stop_engine; start_engine ;;
  status) if running; then echo up; else echo down; fi ;;
  *) echo "usage: $0 install|up|down|status" >&2; exit 2 ;;
esac
