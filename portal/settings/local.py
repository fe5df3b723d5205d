"""`make run`: the site as its users see it, on one machine with the embedded default (SQLite, no other server).

DEBUG is off, gunicorn serves it, static files are hashed and compressed (collectstatic) and served by WhiteNoise
with long cache headers, errors are the portal's own Chinese pages. Plain HTTP on the address `make run` prints;
production (portal.settings.production) adds HTTPS, HSTS and secure cookies behind nginx.
"""

import os
import secrets

from .base import *  # noqa: F403
from .base import SECRET_KEY, VAR_DIR, env_list


def _local_secret_key() -> str:
    """A random key made once for this checkout and kept in VAR_DIR, so sessions survive a restart."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50) + "\n")
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = False
# No web server in front: the app serves the public uploads (images, renditions) from MEDIA_ROOT itself.
SERVE_MEDIA = True
SECRET_KEY = SECRET_KEY or _local_secret_key()
# `make run HOST=0.0.0.0` answers on every address of the machine, whatever name a browser uses for it.
_HOST = os.environ.get("JINCAI_HOST", "127.0.0.1")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]") + (
    ["*"] if _HOST in ("0.0.0.0", "::") else [_HOST]
)
