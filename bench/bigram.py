"""A character-bigram baseline scorer, to compare our search with (bench/search_quality.py) and to widen the
pools the judgments were graded from (bench/grade_judgments.py).

What one writes in an afternoon: NFKC and lower case; every run of Chinese characters becomes its overlapping
character bigrams (a lone character stays a unigram), every run of ASCII letters and digits one token; BM25
(k1 1.2, b 0.75) summed over the title (weight 3) and the body; a document matches when it holds any query
token (OR). No dictionary, no synonyms, no 繁簡 folding, no pinyin: deliberately nothing of our analyzer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict

_RUNS = re.compile(r"[0-9a-z]+|[\u3400-\u9fff\uf900-\ufaff]+")
K1, B, TITLE_WEIGHT = 1.2, 0.75, 3.0


def bigrams(text: str) -> list[str]:
    tokens = []
    for run in _RUNS.findall(unicodedata.normalize("NFKC", text).lower()):
        if run.isascii():
            tokens.append(run)
        elif len(run) == 1:
            tokens.append(run)
        else:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    return tokens


class BigramIndex:
    """An in-memory index over (key, title, body) triples."""

    def __init__(self, documents: list[tuple[str, str, str]]):
        self.keys = [key for key, _, _ in documents]
        self.fields = []  # per document: (title counts, title length, body counts, body length)
        self.postings: dict[str, set[int]] = defaultdict(set)
        for number, (_, title, body) in enumerate(documents):
            title_tokens, body_tokens = bigrams(title), bigrams(body)
            self.fields.append((Counter(title_tokens), len(title_tokens), Counter(body_tokens), len(body_tokens)))
            for token in set(title_tokens) | set(body_tokens):
                self.postings[token].add(number)
        count = max(1, len(documents))
        self.avg_title = sum(f[1] for f in self.fields) / count
        self.avg_body = sum(f[3] for f in self.fields) / count

    def _idf(self, token: str) -> float:
        n = len(self.postings.get(token, ()))
        return math.log(1 + (len(self.keys) - n + 0.5) / (n + 0.5))

    def top(self, query: str, k: int = 10) -> list[str]:
        tokens = list(dict.fromkeys(bigrams(query)))
        candidates = set().union(*(self.postings.get(token, set()) for token in tokens)) if tokens else set()
        scores = []
        for number in candidates:
            title, title_len, body, body_len = self.fields[number]
            score = 0.0
            for token in tokens:
                idf = self._idf(token)
                for counts, length, avg, weight in ((title, title_len, self.avg_title, TITLE_WEIGHT),
                                                    (body, body_len, self.avg_body, 1.0)):
                    tf = counts.get(token, 0)
                    if tf:
                        score += weight * idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / max(avg, 1)))
            scores.append((-score, self.keys[number]))
        scores.sort()
        return [key for _, key in scores[:k]]
