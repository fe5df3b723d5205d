"""Normalise and segment text for search, the same way for every backend.

- NFKC (full-width → half-width: ＰＰＰ１２３ → ppp123) and lower case;
- runs of ASCII letters and digits are tokens of their own (ppp, gdp, 2025), never cut by the segmenter;
- runs of Chinese characters are segmented by rjieba with the finance user dictionary in
  search/dictionary/finance.txt: search mode at index time (政府采购 → 政府 采购 政府采购, so a two-character
  query finds the longer word), precise mode at query time;
- punctuation and other symbols are dropped, so no character of the query ever reaches a backend as syntax.

rjieba has no `load_userdict`, but its `Jieba.add_word(word, freq, tag)` takes one word at a time (a freq of
None lets it choose a frequency high enough for the word to win), so the dictionary is loaded word by word
into a Jieba instance of our own, leaving the module-level default instance untouched.

The HMM new-word discovery is off: it segments unknown words differently depending on their neighbours,
so a word could be cut one way in a document and another way in a query. Without it, unknown text falls back
to single characters, which match the same way everywhere.

ANALYZER_VERSION names this code and the dictionary's contents; it is stored with every index, and an index
built with another version is rebuilt (see search.indexing.rebuild_if_stale).
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

import rjieba

# Bump when the code below changes the tokens it produces; dictionary changes are picked up by the hash.
CODE_VERSION = 1
DICTIONARY_PATH = Path(__file__).resolve().parent / "dictionary" / "finance.txt"
MAX_TOKEN_LENGTH = 64

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_WORD = re.compile(f"[{_CJK}]+")
_RUNS = re.compile(rf"(?P<ascii>[0-9a-z]+)|(?P<cjk>[{_CJK}]+)|(?P<other>(?:(?![0-9a-z{_CJK}])[^\W_])+)")

# Dropped from queries (not from documents) when the query has other words: they carry no meaning on their
# own, and a document that says 预算编制 should answer a query for 预算的编制.
QUERY_STOPWORDS = frozenset("的 了 和 与 及 或 在 是 之 等 对 把 被 从 向 于 将 并 而 其 以 为 由".split())


def dictionary_terms(path: Path = DICTIONARY_PATH) -> list[tuple[str, int | None]]:
    """The (term, frequency or None) entries of a dictionary file, normalised like any text."""
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        entries.append((normalize(parts[0]), freq))
    return entries


def _version() -> str:
    digest = hashlib.sha256(DICTIONARY_PATH.read_bytes()).hexdigest()[:12]
    return f"{CODE_VERSION}-{digest}"


ANALYZER_VERSION = _version()


def normalize(text: str) -> str:
    """NFKC (full-width → half-width) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@functools.cache
def _segmenter() -> rjieba.Jieba:
    jieba = rjieba.Jieba()
    for term, freq in dictionary_terms():
        # Only Chinese terms go to the segmenter: ASCII runs are never segmented anyway.
        if _CJK_WORD.fullmatch(term):
            jieba.add_word(term, freq, None)
    return jieba


def _words(text: str) -> list[str]:
    """Precise-mode words and ASCII runs of `text`, in order."""
    jieba = _segmenter()
    words: list[str] = []
    for match in _RUNS.finditer(normalize(text)):
        run = match.group()
        if match.lastgroup == "cjk":
            words.extend(word for word in jieba.cut(run, False) if word.strip())
        else:
            words.append(run[:MAX_TOKEN_LENGTH])
    return words


@functools.lru_cache(maxsize=100_000)  # a corpus repeats the same few thousand words
def _parts(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The dictionary words strictly inside a Chinese word (two characters or more), and the characters of the
    word that none of them covers."""
    if len(word) < 3 or not _CJK_WORD.fullmatch(word):
        return (), ()
    jieba = _segmenter()
    parts = []
    covered = [False] * len(word)
    for size in range(len(word) - 1, 1, -1):
        for start in range(len(word) - size + 1):
            part = word[start:start + size]
            if jieba.has_word(part):
                parts.append(part)
                covered[start:start + size] = [True] * size
    return tuple(parts), tuple(char for char, done in zip(word, covered) if not done)


def index_tokens(text: str) -> list[str]:
    """Index-time tokens (search mode): every word, every dictionary word inside it, and the characters
    of it no inner word covers (减税降费 → 减税降费 减税 降 费), so that a query for a part finds the whole."""
    tokens: list[str] = []
    for word in _words(text):
        tokens.append(word)
        parts, singles = _parts(word)
        tokens.extend(parts)
        tokens.extend(singles)
    return tokens


def query_tokens(text: str) -> list[str]:
    """Query-time tokens (precise mode), stop words dropped unless nothing else is left."""
    tokens = _words(text)
    meaningful = [token for token in tokens if token not in QUERY_STOPWORDS]
    return meaningful or tokens


def sub_tokens(token: str) -> list[str]:
    """What a query token also matches as a whole (all of them required): the largest dictionary words inside
    it and the characters they leave uncovered (国库集中支付 → 国库 集中 支付).

    A longer word in a query may be cut differently inside a document (政府和社会资本合作项目 is indexed as
    … 政府和社会资本合作 项目, never as 合作项目), so a query for 合作项目 also accepts 合作 and 项目.
    """
    parts, singles = _parts(token)
    if not parts:
        return []
    largest = [part for part in parts if not any(part != other and part in other for other in parts)]
    ordered = sorted([*largest, *singles], key=lambda piece: token.find(piece))
    return list(dict.fromkeys(ordered))


def index_text(text: str) -> str:
    """Index-time tokens joined by spaces, as SearchDocument.title_tokens / body_tokens hold them."""
    return " ".join(index_tokens(text))
