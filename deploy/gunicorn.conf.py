"""Gunicorn configuration for Jincai Portal (金财门户).

Usage (from the repository root, with the virtualenv's gunicorn):

    gunicorn -c deploy/gunicorn.conf.py
    gunicorn -c deploy/gunicorn.conf.py portal.wsgi:application   # same thing, explicit

Everything can be tuned through environment variables (in production they come from
/etc/jincai/env via the systemd unit deploy/systemd/jincai.service):

    GUNICORN_BIND              address(es) to listen on, comma separated
                               (default 127.0.0.1:8000; e.g. unix:/run/jincai/gunicorn.sock)
    WEB_CONCURRENCY            worker processes (default 2 * CPU cores + 1)
    GUNICORN_THREADS           threads per worker (default 4; >1 selects the gthread worker)
    GUNICORN_TIMEOUT           seconds before a silent worker is killed and restarted (default 60)
    GUNICORN_GRACEFUL_TIMEOUT  seconds workers get to finish requests on restart/stop (default 30)
    GUNICORN_KEEPALIVE         seconds to keep idle keep-alive connections from nginx (default 5)
    GUNICORN_MAX_REQUESTS      recycle a worker after this many requests, 0 = never (default 1000)
    GUNICORN_MAX_REQUESTS_JITTER  random extra requests so workers do not recycle together (default 100)
    GUNICORN_LOG_LEVEL         debug|info|warning|error|critical (default info)
    GUNICORN_ACCESS_LOG        access log file, "-" = stdout (default), "" = disabled
    FORWARDED_ALLOW_IPS        proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1,::1)
    GUNICORN_CONTROL_SOCKET    control socket for `gunicornc` (default: $RUNTIME_DIRECTORY/gunicorn.ctl
                               under systemd, else var/gunicorn-<first bind address>.ctl: one per instance)
    GUNICORN_SHARE_SEGMENTER   1 (default): the master imports rjieba, so the workers share its dictionary; 0: not

DJANGO_SETTINGS_MODULE is NOT set here: set it in the environment
(portal.settings.production in production, see deploy/env.example).
"""

import multiprocessing
import os
from pathlib import Path


def _env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"gunicorn.conf.py: {name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise SystemExit(f"gunicorn.conf.py: {name} must be >= {minimum}, got {value}")
    return value


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Application -------------------------------------------------------------------------
# The repository root (this file lives in <repo>/deploy/), so `portal` is importable no
# matter where gunicorn is started from.
chdir = str(Path(__file__).resolve().parent.parent)
wsgi_app = "portal.wsgi:application"
proc_name = "jincai"

# --- Sockets -----------------------------------------------------------------------------
bind = _env_list("GUNICORN_BIND", "127.0.0.1:8000")
backlog = 2048

# --- Workers -----------------------------------------------------------------------------
workers = _env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1, minimum=1)
threads = _env_int("GUNICORN_THREADS", 4, minimum=1)
worker_class = "gthread" if threads > 1 else "sync"
# Each thread may hold a PostgreSQL connection (CONN_MAX_AGE): keep
# workers * threads (+ task worker + management commands) below max_connections.

timeout = _env_int("GUNICORN_TIMEOUT", 60, minimum=1)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5, minimum=0)

# Recycle workers now and then (guards against slow memory growth in long-lived workers).
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Import the app in each worker, not in the master: no shared DB connections across fork,
# and `systemctl reload` (SIGHUP) picks up new code.
preload_app = False

# The search segmenter's dictionary (rjieba: 33 MB, built by importing it) is loaded once in the master and shared
# copy-on-write by every worker: it lives in rjieba's own (Rust) memory, which Python's reference counting never
# writes to, so it stays shared (measured with 2 workers after searches: USS 153 → 128 MB per worker, PSS 158 →
# 140 MB; RSS, which counts shared pages in full, is unchanged). Only this third-party library is loaded early:
# the portal's own code is still imported by each worker, so `systemctl reload` still picks up new code (a new
# rjieba needs a restart). The master costs 33 MB more even if nobody searches.
if _env_int("GUNICORN_SHARE_SEGMENTER", 1):

    def on_starting(server):
        import rjieba  # noqa: F401


# Worker heartbeat files on tmpfs, so a slow disk cannot make healthy workers look dead.
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"

# Request limits (nginx already enforces client_max_body_size for bodies).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# Control socket (gunicorn >= 25.1, used by `gunicornc`; older versions ignore the name).
# Under systemd, RuntimeDirectory=jincai provides RUNTIME_DIRECTORY=/run/jincai.
_runtime_dir = os.environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
elif _runtime_dir:
    control_socket = os.path.join(_runtime_dir, "gunicorn.ctl")
else:
    # Never gunicorn's default path, which every instance on the machine shares: one per instance, named after
    # its first bind address, in this checkout's runtime folder.
    _var_dir = os.environ.get("JINCAI_VAR_DIR") or os.path.join(chdir, "var")
    _instance = "".join(c if c.isalnum() or c in ".-" else "-" for c in bind[0]).strip("-")
    control_socket = os.path.join(_var_dir, f"gunicorn-{_instance}.ctl")

# --- Reverse proxy -----------------------------------------------------------------------
# Trust X-Forwarded-Proto (-> wsgi.url_scheme / request.is_secure()) only from nginx on this
# host. Django additionally needs SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https").
forwarded_allow_ips = ",".join(_env_list("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"))

# --- Logging -----------------------------------------------------------------------------
# Access log on stdout, errors on stderr (journald captures both under systemd).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# "combined" log format, with the real client address from nginx (X-Real-IP) first, and the
# request duration in milliseconds appended.  %(h)s is the peer (nginx, usually 127.0.0.1).
access_log_format = (
    '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" '
    "peer=%(h)s rt=%(M)sms"
)
# Do not also forward app stdout/stderr prints into the error log.
capture_output = False
