"""Suggestions as one types: finance terms, titles and popular queries, also by pinyin (full spelling or
initials: czys → 财政预算, caizheng → 财政…)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from django.db.models import Q

from search.analyzer import dictionary_terms, normalize, query_tokens
from search.backends import database_backend
from search.synonyms import synonym_groups

MAX_SUGGESTIONS = 10
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
    from search.pinyin import Style, lazy_pinyin  # 14 MB: imported by the first suggestion, not by every worker

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
    """大家都在搜: only what an editor allowed (search.popular)."""
    from search.popular import shown_popular_queries

    return list(shown_popular_queries().values_list("text", flat=True)[:limit])


def record_query(text: str, *, visitor: str) -> None:
    """Count that `visitor` (a hashed key, search.popular.visitor_key) found something with `text`."""
    from search.popular import popular_query_record

    popular_query_record(text=text, visitor=visitor)


def _popular(condition: Q):
    from search.popular import shown_popular_queries

    return shown_popular_queries().filter(condition)


def _distinct(suggestions: list[Suggestion]) -> list[Suggestion]:
    seen, kept = set(), []
    for suggestion in suggestions:
        if suggestion.text not in seen:
            seen.add(suggestion.text)
            kept.append(suggestion)
    return kept
