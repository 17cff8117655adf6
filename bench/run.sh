#!/usr/bin/env bash
# `make bench`: every benchmark in bench/, each writing its table into bench/README.md.
# Needs the local stack (make stack-up) and the env of deploy/local/env.sh (make does both).
# The pipeline bench runs last and alone: it starts its own copies of the services.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# The pipeline bench's Kafka baseline uses kcat (Debian package); install it when missing.
if ! command -v kcat >/dev/null 2>&1; then
  echo "== installing kcat for the raw Kafka baseline"
  (apt-get install -y kcat >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y kcat >/dev/null 2>&1)) ||
    echo "kcat could not be installed: the pipeline bench reports its Kafka baseline as unavailable"
fi
for bench in bench/*.bench.ts; do
  [[ "$bench" == bench/pipeline.bench.ts ]] && continue
  echo "== $bench"
  pnpm exec tsx "$bench"
done
echo "== bench/pipeline.bench.ts"
pnpm exec tsx bench/pipeline.bench.ts
