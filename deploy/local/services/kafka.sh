# shellcheck shell=bash
# Kafka 4.x, single node, KRaft (broker + controller in one JVM), from Maven Central jars.
# Sourced by deploy/local/stack.sh after lib.sh. Defines kafka_up, kafka_down, kafka_status.
#
# State: $STACK_DIR/kafka/{libs,data,logs,server.properties,log4j2.properties,cluster.id,kafka.pid}
#
# YJ_KAFKA_SECURITY=sasl (default plaintext) runs the broker with SASL/SCRAM and ACLs instead:
# listener SASL_PLAINTEXT, StandardAuthorizer, allow.everyone.if.no.acl.found=false, super user
# `admin`; one SCRAM user per yujing service (SERVICE_TOPIC_ACCESS in packages/kafka) and per
# platform in YJ_KAFKA_PLATFORMS (comma separated ids), created at storage format time; passwords
# in $STACK_DIR/kafka/credentials/<user> (mode 600). After start, deploy/local/kafka-provision.ts
# creates every topic and applies the ACLs of the table. The mode is fixed when the storage is
# formatted; switching needs a fresh $STACK_DIR/kafka/data (see deploy/local/README.md).

KAFKA_VERSION="${YJ_KAFKA_VERSION:-4.1.1}"
KAFKA_LOG4J_VERSION="${YJ_KAFKA_LOG4J_VERSION:-2.24.3}"   # = log4j-api version Kafka 4.1.x depends on
KAFKA_HEAP="${YJ_KAFKA_HEAP:-512m}"
KAFKA_DIR="$STACK_DIR/kafka"
KAFKA_LIBS="$KAFKA_DIR/libs"
KAFKA_PID_FILE="$KAFKA_DIR/kafka.pid"
KAFKA_LOG_DIR="$KAFKA_DIR/logs"
KAFKA_MARKER="-Dyujing.stack.service=kafka"              # on the JVM command line; identifies our process
KAFKA_READY_DEADLINE="${YJ_KAFKA_READY_DEADLINE:-90}"
KAFKA_SECURITY="${YJ_KAFKA_SECURITY:-plaintext}"
KAFKA_CREDENTIALS="$KAFKA_DIR/credentials"
KAFKA_PROVISION=("$REPO_ROOT/node_modules/.bin/tsx" "$LOCAL_DIR/kafka-provision.ts")
case "$KAFKA_SECURITY" in
  plaintext|sasl) ;;
  *) die kafka "YJ_KAFKA_SECURITY must be plaintext or sasl, not '$KAFKA_SECURITY'" ;;
esac

kafka_pid() { our_pid "$KAFKA_PID_FILE" "$KAFKA_MARKER -Dyujing.stack.dir=$STACK_DIR"; }

kafka_ready() {
  if [[ "$KAFKA_SECURITY" == sasl ]]; then
    kafka_as_admin "${KAFKA_PROVISION[@]}" ready
  else
    node "$LOCAL_DIR/kafka-ready.mjs" "$YJ_STACK_HOST:$YJ_KAFKA_PORT"
  fi
}

# kafka_password <user>: the SCRAM password of a user of the SASL mode (made on first use).
kafka_password() {
  local file="$KAFKA_CREDENTIALS/$1"
  if [[ ! -s "$file" ]]; then
    mkdir -p "$KAFKA_CREDENTIALS"; chmod 700 "$KAFKA_CREDENTIALS"
    (umask 077; node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))" >"$file")
  fi
  cat "$file"
}

