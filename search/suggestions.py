"""Suggestions as one types: finance terms, titles and popular queries, also by pinyin (full spelling or
initials: czys → 财政预算, caizheng → 财政…)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from pypinyin import Style, lazy_pinyin

from search.analyzer import dictionary_terms, normalize, query_tokens
from search.backends import database_backend
from search.synonyms import synonym_groups

MAX_SUGGESTIONS = 10
# A query is offered to others only once this many searches found something with it, and never when it looks
# like personal data (an ID, phone or account number, an email address).
MIN_POPULAR_COUNT = 2
_PERSONAL = re.compile(r"\d{6,}|@")
MAX_PREFIX_LENGTH = 40
_PINYIN_INPUT = re.compile(r"[a-z]+")
_HAS_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str  # "term", "title", "popular"
    url: str = ""


def pinyin_of(text: str) -> tuple[str, str]:
    """(full spelling, initials) of a text, lower case without spaces: 财政预算 → (caizhengyusuan, czys)."""
    full = lazy_pinyin(text, errors="ignore")
    initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(full).lower(), "".join(initials).lower()


@dataclass(frozen=True)
class _Term:
    text: str
    pinyin: str
    initials: str


@functools.cache
def _dictionary_vocabulary() -> tuple[_Term, ...]:
    return tuple(_Term(term, *pinyin_of(term)) for term, _ in dictionary_terms() if _HAS_CJK.search(term))


def vocabulary() -> list[_Term]:
    """Finance dictionary terms and synonym terms, with their pinyin."""
    terms = {term.text: term for term in _dictionary_vocabulary()}
    for group in synonym_groups():
        for text in group.terms:
            if text not in terms and _HAS_CJK.search(text):
                terms[text] = _Term(text, *pinyin_of(text))
    return list(terms.values())


def pinyin_terms(text: str, *, limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Terms whose pinyin initials or full spelling start with `text` (letters only), best first:
    exact initials first, then the shortest."""
    letters = normalize(text).replace(" ", "")
    if not _PINYIN_INPUT.fullmatch(letters):
        return []
    found = [term for term in vocabulary() if term.initials.startswith(letters) or term.pinyin.startswith(letters)]
    found.sort(key=lambda term: (term.initials != letters and term.pinyin != letters, len(term.text), term.text))
    return [term.text for term in found[:limit]]


def suggest(raw: str, *, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """What to offer under the search box for what has been typed so far."""
    text = " ".join(raw.split())[:MAX_PREFIX_LENGTH]
    normal = normalize(text).strip()
    if not normal:
        return []
    suggestions: list[Suggestion] = []
    letters = normal.replace(" ", "")
    if _PINYIN_INPUT.fullmatch(letters):
        suggestions += [Suggestion(term, "term") for term in pinyin_terms(letters, limit=limit)]
        popular = _popular(
            Q(initials__startswith=letters) | Q(pinyin__startswith=letters) | Q(text__istartswith=normal)
        )
    else:
        suggestions += [Suggestion(term.text, "term") for term in vocabulary()
                        if term.text.startswith(normal) and term.text != normal][:limit]
        popular = _popular(Q(text__istartswith=normal))
    suggestions += [Suggestion(query.text, "popular") for query in popular[:limit]]
    for entry in database_backend().title_matches(query_tokens(normal), limit=5):
        suggestions.append(Suggestion(entry.title, "title", entry.url))
    return _distinct(suggestions)[:limit]


def popular_queries(*, limit: int = 8) -> list[str]:
    from search.models import PopularQuery

    return list(PopularQuery.objects.filter(hidden=False, count__gte=MIN_POPULAR_COUNT).order_by("-count", "text")
                .values_list("text", flat=True)[:limit])


def record_query(text: str) -> None:
    """Count a query that found something (the source of popular searches)."""
    from search.models import PopularQuery

    text = text.strip()[:100]
    if not text or _PERSONAL.search(text):
        return
    now = timezone.now()
    if PopularQuery.objects.filter(text=text).update(count=F("count") + 1, last_searched_at=now):
        return
    full, initials = pinyin_of(text)
    try:
        with transaction.atomic():
            PopularQuery.objects.create(text=text, count=1, last_searched_at=now, pinyin=full[:600],
                                        initials=initials[:100])
    except IntegrityError:  # someone else counted it first
        PopularQuery.objects.filter(text=text).update(count=F("count") + 1, last_searched_at=now)


def _popular(condition: Q):
    from search.models import PopularQuery

    return PopularQuery.objects.filter(condition, hidden=False, count__gte=MIN_POPULAR_COUNT).order_by("-count", "text")


def _distinct(suggestions: list[Suggestion]) -> list[Suggestion]:
    seen, kept = set(), []
    for suggestion in suggestions:
        if suggestion.text not in seen:
            seen.add(suggestion.text)
            kept.append(suggestion)
    return kept
