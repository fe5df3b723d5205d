#!/usr/bin/env bash
# `make run`: the demo served the way its users see it, on the embedded default (SQLite, no other server).
#   HOST (default 127.0.0.1), PORT (default 8000): where it listens (`make run PORT=8100`; HOST=0.0.0.0 for every
#   address of the machine). WEB_CONCURRENCY: gunicorn worker processes (default 3).
# Steps: compile the project's translations, migrate, collect the static files (hashed, compressed), load the demo (idempotent, dates from today) with the
# Site record on the served address, then gunicorn with DEBUG off. Runtime state lives in var/ (JINCAI_VAR_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export DJANGO_SETTINGS_MODULE=portal.settings.local
export JINCAI_HOST="$HOST"

case "$HOST" in
    0.0.0.0 | ::) address="http://127.0.0.1:$PORT/" ;;
    *:*) address="http://[$HOST]:$PORT/" ;;
    *) address="http://$HOST:$PORT/" ;;
esac

# A port already taken is said now, not after minutes of loading (gunicorn would fail to bind at the very end).
if ! "$PY" - "$HOST" "$PORT" <<'PYTHON'
import socket, sys

host, port = sys.argv[1], int(sys.argv[2])
with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        probe.bind((host, port))
    except OSError:
        sys.exit(1)
PYTHON
then
    echo "make run: 端口 $PORT 已被占用（$address）。请先停止占用它的程序，或换一个端口，例如：make run PORT=8100" >&2
    echo "make run: port $PORT is already in use; stop what uses it, or choose another port: make run PORT=8100" >&2
    exit 1
fi

"$PY" manage.py compile_translations -v 0  # locale/*.po → .mo: the admin's Chinese where Wagtail's has gaps
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py collectstatic --noinput -v 0
"$PY" manage.py load_demo --base-url "$address"

echo ""
echo "  金财门户已启动：      $address"
echo "  管理后台：            ${address}admin/  （账号见上方“演示管理员”一行）"
echo "  按 Ctrl+C 停止。"
echo ""
# Download files of the demo's data (the 120,000-row XLSX takes a while) are written beside the running server.
# It stops with the server (Ctrl+C, or gunicorn failing to start), not left running on its own.
"$PY" manage.py build_downloads >"${JINCAI_VAR_DIR:-var}/build-downloads.log" 2>&1 &
downloads_pid=$!
trap 'kill "$downloads_pid" 2>/dev/null || true' EXIT
export GUNICORN_BIND="$HOST:$PORT"
export WEB_CONCURRENCY="${WEB_CONCURRENCY:-3}"
"$PY" -m gunicorn -c deploy/gunicorn.conf.py
