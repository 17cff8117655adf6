#!/usr/bin/env bash
# Publishes a registry to yj.registry.v1 and syncs Mosquitto's passwd/ACL with its gateways
# (additive: other accounts are kept), so the gateways can log in to the broker and the services
# accept their tokens. Without this a freshly started system refuses every gateway.
#
# Usage: deploy/local/publish-registry.sh [dir]   (default: YJ_REGISTRY_DIR, else the fixture fleet
#        simulators/fixtures/registry). Idempotent: only changed entities are published.
# One step shared by `make up` (deploy/local/services.sh up) and `make demo`. Needs the stack up
# and the CLI built (`make install`).
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# shellcheck source=services-env.sh
source "$LOCAL_DIR/services-env.sh"

cd "$REPO_ROOT"
REGISTRY_DIR="${1:-${YJ_REGISTRY_DIR:-$REPO_ROOT/simulators/fixtures/registry}}"
cli() { node "$REPO_ROOT/packages/cli/bin/yujing.mjs" "$@"; }

log registry "publishing $REGISTRY_DIR to ${TOPIC_PREFIX}yj.registry.v1"
cli registry publish "$REGISTRY_DIR" || die registry "could not publish $REGISTRY_DIR (see above)"
log registry "syncing Mosquitto's accounts with the registry's gateways"
cli broker-auth sync --registry-dir "$REGISTRY_DIR" --additive \
  || die registry "could not sync Mosquitto's passwd/ACL (see above)"
