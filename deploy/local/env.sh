#!/usr/bin/env bash
# Connection settings of the local stack, for tests and services.
#
#   source deploy/local/env.sh        # export them into the current shell
#   bash deploy/local/env.sh          # print them as `export NAME=value` lines
#   eval "$(bash deploy/local/env.sh)"
#
# Every port (and the bind host) can be overridden before calling, e.g. YJ_KAFKA_PORT=19092.
# deploy/local/stack.sh reads the same variables, so the stack and its clients always agree.
# No `set -e` here on purpose: this file is sourced into interactive shells.

# Node 24 LTS brought by deploy/local/ensure-node.sh, ahead of the machine's own Node.
_yj_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
case ":$PATH:" in *":$_yj_root/.tools/node/bin:"*) ;; *) export PATH="$_yj_root/.tools/node/bin:$PATH" ;; esac
unset _yj_root

YJ_STACK_HOST="${YJ_STACK_HOST:-127.0.0.1}"

YJ_KAFKA_PORT="${YJ_KAFKA_PORT:-9092}"
YJ_KAFKA_CONTROLLER_PORT="${YJ_KAFKA_CONTROLLER_PORT:-9093}"
YJ_QUESTDB_HTTP_PORT="${YJ_QUESTDB_HTTP_PORT:-9000}"
YJ_QUESTDB_MIN_HTTP_PORT="${YJ_QUESTDB_MIN_HTTP_PORT:-9003}"
YJ_QUESTDB_PG_PORT="${YJ_QUESTDB_PG_PORT:-8812}"
YJ_QUESTDB_ILP_PORT="${YJ_QUESTDB_ILP_PORT:-9009}"
YJ_REDIS_PORT="${YJ_REDIS_PORT:-6379}"
YJ_MQTT_PORT="${YJ_MQTT_PORT:-1884}"
# Mosquitto's second listener, for service accounts only (gateway-ingest, test observers):
# gateways cannot log in there, and on $YJ_MQTT_PORT their client id is their username.
YJ_MQTT_SERVICE_PORT="${YJ_MQTT_SERVICE_PORT:-$((YJ_MQTT_PORT + 1))}"

YJ_MQTT_SERVICE_USER="${YJ_MQTT_SERVICE_USER:-yujing-ingest}"
YJ_MQTT_SERVICE_PASSWORD="${YJ_MQTT_SERVICE_PASSWORD:-yujing-ingest-dev}"

KAFKA_BROKERS="$YJ_STACK_HOST:$YJ_KAFKA_PORT"
QUESTDB_HTTP="http://$YJ_STACK_HOST:$YJ_QUESTDB_HTTP_PORT"
QUESTDB_PG="postgres://admin:quest@$YJ_STACK_HOST:$YJ_QUESTDB_PG_PORT/qdb"
QUESTDB_ILP_TCP="$YJ_STACK_HOST:$YJ_QUESTDB_ILP_PORT"
REDIS_URL="redis://$YJ_STACK_HOST:$YJ_REDIS_PORT"
MQTT_URL="mqtt://$YJ_STACK_HOST:$YJ_MQTT_PORT"
MQTT_SERVICE_URL="mqtt://$YJ_STACK_HOST:$YJ_MQTT_SERVICE_PORT"

YJ_ENV_VARS=(
  YJ_STACK_HOST YJ_KAFKA_PORT YJ_KAFKA_CONTROLLER_PORT YJ_QUESTDB_HTTP_PORT YJ_QUESTDB_MIN_HTTP_PORT
  YJ_QUESTDB_PG_PORT YJ_QUESTDB_ILP_PORT YJ_REDIS_PORT YJ_MQTT_PORT YJ_MQTT_SERVICE_PORT
  KAFKA_BROKERS QUESTDB_HTTP QUESTDB_PG QUESTDB_ILP_TCP REDIS_URL MQTT_URL MQTT_SERVICE_URL
  YJ_MQTT_SERVICE_USER YJ_MQTT_SERVICE_PASSWORD
)
# shellcheck disable=SC2163
for _yj_v in "${YJ_ENV_VARS[@]}"; do export "$_yj_v"; done
unset _yj_v

# Executed rather than sourced: print the settings.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  for _yj_v in "${YJ_ENV_VARS[@]}"; do
    printf 'export %s=%q\n' "$_yj_v" "${!_yj_v}"
  done
fi
