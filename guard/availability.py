"""可用性: asking the site's own server for its home page and key URLs (`manage.py site_guard probe`), and the uptime
the answers add up to. The fetch uses the standard library (no download at run time: it only asks the local server);
the arithmetic is pure."""

from __future__ import annotations

import datetime as dt
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

USER_AGENT = "JincaiSiteGuard/1.0 (availability probe)"


@dataclass(frozen=True)
class ProbeAnswer:
    url: str
    status: int | None
    elapsed_ms: int
    size: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400 and not self.error


def probe(url: str, *, timeout: float = 10.0, max_bytes: int = 20_000_000) -> ProbeAnswer:
    """GET `url` once (redirects followed) and report status, time and size; a failure is an answer too."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (our own server)
            size = len(response.read(max_bytes))
            return ProbeAnswer(url, response.status, _ms(started), size)
    except urllib.error.HTTPError as error:
        body = error.read() if error.fp else b""
        return ProbeAnswer(url, error.code, _ms(started), len(body), error=f"HTTP {error.code}")
    except (TimeoutError, socket.timeout):
        return ProbeAnswer(url, None, _ms(started), 0, error=f"超时（{timeout:g} 秒无响应）")
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return ProbeAnswer(url, None, _ms(started), 0, error=f"超时（{timeout:g} 秒无响应）")
        return ProbeAnswer(url, None, _ms(started), 0, error=f"无法连接：{reason}"[:200])
    except OSError as error:
        return ProbeAnswer(url, None, _ms(started), 0, error=f"连接中断：{error}"[:200])


def _ms(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def uptime(rounds: list[tuple[dt.datetime, bool]], *, since: dt.datetime) -> float | None:
    """The share (0-100) of probe rounds since `since` in which every URL answered; None without rounds.

    `rounds` holds (round time, all answered) pairs."""
    window = [ok for moment, ok in rounds if moment >= since]
    if not window:
        return None
    return round(100 * sum(window) / len(window), 2)
