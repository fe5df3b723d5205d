#!/usr/bin/env bash
# Project-private Elasticsearch 8 (one node in one JVM) for development and tests.
#
#   scripts/elasticsearch.sh ensure   # check JDK 17+ and Maven; build the runner in deploy/elasticsearch (once)
#   scripts/elasticsearch.sh start    # start in the background, wait for yellow/green; prints the URL on stdout
#   scripts/elasticsearch.sh stop     # stop the node if it is running
#   scripts/elasticsearch.sh url      # print the URL
#   scripts/elasticsearch.sh status   # exit 0 if the node answers on its port
#
# The node is the real Elasticsearch server (org.elasticsearch:elasticsearch from Maven Central, see
# deploy/elasticsearch/pom.xml), listens on 127.0.0.1:${JINCAI_ES_PORT:-9250} only, has no security and keeps
# its data in ${JINCAI_ES_DIR:-<repo>/var/elasticsearch}/node-<port>. Never use it for data you want to keep.
# The first `ensure` downloads about 60 MB of jars into ~/.m2 (Maven's cache); later runs need no network.
#
# Only the URL (from `start` and `url`) goes to stdout; every other message goes to stderr,
# so `ELASTICSEARCH_URL=$(scripts/elasticsearch.sh start)` works.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"
PROJECT_DIR="$REPO_ROOT/deploy/elasticsearch"

ES_DIR="${JINCAI_ES_DIR:-$REPO_ROOT/var/elasticsearch}"
ES_PORT="${JINCAI_ES_PORT:-9250}"
ES_HEAP="${JINCAI_ES_HEAP:-768m}"
START_TIMEOUT="${JINCAI_ES_START_TIMEOUT:-180}"
# C1 only: the node answers in ~6 s instead of ~12 s on two cores (C2 compiling competes with start-up).
# For benchmarks start it with JINCAI_ES_JAVA_OPTS="" to get the full JIT.
read -r -a EXTRA_JAVA_OPTS <<<"${JINCAI_ES_JAVA_OPTS--XX:TieredStopAtLevel=1}"
MAIN_CLASS=jincai.elasticsearch.LocalElasticsearch

log() { printf 'elasticsearch.sh: %s\n' "$*" >&2; }
die() {
    printf 'elasticsearch.sh: ERROR: %s\n' "$*" >&2
    exit 1
}

[[ "$ES_PORT" =~ ^[0-9]+$ ]] && ((ES_PORT > 0 && ES_PORT < 65436)) ||
    die "JINCAI_ES_PORT must be a TCP port number below 65436 (the transport port is JINCAI_ES_PORT + 100), got '$ES_PORT'"
