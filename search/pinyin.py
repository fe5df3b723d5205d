"""pypinyin with its dictionaries read from disk instead of held in memory (issue 16: worker RSS).

pypinyin loads two dictionaries on import: the readings of 41,000 single characters and of 47,000 phrases (with
a set of every phrase's prefixes for its maximum-matching segmenter): 57 MB of Python objects, where a web worker
that corrects one query or spells one title needs a few dozen entries.

So pypinyin is imported here with
  - its phrase dictionary switched off (its own PYPINYIN_NO_PHRASES switch, and PYPINYIN_NO_DICT_COPY: set only
    around the import, so child processes are not affected); the three places that read phrases (the converter,
    the segmenter and its prefix set) are then pointed at `Phrases`: the phrases in memory, sorted (4 MB), their
    readings read when asked for;
  - its single-character dictionary given as `Characters` (as the module pypinyin.pinyin_dict, before pypinyin
    imports it): the code points in an array, their readings read when asked for.
Both read the very files pypinyin would have loaded (site-packages/pypinyin/phrases_dict.json and
pinyin_dict.json: sorted, one entry a line), memory-mapped and searched by bisection; the pages a lookup touches
are shared with every other process through the page cache. 57 MB → 14 MB, and the readings are pypinyin's own
to the letter (tests/search/test_pinyin.py compares with pypinyin as shipped, in a process of its own, for every
character and a set of phrases and titles).

If pypinyin was already imported (something else imported it first), or a file is not laid out as expected
(another pypinyin version), pypinyin is used as it is: the same readings, the old memory.

Every module of ours imports `lazy_pinyin`, `pinyin` and `Style` from here, never from pypinyin.
"""

from __future__ import annotations

import bisect
import importlib.util
import itertools
import json
import logging
import mmap
import os
import re
import sys
import types
from array import array
from pathlib import Path

logger = logging.getLogger(__name__)


def _import_pypinyin_without_dictionaries():
    """pypinyin imported with its phrase dictionary switched off and its single-character dictionary given as a
    `Characters` (or as it is, if its file is not laid out as expected); the environment left as it was."""
    if "pypinyin" in sys.modules:
        return sys.modules["pypinyin"]
    switches = {"PYPINYIN_NO_PHRASES": "1", "PYPINYIN_NO_DICT_COPY": "1"}  # a copy is only made for changing it
    spec = importlib.util.find_spec("pypinyin")
    path = Path(spec.submodule_search_locations[0]) / "pinyin_dict.json"
    try:
        characters = Characters(path)
    except (OSError, ValueError):
        logger.exception("search.pinyin: reading %s failed; loading pypinyin's characters in memory", path)
    else:
        # What pypinyin.constants takes PINYIN_DICT from: `from pypinyin import pinyin_dict; pinyin_dict.pinyin_dict`.
        module = types.ModuleType("pypinyin.pinyin_dict", "pypinyin's single characters, read by search.pinyin")
        module.pinyin_dict = characters
        sys.modules[module.__name__] = module
    saved = {name: os.environ.get(name) for name in switches}
    try:
        os.environ.update(switches)
        import pypinyin
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
    return pypinyin


_CHARACTER_LINE = re.compile(rb'^"([0-9]+)": "([^"\\\n]*)",?$', re.MULTILINE)


class Characters:
    """pypinyin's single-character dictionary (code point → its readings, comma separated), read from its JSON
    file (sorted by code point, one a line as `"13312": "qiū",`) when asked for; only the code points and the
    offsets of their readings are kept (two arrays of 330 KB)."""

    def __init__(self, path: Path):
        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self._codes = array("q")
        self._starts = array("q")
        self._ends = array("q")
        for match in _CHARACTER_LINE.finditer(self._map):
            self._codes.append(int(match.group(1)))
            self._starts.append(match.start(2))
            self._ends.append(match.end(2))
        lines = self._map[:].count(b'\n"')
        if not self._codes or len(self._codes) != lines or any(
                a >= b for a, b in zip(self._codes, itertools.islice(self._codes, 1, None))):
            raise ValueError(f"{path}: not a sorted character dictionary with one character a line")

    def _index(self, code: object) -> int:
        if not isinstance(code, int):
            return -1
        index = bisect.bisect_left(self._codes, code)
        return index if index < len(self._codes) and self._codes[index] == code else -1

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code: object) -> bool:
        return self._index(code) >= 0

    def __getitem__(self, code: int) -> str:
        index = self._index(code)
        if index < 0:
            raise KeyError(code)
        return self._map[self._starts[index]:self._ends[index]].decode("utf-8")

    def get(self, code: int, default=None):
        index = self._index(code)
        return default if index < 0 else self._map[self._starts[index]:self._ends[index]].decode("utf-8")

    def keys(self) -> list[int]:
        return list(self._codes)

    def copy(self) -> Characters:
        return self  # it is never changed


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
    """The segmenter's prefix set (pypinyin.seg.mmseg.PrefixSet) answered by the phrases themselves. It has no
    `train`: the phrases are pypinyin's file, read-only (`Phrases` takes no new phrase either)."""

    def __init__(self, phrases: Phrases):
        self._phrases = phrases

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and self._phrases.has_prefix(text)


def _setup():
    pypinyin = _import_pypinyin_without_dictionaries()
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
