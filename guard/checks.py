"""The checks: pure functions over plain facts (guard/facts.py), each returning the findings it makes.

No database, no clock: `today` is handed in. Thresholds come from guard/indicators.py.
"""

from __future__ import annotations

import datetime as dt
import re

from guard import indicators as ind
from guard.facts import (
    ColumnFacts, FindingData, GuideFacts, HomeRegionFacts, LetterFacts, LinkFacts, PageText, WordingRuleFacts,
)
from portal.formatting import cn_date


def column_freshness(columns: list[ColumnFacts], *, today: dt.date) -> list[FindingData]:
    """栏目长期未更新: a column whose newest entry is older than its kind's period (empty ones are another check)."""
    findings = []
    for column in columns:
        period = ind.update_period(update_kind=column.update_kind, listing_kind=column.listing_kind)
        if period is None or column.newest is None:
            continue
        age = (today - column.newest).days
        if age > period:
            kind = ind.FRESHNESS_LABELS[ind.effective_kind(update_kind=column.update_kind,
                                                          listing_kind=column.listing_kind)]
            findings.append(FindingData(
                "column_stale", page_id=column.page_id, subject=column.title,
                detail=f"{kind}栏目，最新信息发布于{cn_date(column.newest)}，已{age}天未更新（时限{period}天）",
            ))
    return findings


def home_regions(regions: list[HomeRegionFacts], *, today: dt.date) -> list[FindingData]:
    """首页栏目: each region must be fed by a column and its newest entry kept within that column's period."""
    findings = []
    for region in regions:
        if region.section_id is None:
            findings.append(FindingData("home_region_stale", page_id=region.home_id, subject=f"首页·{region.name}",
                                        detail="未指定来源栏目，首页该区块为空"))
            continue
        period = ind.update_period(update_kind=region.update_kind, listing_kind=region.listing_kind)
        if period is None:
            continue
        if region.newest is None:
            findings.append(FindingData("home_region_stale", page_id=region.home_id, subject=f"首页·{region.name}",
                                        detail="来源栏目没有已发布的信息，首页该区块为空"))
            continue
        age = (today - region.newest).days
        if age > period:
            findings.append(FindingData(
                "home_region_stale", page_id=region.home_id, subject=f"首页·{region.name}",
                detail=f"最新信息发布于{cn_date(region.newest)}，已{age}天未更新（时限{period}天）",
            ))
    return findings


def empty_columns(columns: list[ColumnFacts]) -> list[FindingData]:
    """空白栏目: each column with nothing published beneath it; the finding is a veto when there are more than five."""
    empty = [column for column in columns if column.entry_count == 0]
    veto = len(empty) > ind.EMPTY_COLUMNS_VETO_ABOVE
    return [
        FindingData("columns_empty", page_id=column.page_id, subject=column.title,
                    detail=f"栏目下没有已发布的信息（共{len(empty)}个空白栏目，超过{ind.EMPTY_COLUMNS_VETO_ABOVE}个为单项否决）",
                    veto=veto)
        for column in empty
    ]


def undated_entries(columns: list[ColumnFacts]) -> list[FindingData]:
    """信息未标注发布日期: one finding per column, naming how many of its entries show no date."""
    return [
        FindingData("entry_undated", page_id=column.page_id, subject=column.title,
                    detail=f"{column.undated_count}条信息的页面和列表不显示发布日期",
                    excerpt="、".join(column.undated_examples))
        for column in columns if column.undated_count
    ]


def letters(items: list[LetterFacts], *, today: dt.date) -> list[FindingData]:
    """互动回应: a letter past its deadline is a finding; unanswered for more than three months, a veto."""
    findings = []
    for letter in items:
        if letter.replied:
            continue
        waiting = (today - letter.received_on).days
        if waiting > ind.LETTER_VETO_DAYS:
            findings.append(FindingData("letter_unanswered", subject=f"{letter.kind}：{letter.subject}",
                                        detail=f"{cn_date(letter.received_on)}受理，已{waiting}天未答复",
                                        excerpt=letter.tracking_number, url=letter.admin_url, veto=True))
        elif today > letter.due_on:
            findings.append(FindingData("letter_overdue", subject=f"{letter.kind}：{letter.subject}",
                                        detail=f"答复期限{cn_date(letter.due_on)}已过，尚未答复",
                                        excerpt=letter.tracking_number, url=letter.admin_url))
    return findings