[[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "JINCAI_ES_START_TIMEOUT must be a number of seconds, got '$START_TIMEOUT'"

case "$ES_DIR" in
/*) ;;
*) ES_DIR="$PWD/$ES_DIR" ;;
esac
ES_DIR="${ES_DIR%/}"
BUILD_DIR="$ES_DIR/build"
NODE_HOME="$ES_DIR/node-$ES_PORT"
PID_FILE="$ES_DIR/es-$ES_PORT.pid"
LOG_FILE="$NODE_HOME/logs/console.log"
URL="http://127.0.0.1:$ES_PORT"

JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

java_major() {
    # `java -version` prints e.g. openjdk version "17.0.15" 2025-04-15 (or "1.8.0_392" for Java 8).
    local v
    v="$("$JAVA" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9._]*\).*/\1/p' | head -n 1)"
    [[ "$v" == 1.* ]] && v="${v#1.}"
    printf '%s\n' "${v%%.*}"
}

# Rebuild when the classpath file is missing, older than the project's sources, or names a jar that is gone
# (e.g. ~/.m2 was cleaned).
build_is_current() {
    local cp="$BUILD_DIR/classpath.txt"
    [[ -s "$cp" && -d "$BUILD_DIR/classes/jincai" ]] || return 1
    [[ -z "$(find "$PROJECT_DIR" -type f -newer "$cp" -print -quit)" ]] || return 1
    local jar
    while IFS= read -r jar; do
        [[ -f "$jar" ]] || return 1
    done < <(tr ':' '\n' <"$cp")
}

# JDK 17, Maven and curl from Debian when missing and we may install (root or passwordless sudo): a new machine
# needs nothing done by hand.
install_missing_tools() {
    local missing=()
    command -v "$JAVA" >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
    command -v mvn >/dev/null 2>&1 || missing+=(maven)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    ((${#missing[@]})) || return 0
    if [[ "$(id -u)" -eq 0 ]]; then
        local sudo=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        local sudo=(sudo -n)
    else
        return 0
    fi
    log "installing ${missing[*]} with apt-get ..."
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || die "apt-get update failed"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 ||
        die "apt-get install ${missing[*]} failed"
}

cmd_ensure() {
    install_missing_tools
    command -v "$JAVA" >/dev/null 2>&1 ||
        die "java not found. Install JDK 17 (Debian: apt-get install -y openjdk-17-jdk-headless) or set JAVA_HOME"
    local major
    major="$(java_major)"
    [[ "$major" =~ ^[0-9]+$ ]] && ((major >= 17)) ||
        die "Elasticsearch 8 needs Java 17 or later; '$JAVA -version' reports '${major:-unknown}'. Install openjdk-17-jdk-headless or set JAVA_HOME"
    command -v curl >/dev/null 2>&1 || die "curl not found (apt-get install -y curl)"
    build_is_current && return 0
    command -v mvn >/dev/null 2>&1 ||
        die "mvn not found. Install Maven 3.8+ (Debian: apt-get install -y maven)"
    log "building the runner in $PROJECT_DIR (the first time Maven downloads ~60 MB into ~/.m2) ..."
    mkdir -p -- "$BUILD_DIR"
    # Maven 3.8 prints ANSI resets even in batch mode; only its messages reach the terminal.
    if ! mvn -B -q -Dstyle.color=never -f "$PROJECT_DIR/pom.xml" "-Djincai.build.dir=$BUILD_DIR" process-classes 2>&1 |
        sed 's/\x1b\[[0-9;]*m//g' >&2; then
        die "the Maven build failed (output above). Maven Central must be reachable the first time; proxies go in ~/.m2/settings.xml"
    fi
    touch -- "$BUILD_DIR/classpath.txt"
    build_is_current || die "Maven finished but $BUILD_DIR/classpath.txt or $BUILD_DIR/classes is missing"
}

# The pid of our node, if it is running.
node_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat -- "$PID_FILE" 2>/dev/null)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    # A pid file left by a crash may name an unrelated process by now: check its command line.
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$MAIN_CLASS $NODE_HOME " || return 1
    printf '%s\n' "$pid"
}

# Cluster health status (green/yellow/red) if anything answers on the port; fails otherwise.
health() {
    curl -fsS --max-time 3 "$URL/_cluster/health?timeout=1s" 2>/dev/null |
        sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' | grep .
}

cmd_start() {
    cmd_ensure
    mkdir -p -- "$NODE_HOME/logs" "$NODE_HOME/tmp"

    # Serialise concurrent `start`/`stop` calls (e.g. make -j, two test runs).
    exec 9>"$ES_DIR/.es-$ES_PORT.lock"
    flock -w 300 9 || die "timed out waiting for the lock $ES_DIR/.es-$ES_PORT.lock"

    local pid status=""
    if pid="$(node_pid)"; then
        log "node already running (pid $pid) on $URL"
    else
        if status="$(health)"; then
            die "something else already answers on $URL (not the node in $NODE_HOME); stop it or set JINCAI_ES_PORT"
        fi
        rm -f -- "$PID_FILE"
        local cp
        cp="$BUILD_DIR/classes:$(cat -- "$BUILD_DIR/classpath.txt")"
        log "starting Elasticsearch on $URL (data: $NODE_HOME, log: $LOG_FILE, heap: $ES_HEAP)"
        printf '\n==== %s start (port %s)\n' "$(date -u +%FT%TZ)" "$ES_PORT" >>"$LOG_FILE"
        # Ignoring INT/HUP (the JVM keeps them ignored) lets the node outlive the shell that started it and
        # its Ctrl+C; 9>&-: it must not inherit (and so hold forever) the lock.
        (trap '' INT HUP && exec "$JAVA" -Xms256m "-Xmx$ES_HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData \
            ${EXTRA_JAVA_OPTS[@]+"${EXTRA_JAVA_OPTS[@]}"} \
            -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Dlog4j2.disable.jmx=true \
            "-Djava.io.tmpdir=$NODE_HOME/tmp" \
            -cp "$cp" "$MAIN_CLASS" "$NODE_HOME" "$ES_PORT") </dev/null >>"$LOG_FILE" 2>&1 9>&- &
        pid=$!
        printf '%s\n' "$pid" >"$PID_FILE"
    fi

    local i
    for ((i = 0; i < START_TIMEOUT * 2; i++)); do
        status="$(health)" && [[ "$status" == green || "$status" == yellow ]] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f -- "$PID_FILE"
            log "the node exited during start; last lines of $LOG_FILE:"
            tail -n 40 -- "$LOG_FILE" >&2 || true
            exit 1
        fi
        sleep 0.5
    done
    [[ "$status" == green || "$status" == yellow ]] ||
        die "no yellow/green cluster health on $URL after ${START_TIMEOUT}s (status: '${status:-no answer}'); see $LOG_FILE"
    log "ready ($status): ELASTICSEARCH_URL=$URL  (stop: bash scripts/elasticsearch.sh stop)"
    printf '%s\n' "$URL"
}

cmd_stop() {
    [[ -d "$ES_DIR" ]] || {
        log "no node in $ES_DIR; nothing to stop"
        return 0
    }
    exec 9>"$ES_DIR/.es-$ES_PORT.lock"
    flock -w 300 9 || die "timed out waiting for the lock $ES_DIR/.es-$ES_PORT.lock"
    local pid i
    if ! pid="$(node_pid)"; then
        log "node on port $ES_PORT is not running"
        rm -f -- "$PID_FILE"
        return 0
    fi
    log "stopping the node (pid $pid) ..."
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "still running after 30 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f -- "$PID_FILE"
}

cmd_status() {
    local status
    if status="$(health)"; then
        log "$URL answers (cluster health: $status)"
        return 0
    fi
    log "nothing answers on $URL"
    return 1
}

usage() {
    cat >&2 <<EOF
usage: $0 {ensure|start|stop|url|status}
  ensure  check JDK 17+ and Maven, build the runner in deploy/elasticsearch (cached in ~/.m2)
  start   start the private node in the background; prints $URL
  stop    stop the private node
  url     print $URL
  status  exit 0 if $URL answers
environment: JINCAI_ES_DIR (default <repo>/var/elasticsearch), JINCAI_ES_PORT (default 9250),
             JINCAI_ES_HEAP (default 768m), JINCAI_ES_START_TIMEOUT (seconds, default 180),
             JINCAI_ES_JAVA_OPTS (default -XX:TieredStopAtLevel=1; "" for the full JIT), JAVA_HOME
EOF
}

case "${1:-}" in
ensure) cmd_ensure ;;
start) cmd_start ;;
stop) cmd_stop ;;
url) printf '%s\n' "$URL" ;;
status) cmd_status ;;
-h | --help | help)
    usage
    exit 0
    ;;
*)
    usage
    exit 2
    ;;
esac
