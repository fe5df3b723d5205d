"""网页防篡改: SM3 fingerprints of every published page's HTML (taken when it is published) and of every collected
static file (taken by collectstatic), and the check that compares what is served now with them.

What a fingerprint covers: the page's HTML with the parts that legitimately change on every request blanked out
(the CSRF token, CSP nonces, and the text of elements marked `data-volatile` and of the view/download counters). A page is
fingerprinted again when it or a page below it is published or unpublished (its listings change then); after a
deployment or a change to site-wide settings (navigation, footer) run `manage.py tamper_check --baseline`.

Pages are fetched in-process through the whole middleware stack by default (detects content or templates changed
outside the review chain), or over HTTP from `--base-url` (also detects a changed copy in nginx, Varnish or a CDN).
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from wagtail.models import Page

from audit.models import Action, Fingerprint, FingerprintKind, TamperAlert
from audit.services import audit_record

_CSRF = re.compile(r'(name=["\']csrfmiddlewaretoken["\']\s+value=["\'])[^"\']*(["\'])|'
                   r'(value=["\'])[^"\']*(["\']\s+name=["\']csrfmiddlewaretoken["\'])')
_NONCE = re.compile(r'\snonce=["\'][^"\']*["\']')
# Elements whose text changes on every visit: anything marked data-volatile, and the open-data view/download counters.
_VOLATILE = re.compile(r"(<(\w+)\b[^>]*\bdata-(?:volatile|view-count|download-count)\b[^>]*>).*?(</\2\s*>)", re.S)


def normalise(html: bytes) -> bytes:
    """The HTML with per-request values blanked, so that two renderings of unchanged content compare equal."""
    text = html.decode("utf-8", errors="replace")
    text = _CSRF.sub(lambda m: (m.group(1) or m.group(3)) + (m.group(2) or m.group(4)), text)
    text = _NONCE.sub("", text)
    text = _VOLATILE.sub(r"\1\3", text)
    return text.encode("utf-8")


def sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


# --- fetching pages -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes


_handler = None  # the middleware stack fetch_in_process sends requests through, built once per process


@receiver(setting_changed)
def _forget_handler(**kwargs) -> None:
    global _handler
    _handler = None


def fetch_in_process(url: str) -> Fetched:
    """The page as the application serves it now (every middleware, no proxy in between).

    The middleware stack is built once per process and kept: building it scans every collected static file
    (WhiteNoise), about 0.1 s, which a new test client per page paid on every publish."""
    from django.test import Client
    from django.test.client import ClientHandler

    global _handler
    if _handler is None:
        _handler = ClientHandler(enforce_csrf_checks=False)
    client = Client(raise_request_exception=False)
    client.handler = _handler
    parts = urlsplit(url)
    # Behind nginx the site answers plain HTTP with a redirect: ask as nginx would forward an HTTPS request.
    secure = parts.scheme == "https" or getattr(settings, "SECURE_SSL_REDIRECT", False)
    headers = {"x-forwarded-proto": "https"} if secure else {}
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    response = client.get(path, secure=secure, headers=headers, HTTP_HOST=parts.netloc or "localhost")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return Fetched(response.status_code, body)


def fetch_over_http(url: str, *, base_url: str) -> Fetched:
    """The page as a visitor receives it from `base_url` (through nginx, Varnish or a CDN)."""
    parts = urlsplit(url)
    target = base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
    request = urllib.request.Request(target, headers={"User-Agent": "jincai-tamper-check/1"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - operator-given http(s) URL
            return Fetched(response.status, response.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, b"")
    except (urllib.error.URLError, TimeoutError, OSError):
        return Fetched(0, b"")


def _fetch(url: str, base_url: str) -> Fetched:
    return fetch_over_http(url, base_url=base_url) if base_url else fetch_in_process(url)


# --- fingerprints ---------------------------------------------------------------------------------------------------


def page_fingerprint(*, page: Page) -> Fingerprint | None:
    """Fingerprint one live, public page as it renders now; a page no longer public loses its fingerprint."""
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    url = page.get_full_url()
    public = Page.objects.live().public().filter(pk=page.pk).exists()
    if not url or not public:
        Fingerprint.objects.filter(kind=FingerprintKind.PAGE, page_id=page.pk).delete()
        return None
    fetched = fetch_in_process(url)
    if fetched.status != 200:
        return None
    Fingerprint.objects.filter(kind=FingerprintKind.PAGE, page_id=page.pk).exclude(location=url).delete()
    fingerprint, _ = Fingerprint.objects.update_or_create(
        kind=FingerprintKind.PAGE, location=url, defaults={"sm3": sm3(normalise(fetched.body)), "page_id": page.pk})
    return fingerprint


def page_and_ancestors_fingerprint(*, page_id: int) -> None:
    """After a publish or unpublish: the page itself and every column above it (their listings changed)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        Fingerprint.objects.filter(kind=FingerprintKind.PAGE, page_id=page_id).delete()
        return
    for each in [page, *page.get_ancestors().filter(depth__gt=1).live().order_by("-depth")]:
        page_fingerprint(page=each)


