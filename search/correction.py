"""Homophone and variant-character correction from the index's own vocabulary: 国库集中支附 → 国库集中支付,
代理记帐 → 代理记账, 资产评古 → 资产评估.

The vocabulary is every word of the indexed titles (with how many titles hold it), the finance dictionary and the
synonym terms. A stretch of a query's Chinese text is corrected when it is not in the vocabulary and
  - folding its variant characters (VARIANTS: 帐 → 账 …) gives a vocabulary word, or
  - it is no word at all (neither in the vocabulary nor in the segmenter's general dictionary) and a vocabulary
    word of the same length has the same pinyin without tones, in any reading of the typed characters (会 is
    hui or kuai); failing that, the same pinyin up to the sounds most often confused (模糊音: zh/z, ch/c, sh/s,
    n/l, ing/in, eng/en, ang/an). The word most titles hold wins.
Stretches are tried longest first and never overlap. Whether the corrected query is searched instead is the
search service's decision (search.query): only when it finds more.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections import Counter


from search.analyzer import (
    _CJK_WORD,
    QUERY_STOPWORDS,
    _parts,
    _segmenter,
    _words,
    dictionary_terms,
    is_soft,
    normalize,
)

# Variant and commonly confused characters, the one to search on the right (both are folded before lookup).
# Longer entries are whole words; a folded word only replaces a stretch that is not in the vocabulary.
VARIANTS = {"帐": "账", "象": "像", "卷": "券", "部份": "部分", "其它": "其他", "撤消": "撤销", "登陆": "登录"}
MAX_WINDOW = 8
VOCABULARY_SECONDS = 600  # the vocabulary is read again at most this often (titles change slowly)

_lock = threading.Lock()
_cached: dict[str, tuple[float, "Vocabulary"]] = {}


MAX_READINGS = 32  # combinations of the typed characters' readings tried per stretch
_FUZZY = ((re.compile(r"^([zcs])h"), r"\1"), (re.compile(r"^n(?=[aeiouv])"), "l"), (re.compile(r"ng$"), "n"))


def fuzzy(syllable: str) -> str:
    """A syllable with the sounds most often confused made one: zhi → zi, neng → len, jing → jin."""
    for pattern, replacement in _FUZZY:
        syllable = pattern.sub(replacement, syllable)
    return syllable


class Vocabulary:
    def __init__(self, counts: Counter):
        self.counts = counts
        self.exact: dict[tuple[str, ...], list[str]] = {}
        self.fuzzy: dict[tuple[str, ...], list[str]] = {}
        from search.pinyin import lazy_pinyin  # 14 MB: imported by the first correction, not by every worker

        for word in counts:
            syllables = tuple(lazy_pinyin(word, errors="ignore"))
            if len(syllables) == len(word):
                self.exact.setdefault(syllables, []).append(word)
                self.fuzzy.setdefault(tuple(fuzzy(s) for s in syllables), []).append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def homophone(self, window: str) -> str | None:
        from search.pinyin import Style, lazy_pinyin, pinyin

        readings = pinyin(window, style=Style.NORMAL, heteronym=True, errors="ignore")
        if len(readings) != len(window):
            return None
        combinations = list(itertools.islice(itertools.product(*readings), MAX_READINGS))
        found = {word for combination in combinations for word in self.exact.get(combination, []) if word != window}
        if not found:  # fuzzy sounds with the usual reading only: with every reading they find too much
            usual = tuple(fuzzy(syllable) for syllable in lazy_pinyin(window, errors="ignore"))
            found = {word for word in self.fuzzy.get(usual, []) if word != window}
        return max(found, key=lambda word: (self.counts[word], word)) if found else None


def title_vocabulary(titles: list[str]) -> Counter:
    """Every Chinese word (two characters or more) of these titles and the words inside it, with the number of
    titles holding it; the dictionary and synonym terms count once more."""
    counts: Counter = Counter()
    for title in titles:
        words = set()
        for word in _words(title):
            if _CJK_WORD.fullmatch(word) and len(word) >= 2:
                words.add(word)
                words.update(_parts(word)[0])
        counts.update(words)
    for term, _ in dictionary_terms():
        if _CJK_WORD.fullmatch(term):
            counts[term] += 1
    return counts


def vocabulary() -> Vocabulary:
    """The vocabulary of the served database index, read again at most every VOCABULARY_SECONDS."""
    from search.backends import database_backend
    from search.models import SearchEntry
    from search.synonyms import synonym_groups

    backend = database_backend()
    generation = backend.state().active_generation
    key = f"{backend.using}:{generation}"
    now = time.monotonic()
    with _lock:
        hit = _cached.get(key)
        if hit and now - hit[0] < VOCABULARY_SECONDS:
            return hit[1]
    titles = list(SearchEntry.objects.using(backend.using).filter(generation=generation)
                  .values_list("title", flat=True))
    counts = title_vocabulary(titles)
    for group in synonym_groups():
        for term in group.terms:
            term = normalize(term)
            if _CJK_WORD.fullmatch(term) and len(term) >= 2:
                counts[term] += 1
    built = Vocabulary(counts)
    with _lock:
        _cached.clear()
        _cached[key] = (now, built)
    return built


def clear_cache() -> None:
    with _lock:
        _cached.clear()


def fold_variants(text: str) -> str:
    for variant, standard in VARIANTS.items():
        if len(variant) > 1:
            text = text.replace(variant, standard)
    return "".join(VARIANTS.get(char, char) for char in text)


def correct_run(run: str, vocab: Vocabulary) -> str:
    """One run of Chinese characters with its unknown stretches replaced (or unchanged). Question and function
    words of two characters or more (怎么, 什么, 如何 …) are never part of a stretch; single ones only inside
    a stretch, never at its ends (将 in 减税将费 is a slip for 降; 是 in 预算是多少 is 是)."""
    jieba = _segmenter()
    chars = list(run)
    done = [False] * len(run)
    edge = [False] * len(run)
    position = 0
    for word in _words(run):
        if word in QUERY_STOPWORDS or is_soft(word):
            (done if len(word) > 1 else edge)[position:position + len(word)] = [True] * len(word)
        position += len(word)
    for size in range(min(MAX_WINDOW, len(run)), 1, -1):
        for start in range(0, len(run) - size + 1):
            if any(done[start:start + size]) or edge[start] or edge[start + size - 1]:
                continue
            window = run[start:start + size]
            if window in vocab:
                done[start:start + size] = [True] * size
                continue
            folded = fold_variants(window)
            replacement = folded if folded != window and folded in vocab else None
            if replacement is None and not jieba.has_word(window):
                replacement = vocab.homophone(window)
            if replacement:
                chars[start:start + size] = list(replacement)
                done[start:start + size] = [True] * size
    return "".join(chars)


def correct(text: str, vocab: Vocabulary | None = None) -> str:
    """The query with homophone and variant slips corrected (the same text when there is nothing to correct).
    Only Chinese runs change; everything else is kept as typed."""
    normal = normalize(text)
    if not _CJK_WORD.search(normal):
        return text
    vocab = vocab or vocabulary()
    out, cursor = [], 0
    for match in _CJK_WORD.finditer(normal):
        out.append(normal[cursor:match.start()])
        out.append(correct_run(match.group(), vocab))
        cursor = match.end()
    out.append(normal[cursor:])
    corrected = "".join(out)
    return text if corrected == normal else corrected
