"""Highlighted titles and snippets, cut from the original text in Python so that both backends show the same.

Words are found in the normalised text (NFKC, lower case, 繁 → 简, as the analyzer sees it) and marked in the
original (ＰＰＰ stays full-width and 預算 traditional, inside <mark>); everything else is HTML-escaped.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from search.analyzer import fold_char, is_pinyin_token, words_spelled

SNIPPET_LENGTH = 120
SNIPPET_LEAD = 20  # characters shown before the first highlighted word


def highlight_words(terms: tuple[tuple[str, ...], ...], typed: list[str]) -> list[str]:
    """The words worth marking: every token of every alternative, except lone Chinese characters that only
    stand in for part of a longer word (marking every 费 would be noise); what the person typed always."""
    words = set(typed)
    for alternatives in terms:
        for alternative in alternatives:
            for token in alternative.split():
                if (len(token) > 1 or token.isascii()) and not is_pinyin_token(token):
                    words.add(token)
    return _longest_first(words)


def pinyin_searched(terms: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    """The pinyin tokens a query searched titles for (0pguoku, 0igkjz): what Latin letters may spell."""
    return frozenset(token for alternatives in terms for alternative in alternatives
                     for token in alternative.split() if is_pinyin_token(token))


def title_words(title: str, words: list[str], pinyin: frozenset[str]) -> list[str]:
    """The words to mark in one result: `words`, and the words of its title the query's pinyin spells (guoku and
    gk mark 国库 in 关于国库集中支付的通知), so a page found by pinyin shows why."""
    if not pinyin:
        return words
    return _longest_first({*words, *words_spelled(title, pinyin)})


def _longest_first(words) -> list[str]:
    return sorted((word for word in words if word), key=lambda word: (-len(word), word))


def _normalised(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the index of the original character."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for normal in unicodedata.normalize("NFKC", char).lower():
            chars.append(fold_char(normal))
            origin.append(index)
    return "".join(chars), origin


def _pattern(words: list[str]) -> re.Pattern | None:
    if not words:
        return None
    parts = []
    for word in words:
        if word.isascii():
            # An ASCII word only on its own (ppp, not the ppp inside apppx).
            parts.append(rf"(?<![0-9a-z]){re.escape(word)}(?![0-9a-z])")
        else:
            parts.append(re.escape(word))
    return re.compile("|".join(parts))


def find_spans(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, word) of each match in the ORIGINAL text, left to right, longest word first."""
    pattern = _pattern(words)
    if pattern is None or not text:
        return []
    normal, origin = _normalised(text)
    spans = []
    for match in pattern.finditer(normal):
        start, end = origin[match.start()], origin[match.end() - 1] + 1
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end, match.group()))
    return spans


def mark(text: str, words: list[str], *, spans: list[tuple[int, int, str]] | None = None) -> SafeString:
    """`text`, HTML-escaped, with <mark> around each word found."""
    spans = find_spans(text, words) if spans is None else spans
    out, cursor = [], 0
    for start, end, _ in spans:
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(out))


def snippet(text: str, words: list[str], *, length: int = SNIPPET_LENGTH) -> SafeString:
    """About `length` characters of `text` around the part with the most different words, marked."""
    text = " ".join(text.split())
    if not text:
        return mark_safe("")
    spans = find_spans(text, words)
    start = 0
    if spans:
        best_count, best_start = -1, 0
        for first, _, _ in spans:
            window_start = max(0, first - SNIPPET_LEAD)
            found = {word for s, e, word in spans if s >= window_start and e <= window_start + length}
            if len(found) > best_count:
                best_count, best_start = len(found), window_start
        start = best_start
    end = min(len(text), start + length)
    if end == len(text):
        start = max(0, end - length) if spans else start
    window = text[start:end]
    window_spans = [(s - start, e - start, w) for s, e, w in spans if s >= start and e <= end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(escape(prefix) + mark(window, words, spans=window_spans) + escape(suffix))
