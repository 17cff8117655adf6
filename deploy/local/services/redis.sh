# shellcheck shell=bash
# Redis: reuse one that already answers PING on $YJ_REDIS_PORT; otherwise start our own, with AOF
# (appendfsync everysec: BullMQ's delayed escalation jobs survive a crash or kill -9, issue #14 hole 7)
# and noeviction (BullMQ must never lose keys to eviction).
# Sourced by deploy/local/stack.sh after lib.sh. Defines redis_up, redis_down, redis_status.
#
# Only a Redis we started ($STACK_DIR/redis/started-by-us + pid file) is ever stopped by `down`.
# State: $STACK_DIR/redis/{redis.pid,started-by-us,redis.log}

REDIS_DIR="$STACK_DIR/redis"
REDIS_PID_FILE="$REDIS_DIR/redis.pid"
REDIS_OURS_FLAG="$REDIS_DIR/started-by-us"

redis_ping() { redis-cli -h "$YJ_STACK_HOST" -p "$YJ_REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

# Our Redis: flag file present, PID alive and it is a redis-server (its cmdline is rewritten by
# Redis itself, so we check the executable name instead of a marker).
redis_our_pid() {
  local pid
  [[ -f "$REDIS_OURS_FLAG" ]] || return 1
  pid="$(read_pid "$REDIS_PID_FILE")"
  [[ -n "$pid" ]] && pid_alive "$pid" && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == redis-server* ]] || return 1
  printf '%s' "$pid"
}

redis_up() {
  local pid
  if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    log redis "redis-server/redis-cli missing, installing with apt-get"
    apt-get install -y redis-server >/dev/null || die redis "apt-get install -y redis-server failed"
  fi
  if redis_ping; then
    if pid="$(redis_our_pid)"; then
      log redis "already running (ours, pid $pid) on $YJ_STACK_HOST:$YJ_REDIS_PORT, nothing to do"
    else
      log redis "using the Redis already answering PING on $YJ_STACK_HOST:$YJ_REDIS_PORT (not ours, left alone)"
      # Delayed escalation jobs live in Redis: without AOF a crash of that Redis loses them (issue #14 hole 7).
      if ! redis-cli -h "$YJ_STACK_HOST" -p "$YJ_REDIS_PORT" config get appendonly 2>/dev/null | grep -qx yes; then
        log redis "WARNING: that Redis runs without AOF (appendonly no): a crash loses pending escalations"
      fi
    fi
    return 0
  fi
  require_port_free redis "$YJ_STACK_HOST" "$YJ_REDIS_PORT"   # something answers but not PING
  mkdir -p "$REDIS_DIR"
  rm -f "$REDIS_PID_FILE"
  redis-server --daemonize yes --bind "$YJ_STACK_HOST" --port "$YJ_REDIS_PORT" \
    --save "" --appendonly yes --appendfsync everysec --dir "$REDIS_DIR" \
    --pidfile "$REDIS_PID_FILE" --logfile "$REDIS_DIR/redis.log" \
    --maxmemory "${YJ_REDIS_MAXMEMORY:-512mb}" --maxmemory-policy noeviction --protected-mode yes 9>&- \
    || { log_tail "$REDIS_DIR/redis.log"; die redis "redis-server failed to start"; }
  touch "$REDIS_OURS_FLAG"
  if ! wait_until 15 redis_ping; then
    log_tail "$REDIS_DIR/redis.log"
    die redis "started but PING fails on $YJ_STACK_HOST:$YJ_REDIS_PORT"
  fi
  log redis "started our own redis-server $(redis-server --version | awk '{print $3}') (pid $(read_pid "$REDIS_PID_FILE")) on $YJ_STACK_HOST:$YJ_REDIS_PORT"
}

redis_down() {
  local pid
  if pid="$(redis_our_pid)"; then
    stop_by_pid redis "$pid" 15
  else
    log redis "nothing of ours to stop (an external Redis, if any, is left running)"
  fi
  rm -f "$REDIS_OURS_FLAG" "$REDIS_PID_FILE"
}

redis_status() {
  local pid owner="external"
  pid="$(redis_our_pid)" && owner="ours, pid $pid"
  if redis_ping; then
    log redis "UP   $YJ_STACK_HOST:$YJ_REDIS_PORT ($owner)"
  else
    log redis "DOWN"; return 1
  fi
}
