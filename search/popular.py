"""大家都在搜 (popular searches) that nobody can write into: a query becomes a candidate only after enough distinct
visitors found something with it within a window, never when it looks like markup, a link or personal data, and it
is shown only after an editor allowed it (设置 › 热门搜索). Decisions go to Wagtail's log and from there into the
audit trail (audit.signals).

Settings: POPULAR_SEARCH_MIN_VISITORS (default 5) distinct visitors within POPULAR_SEARCH_WINDOW_DAYS (default 7);
POPULAR_SEARCH_SALT keys the visitor hash (by default derived from SECRET_KEY).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.log_actions import log

from search.models import PopularQuery, PopularStatus, QuerySighting

MAX_CANDIDATE_LENGTH = 30
# Separators people type inside phone and ID numbers (138-1234-5678, 110101 19900307 777X).
_NUMBER_SEPARATORS = re.compile(r"[\s\-‐‑–—.·/()（）+＋_]")
_DIGIT_GROUP = re.compile(r"\d+")
_YEAR = re.compile(r"19[4-9]\d|20\d\d")
# What never becomes a candidate, each with the reason an editor or a test can read.
REFUSED: tuple[tuple[str, re.Pattern], ...] = (
    ("markup", re.compile(r"[<>{}\[\]\\`\"'&;=|^$#*]|(?<!\d)%|%%")),
    ("link", re.compile(r"(?i)(://|\bwww\.|\b[a-z0-9-]+\.(com|cn|net|org|gov|edu|top|xyz|info|cc|io|me|vip|"
                        r"app|site|online|shop|club|tk|ru|hk|tw)\b|[a-z0-9-]+\.[a-z0-9-]+/)")),
    ("email or handle", re.compile(r"@")),
    ("personal number", re.compile(r"\d{6,}|\d{5,}[xX]")),
)
ACTION_PREFIX = "search.popular."
DECISION_ACTIONS = {status: f"{ACTION_PREFIX}{status.value}" for status in PopularStatus}


def min_visitors() -> int:
    return int(getattr(settings, "POPULAR_SEARCH_MIN_VISITORS", 5))


def window() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "POPULAR_SEARCH_WINDOW_DAYS", 7)))


def refusal(text: str) -> str:
    """Why `text` may never be a popular search ("" when it may): markup, links, emails, numbers that could be
    a phone, ID, account or card number, control characters, or too long."""
    if not text:
        return "empty"
    if len(text) > MAX_CANDIDATE_LENGTH:
        return "too long"
    if any(unicodedata.category(char)[0] == "C" for char in text):
        return "control character"
    # Groups of digits may be one number typed in parts; years side by side ("2024 2025", "2023-2025年") are not.
    only_years = all(_YEAR.fullmatch(group) for group in _DIGIT_GROUP.findall(text))
    digits_joined = text if only_years else _NUMBER_SEPARATORS.sub("", text)
    for reason, pattern in REFUSED:
        if pattern.search(text) or (reason == "personal number" and pattern.search(digits_joined)):
            return reason
    return ""


def candidate_text(raw: str) -> str:
    """The text as it would be counted (NFKC, so full-width digits and brackets are caught; spaces collapsed), or
    "" when it may never be a popular search."""
    text = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    return "" if refusal(text) else text


def visitor_key(address: str) -> str:
    """A salted SM3 of the visitor's address (an IPv6 address by its /64, which one household holds): the same
    visitor always gets the same key, and the address cannot be read back from it."""
    try:
        parsed = ipaddress.ip_address((address or "").strip())
        if parsed.version == 6 and parsed.ipv4_mapped is not None:
            parsed = parsed.ipv4_mapped
        if parsed.version == 6:
            parsed = ipaddress.ip_network(f"{parsed}/64", strict=False).network_address
        address = str(parsed)
    except ValueError:
        address = (address or "").strip()[:64]
    if not address or address == "unknown":
        return ""
    salt = getattr(settings, "POPULAR_SEARCH_SALT", "") or f"jincai-popular-search:{settings.SECRET_KEY}"
    return hmac.new(salt.encode("utf-8"), address.encode("utf-8"), "sm3").hexdigest()


def popular_query_record(*, text: str, visitor: str, now: dt.datetime | None = None) -> PopularQuery | None:
    """Count that `visitor` found something with `text`. Returns the candidate once enough distinct visitors did
    (new ones wait for an editor as 待审核), None while they have not or when the text is refused."""
    from search.suggestions import pinyin_of

    text = candidate_text(text)
    if not text or not visitor:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        QuerySighting.objects.filter(seen_at__lt=now - window()).delete()
        if not QuerySighting.objects.filter(text=text, visitor=visitor).update(seen_at=now):
            try:
                with transaction.atomic():
                    QuerySighting.objects.create(text=text, visitor=visitor, seen_at=now)
            except IntegrityError:  # the same visitor's other request counted it first
                pass
        visitors = QuerySighting.objects.filter(text=text).count()
        if PopularQuery.objects.filter(text=text).update(count=F("count") + 1, visitors=visitors,
                                                          last_searched_at=now):
            return PopularQuery.objects.get(text=text)
        if visitors < min_visitors():
            return None
        full, initials = pinyin_of(text)
        try:
            with transaction.atomic():
                return PopularQuery.objects.create(text=text, count=visitors, visitors=visitors, last_searched_at=now,
                                                   pinyin=full[:600], initials=initials[:100])
        except IntegrityError:  # another visitor's request made it a candidate at the same moment
            return PopularQuery.objects.get(text=text)


def popular_query_decide(*, queries: Iterable[PopularQuery], status: PopularStatus | str, actor) -> int:
    """Allow, block or send back to 待审核 the given candidates; each decision is logged (Wagtail's history and
    the audit trail). Returns how many changed."""
    status = PopularStatus(status)
    changed = 0
    with transaction.atomic():
        locked = PopularQuery.objects.select_for_update().filter(pk__in=[query.pk for query in queries])
        for query in locked.order_by("pk"):
            if query.status == status:
                continue
            previous = query.status
            query.status = status
            query.decided_by = actor.get_username()[:150] if actor is not None else ""
            query.decided_at = timezone.now()
            query.save(update_fields=["status", "decided_by", "decided_at"])
            log(instance=query, action=DECISION_ACTIONS[status], user=actor,
                data={"text": query.text, "from": previous, "to": status.value})
            changed += 1
    return changed


def shown_popular_queries():
    """Candidates the public may see: allowed by an editor, most visitors first."""
    return PopularQuery.objects.filter(status=PopularStatus.ALLOWED).order_by("-visitors", "-count", "text")
