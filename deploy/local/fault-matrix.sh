#!/usr/bin/env bash
# The whole fault matrix (test/fault/fault-matrix.fault.test.ts, docs/reliability.md): every row, on a
# stack of its own (state in .stack-faults/, every port moved to 2xxxx) so killing Kafka, QuestDB, Redis
# or Mosquitto never touches the stack other work runs on. The stack is stopped again at the end.
# Any YJ_*_PORT / YJ_STACK_DIR set by the caller wins; FAULT_MATRIX=kafka,redis runs a chosen few rows.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export YJ_STACK_DIR="${YJ_STACK_DIR:-$root/.stack-faults}"
export YJ_KAFKA_PORT="${YJ_KAFKA_PORT:-29092}" YJ_KAFKA_CONTROLLER_PORT="${YJ_KAFKA_CONTROLLER_PORT:-29093}"
export YJ_QUESTDB_HTTP_PORT="${YJ_QUESTDB_HTTP_PORT:-29000}" YJ_QUESTDB_MIN_HTTP_PORT="${YJ_QUESTDB_MIN_HTTP_PORT:-29003}"
export YJ_QUESTDB_PG_PORT="${YJ_QUESTDB_PG_PORT:-28812}" YJ_QUESTDB_ILP_PORT="${YJ_QUESTDB_ILP_PORT:-29009}"
export YJ_REDIS_PORT="${YJ_REDIS_PORT:-26379}"
export YJ_MQTT_PORT="${YJ_MQTT_PORT:-21884}" YJ_MQTT_SERVICE_PORT="${YJ_MQTT_SERVICE_PORT:-21885}"
# shellcheck disable=SC1091
source deploy/local/env.sh
export FAULT_MATRIX="${FAULT_MATRIX:-all}"

trap 'bash deploy/local/stack.sh down' EXIT
bash deploy/local/stack.sh up || exit 1
# The machine line for docs/reliability.md.
echo "machine: $(nproc) cores $(awk '/model name/{sub(/.*: /,"");print;exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/{print $2}') GB, Node $(node -v), load $(cut -d' ' -f1-3 /proc/loadavg)"
pnpm exec vitest run --project fault test/fault/fault-matrix.fault.test.ts
