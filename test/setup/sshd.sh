#!/usr/bin/env bash
# The ssh:// tests start an sshd of their own on 127.0.0.1 (own host key, config and client keys in a
# temporary directory) and stop it when they end: this installs the OpenSSH server they run.
# Idempotent; the system's own ssh service is left stopped.
set -euo pipefail
if ! [ -x /usr/sbin/sshd ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
  # the package starts the system sshd: the tests do not need it
  (systemctl disable --now ssh >/dev/null 2>&1 || service ssh stop >/dev/null 2>&1 || true)
fi
mkdir -p /run/sshd
chmod 0755 /run/sshd