# Every SCRAM user of the SASL mode: admin, the yujing services, the platforms of YJ_KAFKA_PLATFORMS.
kafka_users() {
  printf 'admin\n'
  "${KAFKA_PROVISION[@]}" principals
  local p
  for p in ${YJ_KAFKA_PLATFORMS//,/ }; do printf 'platform-%s\n' "$p"; done
}

# kafka_as_admin <cmd...>: run with the admin's SASL client settings in the environment.
kafka_as_admin() {
  KAFKA_BROKERS="$YJ_STACK_HOST:$YJ_KAFKA_PORT" KAFKA_SASL_USERNAME=admin \
    KAFKA_SASL_PASSWORD="$(kafka_password admin)" "$@"
}

# Resolve kafka_2.13 + runtime deps + the log4j binding into $KAFKA_LIBS (once per version).
kafka_resolve() {
  local stamp="$KAFKA_LIBS/.resolved-$KAFKA_VERSION-log4j-$KAFKA_LOG4J_VERSION"
  if [[ -f "$stamp" ]]; then
    return 0
  fi
  log kafka "resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION (+ log4j-slf4j-impl $KAFKA_LOG4J_VERSION) from Maven"
  rm -rf "$KAFKA_LIBS"
  if ! mvn_copy_runtime "$LOCAL_DIR/kafka/pom.xml" "$KAFKA_LIBS" \
      -Dkafka.version="$KAFKA_VERSION" -Dlog4j.version="$KAFKA_LOG4J_VERSION"; then
    die kafka "Maven could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION (set YJ_KAFKA_VERSION to another 4.x)"
  fi
  [[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]] || die kafka "kafka_2.13-$KAFKA_VERSION.jar missing after resolution"
  compgen -G "$KAFKA_LIBS/log4j-slf4j-impl-*.jar" >/dev/null || die kafka "log4j-slf4j-impl missing after resolution"
  touch "$stamp"
  log kafka "resolved $(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars into $KAFKA_LIBS"
}

# (Re)write the configuration; cheap and keeps ports in sync with env overrides.
kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data" "$KAFKA_LOG_DIR"
  local listeners
  if [[ "$KAFKA_SECURITY" == sasl ]]; then
    local admin_pw jaas
    admin_pw="$(kafka_password admin)"
    jaas="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$admin_pw\";"
    # Clients and the broker itself: SCRAM on SASL_PLAINTEXT. The controller listener (KRaft
    # does not take SCRAM there) uses SASL PLAIN with the admin as its only user, so no
    # unauthenticated principal exists anywhere and only `admin` is a super user.
    listeners="listeners=SASL_PLAINTEXT://$YJ_STACK_HOST:$YJ_KAFKA_PORT,CONTROLLER://$YJ_STACK_HOST:$YJ_KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_PLAINTEXT://$YJ_STACK_HOST:$YJ_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_PLAINTEXT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$jaas
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$jaas
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$admin_pw\" user_admin=\"$admin_pw\";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin"
  else
    listeners="listeners=PLAINTEXT://$YJ_STACK_HOST:$YJ_KAFKA_PORT,CONTROLLER://$YJ_STACK_HOST:$YJ_KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$YJ_STACK_HOST:$YJ_KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  fi
  (umask 077; cat >"$KAFKA_DIR/server.properties" <<EOF
# Generated by deploy/local/stack.sh on every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$YJ_STACK_HOST:$YJ_KAFKA_CONTROLLER_PORT
$listeners
log.dirs=$KAFKA_DIR/data
num.partitions=1
default.replication.factor=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=24
log.segment.bytes=134217728
EOF
  )
  cat >"$KAFKA_DIR/log4j2.properties" <<'EOF'
# Log4j 2 (properties format: YAML would need jackson-dataformat-yaml). Generated by stack.sh.
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = ${sys:kafka.logs.dir}/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.req.name = kafka.request.logger
logger.req.level = WARN
logger.ctrl.name = org.apache.kafka.controller
logger.ctrl.level = INFO
EOF
}

# Format the KRaft storage once (meta.properties marks a formatted log dir).
kafka_format_once() {
  if [[ -f "$KAFKA_DIR/data/meta.properties" ]]; then
    local formatted
    formatted="$(cat "$KAFKA_DIR/security" 2>/dev/null || echo plaintext)"
    [[ "$formatted" == "$KAFKA_SECURITY" ]] || die kafka "the storage in $KAFKA_DIR/data was formatted for" \
      "$formatted, not YJ_KAFKA_SECURITY=$KAFKA_SECURITY; stop Kafka and remove $KAFKA_DIR/data to switch"
    return 0
  fi
  local id scram=() user pw
  if [[ ! -s "$KAFKA_DIR/cluster.id" ]]; then
    # Kafka Uuid = base64url (no padding) of 16 random bytes; avoid a leading '-'.
    id="$(node -e "let s;do{s=require('crypto').randomBytes(16).toString('base64url')}while(s[0]==='-');console.log(s)")"
    printf '%s\n' "$id" >"$KAFKA_DIR/cluster.id"
  fi
  id="$(<"$KAFKA_DIR/cluster.id")"
  if [[ "$KAFKA_SECURITY" == sasl ]]; then
    while read -r user; do
      pw="$(kafka_password "$user")"
      scram+=(--add-scram "SCRAM-SHA-256=[name=$user,password=$pw]" --add-scram "SCRAM-SHA-512=[name=$user,password=$pw]")
    done < <(kafka_users)
  fi
  log kafka "formatting KRaft storage in $KAFKA_DIR/data (cluster id $id, $KAFKA_SECURITY, $((${#scram[@]} / 4)) SCRAM users)"
  if ! "$JAVA17_HOME/bin/java" -Xmx256m \
      -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.properties" -Dkafka.logs.dir="$KAFKA_LOG_DIR" \
      -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool format \
      --config "$KAFKA_DIR/server.properties" --cluster-id="$id" --ignore-formatted "${scram[@]}" \
      >>"$KAFKA_LOG_DIR/format.log" 2>&1; then
    log_tail "$KAFKA_LOG_DIR/format.log"
    die kafka "storage format failed"
  fi
  printf '%s\n' "$KAFKA_SECURITY" >"$KAFKA_DIR/security"
}

