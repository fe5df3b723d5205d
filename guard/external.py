"""External links, checked weekly and politely: at most `concurrency` hosts at a time and one request at a time per
host with `per_host_delay` seconds between them, short timeouts, robots.txt honoured (a disallowed URL is not
fetched), HEAD first and GET when a server refuses HEAD. The standard library only; results are cached by the
caller (guard.models.ExternalLinkCheck) with their check date."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

USER_AGENT = "JincaiSiteGuard/1.0 (+link check; robots.txt honoured)"


class Outcome:
    OK = "ok"
    REDIRECT = "redirect"       # answered after a redirect: works, the link could be updated
    BROKEN = "broken"           # 4xx / 5xx
    TIMEOUT = "timeout"
    ERROR = "error"             # DNS, refused, TLS
    ROBOTS = "robots"           # robots.txt disallows us: not checked, not a finding

    FAILING = frozenset({BROKEN, TIMEOUT, ERROR})


@dataclass(frozen=True)
class LinkAnswer:
    url: str
    outcome: str
    status: int | None = None
    final_url: str = ""
    detail: str = ""


def by_host(urls: list[str]) -> dict[str, list[str]]:
    """The http(s) URLs grouped by scheme and host (each group is fetched in turn, politely), order kept."""
    groups: dict[str, list[str]] = defaultdict(list)
    for url in dict.fromkeys(urls):
        parts = urlsplit(url)
        if parts.scheme in ("http", "https") and parts.hostname:
            groups[f"{parts.scheme}://{parts.netloc}"].append(url)
    return dict(groups)


def describe(answer: LinkAnswer) -> str:
    """The reason shown with a failing link."""
    if answer.outcome == Outcome.BROKEN:
        return f"外部链接打不开（{answer.status}）"
    if answer.outcome == Outcome.TIMEOUT:
        return "外部链接超时无响应"
    return f"外部链接无法访问（{answer.detail}）"


def _fetch(url: str, *, method: str, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http/https only, by_host)
        if method == "GET":
            response.read(65536)
        return response.status, response.geturl()


def check_one(url: str, *, timeout: float) -> LinkAnswer:
    try:
        try:
            status, final = _fetch(url, method="HEAD", timeout=timeout)
        except urllib.error.HTTPError as error:
            if error.code not in (403, 405, 501):  # some servers refuse HEAD only
                raise
            status, final = _fetch(url, method="GET", timeout=timeout)
    except urllib.error.HTTPError as error:
        return LinkAnswer(url, Outcome.BROKEN, status=error.code)
    except TimeoutError:
        return LinkAnswer(url, Outcome.TIMEOUT, detail="超时")
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            return LinkAnswer(url, Outcome.TIMEOUT, detail="超时")
        return LinkAnswer(url, Outcome.ERROR, detail=str(error.reason)[:200])
    except OSError as error:
        return LinkAnswer(url, Outcome.ERROR, detail=str(error)[:200])
    if final and final != url:
        return LinkAnswer(url, Outcome.REDIRECT, status=status, final_url=final)
    return LinkAnswer(url, Outcome.OK, status=status)


def robots_for(origin: str, *, timeout: float) -> urllib.robotparser.RobotFileParser:
    """The host's robots.txt (with our timeout); none or unreadable: everything allowed, 401/403: nothing."""
    parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
    try:
        request = urllib.request.Request(origin + "/robots.txt", headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            parser.parse(response.read(512_000).decode("utf-8", "replace").splitlines())
    except urllib.error.HTTPError as error:
        parser.disallow_all = error.code in (401, 403)
        parser.allow_all = not parser.disallow_all
    except OSError:
        parser.allow_all = True
    return parser


def check_links(urls: list[str], *, concurrency: int = 4, timeout: float = 10.0, per_host_delay: float = 1.0,
                sleep: Callable[[float], None] = time.sleep) -> dict[str, LinkAnswer]:
    """Check each URL once; hosts in parallel (at most `concurrency`), each host's URLs one after another."""
    answers: dict[str, LinkAnswer] = {}
    lock = threading.Lock()

    def host_task(origin: str, host_urls: list[str]) -> None:
        robots = robots_for(origin, timeout=timeout)
        fetched = False
        for url in host_urls:
            if not robots.can_fetch(USER_AGENT, url):
                answer = LinkAnswer(url, Outcome.ROBOTS, detail="robots.txt 禁止访问，未检查")
            else:
                if fetched:
                    sleep(per_host_delay)
                answer = check_one(url, timeout=timeout)
                fetched = True
            with lock:
                answers[url] = answer

    groups = by_host(urls)
    with ThreadPoolExecutor(max_workers=max(1, min(concurrency, len(groups) or 1))) as pool:
        for future in [pool.submit(host_task, origin, host_urls) for origin, host_urls in groups.items()]:
            future.result()
    return answers