def guide_elements(guides: list[GuideFacts]) -> list[FindingData]:
    """办事指南要素: every guide shows every element in GUIDE_ELEMENTS."""
    findings = []
    for guide in guides:
        missing = [element for element in ind.GUIDE_ELEMENTS if element not in guide.present]
        if missing:
            findings.append(FindingData("guide_incomplete", page_id=guide.page_id, subject=guide.title,
                                        detail="缺少：" + "、".join(missing)))
    return findings


SENTENCE_END = re.compile(r"[。！？；!?;\n]")


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence of `text` that holds text[start:end], trimmed to a readable length."""
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    match = SENTENCE_END.search(text, end)
    right = match.end() if match else len(text)
    sentence = text[left:right].strip()
    if len(sentence) > 120:
        offset = start - left
        sentence = "…" + sentence[max(0, offset - 50):offset + 60].strip() + "…"
    return sentence


# 发文字号 carry the issuer's code (人社部发〔2019〕8号): a rule's word right before one is not a finding.
DOCUMENT_NUMBER_TAIL = re.compile(r"[发函办字]?\s*[〔\[［(（]\d{4}")


def wording(pages: list[PageText], rules: list[WordingRuleFacts]) -> list[FindingData]:
    """错别字, 不规范表述 and 禁用词: each occurrence, shown with the sentence it is in.

    Not findings: an occurrence inside the correct form (国资委 inside 国务院国资委), inside a longer wrong form
    already reported (帐簿 inside 会计帐簿), in a 发文字号, or the same words in the same sentence again."""
    findings = []
    ordered = sorted(rules, key=lambda rule: -len(rule.wrong))
    for page in pages:
        text = page.text
        taken: list[tuple[int, int]] = []
        seen: set[tuple[str, str]] = set()
        for rule in ordered:
            if rule.wrong not in text:
                continue
            allowed = ([(m.start(), m.end()) for m in re.finditer(re.escape(rule.right), text)]
                       if rule.right and rule.wrong in rule.right else [])
            for match in re.finditer(re.escape(rule.wrong), text):
                span = (match.start(), match.end())
                if any(a <= span[0] and span[1] <= b for a, b in allowed + taken):
                    continue
                if DOCUMENT_NUMBER_TAIL.match(text, span[1]):
                    continue
                taken.append(span)
                sentence = sentence_at(text, *span)
                if (rule.wrong, sentence) in seen:
                    continue
                seen.add((rule.wrong, sentence))
                advice = f"“{rule.wrong}”应为“{rule.right}”" if rule.right else f"不得使用“{rule.wrong}”"
                findings.append(FindingData(
                    f"wording_{rule.kind}", page_id=page.page_id, subject=page.title,
                    detail=advice + (f"（{rule.note}）" if rule.note else ""),
                    excerpt=sentence, veto=ind.BY_CODE[f"wording_{rule.kind}"].veto,
                ))
    return findings


def links(items: list[LinkFacts]) -> list[FindingData]:
    """链接不可用: each broken internal link, image or attachment, with the page that holds it."""
    return [
        FindingData("links_broken", page_id=link.page_id, subject=link.page_title,
                    detail=f"{link.kind}不可用：{link.reason}", excerpt=link.target)
        for link in items if link.reason
    ]


def identity(*, home_id: int | None, present: set[str]) -> list[FindingData]:
    """网站标识: what the rendered home page must show, each missing mark a finding."""
    return [
        FindingData("identity_missing", page_id=home_id, subject="首页页脚", detail=f"未显示{mark}")
        for mark in ind.IDENTITY_MARKS if mark not in present
    ]


def external_links(items: list[tuple[int, str, str, str]]) -> list[FindingData]:
    """外部链接不可用: (page id, page title, url, reason with its check date) for each failing external link."""
    return [FindingData("external_links_broken", page_id=page_id, subject=title, detail=reason, excerpt=url)
            for page_id, title, url, reason in items]
