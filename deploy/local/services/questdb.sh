# shellcheck shell=bash
# QuestDB from the Maven Central jar (org.questdb:questdb; natives are embedded in the jar).
# Sourced by deploy/local/stack.sh after lib.sh. Defines questdb_up, questdb_down, questdb_status.
#
# Version choice (made once, remembered in $STACK_DIR/questdb/version):
#   1. YJ_QUESTDB_VERSION (default 9.4.3) on Java 25 (QuestDB >= 9.4 needs Java 25);
#   2. if Maven cannot resolve it, YJ_QUESTDB_FALLBACK_VERSION (default 9.3.4, the newest 9.3.x
#      on Central when this was written) on Java 17.
# Delete $STACK_DIR/questdb/libs to choose again.
#
# State: $STACK_DIR/questdb/{libs,version,questdb.pid,tmp,root/{conf,db,log,public},stdout.log}

QUESTDB_WANTED="${YJ_QUESTDB_VERSION:-9.4.3}"
QUESTDB_FALLBACK="${YJ_QUESTDB_FALLBACK_VERSION:-9.3.4}"
QUESTDB_DIR="$STACK_DIR/questdb"
QUESTDB_LIBS="$QUESTDB_DIR/libs"
QUESTDB_ROOT="$QUESTDB_DIR/root"
QUESTDB_PID_FILE="$QUESTDB_DIR/questdb.pid"
QUESTDB_STDOUT="$QUESTDB_DIR/stdout.log"
QUESTDB_MARKER="-Dyujing.stack.service=questdb"
QUESTDB_READY_DEADLINE="${YJ_QUESTDB_READY_DEADLINE:-90}"

questdb_pid() { our_pid "$QUESTDB_PID_FILE" "$QUESTDB_MARKER -Dyujing.stack.dir=$STACK_DIR"; }

questdb_ready() {
  curl -fsS --max-time 3 "http://$YJ_STACK_HOST:$YJ_QUESTDB_HTTP_PORT/exec?query=SELECT%201"
}

# "9.4.3" -> true if major.minor >= 9.4 (needs Java 25)
questdb_needs_java25() {
  local major minor
  IFS=. read -r major minor _ <<<"$1"
  (( major > 9 || (major == 9 && minor >= 4) ))
}

questdb_java_home() {
  if questdb_needs_java25 "$1"; then printf '%s' "$JAVA25_HOME"; else printf '%s' "$JAVA17_HOME"; fi
}

# Resolve the jar once; prints nothing, sets QUESTDB_VERSION.
questdb_resolve() {
  local v
  if [[ -s "$QUESTDB_DIR/version" ]]; then
    v="$(<"$QUESTDB_DIR/version")"
    if [[ -f "$QUESTDB_LIBS/questdb-$v.jar" ]]; then
      QUESTDB_VERSION="$v"
      return 0
    fi
  fi
  rm -rf "$QUESTDB_LIBS"
  for v in "$QUESTDB_WANTED" "$QUESTDB_FALLBACK"; do
    if questdb_needs_java25 "$v" && [[ ! -x "$JAVA25_HOME/bin/java" ]]; then
      warn questdb "QuestDB $v needs Java 25, none at $JAVA25_HOME (YJ_JAVA25_HOME); skipping it"
      continue
    fi
    log questdb "resolving org.questdb:questdb:$v from Maven"
    # -U: retry even if an earlier miss for this version is cached in ~/.m2
    if mvn_copy_runtime "$LOCAL_DIR/questdb/pom.xml" "$QUESTDB_LIBS" -U -Dquestdb.version="$v" \
        >"$QUESTDB_DIR/resolve.log" 2>&1 && [[ -f "$QUESTDB_LIBS/questdb-$v.jar" ]]; then
      printf '%s\n' "$v" >"$QUESTDB_DIR/version"
      QUESTDB_VERSION="$v"
      return 0
    fi
    warn questdb "org.questdb:questdb:$v could not be resolved:" \
      "$(grep -m1 -E 'ERROR' "$QUESTDB_DIR/resolve.log" | cut -c1-300)"
    rm -rf "$QUESTDB_LIBS"
  done
  die questdb "no QuestDB version could be resolved (tried $QUESTDB_WANTED, $QUESTDB_FALLBACK); see $QUESTDB_DIR/resolve.log"
}

