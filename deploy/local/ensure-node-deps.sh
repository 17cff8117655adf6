#!/usr/bin/env bash
# Installs the pinned pnpm (from package.json "packageManager") if it is missing or another
# version, then the workspace dependencies from the lockfile. Safe to run repeatedly.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash "$root/deploy/local/ensure-node.sh"
export PATH="$root/.tools/node/bin:$PATH"
want="$(node -p "require('./package.json').packageManager.split('@')[1]")"
have="$(pnpm --version 2>/dev/null || true)"
if [[ "$have" != "$want" ]]; then
  echo "install: pnpm $want (found '${have:-none}')"
  # Not corepack: its signature check fails against this machine's registry mirror and leaves a
  # broken /usr/bin/pnpm shim behind. Remove such a shim (from an earlier attempt), then use npm.
  corepack disable pnpm >/dev/null 2>&1 || true
  npm install -g "pnpm@$want" >/dev/null
fi
if [[ -n "${CI:-}" || ! -d node_modules/.pnpm ]]; then
  pnpm install --frozen-lockfile --reporter=append-only
else
  pnpm install --frozen-lockfile --reporter=silent
fi
# The `yujing` CLI runs from its built bundle (packages/cli/dist, git-ignored), not through tsx.
pnpm --filter @yujing/cli run -s build
