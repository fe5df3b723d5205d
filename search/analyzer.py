"""Normalise and segment text for search, the same way for every backend.

- NFKC (full-width → half-width: ＰＰＰ１２３ → ppp123), lower case, and traditional characters folded to
  simplified ones (預決算公開 → 预决算公开) character by character with OpenCC's t2s table, so one character
  stays one character and highlights can be found in the text as written (the table is written out once in
  search/dictionary/t2s_chars.txt, so a worker reads 4,200 pairs instead of loading OpenCC);
- runs of ASCII letters and digits are tokens of their own (ppp, gdp, 2025), never cut by the segmenter;
- runs of Chinese characters are segmented by rjieba with the finance user dictionary in
  search/dictionary/finance.txt: search mode at index time (政府采购 → 政府 采购 政府采购, so a two-character
  query finds the longer word), precise mode at query time;
- punctuation and other symbols are dropped, so no character of the query ever reaches a backend as syntax.

rjieba has no `load_userdict`, but its `Jieba.add_word(word, freq, tag)` takes one word at a time (a freq of
None lets it choose a frequency high enough for the word to win), so the dictionary is loaded word by word.
It goes into rjieba's module-level default instance, which importing rjieba builds anyway (24 MB): an instance
of our own beside it would hold a second copy of the general dictionary. Nothing else in the portal segments
with rjieba.

The HMM new-word discovery is off: it segments unknown words differently depending on their neighbours,
so a word could be cut one way in a document and another way in a query. Without it, unknown text falls back
to single characters, which match the same way everywhere.

Titles also get pinyin tokens (title_index_text): every Chinese word of the title and every pair of adjacent
words, spelled in full (PINYIN_PREFIX + guoku) and by initials (INITIALS_PREFIX + gk). The prefixes hold a digit,
which no word of a text starts with, so a pinyin token never meets an English word or an acronym.

ANALYZER_VERSION names this code and the dictionary's contents; it is stored with every index, and an index
built with another version is rebuilt (see search.indexing.rebuild_if_stale).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rjieba

# rjieba (33 MB with its dictionary) and pypinyin (search.pinyin: 14 MB) are imported where they are first used,
# not with this module (and OpenCC only to write search/dictionary/t2s_chars.txt): a web worker that never segments
# text (most page views) does not carry them (issue 16: worker RSS).

# Bump when the code below changes the tokens it produces; dictionary changes are picked up by the hash.
CODE_VERSION = 2
DICTIONARY_PATH = Path(__file__).resolve().parent / "dictionary" / "finance.txt"
FOLD_TABLE_PATH = DICTIONARY_PATH.with_name("t2s_chars.txt")
MAX_TOKEN_LENGTH = 64

_CJK = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK_WORD = re.compile(f"[{_CJK}]+")
_RUNS = re.compile(rf"(?P<ascii>[0-9a-z]+)|(?P<cjk>[{_CJK}]+)|(?P<other>(?:(?![0-9a-z{_CJK}])[^\W_])+)")

# Dropped from queries (not from documents) when the query has other words: they carry no meaning on their
# own, and a document that says 预算编制 should answer a query for 预算的编制. Question words too: a person
# asks 怎样办理注册会计师注册, the guide says 注册会计师注册; they never decide whether a page matches.
FUNCTION_WORDS = "的 了 和 与 及 或 在 是 之 等 对 把 被 从 向 于 将 并 而 其 以 为 由 吗 呢 吧 啊 呀 么 嘛 么样"
QUESTION_WORDS = (
    "如何 怎么 怎样 怎么样 怎么办 怎么办理 如何办理 怎样办理 哪些 哪个 哪里 哪儿 在哪 在哪里 哪 什么 什么样 为什么 为何 "
    "是否 能否 可否 能不能 可不可以 是不是 有没有 多少 几 请问 请教 咨询 想问 问 我想 我要 我 需要 应该 应当 "
    "要求 条件 办法 流程 手续 规定 标准 有 可以 能 会 去 查 查询 办理 申请 是什么 什么是 啥"
)
# Words that only shape a question: they may add score, never decide whether a page matches.
SOFT_WORDS = frozenset(("办理 申请 查询 查 要求 条件 流程 手续 规定 标准 办法 需要 应该 应当 可以 能 会 去 有 "
                        "咨询 问").split())
QUERY_STOPWORDS = frozenset(FUNCTION_WORDS.split()) | (frozenset(QUESTION_WORDS.split()) - SOFT_WORDS)
PINYIN_PREFIX = "0p"  # full pinyin tokens of title words: 0pguoku
INITIALS_PREFIX = "0i"  # initials tokens of title words: 0igk


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
    digest = hashlib.sha256(DICTIONARY_PATH.read_bytes() + FOLD_TABLE_PATH.read_bytes()).hexdigest()[:12]
    return f"{CODE_VERSION}-{digest}"


ANALYZER_VERSION = _version()


_FOLDED_BLOCKS = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))
FOLD_TABLE_HEADER = """\
# 繁 → 简 one character for one (search/analyzer.py: fold): every Chinese character OpenCC's t2s changes into one
# other character, each converted alone. Written by search.analyzer.write_fold_table() from OpenCC, and checked
# against it by tests/search/test_analyzer.py; a web worker reads this file instead of loading OpenCC (8 MB).
# Any change here changes ANALYZER_VERSION, and the index is rebuilt with it.
"""


def fold_table_from_opencc() -> dict[int, str]:
    """Every Chinese character OpenCC's t2s changes into one other character (about 4,200): each character
    converted on a line of its own, so no phrase rule reaches across two of them."""
    import opencc

    t2s = opencc.OpenCC("t2s")
    chars = [chr(code) for start, end in _FOLDED_BLOCKS for code in range(start, end)]
    converted = t2s.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # a rule joined lines after all: convert one by one
        converted = [t2s.convert(char) for char in chars]
    return {ord(char): folded for char, folded in zip(chars, converted) if len(folded) == 1 and folded != char}


def write_fold_table(path: Path = FOLD_TABLE_PATH) -> None:
    """FOLD_TABLE_PATH written again from OpenCC (after upgrading it)."""
    table = fold_table_from_opencc()
    lines = [f"{chr(code)} {folded}" for code, folded in sorted(table.items())]
    path.write_text(FOLD_TABLE_HEADER + "\n".join(lines) + "\n", encoding="utf-8")


@functools.cache
def _fold_table() -> dict[int, str]:
    """FOLD_TABLE_PATH as a str.translate table."""
    table = {}
    for line in FOLD_TABLE_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            char, folded = line.split()
            table[ord(char)] = folded
    return table


def fold_char(char: str) -> str:
    """One character in simplified script (OpenCC t2s of the character alone), or the character itself."""
    return _fold_table().get(ord(char), char) if len(char) == 1 else char


def fold(text: str) -> str:
    """Traditional characters folded to simplified ones, one for one (the length never changes)."""
    return text.translate(_fold_table())


def normalize(text: str) -> str:
    """NFKC (full-width → half-width), lower case, 繁 → 简 character by character."""
    return fold(unicodedata.normalize("NFKC", text).lower())


@functools.cache
def _segmenter() -> rjieba.Jieba:
    import rjieba

    jieba = rjieba._DEFAULT_JIEBA
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
    """Query-time tokens (precise mode), function and question words dropped unless nothing else is left."""
    tokens = _words(text)
    meaningful = [token for token in tokens if token not in QUERY_STOPWORDS]
    return meaningful or tokens


def is_soft(token: str) -> bool:
    """A word that shapes a question (办理, 申请, 条件 …): it adds score, it never decides a match."""
    return token in SOFT_WORDS


def pinyin_key(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of Chinese text, without tones or spaces: 国库 → (guoku, gk)."""
    from search.pinyin import lazy_pinyin

    full = lazy_pinyin(text, errors="ignore")
    return "".join(full), "".join(syllable[0] for syllable in full if syllable)


