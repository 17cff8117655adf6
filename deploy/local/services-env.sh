# shellcheck shell=bash
# Environment of yujing's services on the local stack: sourced by services.sh and demo.sh after
# env.sh. DEV-ONLY defaults; every value can be overridden from the calling shell.

# Shared by operator-api (verifies) and `yujing token mint` (signs): HS256, at least 32 chars.
export JWT_SECRET="${JWT_SECRET:-yujing-local-dev-jwt-secret-NOT-FOR-PRODUCTION}"
# The local stack and `make demo` are development: operator-api accepts the dev JWT secret above only
# then (it refuses every committed dev secret in production), and webhooks may be plain http.
export NODE_ENV="${NODE_ENV:-development}"
# The web console (services/console) forwards /api to operator-api and, on this dev-only stack,
# offers the demo personas sign-in (accepted only with NODE_ENV=development above; docs/console.md).
export OPERATOR_API_URL="${OPERATOR_API_URL:-http://127.0.0.1:${YJ_OPERATOR_API_PORT:-8080}}"
export CONSOLE_DEV_SIGN_IN="${CONSOLE_DEV_SIGN_IN:-true}"
# The regulator simulator listens on 127.0.0.1: the dispatcher's SSRF guard must allow loopback here.
export ALLOW_PRIVATE_WEBHOOK_TARGETS="${ALLOW_PRIVATE_WEBHOOK_TARGETS:-true}"
# One-time acknowledge links in people's messages (docs/notifications.md): the dispatcher signs, operator-api
# verifies with the same key; the console link in messages points at the local console.
export NOTIFY_ACK_LINK_SECRET="${NOTIFY_ACK_LINK_SECRET:-yujing-local-dev-ack-link-secret-NOT-FOR-PRODUCTION}"
export ACK_LINK_SECRET="${ACK_LINK_SECRET:-$NOTIFY_ACK_LINK_SECRET}"
export NOTIFY_ACK_BASE_URL="${NOTIFY_ACK_BASE_URL:-http://127.0.0.1:${YJ_OPERATOR_API_PORT:-8080}}"
export NOTIFY_CONSOLE_BASE_URL="${NOTIFY_CONSOLE_BASE_URL:-http://127.0.0.1:${YJ_CONSOLE_PORT:-8090}}"
# gateway-ingest's MQTT service account (the one stack.sh bootstraps in Mosquitto).
export MQTT_USERNAME="${MQTT_USERNAME:-$YJ_MQTT_SERVICE_USER}"
export MQTT_PASSWORD="${MQTT_PASSWORD:-$YJ_MQTT_SERVICE_PASSWORD}"
# '' = the real topic names (tests and benches set their own prefix).
export TOPIC_PREFIX="${TOPIC_PREFIX:-}"
# BullMQ queues and dispatcher state live in the machine's shared Redis, which outlives a local Kafka
# (a fresh clone formats a new cluster). Namespacing them by the Kafka cluster id keeps escalation
# jobs of another cluster's alarms from firing reminders into this one.
# A QUEUE_PREFIX set by the caller (even empty) wins; before the stack exists it stays unset.
if [[ -z "${QUEUE_PREFIX+set}" && -f "$REPO_ROOT/.stack/kafka/cluster.id" ]]; then
  export QUEUE_PREFIX="k$(head -c 8 "$REPO_ROOT/.stack/kafka/cluster.id" | tr -c 'A-Za-z0-9' 'x')-"
fi

# Each service's HTTP port (its /healthz, /readyz, /metrics; the API and ingest serve there too):
# <service> <env var the service reads> <port>. DESIGN §9: operator-api 8080, gateway-ingest 8081.
YJ_SERVICE_PORTS=(
  "store-writer OPS_PORT ${YJ_STORE_WRITER_PORT:-9104}"
  "rules-worker OPS_PORT ${YJ_RULES_WORKER_PORT:-9103}"
  "alert-dispatcher OPS_PORT ${YJ_ALERT_DISPATCHER_PORT:-9105}"
  "kafka-ingest OPS_PORT ${YJ_KAFKA_INGEST_PORT:-8082}"
  "gateway-ingest HTTP_PORT ${YJ_GATEWAY_INGEST_PORT:-8081}"
  "operator-api PORT ${YJ_OPERATOR_API_PORT:-8080}"
  "console PORT ${YJ_CONSOLE_PORT:-8090}"
)
