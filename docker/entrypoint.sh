#!/bin/sh
# Maps an agent name to its built entry point. Environment variables INSTANCE_ID, SITE_HUB,
# SITE_HTTP, SITE_HOST, CROSSBAR_TIMEOUT and LOGLEVEL work as with ocs-agent-cli.
set -e
name="$1"; shift || true
case "$name" in
  ocs-router)             exec node /app/packages/ocs-router/dist/bin/ocs-router.js "$@" ;;
  ocs-client)             exec node /app/packages/ocs-agent-core/dist/bin/ocs-client.js "$@" ;;
  suprsync-agent)         exec node /app/packages/suprsync/dist/bin/suprsync-agent.js "$@" ;;
  suprsync)               exec node /app/packages/suprsync/dist/bin/suprsync.js "$@" ;;
  smurf-recorder)         exec node /app/packages/smurf-recorder/dist/bin/smurf-recorder.js "$@" ;;
  smurf-stream-simulator) exec node /app/packages/smurf-stream-simulator/dist/bin/smurf-stream-simulator.js "$@" ;;
  g3)                     exec node /app/packages/g3-frame/dist/bin/g3.js "$@" ;;
  *) echo "usage: smurf-ocs <ocs-router|ocs-client|suprsync-agent|suprsync|smurf-recorder|smurf-stream-simulator|g3> [args]" >&2; exit 2 ;;
esac
