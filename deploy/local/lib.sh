# shellcheck shell=bash
# Shared helpers for deploy/local/stack.sh and the per-service files in deploy/local/services/.
# Sourced, never executed. Everything that stops a process lives here (stop_by_pid, kill_by_pid), once.

# ---------------------------------------------------------------------------
# Paths (absolute, derived from this file's location)
# ---------------------------------------------------------------------------
LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"      # <repo>/deploy/local
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"                      # <repo>
STACK_DIR="${YJ_STACK_DIR:-$REPO_ROOT/.stack}"                   # state, caches, logs (git-ignored)

# Ports, hosts, credentials: one definition, shared with env.sh.
# shellcheck source=env.sh
source "$LOCAL_DIR/env.sh"

# JVMs: Kafka runs on Java 17, QuestDB >= 9.4 needs Java 25 (9.3.x runs on 17).
JAVA17_HOME="${YJ_JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
JAVA25_HOME="${YJ_JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------
log()  { printf '%s: %s\n' "$1" "${*:2}"; }             # log <service> <message...>
warn() { printf '%s: WARNING: %s\n' "$1" "${*:2}" >&2; }
die()  { printf '%s: ERROR: %s\n' "$1" "${*:2}" >&2; exit 1; }

# Print the last lines of a log file to stderr (used when a service fails to come up).
log_tail() {
  local file="$1" lines="${2:-60}"
  if [[ -f "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$lines" "$file" >&2
    tail -n "$lines" "$file" >&2
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf -- '(no log file at %s)\n' "$file" >&2
  fi
}

# ---------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------
# port_answers <host> <port>: true if a TCP connect succeeds within 1 s.
port_answers() {
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# port_owner <port>: "name pid=N" of the listening process, as far as ss can tell.
port_owner() {
  local line
  line="$(ss -ltnpH "sport = :$1" 2>/dev/null | head -n1)"
  if [[ "$line" =~ users:\(\(\"([^\"]+)\",pid=([0-9]+) ]]; then
    printf '%s (pid %s)' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  elif [[ -n "$line" ]]; then
    printf 'an unknown process'
  else
    printf 'an unknown process (not listed by ss)'
  fi
}

# require_port_free <service> <host> <port>: fail loudly if something else is listening there.
require_port_free() {
  local svc="$1" host="$2" port="$3"
  if port_answers "$host" "$port"; then
    die "$svc" "port $port on $host is already in use by $(port_owner "$port"), which is not ours." \
      "Stop it or choose another port (see deploy/local/README.md, YJ_*_PORT)."
  fi
}

# pid_listens <pid> <port>: that process holds the listening socket on <port>.
pid_listens() {
  local out
  out="$(ss -ltnpH "sport = :$2" 2>/dev/null || true)"
  [[ "$out" == *"pid=$1,"* ]]
}

# our_listener <service> <our-pid> <host> <port>
#   0: our process listens on the port; 1: nobody listens there (yet);
#   exits with a clear error if some other process holds the port.
our_listener() {
  local svc="$1" pid="$2" host="$3" port="$4"
  pid_listens "$pid" "$port" && return 0
  if port_answers "$host" "$port"; then
    die "$svc" "port $port on $host is held by $(port_owner "$port"), not by our pid $pid." \
      "Free the port or stop ours first (stack.sh stop $svc)."
  fi
  return 1
}

# ---------------------------------------------------------------------------
# PIDs
# ---------------------------------------------------------------------------
# read_pid <pidfile>: print the PID recorded in the file (nothing if missing/garbage).
read_pid() {
  local pid=""
  [[ -f "$1" ]] && read -r pid <"$1" || true
  [[ "$pid" =~ ^[0-9]+$ ]] && printf '%s' "$pid"
  return 0
}

# pid_alive <pid>: process exists and is not a zombie.
pid_alive() {
  local pid="$1" state
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]] && return 0
  # A killed JVM's main thread shows Z while its other threads are still exiting, and its sockets stay
  # open until the last one is gone (a restart then finds the port taken): alive while tasks remain.
  local tasks=("/proc/$pid/task/"*)
  (( ${#tasks[@]} > 1 ))
}

# pid_cmdline_has <pid> <marker>: the process command line contains <marker>
# (guards against a recycled PID that now belongs to someone else).
pid_cmdline_has() {
  local pid="$1" marker="$2" cmd
  cmd="$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null )" || return 1
  [[ " $cmd" == *"$marker"* ]]   # no grep -q in a pipe: with pipefail, SIGPIPE would read as "no match"
}

# our_pid <pidfile> <marker>: print the PID if it is alive and really ours; fail otherwise.
our_pid() {
  local pid
  pid="$(read_pid "$1")"
  [[ -n "$pid" ]] && pid_alive "$pid" && pid_cmdline_has "$pid" "$2" || return 1
  printf '%s' "$pid"
}

# stray_jvms: PIDs of any JVM started by this stack (command line carries
# -Dyujing.stack.dir=<this STACK_DIR>), whatever its PID file says. Used by `down` as a safety net.
stray_jvms() {
  local f pid
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    [[ "$pid" == "$$" ]] && continue
    pid_cmdline_has "$pid" " -Dyujing.stack.dir=$STACK_DIR " && printf '%s\n' "$pid"
  done
  return 0
}

# stop_by_pid <service> <pid> [deadline-seconds]
# SIGTERM, wait until the process is gone or the deadline passes, then SIGKILL.
# The single place where this stack stops a process.
stop_by_pid() {
  local svc="$1" pid="$2" deadline="${3:-30}" waited=0
  pid_alive "$pid" || { log "$svc" "pid $pid already gone"; return 0; }
  log "$svc" "stopping pid $pid (SIGTERM, up to ${deadline}s)"
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    if (( waited >= deadline * 5 )); then            # 5 polls per second
      warn "$svc" "pid $pid still running after ${deadline}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  if pid_alive "$pid"; then
    die "$svc" "pid $pid survived SIGKILL"
  fi
  log "$svc" "stopped (pid $pid)"
}

# kill_by_pid <service> <pid>: SIGKILL (a crash, for fault tests), wait until the process is gone.
kill_by_pid() {
  local svc="$1" pid="$2" waited=0
  log "$svc" "killing pid $pid (SIGKILL)"
  kill -KILL "$pid" 2>/dev/null || true
  while pid_alive "$pid"; do
    (( waited >= 50 )) && die "$svc" "pid $pid survived SIGKILL for 10 s"
    sleep 0.2
    waited=$((waited + 1))
  done
  log "$svc" "killed (pid $pid)"
}

# start_detached <pidfile> <logfile> <command...>
# Start a long-running process in its own session (so it outlives this script and a CI
# step's process group), stdout+stderr appended to <logfile>. The PID is written by the
# child itself before exec, so it is exactly the PID of <command>.
start_detached() {
  local pidfile="$1" logfile="$2"
  shift 2
  rm -f "$pidfile"
  # 9>&-: do not hand stack.sh's lock (fd 9, see take_lock) to a long-lived process.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 9>&- &
  local i
  for ((i = 0; i < 50; i++)); do
    [[ -s "$pidfile" ]] && return 0
    sleep 0.1
  done
  return 1
}

# wait_until <deadline-seconds> <command...>: poll every second until <command> succeeds.
wait_until() {
  local deadline="$1" start=$SECONDS
  shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start >= deadline )) && return 1
    sleep 1
  done
}

# ---------------------------------------------------------------------------
# Maven
# ---------------------------------------------------------------------------
# mvn_copy_runtime <pom> <outdir> [-Dprop=value...]: resolve runtime-scope jars into <outdir>.
mvn_copy_runtime() {
  local pom="$1" out="$2"
  shift 2
  command -v mvn >/dev/null || die maven "mvn not found (apt-get install -y maven)"
  mkdir -p "$out"
  JAVA_HOME="$JAVA17_HOME" mvn -B -q -Dstyle.color=never -f "$pom" "$@" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$out"
}