kafka_up() {
  local pid
  if pid="$(kafka_pid)"; then
    if our_listener kafka "$pid" "$YJ_STACK_HOST" "$YJ_KAFKA_PORT" && kafka_ready >/dev/null 2>&1; then
      log kafka "already running (pid $pid) on $YJ_STACK_HOST:$YJ_KAFKA_PORT"
      kafka_provision
      return 0
    fi
    log kafka "our process (pid $pid) is running but not ready yet, waiting"
  else
    rm -f "$KAFKA_PID_FILE"
    require_port_free kafka "$YJ_STACK_HOST" "$YJ_KAFKA_PORT"
    require_port_free kafka "$YJ_STACK_HOST" "$YJ_KAFKA_CONTROLLER_PORT"
    [[ -x "$JAVA17_HOME/bin/java" ]] || die kafka "Java 17 not found at $JAVA17_HOME (set YJ_JAVA17_HOME)"
    command -v node >/dev/null || die kafka "node is needed for the readiness probe (kafka-ready.mjs)"
    kafka_resolve
    kafka_write_config
    kafka_format_once
    printf '\n===== %s start =====\n' "$(date -Is)" >>"$KAFKA_LOG_DIR/stdout.log"
    start_detached "$KAFKA_PID_FILE" "$KAFKA_LOG_DIR/stdout.log" \
      "$JAVA17_HOME/bin/java" "$KAFKA_MARKER" "-Dyujing.stack.dir=$STACK_DIR" \
      "-Xms$KAFKA_HEAP" "-Xmx$KAFKA_HEAP" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
      -Djava.awt.headless=true \
      "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2.properties" "-Dkafka.logs.dir=$KAFKA_LOG_DIR" \
      -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
      || die kafka "could not start the JVM"
    pid="$(read_pid "$KAFKA_PID_FILE")"
    log kafka "starting org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven jars on Java 17 (pid $pid," \
      "${KAFKA_SECURITY^^} $YJ_STACK_HOST:$YJ_KAFKA_PORT, controller $YJ_KAFKA_CONTROLLER_PORT, heap $KAFKA_HEAP)"
  fi
  local start=$SECONDS
  until kafka_ready >/dev/null 2>&1; do
    if ! pid_alive "$pid"; then
      log_tail "$KAFKA_LOG_DIR/stdout.log" 30; log_tail "$KAFKA_LOG_DIR/server.log"
      die kafka "process $pid exited during startup"
    fi
    if (( SECONDS - start >= KAFKA_READY_DEADLINE )); then
      log_tail "$KAFKA_LOG_DIR/stdout.log" 30; log_tail "$KAFKA_LOG_DIR/server.log"
      die kafka "not ready after ${KAFKA_READY_DEADLINE}s (pid $pid still running; stop it with: stack.sh stop kafka)"
    fi
    sleep 1
  done
  log kafka "ready after $((SECONDS - start))s: $(kafka_ready)"
  kafka_provision
}

# SASL mode: create the topics and (re)apply the ACL table, also on an already running broker,
# so a changed table takes effect with `stack.sh up kafka`.
kafka_provision() {
  [[ "$KAFKA_SECURITY" == sasl ]] || return 0
  local platforms=()
  read -r -a platforms <<<"${YJ_KAFKA_PLATFORMS//,/ }"
  KAFKA_ACL_PROBE_USER=yj-cli KAFKA_ACL_PROBE_PASSWORD="$(kafka_password yj-cli)" \
    kafka_as_admin "${KAFKA_PROVISION[@]}" apply "${platforms[@]}" || die kafka "topic and ACL provisioning failed"
}

kafka_down() {
  local pid
  if pid="$(kafka_pid)"; then
    stop_by_pid kafka "$pid" "${YJ_KAFKA_STOP_DEADLINE:-45}"
  else
    log kafka "not running (no live pid in $KAFKA_PID_FILE)"
  fi
  rm -f "$KAFKA_PID_FILE"
}

kafka_status() {
  local pid
  if pid="$(kafka_pid)"; then
    if our_listener kafka "$pid" "$YJ_STACK_HOST" "$YJ_KAFKA_PORT" && kafka_ready >/dev/null 2>&1; then
      log kafka "UP   pid $pid, $YJ_STACK_HOST:$YJ_KAFKA_PORT, kafka_2.13 $KAFKA_VERSION, logs $KAFKA_LOG_DIR"
    else
      log kafka "STARTING/UNHEALTHY pid $pid, metadata request to $YJ_STACK_HOST:$YJ_KAFKA_PORT fails"; return 1
    fi
  elif port_answers "$YJ_STACK_HOST" "$YJ_KAFKA_PORT"; then
    log kafka "FOREIGN port $YJ_KAFKA_PORT is held by $(port_owner "$YJ_KAFKA_PORT"), not ours"; return 1
  else
    log kafka "DOWN"; return 1
  fi
}
