#!/usr/bin/env bash
# Project-private PostgreSQL 15 cluster for development and tests.
#
#   scripts/postgres.sh ensure   # make sure the PostgreSQL 15 server binaries are installed
#   scripts/postgres.sh start    # initdb (first time) + start; prints the database URL on stdout
#   scripts/postgres.sh stop     # stop the cluster if it is running
#   scripts/postgres.sh url      # print the database URL
#   scripts/postgres.sh status   # exit 0 if the cluster answers on its port
#
# This is NOT the system cluster: it lives in ${JINCAI_PG_DIR:-<repo>/var/pg}, listens on
# 127.0.0.1:${JINCAI_PG_PORT:-54329} only, uses "trust" authentication and runs with
# fsync/synchronous_commit/full_page_writes off. Never use it for data you want to keep.
#
# Only the URL (from `start` and `url`) goes to stdout; every other message goes to stderr,
# so `DATABASE_URL=$(scripts/postgres.sh start)` works.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"

PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_PACKAGES=(postgresql-15 postgresql-contrib)

PGDATA_DIR="${JINCAI_PG_DIR:-$REPO_ROOT/var/pg}"
PG_PORT="${JINCAI_PG_PORT:-54329}"
DB_NAME=jincai
DB_ROLE=jincai
ADMIN_ROLE=postgres # bootstrap superuser created by initdb (we always pass --username)

# PG* variables from the caller's environment would redirect our psql/pg_ctl calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE PGSERVICE \
    PGSERVICEFILE PGOPTIONS PGSSLMODE PGDATA PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS 2>/dev/null || true

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() {
    printf 'postgres.sh: ERROR: %s\n' "$*" >&2
    exit 1
}

[[ "$PG_PORT" =~ ^[0-9]+$ ]] && ((PG_PORT > 0 && PG_PORT < 65536)) ||
    die "JINCAI_PG_PORT must be a TCP port number, got '$PG_PORT'"

