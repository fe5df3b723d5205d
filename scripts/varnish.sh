#!/usr/bin/env bash
# Project-private Varnish (Debian's varnish + varnish-modules for vmod xkey) in front of the app, for tests and
# benchmarks; production uses the system service with deploy/varnish/jincai.vcl (docs/production.md, 9a).
#
#   scripts/varnish.sh ensure   # make sure varnishd and vmod xkey are installed (apt-get when root)
#   scripts/varnish.sh start    # start in the background; prints the URL on stdout
#   scripts/varnish.sh stop     # stop it if it is running
#   scripts/varnish.sh url      # print the URL
#   scripts/varnish.sh status   # exit 0 if it answers on its port
#
# Listens on 127.0.0.1:${JINCAI_VARNISH_PORT:-6081} only and forwards to ${JINCAI_VARNISH_BACKEND:-127.0.0.1:8000}
# (the app: gunicorn, or a test's live server); its working folder is ${JINCAI_VARNISH_DIR:-<repo>/var/varnish}/<port>.
# Only the URL goes to stdout; every other message goes to stderr, so `VARNISH_URL=$(scripts/varnish.sh start)` works.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"

PORT="${JINCAI_VARNISH_PORT:-6081}"
BACKEND="${JINCAI_VARNISH_BACKEND:-127.0.0.1:8000}"
BASE_DIR="${JINCAI_VARNISH_DIR:-$REPO_ROOT/var/varnish}"
MEMORY="${JINCAI_VARNISH_MEMORY:-128m}"
PACKAGES=(varnish varnish-modules)
VMOD_DIRS=(/usr/lib/x86_64-linux-gnu/varnish/vmods /usr/lib/aarch64-linux-gnu/varnish/vmods /usr/lib/varnish/vmods)

log() { printf 'varnish.sh: %s\n' "$*" >&2; }
die() {
    printf 'varnish.sh: ERROR: %s\n' "$*" >&2
    exit 1
}

[[ "$PORT" =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT < 65536)) || die "JINCAI_VARNISH_PORT must be a TCP port number, got '$PORT'"
[[ "$BACKEND" =~ ^[0-9A-Za-z.:-]+:[0-9]+$ ]] || die "JINCAI_VARNISH_BACKEND must be host:port, got '$BACKEND'"

WORK_DIR="$BASE_DIR/$PORT"
PID_FILE="$WORK_DIR/varnishd.pid"
URL="http://127.0.0.1:$PORT"

is_root() { [[ "$(id -u)" -eq 0 ]]; }

have_xkey() {
    local dir
    for dir in "${VMOD_DIRS[@]}"; do
        [[ -f "$dir/libvmod_xkey.so" ]] && return 0
    done
    return 1
}

cmd_ensure() {
    if command -v varnishd >/dev/null 2>&1 || [[ -x /usr/sbin/varnishd ]]; then
        have_xkey && return 0
    fi
    if ! is_root; then
        die "varnishd or vmod xkey missing and not root: install them with sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}"
    fi
    log "installing ${PACKAGES[*]} with apt-get ..."
    # The package would start the system varnish on port 6081: keep it from starting (this is not a service).
    local policy_created=false
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_created=true
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${PACKAGES[@]}" >&2 ||
        die "apt-get install ${PACKAGES[*]} failed"
    if $policy_created; then rm -f /usr/sbin/policy-rc.d; fi
    have_xkey || die "installed ${PACKAGES[*]} but vmod xkey is still missing"
}

varnishd_bin() { command -v varnishd 2>/dev/null || echo /usr/sbin/varnishd; }

running() {
    [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null
}

answers() {
    # Any HTTP answer counts (a 503 too: the backend may not be up yet).
    curl -s -o /dev/null --max-time 2 "$URL/" 2>/dev/null || python3 - "$PORT" <<'PY' 2>/dev/null
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2).close()
PY
}

cmd_start() {
    cmd_ensure
    if running; then
        log "already running on $URL (pid $(cat "$PID_FILE"))"
        echo "$URL"
        return 0
    fi
    mkdir -p "$WORK_DIR"
    local host="${BACKEND%:*}" port="${BACKEND##*:}"
    sed -e "s/\.host = \"127\.0\.0\.1\";/.host = \"$host\";/" -e "s/\.port = \"8000\";/.port = \"$port\";/" \
        "$REPO_ROOT/deploy/varnish/jincai.vcl" >"$WORK_DIR/jincai.vcl"
    # No jail: this varnishd runs as whoever starts it, reading a folder only they may read (the system service is
    # the one that drops to the `varnish` user).
    local jail=(-j none)
    log "starting varnishd on $URL -> $BACKEND ..."
    "$(varnishd_bin)" "${jail[@]}" -a "127.0.0.1:$PORT" -T none -n "$WORK_DIR/state" -P "$PID_FILE" \
        -f "$WORK_DIR/jincai.vcl" -s "malloc,$MEMORY" -p default_grace=10 >&2 ||
        die "varnishd did not start (its messages are above)"
    local tries=0
    until answers; do
        tries=$((tries + 1))
        ((tries > 50)) && die "varnishd started but does not answer on $URL"
        sleep 0.1
    done
    echo "$URL"
}

cmd_stop() {
    if running; then
        local pid
        pid="$(cat "$PID_FILE")"
        kill "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        rm -f "$PID_FILE"
        log "stopped varnishd on $URL"
    fi
}

case "${1:-}" in
ensure) cmd_ensure ;;
start) cmd_start ;;
stop) cmd_stop ;;
url) echo "$URL" ;;
status) running && answers ;;
*)
    echo "usage: $0 ensure|start|stop|url|status" >&2
    exit 2
    ;;
esac
