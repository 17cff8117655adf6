#!/usr/bin/env bash
# `make demo` (after `make install`): the whole system with simulated gateways and a live
# terminal view of alarms rising, escalating, being delivered and clearing.
#
#   1-3. deploy/local/services.sh up: publishes the fixture registry (20 Shanxi enterprises) to
#        yj.registry.v1 and syncs Mosquitto's passwd/ACL with the fleet's gateways (publish-registry.sh,
#        the step `make up` shares), then every service, each waited for on /readyz
#   4. the regulator simulator (signed webhooks on 127.0.0.1:9811), the duty people's chat robots
#      (DingTalk/WeCom on 127.0.0.1:9812, docs/notifications.md) and the gateway simulator
#      (every gateway over MQTT, a scenario every YJ_DEMO_SCENARIO_EVERY, default 60s)
#   5. the web console URL, an operator token, the API docs URL, then `yujing watch alarms` in the foreground
# Ctrl-C stops everything this script started: simulators, the services it brought up, and the
# stack if it was not already running before.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# shellcheck source=services-env.sh
source "$LOCAL_DIR/services-env.sh"

RUN_DIR="${YJ_RUN_DIR:-$REPO_ROOT/.run}"
DELIVERIES="$RUN_DIR/regulator-deliveries.jsonl"
SIMULATORS=(regulator-simulator duty-robot-receiver gateway-simulator hazard-walkthrough)
STARTED_SERVICES=()
STARTED_STACK=false
cd "$REPO_ROOT"
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/pids"

# The built CLI (make install); the registry is published by services.sh up (publish-registry.sh).
cli() { node "$REPO_ROOT/packages/cli/bin/yujing.mjs" "$@"; }
sim_pid() { our_pid "$RUN_DIR/pids/$1.pid" "yj-$1"; }