# Make PGDATA_DIR absolute without requiring it to exist yet.
case "$PGDATA_DIR" in
/*) ;;
*) PGDATA_DIR="$PWD/$PGDATA_DIR" ;;
esac
PGDATA_DIR="${PGDATA_DIR%/}"
PG_PARENT="$(dirname -- "$PGDATA_DIR")"

# Unix socket directory: next to the data dir, unless the socket path would get too long
# (the kernel limit is 107 bytes); then fall back to a short per-port directory in /tmp.
SOCK_DIR="$PG_PARENT/pgsock"
if ((${#SOCK_DIR} + ${#PG_PORT} + 10 >= 100)); then
    SOCK_DIR="/tmp/jincai-pg-$PG_PORT"
fi
LOG_FILE="$PGDATA_DIR/server.log"

URL="postgres://$DB_ROLE@127.0.0.1:$PG_PORT/$DB_NAME"

is_root() { [[ "$(id -u)" -eq 0 ]]; }

# Run a command as the OS user that owns the cluster (PostgreSQL refuses to run as root).
# `cd /` so that the postgres user never trips over an unreadable working directory.
as_owner() {
    if is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

can_install() {
    is_root && return 0
    command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null
}

as_admin() {
    if is_root; then "$@"; else sudo -n "$@"; fi
}

cmd_ensure() {
    if [[ -x "$PG_BIN/postgres" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/psql" && -x "$PG_BIN/pg_isready" ]]; then
        return 0
    fi
    if ! can_install; then
        die "PostgreSQL $PG_VERSION server binaries not found in $PG_BIN and cannot install them (not root, no passwordless sudo). Install them with: sudo apt-get install -y --no-install-recommends ${PG_PACKAGES[*]}"
    fi
    log "installing ${PG_PACKAGES[*]} with apt-get ..."
    as_admin env DEBIAN_FRONTEND=noninteractive apt-get update >&2 ||
        die "apt-get update failed"
    as_admin env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PG_PACKAGES[@]}" >&2 ||
        die "apt-get install ${PG_PACKAGES[*]} failed"
    [[ -x "$PG_BIN/postgres" ]] || die "installed ${PG_PACKAGES[*]} but $PG_BIN/postgres is still missing"
    if is_root && ! id -u postgres >/dev/null 2>&1; then
        die "the 'postgres' OS user does not exist (it is normally created by the postgresql-common package)"
    fi
}

# True if our cluster (this data dir) is running.
cluster_running() {
    [[ -f "$PGDATA_DIR/PG_VERSION" ]] || return 1
    as_owner "$PG_BIN/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

# True if anything answers on 127.0.0.1:$PG_PORT.
port_answers() {
    "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 3 >/dev/null 2>&1
}

psql_admin() {
    "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U "$ADMIN_ROLE" -d postgres "$@"
}

prepare_dirs() {
    if [[ "$SOCK_DIR" == /tmp/* && ( -e "$SOCK_DIR" || -L "$SOCK_DIR" ) ]]; then
        # Shared /tmp: refuse a socket directory that someone else pre-created.
        local owner
        owner="$(stat -c %U -- "$SOCK_DIR")"
        [[ -d "$SOCK_DIR" && ! -L "$SOCK_DIR" ]] || die "$SOCK_DIR exists but is not a plain directory"
        if is_root; then
            [[ "$owner" == postgres || "$owner" == root ]] || die "$SOCK_DIR is owned by '$owner', expected 'postgres'"
        else
            [[ "$owner" == "$(id -un)" ]] || die "$SOCK_DIR is owned by '$owner', not by you"
        fi
    fi
    mkdir -p -- "$PG_PARENT"
    mkdir -p -- "$PGDATA_DIR" "$SOCK_DIR"
    if is_root; then
        id -u postgres >/dev/null 2>&1 ||
            die "running as root but the 'postgres' OS user does not exist; run '$0 ensure' or install postgresql-common"
        chown postgres:postgres -- "$PGDATA_DIR" "$SOCK_DIR"
    fi
    chmod 700 -- "$PGDATA_DIR"
    chmod 755 -- "$SOCK_DIR"
    if ! as_owner test -w "$PGDATA_DIR" -a -x "$PGDATA_DIR" -a -w "$SOCK_DIR"; then
        die "the cluster owner ($(is_root && echo postgres || id -un)) cannot write to $PGDATA_DIR or $SOCK_DIR; a parent directory is probably not traversable. Set JINCAI_PG_DIR to a directory it can reach, e.g. JINCAI_PG_DIR=/var/tmp/jincai-pg"
    fi
}

init_cluster() {
    if [[ -f "$PGDATA_DIR/PG_VERSION" ]]; then
        local v
        v="$(cat -- "$PGDATA_DIR/PG_VERSION")"
        [[ "$v" == "$PG_VERSION" ]] ||
            die "$PGDATA_DIR holds a PostgreSQL $v cluster, expected $PG_VERSION; remove it (it is a disposable test cluster) and start again"
        return 0
    fi
    if [[ -n "$(ls -A -- "$PGDATA_DIR")" ]]; then
        die "$PGDATA_DIR exists, is not empty and is not a PostgreSQL data directory; refusing to touch it"
    fi
    local locale_args=(--encoding=UTF8 --locale=C.UTF-8)
    local locales
    locales="$(locale -a 2>/dev/null || true)"
    if ! grep -qix 'c\.utf-\?8' <<<"$locales"; then
        log "C.UTF-8 locale not available; using --no-locale"
        locale_args=(--encoding=UTF8 --no-locale)
    fi
    log "initialising a new cluster in $PGDATA_DIR ..."
    as_owner "$PG_BIN/initdb" -D "$PGDATA_DIR" --username="$ADMIN_ROLE" --auth=trust --no-sync \
        "${locale_args[@]}" >&2 || die "initdb failed"
    # Our settings live in a separate file that `start` rewrites every time.
    printf "\n# Project settings, rewritten by scripts/postgres.sh on every start.\ninclude_if_exists = 'jincai.conf'\n" |
        as_owner tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null
}

write_config() {
    as_owner tee "$PGDATA_DIR/jincai.conf" >/dev/null <<EOF
# Written by scripts/postgres.sh; edits are overwritten on the next start.
# Disposable test cluster: durability is deliberately switched off.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$SOCK_DIR'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 1GB
checkpoint_timeout = 30min
jit = off
# Solid-state storage, as on any current server: without it the planner scans the whole search table (and
# unpacks every document's tsvector) for a word a third of the documents hold, rather than use the GIN index.
random_page_cost = 1.1
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
timezone = 'UTC'
EOF
    as_owner tee "$PGDATA_DIR/pg_hba.conf" >/dev/null <<'EOF'
# Written by scripts/postgres.sh: trust for local connections only (test cluster).
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   trust
host    all       all   ::1/128        trust
EOF
}

ensure_role_and_db() {
    psql_admin <<SQL || die "could not create role/database $DB_ROLE"
DO \$\$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$DB_ROLE') THEN
        CREATE ROLE $DB_ROLE LOGIN SUPERUSER;
    ELSE
        ALTER ROLE $DB_ROLE LOGIN SUPERUSER;
    END IF;
END
\$\$;
SQL
    local exists
    exists="$(psql_admin -At -c "SELECT 1 FROM pg_catalog.pg_database WHERE datname = '$DB_NAME'")" ||
        die "could not query pg_database"
    if [[ "$exists" != 1 ]]; then
        log "creating database $DB_NAME ..."
        psql_admin -c "CREATE DATABASE $DB_NAME OWNER $DB_ROLE ENCODING 'UTF8' TEMPLATE template0" ||
            die "could not create database $DB_NAME"
    fi
}

cmd_start() {
    cmd_ensure
    prepare_dirs

    # Serialise concurrent `start`/`stop` calls (e.g. make -j).
    exec 9>"$PG_PARENT/.pg-$PG_PORT.lock"
    flock -w 120 9 || die "timed out waiting for the lock $PG_PARENT/.pg-$PG_PORT.lock"

    if cluster_running; then
        log "cluster in $PGDATA_DIR already running on 127.0.0.1:$PG_PORT"
    else
        if port_answers; then
            die "something else already answers on 127.0.0.1:$PG_PORT (not the cluster in $PGDATA_DIR); stop it or set JINCAI_PG_PORT"
        fi
        init_cluster
        write_config
        log "starting PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT (data: $PGDATA_DIR, socket: $SOCK_DIR, log: $LOG_FILE)"
        # 9>&-: the server must not inherit (and so hold forever) the lock file descriptor.
        if ! as_owner "$PG_BIN/pg_ctl" start -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t 60 -s >&2 9>&-; then
            log "pg_ctl start failed; last lines of $LOG_FILE:"
            tail -n 30 -- "$LOG_FILE" >&2 2>/dev/null || true
            exit 1
        fi
    fi

    local i
    for ((i = 0; i < 60; i++)); do
        port_answers && break
        sleep 0.5
    done
    port_answers || die "cluster started but does not answer on 127.0.0.1:$PG_PORT"

    ensure_role_and_db
    printf '%s\n' "$URL"
}

cmd_stop() {
    if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
        log "no cluster in $PGDATA_DIR; nothing to stop"
        return 0
    fi
    if [[ -d "$PG_PARENT" ]]; then
        exec 9>"$PG_PARENT/.pg-$PG_PORT.lock"
        flock -w 120 9 || die "timed out waiting for the lock $PG_PARENT/.pg-$PG_PORT.lock"
    fi
    if cluster_running; then
        log "stopping the cluster in $PGDATA_DIR ..."
        as_owner "$PG_BIN/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -t 60 -s >&2 || die "pg_ctl stop failed"
    else
        log "cluster in $PGDATA_DIR is not running"
    fi
}

cmd_status() {
    if port_answers; then
        log "127.0.0.1:$PG_PORT is accepting connections ($URL)"
        return 0
    fi
    log "nothing answers on 127.0.0.1:$PG_PORT"
    return 1
}

usage() {
    cat >&2 <<EOF
usage: $0 {ensure|start|stop|url|status}
  ensure  install the PostgreSQL $PG_VERSION server if missing (root or passwordless sudo)
  start   create/start the private cluster; prints $URL
  stop    stop the private cluster
  url     print $URL
  status  exit 0 if 127.0.0.1:$PG_PORT accepts connections
environment: JINCAI_PG_DIR (default <repo>/var/pg), JINCAI_PG_PORT (default 54329)
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
