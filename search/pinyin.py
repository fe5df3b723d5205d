"""pypinyin with its phrase dictionary read from disk instead of held in memory (issue 16: worker RSS).

pypinyin loads two dictionaries on import: the readings of 41,000 single characters (about 13 MB of Python
objects) and of 47,000 phrases (about 44 MB: the phrase readings, a set of every phrase's prefixes for its
maximum-matching segmenter, and what parsing 2.5 MB of JSON leaves behind). A web worker that corrects one query
or spells one title needs a handful of phrases, not all of them.

So pypinyin is imported here with its phrase dictionary switched off (its own PYPINYIN_NO_PHRASES switch, set
only around the import: child processes are not affected), and the three places that read it (the converter,
the segmenter and its prefix set) are pointed at `Phrases`, which answers the same questions from the very
file pypinyin would have loaded (site-packages/pypinyin/phrases_dict.json, sorted by phrase and written one
phrase a line as `"phrase": [`), memory-mapped and searched by bisection. Only the offsets of its 47,000
phrases are kept (an array of 370 KB); the pages of the file a lookup touches are shared with every other
process through the page cache. The readings are those of pypinyin itself, to the letter
(tests/search/test_pinyin.py compares with pypinyin as shipped, in a process of its own).

If pypinyin was already imported with its phrases (something else imported it first), or its file is not laid
out as expected (another pypinyin version), pypinyin is used as it is: the same readings, the old memory.

Every module of ours imports `lazy_pinyin`, `pinyin` and `Style` from here, never from pypinyin.
"""

from __future__ import annotations

import bisect
import itertools
import json
import logging
import mmap
import os
import re
from array import array
from pathlib import Path

logger = logging.getLogger(__name__)


def _import_pypinyin_without_phrases():
    import sys

    if "pypinyin" in sys.modules:
        return sys.modules["pypinyin"]
    saved = os.environ.get("PYPINYIN_NO_PHRASES")
    os.environ["PYPINYIN_NO_PHRASES"] = "1"
    try:
        import pypinyin
    finally:
        if saved is None:
            del os.environ["PYPINYIN_NO_PHRASES"]
        else:
            os.environ["PYPINYIN_NO_PHRASES"] = saved
    return pypinyin


_KEY_LINE = re.compile(rb'^"([^"\\\n]+)": \[$', re.MULTILINE)


class Phrases:
    """pypinyin's phrase dictionary (phrase → readings of each character): the phrases in memory, sorted, their
    readings read from the JSON file when asked for.

    `phrase in phrases` and `phrases[phrase]` are what pypinyin's converter asks; `phrases.has_prefix(text)` is
    its segmenter's prefix-set question (is `text` the start of some phrase?)."""

    def __init__(self, path: Path):
        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self._keys: list[str] = []
        self._readings = array("q")  # offset of each phrase's readings (its "[") in the file
        for match in _KEY_LINE.finditer(self._map):
            self._keys.append(match.group(1).decode("utf-8"))
            self._readings.append(match.end() - 1)
        self._readings.append(len(self._map))
        if not self._keys or any(a >= b for a, b in zip(self._keys, itertools.islice(self._keys, 1, None))):
            raise ValueError(f"{path}: not a sorted phrase dictionary with one phrase a line")

    def _index(self, phrase: str) -> int:
        return bisect.bisect_left(self._keys, phrase)

    def __len__(self) -> int:
        return len(self._keys)

    def __bool__(self) -> bool:
        return True

    def __contains__(self, phrase: object) -> bool:
        if not isinstance(phrase, str):
            return False
        index = self._index(phrase)
        return index < len(self._keys) and self._keys[index] == phrase

    def __getitem__(self, phrase: str) -> list[list[str]]:
        index = self._index(phrase)
        if index >= len(self._keys) or self._keys[index] != phrase:
            raise KeyError(phrase)
        text = self._map[self._readings[index]:self._readings[index + 1]].decode("utf-8")
        # Up to the next phrase's line ("...],\n\"next": [") or the end of the file ("...]\n}\n").
        text = text[:text.rindex("]") + 1]
        return json.loads(text)

    def keys(self) -> list[str]:
        return list(self._keys)

    def has_prefix(self, text: str) -> bool:
        index = self._index(text)
        return index < len(self._keys) and self._keys[index].startswith(text)


class _PrefixSet:
    """The segmenter's prefix set (pypinyin.seg.mmseg.PrefixSet) answered by the phrases themselves."""

    def __init__(self, phrases: Phrases):
        self._phrases = phrases

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self._phrases.has_prefix(text)

    def train(self, words) -> None:
        raise NotImplementedError("the phrase dictionary is read from pypinyin's file: no words can be added")


def _setup():
    pypinyin = _import_pypinyin_without_phrases()
    from pypinyin import constants, converter
    from pypinyin.seg import mmseg, simpleseg

    if constants.PHRASES_DICT:  # imported with its phrases elsewhere: nothing to do
        return pypinyin, None
    path = Path(constants.__file__).with_name("phrases_dict.json")
    try:
        phrases = Phrases(path)
    except (OSError, ValueError):
        logger.exception("search.pinyin: reading %s failed; loading pypinyin's phrases in memory", path)
        from pypinyin import phrases_dict

        phrases = phrases_dict.phrases_dict
        prefixes = mmseg.PrefixSet()
        prefixes.train(phrases.keys())
    else:
        prefixes = _PrefixSet(phrases)
    # The module globals pypinyin's converter and segmenters read the phrase dictionary from.
    converter.PHRASES_DICT = mmseg.PHRASES_DICT = simpleseg.PHRASES_DICT = phrases
    mmseg.seg._prefix_set = mmseg.p_set = prefixes
    return pypinyin, phrases


_pypinyin, PHRASES = _setup()
Style = _pypinyin.Style
lazy_pinyin = _pypinyin.lazy_pinyin
pinyin = _pypinyin.pinyin