# server.conf is written before the first start only; QuestDB keeps it afterwards.
# Ports come from env at every start anyway (QDB_* env vars win over server.conf).
questdb_write_config() {
  mkdir -p "$QUESTDB_ROOT/conf" "$QUESTDB_DIR/tmp"
  [[ -f "$QUESTDB_ROOT/conf/server.conf" ]] && return 0
  cat >"$QUESTDB_ROOT/conf/server.conf" <<EOF
# Written by deploy/local/stack.sh before the first start (small machine, loopback only).
# Ports are also passed as QDB_* environment variables at each start, which win over this file.
http.net.bind.to=$YJ_STACK_HOST:$YJ_QUESTDB_HTTP_PORT
http.min.net.bind.to=$YJ_STACK_HOST:$YJ_QUESTDB_MIN_HTTP_PORT
pg.net.bind.to=$YJ_STACK_HOST:$YJ_QUESTDB_PG_PORT
line.tcp.net.bind.to=$YJ_STACK_HOST:$YJ_QUESTDB_ILP_PORT
line.udp.enabled=false
telemetry.enabled=false
http.min.worker.count=1
shared.network.worker.count=2
shared.query.worker.count=2
shared.write.worker.count=2
cairo.o3.column.memory.size=128K
cairo.writer.data.append.page.size=128K
EOF
}

