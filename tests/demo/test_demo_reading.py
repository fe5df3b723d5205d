"""The demo read closely, as a reader of a ministry site would: over every page today's `load_demo` builds (what
`make run` shows a newcomer today; the same build tests/demo/test_load_demo.py checks), no policy repeats an article,
every 第N条 starts its own paragraph and the numbers run 1..N, no page says a sentence twice, no date in the prose is
later than the page's own date (meetings are reported within days of being held), and every column's newest entry is
as recent as its kind of column would be on a live site. The site guard finds no stale column. The demo is loaded
once per test run and copied for the module (tests/demo_snapshot.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

import pytest
from django.test import override_settings
from django.utils.html import strip_tags
from wagtail.models import Page

from content.models import PolicyPage
from guard import checks, indicators, selectors
from portal.models import SectionPage
from tests.demo.builds import todays_load_demo
from tests.demo_snapshot import demo_database

# How recent the newest entry of a column is on a real ministry site, by the guard's kind of column (days).
# Stricter than the guard's 栏目长期未更新 thresholds, which only say when a column is neglected.
PLAUSIBLE_DAYS = {"dynamic": 7, "notice": 31, "policy": 120, "plan": 400}
NEWS_DAYS = 3  # 财政新闻 as a whole: something every working day or two


# What is read here is Python's (demo.prose and the Composer's dates): the database only stores and returns it, with
# plain filters by column and date. Read once, in the SQLite pass; the demo's build itself runs on PostgreSQL too
# (tests/demo/test_load_demo.py, tests/demo/test_demo_content.py).
pytestmark = pytest.mark.same_on_every_database


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory, demo_shared):
    """(home page, the day it was built for) of today's `load_demo`, built once per run (tests/demo_snapshot.py);
    put back as it was after."""
    key, build = todays_load_demo()
    with django_db_blocker.unblock(), override_settings(VAR_DIR=tmp_path_factory.mktemp("var")), \
            demo_database(shared=demo_shared, key=key, build=build) as result:
        yield selectors.site_home(), dt.date.fromisoformat(result["day"])


@pytest.fixture(scope="module")
def demo(built):
    return built[0]


@pytest.fixture(scope="module")
def today(built) -> dt.date:
    """The day the demo was loaded on: its dates run up to it."""
    return built[1]


@dataclass
class Read:
    """One page as a reader meets it: its date, title and the paragraphs of its body (tables left out)."""

    title: str
    url_path: str
    day: dt.date
    paragraphs: list[str]


def _paragraphs(body) -> list[str]:
    out = []
    for block in body or []:
        if block.block_type == "paragraph":
            value = block.value
            html = value.source if hasattr(value, "source") else str(value)
            out += [strip_tags(part).strip() for part in re.split(r"</p>", html) if strip_tags(part).strip()]
    return out


@pytest.fixture(scope="module")
def pages(demo, django_db_blocker) -> list[Read]:
    with django_db_blocker.unblock():
        reads = []
        for page in Page.objects.live().descendant_of(demo).not_type(SectionPage).specific():
            day = getattr(page, "date", None) or (page.first_published_at and page.first_published_at.date())
            body = getattr(page, "body", None)
            if day is None or body is None:
                continue
            reads.append(Read(page.title, page.url_path, day, _paragraphs(body)))
        return reads


def _where(read: Read) -> str:
    return f"{read.title}（{read.day}，{read.url_path}）"


# --- policies: articles --------------------------------------------------------------------------------------

CN = "零一二三四五六七八九十百"
ARTICLE = re.compile(rf"第([{CN}]+)条")


def cn_int(text: str) -> int:
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = digits[char]
    return total + current


def articles_of(paragraphs: list[str]) -> list[tuple[int, str]]:
    """(number, text) of each 第N条 that opens a paragraph."""
    out = []
    for text in paragraphs:
        match = re.match(rf"第([{CN}]+)条\s*(.*)", text, re.S)
        if match:
            out.append((cn_int(match[1]), match[2].strip()))
    return out


def test_the_helpers_read_chinese_article_numbers():
    assert [cn_int(n) for n in ("一", "十", "十二", "二十", "二十三", "一百零五")] == [1, 10, 12, 20, 23, 105]
    assert articles_of(["第三条　甲。", "乙。", "第十一条　丙。"]) == [(3, "甲。"), (11, "丙。")]


def test_no_policy_repeats_one_of_its_articles(demo, pages, db):
    policies = {page.url_path for page in PolicyPage.objects.live().descendant_of(demo).only("url_path")}
    repeated = []
    for read in pages:
        if read.url_path not in policies:
            continue
        # articles run together in one paragraph are still articles (another test asks for them to be apart)
        pieces = [piece for text in read.paragraphs for piece in re.split(rf"(?<=。)(?=第[{CN}]+条)", text)]
        counts = Counter(text for _n, text in articles_of(pieces))
        repeated += [f"{_where(read)}：{text[:30]}" for text, count in counts.items() if count > 1]
    assert not repeated, f"{len(repeated)} 条重复：" + "；".join(repeated[:5])


def test_every_article_starts_its_own_paragraph_and_they_run_in_order(pages, db):
    run_together, out_of_order = [], []
    for read in pages:
        for text in read.paragraphs:
            # an article quoted inside a sentence (依照本法第三十一条) is not one; one that follows a 。 is
            if re.search(rf"。\s*第[{CN}]+条", text):
                run_together.append(f"{_where(read)}：{text[:40]}")
        numbers = [n for n, _text in articles_of(read.paragraphs)]
        if numbers and numbers != list(range(1, len(numbers) + 1)):
            out_of_order.append(f"{_where(read)}：{numbers}")
    assert not run_together, f"{len(run_together)} 段连写多条：" + "；".join(run_together[:5])
    assert not out_of_order, "条文序号不连续：" + "；".join(out_of_order[:5])


# --- sentences -------------------------------------------------------------------------------------------------


def sentences(paragraphs: list[str]) -> list[str]:
    return [s for text in paragraphs for s in re.findall(r"[^。！？]+[。！？]", text) if len(s) >= 8]


def test_no_page_says_the_same_sentence_twice(pages, db):
    repeated = []
    for read in pages:
        counts = Counter(sentences(read.paragraphs))
        repeated += [f"{_where(read)}：{s}" for s, count in counts.items() if count > 1]
    assert not repeated, f"{len(repeated)} 句在同一页重复：" + "；".join(repeated[:5])


# --- dates in the prose ------------------------------------------------------------------------------------------

DATE = re.compile(r"(?<!\d)(\d{4})年(\d{1,2})月(\d{1,2})日")
# A date may lie after the page's own when the prose looks ahead: 自…起施行, …前报送, 截止时间为…, …至…, 9时30分.
AHEAD_AFTER = ("起", "前", "至", "止", "以前")
AHEAD_BEFORE = ("至", "截止时间为", "截止日期为", "变更为", "到", "截止", "延长至", "期限为")
# A date that reports an event (2026年3月3日，财政部召开…; …于2026年3月3日刊发评论) is days old at most.
EVENT_AFTER = re.compile(r"^(至(\d+月)?\d+日)?(，|刊发|发表|召开|举行)")
EVENT_DAYS = 14
LETTER_DAYS = 60  # 来信时间 before the published reply


def date_problems(read: Read) -> list[str]:
    problems = []
    for text in read.paragraphs:
        for match in DATE.finditer(text):
            try:
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                problems.append(f"{match[0]}不是日期")
                continue
            after, before = text[match.end():match.end() + 12], text[max(0, match.start() - 8):match.start()]
            if EVENT_AFTER.match(after) and not before.endswith(AHEAD_BEFORE):
                if day > read.day:
                    problems.append(f"{match[0]}{after[:6]}：晚于发布日期")
                elif (read.day - day).days > EVENT_DAYS:
                    problems.append(f"{match[0]}{after[:6]}：事隔{(read.day - day).days}天才报道")
                continue
            ahead = after.startswith(AHEAD_AFTER) or re.match(r"^\d+时", after) or before.endswith(AHEAD_BEFORE)
            if ahead:
                continue
            if day > read.day:
                problems.append(f"{match[0]}晚于发布日期")
            elif before.endswith("来信时间：") and (read.day - day).days > LETTER_DAYS:
                problems.append(f"来信时间{match[0]}：{(read.day - day).days}天后才答复")
    return problems


def test_the_date_checker_tells_looking_ahead_from_reporting():
    def read(text):
        return Read("t", "/t/", dt.date(2026, 11, 30), [text])

    assert date_problems(read("本办法自2027年1月1日起施行。")) == []
    assert date_problems(read("请于2026年12月20日前报送。意见反馈截止时间为2026年12月30日。")) == []
    assert date_problems(read("截止时间为2026年12月3日9时30分（北京时间）。")) == []
    assert date_problems(read("2026年11月27日，财政部召开会议。2026年11月26日至28日，部长赴四川调研。")) == []
    assert date_problems(read("2026年12月1日至3日，部长赴四川调研。")) == ["2026年12月1日至3日，部长：晚于发布日期"]
    assert date_problems(read("2026年3月3日，财政部召开会议。")) == ["2026年3月3日，财政部召开：事隔272天才报道"]
    assert date_problems(read("更新日期为2026年12月3日。")) == ["2026年12月3日晚于发布日期"]


def test_no_date_in_the_prose_is_after_the_page_or_reports_an_old_meeting(pages, db):
    found = [f"{_where(read)}：{problem}" for read in pages for problem in date_problems(read)]
    assert not found, f"{len(found)} 处日期与发布日期不符：" + "；".join(found[:6])


# --- freshness of the columns --------------------------------------------------------------------------------------


def test_every_column_is_as_fresh_as_its_kind_of_column(demo, today, db):
    columns = selectors.column_facts(home=demo)
    stale = []
    for column in columns:
        kind = indicators.effective_kind(update_kind=column.update_kind, listing_kind=column.listing_kind)
        if kind == indicators.STABLE or column.newest is None:
            continue
        age = (today - column.newest).days
        if age > PLAUSIBLE_DAYS[kind]:
            stale.append(f"{column.title}（{indicators.FRESHNESS_LABELS[kind]}）最新一条已{age}天")
    assert not stale, "；".join(stale)
    news = next(column for column in columns if column.title == "财政新闻")
    assert (today - news.newest).days <= NEWS_DAYS


def test_the_site_guard_finds_no_stale_column_on_a_fresh_demo(demo, today, db):
    columns = selectors.column_facts(home=demo)
    findings = checks.column_freshness(columns, today=today)
    findings += checks.home_regions(selectors.home_region_facts(home=demo, columns=columns), today=today)
    assert [(f.subject, f.detail) for f in findings] == []


# --- what a reader notices on an article ---------------------------------------------------------------------------


def test_a_story_sourced_to_a_local_finance_department_is_about_that_place(demo, db):
    from content.models import ArticlePage

    local = ArticlePage.objects.live().filter(source__regex=r"(财政厅|财政局)$")
    assert local.filter(url_path__contains="/news/local/").exists()
    elsewhere = []
    for article in local:
        place = re.sub(r"(财政厅|财政局)$", "", article.source)
        text = article.title + article.summary + " ".join(_paragraphs(article.body))
        if place[:2] not in text:
            elsewhere.append(f"{article.title}：来源{article.source}")
    assert not elsewhere, f"{len(elsewhere)} 篇地方财政稿件的来源不是当地财政部门：" + "；".join(elsewhere[:5])


def test_the_site_guard_finds_no_wrong_wording_in_the_demo_prose(pages, db):
    from guard.facts import PageText

    texts = [PageText(number, read.title, " ".join(read.paragraphs)) for number, read in enumerate(pages)]
    findings = checks.wording(texts, selectors.wording_rules())
    assert [(f.subject, f.detail) for f in findings] == []


def test_a_leader_story_is_headed_by_what_the_leader_did(demo, db):
    """No 会谈要点 (talks) under a meeting the minister chaired, no 调研情况 under talks with a delegation."""
    from content.models import ArticlePage

    fits = {"会见": {"会谈要点", "有关情况"}, "调研": {"调研情况", "工作要求"}, "主持召开": {"会议要求", "工作部署"},
            "出席": {"发言要点", "有关情况"}}
    wrong = []
    for story in ArticlePage.objects.live().descendant_of(demo).filter(url_path__contains="/news/leaders/"):
        allowed = next((headings for word, headings in fits.items() if word in story.title), None)
        headings = {block.value for block in story.body if block.block_type == "heading"}
        if allowed is not None and not headings <= allowed:
            wrong.append((story.title, sorted(headings - allowed)))
    assert not wrong
