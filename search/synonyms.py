"""Synonym expansion at query time, in Python, so every backend sees the same expanded query.

A query's tokens are matched against each group's terms (as query tokens, longest first); a matched span
becomes one term whose alternatives are all the group's terms. Other tokens get, as an alternative, the
dictionary words inside them (search.analyzer.sub_tokens).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from search.analyzer import pinyin_alternatives, query_tokens, sub_tokens

CACHE_KEY = "search:synonym-groups:1"
# Editors' changes clear the cache in the process that saved them; other processes pick them up within this.
CACHE_SECONDS = 120


@dataclass(frozen=True)
class SynonymGroup:
    terms: tuple[str, ...]  # as editors wrote them, for display
    forms: tuple[tuple[str, ...], ...]  # each term's query tokens

    def alternatives(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(" ".join(form) for form in self.forms if form))


@dataclass(frozen=True)
class Expansion:
    terms: tuple[tuple[str, ...], ...]  # SearchQuery.terms
    groups: tuple[tuple[str, SynonymGroup], ...]  # (the words of the query that matched, their group)
    spans: tuple[tuple[int, int], ...] = ()  # per term: (first token, how many tokens) it stands for

    def also_searched(self) -> list[str]:
        """The synonyms searched beside what was typed, for "同时搜索了…"."""
        shown = []
        for matched, group in self.groups:
            for term, form in zip(group.terms, group.forms):
                if " ".join(form) != matched and term not in shown:
                    shown.append(term)
        return shown


def synonym_groups() -> list[SynonymGroup]:
    groups = cache.get(CACHE_KEY)
    if groups is None:
        groups = _load_groups()
        cache.set(CACHE_KEY, groups, CACHE_SECONDS)
    return groups


def clear_cache(**kwargs) -> None:
    cache.delete(CACHE_KEY)


def _load_groups() -> list[SynonymGroup]:
    from search.models import Synonym

    groups = []
    for synonym in Synonym.objects.all():
        terms = synonym.term_list()
        forms = tuple(tuple(query_tokens(term)) for term in terms)
        kept = [(term, form) for term, form in zip(terms, forms) if form]
        if len(kept) >= 2:
            groups.append(SynonymGroup(terms=tuple(t for t, _ in kept), forms=tuple(f for _, f in kept)))
    return groups


def expand(tokens: list[str], groups: list[SynonymGroup] | None = None) -> Expansion:
    """The query terms for these query tokens, with synonyms, inner words and (for Latin letters that are not
    a synonym such as an acronym) the pinyin tokens of titles they may spell as alternatives."""
    groups = synonym_groups() if groups is None else groups
    terms: list[tuple[str, ...]] = []
    spans: list[tuple[int, int]] = []
    matched: list[tuple[str, SynonymGroup]] = []
    position = 0
    while position < len(tokens):
        best: tuple[int, SynonymGroup] | None = None
        for group in groups:
            for form in group.forms:
                size = len(form)
                if tuple(tokens[position:position + size]) == form and (best is None or size > best[0]):
                    best = (size, group)
        if best:
            size, group = best
            alternatives = group.alternatives()
            # A one-word match keeps its inner words too, as any other word does: pages that write “三公”经费
            # are indexed as 三公 / 经费 and must still be found by 三公经费.
            if size == 1 and (inner := sub_tokens(tokens[position])) and " ".join(inner) not in alternatives:
                alternatives = (*alternatives, " ".join(inner))
            terms.append(alternatives)
            spans.append((position, size))
            matched.append((" ".join(tokens[position:position + size]), group))
            position += size
            continue
        token = tokens[position]
        inner = sub_tokens(token)
        terms.append((token, " ".join(inner), *pinyin_alternatives(token)) if inner
                     else (token, *pinyin_alternatives(token)))
        spans.append((position, 1))
        position += 1
    return Expansion(terms=tuple(terms), groups=tuple(matched), spans=tuple(spans))
