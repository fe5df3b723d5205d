"""search.pinyin reads pypinyin's phrase dictionary from its file instead of holding it in memory (issue 16): the
readings must be pypinyin's own, to the letter, and a worker that spells must stay small."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Titles, typed slips, heteronyms whose reading only the phrase dictionary knows (银行 hang, 财会 kuai, 重庆 chong),
# text around and between phrases, a non-Chinese run, a traditional one, and a phrase at each end of the file.
TEXTS = [
    "关于国库集中支付的通知", "政府采购代理机构", "财政预算执行情况", "重庆市重大项目", "财会", "银行行长",
    "银行帐户", "会计", "减税降费", "国库集中支附", "资产评古", "代理记帐", "長大了長城", "PPP项目2025年", "預決算公開",
    "一丁不识", "一丁点儿好", "行长说了算", "乐山乐水", "朝阳区朝阳门", "地方政府债券如何发行", "",
]


def readings(module: str, texts: list[str]) -> list:
    """What `module`'s lazy_pinyin and pinyin say of each text, in the three ways the search asks, computed in a
    fresh interpreter (pypinyin as shipped must not share a process with search.pinyin)."""
    script = (
        "import json, sys\n"
        f"from {module} import Style, lazy_pinyin, pinyin\n"
        "texts = json.load(sys.stdin)\n"
        "out = [[lazy_pinyin(t, errors='ignore'), pinyin(t, style=Style.NORMAL, heteronym=True, errors='ignore'),\n"
        "        lazy_pinyin(t, style=Style.FIRST_LETTER, errors='ignore'), pinyin(t)] for t in texts]\n"
        "json.dump(out, sys.stdout)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True, text=True,
                          cwd=ROOT, check=True)
    return json.loads(done.stdout)


def test_phrase_readings_are_pypinyins_own():
    assert readings("search.pinyin", TEXTS) == readings("pypinyin", TEXTS)


def test_every_characters_readings_are_pypinyins_own():
    import importlib.util

    from search.pinyin import Characters

    # Every character of pypinyin's dictionary, as data: what search.pinyin answers is what the file ships.
    path = Path(importlib.util.find_spec("pypinyin").submodule_search_locations[0]) / "pinyin_dict.json"
    shipped = {int(code): reading for code, reading in json.loads(path.read_text(encoding="utf-8")).items()}
    characters = Characters(path)
    assert characters.keys() == sorted(shipped)
    assert [characters[code] for code in sorted(shipped)] == [shipped[code] for code in sorted(shipped)]
    # And through pypinyin's own functions, every fifth character of the CJK blocks (heteronyms, first letters and
    # tone marks as the search asks for them): the same in both processes.
    blocks = ((0x3007, 0x3008), (0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))
    chars = "".join(chr(code) for start, end in blocks for code in range(start, end))[::5]
    texts = [chars[start:start + 1000] for start in range(0, len(chars), 1000)]  # no phrase: one by one
    assert readings("search.pinyin", texts) == readings("pypinyin", texts)


def test_every_phrase_of_the_dictionary_reads_as_in_pypinyin():
    import pypinyin.phrases_dict  # noqa: F401: this test process may hold the whole dictionary

    from search.pinyin import Phrases

    shipped = pypinyin.phrases_dict.phrases_dict
    path = Path(pypinyin.phrases_dict.__file__).with_name("phrases_dict.json")
    phrases = Phrases(path)
    assert phrases.keys() == sorted(shipped)
    for phrase in list(shipped)[::50] + [next(iter(shipped)), list(shipped)[-1]]:
        assert phrase in phrases
        assert phrases[phrase] == shipped[phrase]
    assert "不是一个词语吧" not in phrases
    with pytest.raises(KeyError):
        phrases["不是一个词语吧"]
    assert phrases.has_prefix("一丁") and phrases.has_prefix("一丁不识") and not phrases.has_prefix("一丁不识字")


def test_a_file_laid_out_otherwise_is_refused(tmp_path):
    from search.pinyin import Characters, Phrases

    unsorted = tmp_path / "phrases_dict.json"
    unsorted.write_text('{\n"甲": [\n[\n"jiǎ"\n]\n],\n"乙": [\n[\n"yǐ"\n]\n]\n}\n', encoding="utf-8")  # 甲 > 乙
    with pytest.raises(ValueError):
        Phrases(unsorted)
    one_line = tmp_path / "compact.json"
    one_line.write_text('{"甲": [["jiǎ"]], "乙": [["yǐ"]]}', encoding="utf-8")
    with pytest.raises(ValueError):
        Phrases(one_line)
    characters = tmp_path / "pinyin_dict.json"
    characters.write_text('{\n"19993": "yǐ",\n"30002": "jiǎ",\n"12295": "líng"\n}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        Characters(characters)
    characters.write_text('{"19993": "yǐ", "30002": "jiǎ"}', encoding="utf-8")
    with pytest.raises(ValueError):
        Characters(characters)


def test_spelling_does_not_load_the_phrase_dictionary_into_memory():
    """A worker that spells a title does not hold pypinyin's 41,000 characters and 47,000 phrases (57 MB → 14 MB)."""
    script = (
        "from pathlib import Path\n"
        "def rss():\n"
        "    return int(Path('/proc/self/status').read_text().split('VmRSS:')[1].split()[0]) / 1024\n"
        "before = rss()\n"
        "from search.pinyin import lazy_pinyin\n"
        "assert lazy_pinyin('银行行长') == ['yin', 'hang', 'hang', 'zhang']\n"
        "import sys\n"
        "print(rss() - before, 'pypinyin.phrases_dict' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    grown, loaded = done.stdout.split()
    assert loaded == "False"
    assert float(grown) < 20, f"spelling grew the process by {grown} MB"


def test_child_processes_still_get_pypinyins_phrases():
    """The switches that keep the dictionaries out are set only around search.pinyin's import."""
    import os

    import search.pinyin  # noqa: F401

    assert "PYPINYIN_NO_PHRASES" not in os.environ and "PYPINYIN_NO_DICT_COPY" not in os.environ
