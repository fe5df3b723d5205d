"""API keys for 有条件开放 data: generation, parsing and constant-time checking. Pure functions, no database.

A key reads `jcd_<prefix>.<secret>`: the prefix (8 hex digits) is stored in clear to find the key and to show
staff which key is which; only the SHA-256 of the secret is stored, so a database dump reveals no usable key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

KEY_TAG = "jcd_"
PREFIX_BYTES = 4
SECRET_BYTES = 32
_KEY_RE = re.compile(r"^jcd_([0-9a-f]{8})\.([A-Za-z0-9_-]{20,100})$")


@dataclass(frozen=True)
class NewKey:
    prefix: str
    secret: str
    secret_hash: str

    @property
    def plaintext(self) -> str:
        return f"{KEY_TAG}{self.prefix}.{self.secret}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def generate() -> NewKey:
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return NewKey(prefix=secrets.token_hex(PREFIX_BYTES), secret=secret, secret_hash=hash_secret(secret))


def parse(text: str) -> tuple[str, str] | None:
    """(prefix, secret) of a key as a client sent it; None when it does not have a key's shape."""
    match = _KEY_RE.match(text.strip())
    return (match.group(1), match.group(2)) if match else None


def matches(secret: str, secret_hash: str) -> bool:
    """Whether `secret` hashes to `secret_hash`, compared in constant time."""
    return hmac.compare_digest(hash_secret(secret), secret_hash)


def from_headers(headers) -> str:
    """The key a request carries in `X-API-Key` or `Authorization: Bearer …` ("" when none)."""
    if key := headers.get("X-API-Key", "").strip():
        return key
    scheme, _, value = headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    # CKAN clients (ckanapi's apikey) send their token as the whole Authorization header.
    if not value and parse(scheme):
        return scheme
    return ""