def static_files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sm3_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _sm3_file(path: Path) -> str:
    digest = hashlib.new("sm3")
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def static_baseline(*, root: Path | None = None) -> int:
    """Fingerprint every file under STATIC_ROOT (collectstatic calls this); returns how many."""
    files = static_files(Path(root or settings.STATIC_ROOT))
    with transaction.atomic():
        Fingerprint.objects.filter(kind=FingerprintKind.STATIC).delete()
        Fingerprint.objects.bulk_create(Fingerprint(kind=FingerprintKind.STATIC, location=name, sm3=digest)
                                        for name, digest in files.items())
    return len(files)


def baseline(*, actor=None) -> tuple[int, int]:
    """Fingerprint every live public page and every static file afresh, and close the open alerts."""
    pages = 0
    for page in Page.objects.live().public().filter(depth__gt=1).specific().iterator():
        pages += page_fingerprint(page=page) is not None
    static = static_baseline() if Path(settings.STATIC_ROOT).is_dir() else 0
    TamperAlert.objects.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    audit_record(action=Action.TAMPER_BASELINE, actor=actor, target="全部页面与静态文件",
                 detail={"pages": pages, "static_files": static})
    return pages, static


# --- the check ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    kind: str
    location: str
    problem: str

    def __str__(self) -> str:
        return f"{self.location}：{self.problem}"


def check_pages(*, base_url: str = "") -> list[Finding]:
    findings = []
    for fingerprint in Fingerprint.objects.filter(kind=FingerprintKind.PAGE).order_by("location"):
        fetched = _fetch(fingerprint.location, base_url)
        if fetched.status != 200:
            findings.append(Finding(FingerprintKind.PAGE, fingerprint.location,
                                    f"页面无法正常访问（HTTP {fetched.status or '无响应'}）"))
        elif sm3(normalise(fetched.body)) != fingerprint.sm3:
            findings.append(Finding(FingerprintKind.PAGE, fingerprint.location, "页面内容与发布时的指纹不一致，可能被篡改"))
    return findings


def check_static(*, root: Path | None = None) -> list[Finding]:
    root = Path(root or settings.STATIC_ROOT)
    expected = dict(Fingerprint.objects.filter(kind=FingerprintKind.STATIC).values_list("location", "sm3"))
    if not expected:
        return []
    present = static_files(root) if root.is_dir() else {}
    findings = []
    for name in sorted(set(expected) | set(present)):
        if name not in present:
            findings.append(Finding(FingerprintKind.STATIC, name, "静态文件已被删除"))
        elif name not in expected:
            findings.append(Finding(FingerprintKind.STATIC, name, "出现了 collectstatic 之外新增的静态文件"))
        elif present[name] != expected[name]:
            findings.append(Finding(FingerprintKind.STATIC, name, "静态文件内容与 collectstatic 时的指纹不一致，可能被篡改"))
    return findings


def alert_recipients() -> list[str]:
    configured = list(getattr(settings, "TAMPER_ALERT_EMAILS", []) or [])
    if configured:
        return configured
    return list(get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
                .values_list("email", flat=True))


def tamper_check(*, base_url: str = "") -> list[Finding]:
    """Compare every fingerprint with what is served now. New differences become admin notices (open alerts on the
    dashboard), audit records and one mail naming every URL and file; a difference already alerted is not mailed
    again until it is resolved (by --baseline)."""
    findings = check_pages(base_url=base_url) + check_static()
    open_alerts = set(TamperAlert.objects.filter(resolved_at__isnull=True).values_list("kind", "location", "problem"))
    new = [f for f in findings if (f.kind, f.location, f.problem) not in open_alerts]
    for finding in new:
        TamperAlert.objects.create(kind=finding.kind, location=finding.location[:1024], problem=finding.problem)
        audit_record(action=Action.TAMPER_ALERT, target=finding.location, detail={"problem": finding.problem})
    recipients = alert_recipients()
    if new and recipients:
        lines = "\n".join(f"- {finding}" for finding in new)
        send_mail(
            f"【网页防篡改告警】发现 {len(new)} 处内容与指纹不一致",
            f"网页防篡改检查于 {timezone.localtime():%Y年%m月%d日 %H:%M} 发现以下网址或文件与发布时的指纹不一致：\n\n"
            f"{lines}\n\n请立即核查。确认为正常变更后，运行 manage.py tamper_check --baseline 更新指纹。\n",
            settings.DEFAULT_FROM_EMAIL, recipients,
        )
    return findings


def open_alerts() -> Iterable[TamperAlert]:
    return TamperAlert.objects.filter(resolved_at__isnull=True).order_by("-detected_at")[:20]