cleanup() {
  local s pid
  trap - EXIT
  # A second Ctrl-C, a closed terminal (SIGHUP) or pipe (SIGPIPE on our own output) must not cut the clean-up short.
  trap '' INT TERM PIPE HUP
  # Nor may a failed write (the terminal or a pipe is gone) under set -e: stop everything regardless.
  set +e
  echo
  for s in "${SIMULATORS[@]}"; do
    if pid="$(sim_pid "$s")"; then stop_by_pid "$s" "$pid" 15 || true; fi
    rm -f "$RUN_DIR/pids/$s.pid"
  done
  if (( ${#STARTED_SERVICES[@]} )); then
    bash "$LOCAL_DIR/services.sh" down "${STARTED_SERVICES[@]}" || true
  fi
  if [[ "$STARTED_STACK" == true ]]; then
    bash "$LOCAL_DIR/stack.sh" down || true
    log demo "stopped everything the demo started, the stack included"
  else
    log demo "stopped what the demo started; the stack was already up and keeps running (make stack-down stops it)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
trap 'exit 129' HUP

# start_sim <name> <entry.ts> [VAR=value...]: a simulator in the background, by PID, logs in .run/logs.
start_sim() {
  local name="$1" entry="$2"
  shift 2
  if sim_pid "$name" >/dev/null; then die demo "$name is already running (pid file $RUN_DIR/pids/$name.pid)"; fi
  start_detached "$RUN_DIR/pids/$name.pid" "$RUN_DIR/logs/$name.log" \
    env "$@" node "--title=yj-$name" --import tsx "$entry" || die "$name" "could not start"
  log "$name" "started pid $(read_pid "$RUN_DIR/pids/$name.pid"), log $RUN_DIR/logs/$name.log"
}

if ! bash "$LOCAL_DIR/stack.sh" status >/dev/null 2>&1; then
  STARTED_STACK=true
  bash "$LOCAL_DIR/stack.sh" up
fi
# services-env.sh namespaces queues by the Kafka cluster id, known once the stack is up.
# shellcheck source=services-env.sh
source "$LOCAL_DIR/services-env.sh"

mapfile -t before < <(bash "$LOCAL_DIR/services.sh" started)
bash "$LOCAL_DIR/services.sh" up
while read -r s; do
  [[ " ${before[*]} " == *" $s "* ]] || STARTED_SERVICES+=("$s")
done < <(bash "$LOCAL_DIR/services.sh" started)

start_sim regulator-simulator simulators/regulator/src/main.ts \
  REGULATOR_RECORD_FILE="$DELIVERIES" REGULATOR_PRINT=false
wait_until 30 curl -fs -o /dev/null http://127.0.0.1:9811/healthz \
  || { log_tail "$RUN_DIR/logs/regulator-simulator.log"; die demo "regulator simulator not listening on 9811"; }
# The duty people's DingTalk/WeCom robots (fixture people.yaml): their messages join the same record file.
start_sim duty-robot-receiver simulators/regulator/src/duty-robot-main.ts \
  DUTY_ROBOT_RECORD_FILE="$DELIVERIES" DUTY_ROBOT_PRINT=true
wait_until 30 curl -fs -o /dev/null http://127.0.0.1:9812/healthz \
  || { log_tail "$RUN_DIR/logs/duty-robot-receiver.log"; die demo "duty robot receiver not listening on 9812"; }
start_sim gateway-simulator simulators/gateway/src/main.ts \
  SIM_TRANSPORT=mqtt SIM_SCENARIOS="${YJ_DEMO_SCENARIOS:-all}" SIM_SCENARIO_EVERY="${YJ_DEMO_SCENARIO_EVERY:-60s}" \
  SIM_FIRST_SCENARIO_AFTER="${YJ_DEMO_FIRST_SCENARIO_AFTER:-20s}" SIM_TICK_MS="${YJ_DEMO_TICK_MS:-2000}"

TOKEN="$(cli token mint --role operator --scope province:140000 --name demo-operator --ttl 12h)"
# One 重大事故隐患 through its whole life (docs/hazards.md): from the first alarm of 140108ST01, promoted by the
# operator, confirmed by 尖草坪区, planned and rectified by the enterprise, verified by 太原市; a step every 20 s.
start_sim hazard-walkthrough simulators/regulator/src/hazard-walkthrough-main.ts \
  OPERATOR_API="http://127.0.0.1:${YJ_OPERATOR_API_PORT:-8080}" HAZARD_ENTERPRISE=140108ST01 \
  TOKEN_OPERATOR="$TOKEN" \
  TOKEN_COUNTY="$(cli token mint --role regulator --scope county:140108 --name demo-jiancaoping --ttl 12h)" \
  TOKEN_ENTERPRISE="$(cli token mint --role enterprise --scope enterprise:140108ST01 --name demo-enterprise --ttl 12h)" \
  TOKEN_CITY="$(cli token mint --role regulator --scope city:140100 --name demo-taiyuan --ttl 12h)"
cat <<EOM

  yujing is running.
    web console:          http://127.0.0.1:${YJ_CONSOLE_PORT:-8090}/  (演示登录: pick 省级监测中心值班员)
    API docs (OpenAPI):   http://127.0.0.1:${YJ_OPERATOR_API_PORT:-8080}/docs
    live alarms (SSE):    curl -N -H "Authorization: Bearer \$TOKEN" http://127.0.0.1:${YJ_OPERATOR_API_PORT:-8080}/api/v1/stream/alarms
    operator token:       $RUN_DIR/demo-token (province 140000, 12 h)
    logs:                 $RUN_DIR/logs/   webhook and duty-robot deliveries: $DELIVERIES
    duty robot messages:  $RUN_DIR/logs/duty-robot-receiver.log (钉钉/企业微信 → people on duty)
    hazard walkthrough:   $RUN_DIR/logs/hazard-walkthrough.log (one 重大事故隐患: reported → confirmed → rectifying → rectified → closed)
  The first scenario starts in ${YJ_DEMO_FIRST_SCENARIO_AFTER:-20s}, then one every ${YJ_DEMO_SCENARIO_EVERY:-60s}. Ctrl-C stops the demo.

EOM
( umask 077; printf '%s\n' "$TOKEN" >"$RUN_DIR/demo-token" )
cli watch alarms --token "$TOKEN" --deliveries "$DELIVERIES" || true
