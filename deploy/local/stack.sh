#!/usr/bin/env bash
# yujing local service stack without Docker: Kafka (KRaft) and QuestDB as JVM processes from
# Maven Central jars, Redis (reused if one answers), and yujing's own Mosquitto (auth + ACL).
#
# Usage: deploy/local/stack.sh <command> [service...]
#   up [svc...]            start (default: all); already running -> no-op; waits until ready
#   down [svc...]          stop what we started (default: all), by PID: SIGTERM, deadline, SIGKILL
#   status [svc...]        one line per service; exit 1 if any is not up
#   start <svc...>         = up <svc...>        (fault tests: data is kept)
#   stop <svc...>          = down <svc...>      (fault tests: data is kept)
#   restart <svc...>       stop then start
#   bounce <svc> <secs>    stop, sleep <secs>, start (e.g. bounce questdb 10)
#   kill <svc...>          SIGKILL by PID, no shutdown (fault matrix: a crash); data is kept
#   mosquitto-reload       SIGHUP our broker after passwd/acl were regenerated
#   env                    print the connection env vars (same as deploy/local/env.sh)
# Services: kafka questdb redis mosquitto. State, caches and logs: <repo>/.stack/ (git-ignored).
# See deploy/local/README.md.
set -euo pipefail

# shellcheck source=lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"
for _svc_file in "$LOCAL_DIR"/services/*.sh; do
  # shellcheck disable=SC1090
  source "$_svc_file"
done

ALL_SERVICES=(redis mosquitto kafka questdb)      # start order; stop order is the reverse

usage() { sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }

# Validate service names; print them (all services if none given).
services_or_all() {
  if (( $# == 0 )); then printf '%s\n' "${ALL_SERVICES[@]}"; return; fi
  local s
  for s in "$@"; do
    case "$s" in
      kafka|questdb|redis|mosquitto) printf '%s\n' "$s" ;;
      *) die stack "unknown service '$s' (expected: ${ALL_SERVICES[*]})" ;;
    esac
  done
}

# One `up`/`down` at a time per .stack directory (several engineers share the tree).
take_lock() {
  mkdir -p "$STACK_DIR"
  exec 9>"$STACK_DIR/.lock"
  flock -n 9 && return 0
  log stack "waiting for another stack.sh to finish (lock $STACK_DIR/.lock, up to 300 s)"
  if ! flock -w 300 9; then
    die stack "another stack.sh holds $STACK_DIR/.lock for more than 300 s"
  fi
}

cmd_up() {
  local svcs s start=$SECONDS
  services_or_all "$@" >/dev/null          # validates names (dies on a typo)
  mapfile -t svcs < <(services_or_all "$@")
  take_lock
  log stack "up: ${svcs[*]} (state in $STACK_DIR)"
  for s in "${svcs[@]}"; do "${s}_up"; done
  log stack "up done in $((SECONDS - start))s; connection settings: bash $LOCAL_DIR/env.sh"
}

cmd_down() {
  local svcs=() s i pid
  services_or_all "$@" >/dev/null          # validates names (dies on a typo)
  mapfile -t svcs < <(services_or_all "$@")
  take_lock
  for ((i = ${#svcs[@]} - 1; i >= 0; i--)); do "${svcs[i]}_down"; done
  # Full `down`: also stop any JVM of ours whose PID file was lost (safety net, still by PID).
  if (( $# == 0 )); then
    for pid in $(stray_jvms); do
      warn stack "JVM pid $pid of this stack had no PID file; stopping it"
      stop_by_pid stack "$pid" 30
    done
  fi
}

cmd_status() {
  local svcs s rc=0
  services_or_all "$@" >/dev/null          # validates names (dies on a typo)
  mapfile -t svcs < <(services_or_all "$@")
  for s in "${svcs[@]}"; do "${s}_status" || rc=1; done
  return "$rc"
}

# The PID of our running process of one service (nothing and rc 1 if none of ours runs).
service_pid() {
  case "$1" in
    kafka) kafka_pid ;;
    questdb) questdb_pid ;;
    redis) redis_our_pid ;;
    mosquitto) mosquitto_pid ;;
  esac
}

# A crash on purpose: SIGKILL, no graceful shutdown; `start` brings it back on the same data.
cmd_kill() {
  local svcs s pid
  (( $# )) || die stack "usage: stack.sh kill <service...>"
  services_or_all "$@" >/dev/null          # validates names (dies on a typo)
  mapfile -t svcs < <(services_or_all "$@")
  take_lock
  for s in "${svcs[@]}"; do
    if pid="$(service_pid "$s")"; then
      kill_by_pid "$s" "$pid"
    else
      die "$s" "no process of ours to kill (an external $s is never touched)"
    fi
  done
}

main() {
  local cmd="${1:-}"
  (( $# )) && shift
  case "$cmd" in
    up|start)         cmd_up "$@" ;;
    down|stop)        cmd_down "$@" ;;
    status)           cmd_status "$@" ;;
    restart)          cmd_down "$@"; cmd_up "$@" ;;
    bounce)
      (( $# == 2 )) && [[ "$2" =~ ^[0-9]+$ ]] || die stack "usage: stack.sh bounce <service> <seconds>"
      services_or_all "$1" >/dev/null
      cmd_down "$1"
      log stack "$1 stays down for $2 s"
      sleep "$2"
      cmd_up "$1" ;;
    kill)             cmd_kill "$@" ;;
    mosquitto-reload) mosquitto_reload ;;
    env)              bash "$LOCAL_DIR/env.sh" ;;
    -h|--help|help)   usage 0 ;;
    *)                usage 1 >&2 ;;
  esac
}

main "$@"