MAX_READINGS = 4  # spellings indexed per word: its usual reading and the first others (财会: caikuai, caihui)


@functools.lru_cache(maxsize=100_000)
def spellings(word: str) -> tuple[tuple[str, ...], ...]:
    """The syllables of a word's usual reading first, then of other readings of its characters (people spell
    会 hui where 财会 says kuai), MAX_READINGS in all."""
    from search.pinyin import Style, lazy_pinyin, pinyin

    usual = tuple(lazy_pinyin(word, errors="ignore"))
    readings = [pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")[0] for char in word
                if _CJK_WORD.fullmatch(char)]
    found = [usual]
    if len(readings) == len(usual):
        for combination in itertools.product(*readings):
            if len(found) >= MAX_READINGS:
                break
            if combination not in found:
                found.append(combination)
    return tuple(found)


def _spelled_pieces(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(piece, its pinyin tokens) for each piece of a title pinyin_tokens spells: each Chinese word (and the
    words inside it) and each pair of adjacent words, two characters or more."""
    words = [word for word in _words(text) if _CJK_WORD.fullmatch(word)]
    pieces: list[tuple[str, tuple[str, ...]]] = []
    for word in [*words, *(a + b for a, b in zip(words, words[1:]))]:
        for piece in (word, *_parts(word)[0]):
            if len(piece) >= 2:
                spelled: list[str] = []
                for syllables in spellings(piece):
                    if syllables:
                        spelled += [PINYIN_PREFIX + "".join(syllables)[:MAX_TOKEN_LENGTH],
                                    INITIALS_PREFIX + "".join(syllable[0] for syllable in syllables)]
                pieces.append((piece, tuple(spelled)))
    return pieces


def pinyin_tokens(text: str) -> list[str]:
    """The pinyin tokens of a title: each Chinese word (and the words inside it) and each pair of adjacent
    words, in full (0pguoku) and by initials (0igk), in up to MAX_READINGS readings. Single characters are left
    out (too many meanings)."""
    return list(dict.fromkeys(token for _, spelled in _spelled_pieces(text) for token in spelled))


def is_pinyin_token(token: str) -> bool:
    """Whether a token is one of pinyin_tokens' (0pguoku, 0igk), not a word of any text."""
    return token.startswith((PINYIN_PREFIX, INITIALS_PREFIX))


def words_spelled(text: str, tokens: set[str] | frozenset[str]) -> list[str]:
    """The Chinese words of `text` (normalised, as highlights look for them) that these pinyin tokens spell:
    国库 for 0pguoku in 关于国库集中支付的通知. A pair of adjacent words spelled together (0igkjz) gives both words,
    which is the same marked text when they stand side by side and still marks both when punctuation parts them."""
    found: list[str] = []
    for piece, spelled in _spelled_pieces(text):
        if tokens.intersection(spelled):
            found.append(piece)
    words = [word for word in _words(text) if _CJK_WORD.fullmatch(word)]
    pairs = {a + b: (a, b) for a, b in zip(words, words[1:])}
    halves = [half for piece in found if piece in pairs and piece not in normalize(text) for half in pairs[piece]]
    return list(dict.fromkeys(found + halves))


_LETTERS = re.compile(r"[a-z]+")
_VOWELS = re.compile(r"[aeiouv]")


def pinyin_alternatives(token: str) -> tuple[str, ...]:
    """What a query word of Latin letters may also be: the full pinyin of a title word (it has a vowel) or its
    initials (three letters or more: two match too many words)."""
    if not _LETTERS.fullmatch(token) or len(token) < 2:
        return ()
    found = []
    if _VOWELS.search(token):
        found.append(PINYIN_PREFIX + token)
    if len(token) >= 3:
        found.append(INITIALS_PREFIX + token)
    return tuple(found)


def title_index_text(text: str) -> str:
    """index_text of a title, followed by its pinyin tokens."""
    return " ".join([*index_tokens(text), *pinyin_tokens(text)])


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
