#!/usr/bin/env bash
# yujing's services in the background on the local stack (make up / make down / make demo).
#
# Usage: deploy/local/services.sh <command> [service...]
#   up [svc...]      publish the registry first (publish-registry.sh: the fixture fleet, or
#                    YJ_REGISTRY_DIR; YJ_PUBLISH_REGISTRY=false skips it), then start (default: every
#                    services/*/src/main.ts), each with `node --import tsx src/main.ts`, env from env.sh +
#                    services-env.sh; waits for each /readyz (deadline YJ_SERVICE_READY_TIMEOUT,
#                    default 120 s) and fails loudly with the log tail
#   down [svc...]    stop by PID (SIGTERM, deadline, SIGKILL), in reverse order
#   status [svc...]  one line per service; exit 1 if any is not ready
#   started          the services that are running (one per line)
# Logs: <repo>/.run/logs/<svc>.log; PIDs: <repo>/.run/pids/<svc>.pid (both git-ignored).
# The stack (Kafka, QuestDB, Redis, Mosquitto) must be up: deploy/local/stack.sh up.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
# shellcheck source=services-env.sh
source "$LOCAL_DIR/services-env.sh"

RUN_DIR="${YJ_RUN_DIR:-$REPO_ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
READY_TIMEOUT="${YJ_SERVICE_READY_TIMEOUT:-120}"

usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

# Services in start order (consumers and storage before the edges that feed them).
known_services() {
  local entry name
  for entry in "${YJ_SERVICE_PORTS[@]}"; do
    name="${entry%% *}"
    [[ -f "$REPO_ROOT/services/$name/src/main.ts" ]] && printf '%s\n' "$name"
  done
  return 0
}

services_or_all() {
  if (( $# == 0 )); then known_services; return; fi
  local s
  for s in "$@"; do
    known_services | grep -qx -- "$s" || die services "unknown service '$s' (have: $(known_services | tr '\n' ' '))"
    printf '%s\n' "$s"
  done
}

port_var_of() { local e; for e in "${YJ_SERVICE_PORTS[@]}"; do [[ "${e%% *}" == "$1" ]] && { set -- $e; printf '%s' "$2"; return; }; done; }
port_of() { local e; for e in "${YJ_SERVICE_PORTS[@]}"; do [[ "${e%% *}" == "$1" ]] && { set -- $e; printf '%s' "$3"; return; }; done; }

# The process title marks the process as ours (guards against a recycled PID).
# (node's --title may rewrite /proc/<pid>/cmdline to the bare title, so match the title itself).
marker_of() { printf 'yj-svc-%s' "$1"; }
# Env a service gets on top of env.sh/services-env.sh: gateway-ingest speaks to Mosquitto's
# service-accounts listener (MQTT_URL in env.sh is the gateways' one, for the simulators).
extra_env_of() { [[ "$1" == gateway-ingest ]] && printf 'MQTT_URL=%s' "$MQTT_SERVICE_URL"; return 0; }
svc_pid() { our_pid "$PID_DIR/$1.pid" "$(marker_of "$1")"; }

readyz_ok() { curl -fs -m 2 -o /dev/null "http://$YJ_STACK_HOST:$(port_of "$1")/readyz" 2>/dev/null; }

# The console serves its Vite build (services/console/dist, git-ignored): build it before it starts.
build_console_assets() {
  log console "building the web app (vite build → services/console/dist)"
  (cd "$REPO_ROOT/services/console" && node node_modules/vite/bin/vite.js build --config web/vite.config.ts --logLevel warn) \
    || die console "vite build failed"
}

svc_up() {
  local svc="$1" pid port logfile start=$SECONDS
  port="$(port_of "$svc")"
  logfile="$LOG_DIR/$svc.log"
  if [[ "$svc" == console ]] && ! svc_pid "$svc" >/dev/null; then build_console_assets; fi
  if pid="$(svc_pid "$svc")"; then
    log "$svc" "already running (pid $pid), port $port"
  else
    require_port_free "$svc" "$YJ_STACK_HOST" "$port"
    printf '\n===== %s start =====\n' "$(date -Is)" >>"$logfile"
    # env: everything exported by env.sh/services-env.sh plus this service's port variable.
    start_detached "$PID_DIR/$svc.pid" "$logfile" \
      env "$(port_var_of "$svc")=$port" $(extra_env_of "$svc") bash -c 'cd "$0" && exec node "$1" --import tsx src/main.ts' \
      "$REPO_ROOT/services/$svc" "--title=$(marker_of "$svc")" \
      || die "$svc" "could not start (no PID file)"
    pid="$(read_pid "$PID_DIR/$svc.pid")"
    log "$svc" "started pid $pid, port $port, log $logfile"
  fi
  until readyz_ok "$svc"; do
    if ! pid_alive "$pid"; then
      log_tail "$logfile"
      die "$svc" "exited before it was ready (see $logfile)"
    fi
    if (( SECONDS - start >= READY_TIMEOUT )); then
      log_tail "$logfile"
      die "$svc" "not ready after ${READY_TIMEOUT}s: http://$YJ_STACK_HOST:$port/readyz (pid $pid still running; see $logfile)"
    fi
    sleep 1
  done
  log "$svc" "ready after $((SECONDS - start))s: http://$YJ_STACK_HOST:$port/readyz"
}

svc_down() {
  local svc="$1" pid
  if pid="$(svc_pid "$svc")"; then
    stop_by_pid "$svc" "$pid" 30
  else
    log "$svc" "not running"
  fi
  rm -f "$PID_DIR/$svc.pid"
}

svc_status() {
  local svc="$1" pid
  if pid="$(svc_pid "$svc")"; then
    if readyz_ok "$svc"; then log "$svc" "READY pid $pid, http://$YJ_STACK_HOST:$(port_of "$svc")"; return 0; fi
    log "$svc" "NOT READY pid $pid, http://$YJ_STACK_HOST:$(port_of "$svc")/readyz fails"; return 1
  fi
  log "$svc" "DOWN"; return 1
}

main() {
  local cmd="${1:-}" svcs=() s i rc=0
  (( $# )) && shift
  mkdir -p "$LOG_DIR" "$PID_DIR"
  case "$cmd" in
    up)
      command -v curl >/dev/null || die services "curl is needed for the /readyz checks"
      mapfile -t svcs < <(services_or_all "$@")
      (( ${#svcs[@]} )) || die services "no service has a src/main.ts yet"
      # Without a registry every gateway is refused (unknown token, no broker account).
      if [[ "${YJ_PUBLISH_REGISTRY:-true}" != false ]]; then bash "$LOCAL_DIR/publish-registry.sh"; fi
      for s in "${svcs[@]}"; do svc_up "$s"; done ;;
    down)
      mapfile -t svcs < <(services_or_all "$@")
      for ((i = ${#svcs[@]} - 1; i >= 0; i--)); do svc_down "${svcs[i]}"; done ;;
    status)
      mapfile -t svcs < <(services_or_all "$@")
      for s in "${svcs[@]}"; do svc_status "$s" || rc=1; done
      return "$rc" ;;
    started)
      for s in $(known_services); do svc_pid "$s" >/dev/null && printf '%s\n' "$s"; done
      return 0 ;;
    -h|--help|help) usage 0 ;;
    *) usage 1 >&2 ;;
  esac
}

main "$@"
