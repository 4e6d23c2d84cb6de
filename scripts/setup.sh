#!/usr/bin/env bash
# Installs what smurf-ocs needs on a fresh Debian machine with Node >= 20, idempotently:
# system tools the agents and tests drive for real (rsync, OpenSSH client and server),
# pnpm, and the workspace's npm dependencies (native addons build from source).
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

need_apt=()
command -v rsync >/dev/null 2>&1 || need_apt+=(rsync)
command -v ssh >/dev/null 2>&1 || need_apt+=(openssh-client)
[ -x /usr/sbin/sshd ] || need_apt+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || need_apt+=(openssh-client)
command -v make >/dev/null 2>&1 || need_apt+=(make)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v python3 >/dev/null 2>&1 || need_apt+=(python3)
# Real Python WAMP peers (autobahn-python, the library OCS agents and OCSClient run on) for the
# interoperability tests; Debian's python3 is used (/usr/bin/python3), not any pyenv on PATH.
/usr/bin/python3 -c 'import autobahn, twisted, msgpack, cbor2' >/dev/null 2>&1 \
  || need_apt+=(python3 python3-autobahn python3-twisted python3-msgpack python3-cbor2)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_apt[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# sshd refuses to start without its privilege-separation directory.
[ -d /run/sshd ] || $SUDO mkdir -p /run/sshd

if ! command -v pnpm >/dev/null 2>&1; then
  echo "setup: installing pnpm"
  $SUDO npm install -g pnpm@9.15.9 >/dev/null 2>&1
fi

echo "setup: installing workspace dependencies"
if [ "${CI:-}" = "true" ]; then
  pnpm install --frozen-lockfile --reporter=append-only 2>&1 | grep -vE '^\.\.\./' | tail -n 20
else
  pnpm install --reporter=append-only 2>&1 | grep -vE '^\.\.\./' | tail -n 20
fi
