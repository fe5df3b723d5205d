"""How the hand-graded judged queries from before issue 14 (finance words, acronyms, codes; each with a 'note' that
says how it was graded) were carried over to a regenerated demo, kept so the re-grading can be read and repeated.

    .venv/bin/python bench/regrade_old_judgments.py OLD_CORPUS.json NEW_CORPUS.json [OLD_JUDGMENTS.json]

rewrites tests/search/judgments.json (run it after bench/grade_judgments.py has re-graded issue 14's queries over
NEW_CORPUS; OLD_JUDGMENTS, the file before both ran, lets it mark every query that lost its grade-3 pages).

OLD_CORPUS is bench/search_quality.py --corpus over the demo the judgments were made on, NEW_CORPUS over the demo
they are to grade now (both loaded on the judgments' demo_today). For each such query:
  1. a document of the new demo whose column and title are those of a document graded before keeps that grade
     (the person's reading of the note carries over to the same page under its new address); for a query without
     numbers, so does one whose title differs only in its numbers (财政部2025年…年度报告 for 财政部2024年…年度报告:
     the same kind of page, another year or month); for a query with numbers (a code, an order number, a year)
     a page keeps the grade only while it still holds them if the old page did (the demo numbers its documents
     anew), and a page that holds them now and did not before is graded by step 2 (not skipped as a page the
     note left unjudged);
  2. a page the old demo did not have (no page of its column had its title) whose title or text holds all the
     query's words (or an official synonym: plain substring search, never a search backend's score) is graded as
     the note graded its kind of document before: the most common grade (ties to the lower) among the query's old
     graded documents of the same column with as many of the query's words in the title, provided it mentions
     the words at least as often as the least of those did (the broad queries' mention thresholds; a page whose
     title holds some of the words need not hold all in its text, as 政采 中标公告 graded every 中标公告); a page
     titled with every word in a column where the note graded no such page takes the most common grade of the
     old pages titled with every word, in any column; with no such neighbour it stays unjudged (0), as does a
     page the old demo had and the note left unjudged. Where a note names its grade-3 pages by a title word
     (国库: 国库集中支付 pages; 零基预算: titled 零基预算 …, NOTE_TITLES), a new page titled so is 3.
Judged documents that no longer exist drop out. A query (of either kind) left with no grade 3 says why in its note.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUDGMENTS = ROOT / "tests" / "search" / "judgments.json"

# The official synonyms the hand grading searched for besides the query's own words.
SYNONYMS = {"ppp": ("政府和社会资本合作",), "个税": ("个人所得税",), "政采": ("政府采购",),
            "营改增": ("营业税改征增值税",)}


# Where a note names the pages it grades 3 by a word of their title, that word, for pages at a new address.
NOTE_TITLES = {"国库": "国库集中支付", "三公经费": "三公", "信息公开年度报告": "年度报告", "就业补助资金": "就业补助资金",
               "乡村振兴补助资金": "乡村振兴", "零基预算": "零基预算", "彩票公益金": "彩票公益金",
               "超长期特别国债": "超长期特别国债", "国债": "超长期特别国债"}


def words(q: str) -> list[tuple[str, ...]]:
    return [(word.lower(), *SYNONYMS.get(word.lower(), ())) for word in q.split()]


def holds(text: str, concept: tuple[str, ...]) -> bool:
    return any(alt in text for alt in concept)


def column(key: str) -> str:
    """/news/media/t2024…/ -> /news/media/; /topics/ppp/ -> /topics/; letter:… -> letter:"""
    if key.startswith("letter:"):
        return "letter:"
    parts = key.strip("/").split("/")
    return "/" + "/".join(parts[:2 if len(parts) > 2 else 1]) + "/"


def section(key: str) -> str:
    """/news/media/t2024…/ -> /news/*"""
    return column(key).split("/")[1] + "/*" if not key.startswith("letter:") else "letter:"


def majority(grades: list[int]) -> int:
    counts = Counter(grades)
    best = max(counts.values())
    return min(grade for grade, count in counts.items() if count == best)


def mentions(text: str, concepts: list[tuple[str, ...]]) -> int:
    return min(sum(text.count(alt) for alt in concept) for concept in concepts)


def shape(title: str) -> str:
    """A title with its numbers left out: 财政部2024年…年度报告 and 财政部2025年…年度报告 are the same kind of page."""
    return re.sub(r"\d+", "#", title)


def regrade(entry: dict, old: dict[str, dict], new: list[dict]) -> dict[str, int]:
    concepts = words(entry["q"])
    numbers = [concept for concept in concepts if any(ch.isdigit() for ch in concept[0])]  # a year, a code
    numbered = bool(numbers)
    was = {key: grade for key, grade in entry["judgments"].items() if key in old}
    seen = {(column(key), document["title"]) for key, document in old.items()}
    held_before = {(column(key), document["title"]) for key, document in old.items() if numbers and all(
        holds((document["title"] + " " + document["body"]).lower(), concept) for concept in numbers)}
    by_title: dict[tuple[str, str], int] = {}
    by_shape: dict[tuple[str, str], int] = {}
    holders: set[tuple[str, str]] = set()  # old graded pages that held the query's numbers
    neighbours: dict[tuple[str, int], list[int]] = defaultdict(list)
    least: dict[tuple[str, int], int] = {}  # the fewest mentions an old graded document of the kind had
    for key, grade in was.items():
        document = old[key]
        title = (column(key), document["title"])
        by_title[title] = max(grade, by_title.get(title, 0))
        if numbers and all(holds((document["title"] + " " + document["body"]).lower(), c) for c in numbers):
            holders.add(title)
        by_shape[(title[0], shape(title[1]))] = max(grade, by_shape.get((title[0], shape(title[1])), 0))
        kind = (column(key), sum(holds(document["title"].lower(), concept) for concept in concepts))
        count = mentions((document["title"] + " " + document["body"]).lower(), concepts)
        for kind in {kind, (section(key), kind[1])} if kind[1] == len(concepts) else {kind}:
            neighbours[kind].append(grade)
            least[kind] = min(count, least.get(kind, count))
    graded: dict[str, int] = {}
    for document in new:
        key, title = document["url"], document["title"]
        text = (title + " " + document["body"]).lower()
        held = all(holds(text, concept) for concept in numbers)
        if (column(key), title) in by_title and (held or (column(key), title) not in holders):
            graded[key] = by_title[(column(key), title)]
            continue  # (not when the old page held the query's number and this one no longer does)
        if (column(key), title) in seen and not (numbers and held and (column(key), title) not in held_before):
            continue  # the same page as before, left unjudged by the note then
        if entry["q"] in NOTE_TITLES and NOTE_TITLES[entry["q"]] in title:
            graded[key] = 3
            continue
        if not numbered and (column(key), shape(title)) in by_shape:
            graded[key] = by_shape[(column(key), shape(title))]  # the same kind of page, another year or month
            continue
        kind = (column(key), sum(holds(title.lower(), concept) for concept in concepts))
        if not neighbours.get(kind) and kind[1] == len(concepts):
            kind = (section(key), kind[1])  # titled with every word, in a column the note had no such page in
        if not neighbours.get(kind) or mentions(text, concepts) < least[kind]:
            continue
        if kind[1] or all(holds(text, concept) for concept in concepts):
            graded[key] = majority(neighbours[kind])
    return dict(sorted(((k, v) for k, v in graded.items() if v), key=lambda kv: (-kv[1], kv[0])))


def main() -> None:
    old = {document["url"]: document for document in json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))}
    new = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    data = json.loads(JUDGMENTS.read_text(encoding="utf-8"))
    previous = {entry["q"]: entry["judgments"] for entry in json.loads(Path(sys.argv[3]).read_text(encoding="utf-8"))
                ["queries"]} if len(sys.argv) > 3 else {}
    for entry in data["queries"]:
        if "intent" in entry:
            continue  # issue 14's queries: bench/grade_judgments.py
        before = entry["judgments"]
        entry["judgments"] = regrade(entry, old, new)
        kept = sum(1 for key in entry["judgments"] if key in before)
        print(f"{entry['q']:<24} {len(before):>4} -> {len(entry['judgments']):>4} judged ({kept} same address); "
              f"grade 3: {sum(1 for v in before.values() if v == 3)} -> "
              f"{sum(1 for v in entry['judgments'].values() if v == 3)}")
    for entry in data["queries"]:
        had = previous.get(entry["q"], {})
        if 3 in had.values() and 3 not in entry["judgments"].values() and "issue 13" not in entry["note"]:
            entry["note"] += ("; re-graded on the demo of issue 13 (regenerated procurement plan and dates): it no "
                              "longer has the page(s) this query asked for" +
                              (", nothing to find" if not entry["judgments"] else ", only related pages remain"))
    JUDGMENTS.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