questdb_up() {
  local pid java_home
  local -a jvm_opts
  if pid="$(questdb_pid)"; then
    if our_listener questdb "$pid" "$YJ_STACK_HOST" "$YJ_QUESTDB_HTTP_PORT" && questdb_ready >/dev/null 2>&1; then
      log questdb "already running (pid $pid) on $YJ_STACK_HOST:$YJ_QUESTDB_HTTP_PORT, nothing to do"
      return 0
    fi
    log questdb "our process (pid $pid) is running but not ready yet, waiting"
  else
    rm -f "$QUESTDB_PID_FILE"
    local port
    for port in "$YJ_QUESTDB_HTTP_PORT" "$YJ_QUESTDB_MIN_HTTP_PORT" "$YJ_QUESTDB_PG_PORT" "$YJ_QUESTDB_ILP_PORT"; do
      require_port_free questdb "$YJ_STACK_HOST" "$port"
    done
    mkdir -p "$QUESTDB_DIR"
    questdb_resolve
    java_home="$(questdb_java_home "$QUESTDB_VERSION")"
    [[ -x "$java_home/bin/java" ]] || die questdb "no java at $java_home for QuestDB $QUESTDB_VERSION"
    questdb_write_config

    jvm_opts=("$QUESTDB_MARKER" "-Dyujing.stack.dir=$STACK_DIR"
      -Xms128m "-Xmx${YJ_QUESTDB_HEAP:-768m}" -XX:+UseParallelGC -ea -Dnoebug
      "-Djava.io.tmpdir=$QUESTDB_DIR/tmp"
      --add-exports=java.base/jdk.internal.math=io.questdb)
    if questdb_needs_java25 "$QUESTDB_VERSION"; then
      # Java 25 / QuestDB >= 9.4: jdk.internal.vm export is mandatory (continuations).
      jvm_opts+=(--add-exports=java.base/jdk.internal.vm=io.questdb
        --sun-misc-unsafe-memory-access=allow --enable-native-access=io.questdb
        --add-opens=java.base/java.lang=io.questdb --add-opens=java.base/java.lang.reflect=io.questdb
        --add-opens=java.base/java.nio=io.questdb --add-opens=java.base/java.time.zone=io.questdb)
    fi
    printf '\n===== %s start =====\n' "$(date -Is)" >>"$QUESTDB_STDOUT"
    # QDB_* env vars override server.conf, so port overrides apply even after the first start.
    QDB_HTTP_NET_BIND_TO="$YJ_STACK_HOST:$YJ_QUESTDB_HTTP_PORT" \
    QDB_HTTP_MIN_NET_BIND_TO="$YJ_STACK_HOST:$YJ_QUESTDB_MIN_HTTP_PORT" \
    QDB_PG_NET_BIND_TO="$YJ_STACK_HOST:$YJ_QUESTDB_PG_PORT" \
    QDB_LINE_TCP_NET_BIND_TO="$YJ_STACK_HOST:$YJ_QUESTDB_ILP_PORT" \
    QDB_TELEMETRY_ENABLED=false \
      start_detached "$QUESTDB_PID_FILE" "$QUESTDB_STDOUT" \
        "$java_home/bin/java" "${jvm_opts[@]}" \
        -p "$QUESTDB_LIBS/questdb-$QUESTDB_VERSION.jar" -m io.questdb/io.questdb.ServerMain -d "$QUESTDB_ROOT" \
      || die questdb "could not start the JVM"
    pid="$(read_pid "$QUESTDB_PID_FILE")"
    log questdb "starting org.questdb:questdb:$QUESTDB_VERSION from Maven jar on $("$java_home/bin/java" -version 2>&1 | head -n1)" \
      "(pid $pid, HTTP $YJ_QUESTDB_HTTP_PORT, PG $YJ_QUESTDB_PG_PORT, ILP $YJ_QUESTDB_ILP_PORT, health $YJ_QUESTDB_MIN_HTTP_PORT)"
  fi
  local start=$SECONDS
  until questdb_ready >/dev/null 2>&1; do
    if ! pid_alive "$pid"; then
      log_tail "$QUESTDB_STDOUT"
      die questdb "process $pid exited during startup"
    fi
    if (( SECONDS - start >= QUESTDB_READY_DEADLINE )); then
      log_tail "$QUESTDB_STDOUT"
      die questdb "SELECT 1 not answered after ${QUESTDB_READY_DEADLINE}s (pid $pid still running; stop it with: stack.sh stop questdb)"
    fi
    sleep 1
  done
  log questdb "ready after $((SECONDS - start))s: SELECT 1 -> $(questdb_ready | cut -c1-160)"
}

questdb_down() {
  local pid
  if pid="$(questdb_pid)"; then
    stop_by_pid questdb "$pid" "${YJ_QUESTDB_STOP_DEADLINE:-30}"
  else
    log questdb "not running (no live pid in $QUESTDB_PID_FILE)"
  fi
  rm -f "$QUESTDB_PID_FILE"
}

questdb_status() {
  local pid v
  v="$(cat "$QUESTDB_DIR/version" 2>/dev/null || echo '?')"
  if pid="$(questdb_pid)"; then
    if our_listener questdb "$pid" "$YJ_STACK_HOST" "$YJ_QUESTDB_HTTP_PORT" && questdb_ready >/dev/null 2>&1; then
      log questdb "UP   pid $pid, http://$YJ_STACK_HOST:$YJ_QUESTDB_HTTP_PORT, PG $YJ_QUESTDB_PG_PORT, questdb $v, log $QUESTDB_STDOUT"
    else
      log questdb "STARTING/UNHEALTHY pid $pid, SELECT 1 fails"; return 1
    fi
  elif port_answers "$YJ_STACK_HOST" "$YJ_QUESTDB_HTTP_PORT"; then
    log questdb "FOREIGN port $YJ_QUESTDB_HTTP_PORT is held by $(port_owner "$YJ_QUESTDB_HTTP_PORT"), not ours"; return 1
  else
    log questdb "DOWN"; return 1
  fi
}
