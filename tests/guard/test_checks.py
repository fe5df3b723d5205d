"""Each check at its threshold, over plain facts: no database."""

import datetime as dt

import pytest

from guard import checks
from guard.facts import ColumnFacts, GuideFacts, HomeRegionFacts, LetterFacts, LinkFacts, PageText, WordingRuleFacts
from guard.indicators import GUIDE_ELEMENTS, INDICATORS

TODAY = dt.date(2026, 12, 6)


def column(title="财政要闻", *, listing="article", update="", newest_days_ago=0, entries=5, undated=0):
    newest = TODAY - dt.timedelta(days=newest_days_ago) if newest_days_ago is not None else None
    return ColumnFacts(page_id=hash(title) % 1000, title=title, listing_kind=listing, update_kind=update,
                       entry_count=entries, newest=newest, undated_count=undated,
                       undated_examples=("机构职能",) if undated else ())


def stale(columns):
    return [finding.subject for finding in checks.column_freshness(columns, today=TODAY)]


@pytest.mark.parametrize(("listing", "update", "days", "is_stale"), [
    ("article", "", 14, False),          # 动态、要闻类: exactly two weeks old is still fresh
    ("article", "", 15, True),
    ("procurement", "", 183, False),     # 通知公告类: six months
    ("procurement", "", 184, True),
    ("policy", "", 184, True),           # 政策文件类: six months
    ("", "plan", 365, False),            # 人事、规划计划类: a year, when chosen in the column's settings
    ("", "plan", 366, True),
    ("article", "plan", 100, False),     # the column's own setting wins over its listing kind
    ("", "stable", 5000, False),         # 长期稳定 columns are never stale
])
def test_column_is_stale_only_past_its_kinds_period(listing, update, days, is_stale):
    assert stale([column(listing=listing, update=update, newest_days_ago=days)]) == (["财政要闻"] if is_stale else [])


def test_stale_column_says_when_it_was_last_updated():
    [finding] = checks.column_freshness([column(newest_days_ago=40)], today=TODAY)
    assert "2026年10月27日" in finding.detail and "40天" in finding.detail and "14天" in finding.detail


def test_home_region_without_column_or_stale_column_is_reported():
    regions = [
        HomeRegionFacts(home_id=1, name="要闻", section_id=2, listing_kind="article", newest=TODAY - dt.timedelta(14)),
        HomeRegionFacts(home_id=1, name="政策", section_id=None),
        HomeRegionFacts(home_id=1, name="采购公告", section_id=3, listing_kind="procurement",
                        newest=TODAY - dt.timedelta(200)),
    ]
    subjects = [finding.subject for finding in checks.home_regions(regions, today=TODAY)]
    assert subjects == ["首页·政策", "首页·采购公告"]


def test_five_empty_columns_are_listed_but_six_are_a_veto():
    five = [column(f"栏目{n}", entries=0, newest_days_ago=None) for n in range(5)] + [column("有内容")]
    findings = checks.empty_columns(five)
    assert [f.subject for f in findings] == [f"栏目{n}" for n in range(5)]
    assert not any(f.veto for f in findings)

    six = five + [column("栏目5", entries=0, newest_days_ago=None)]
    findings = checks.empty_columns(six)
    assert len(findings) == 6 and all(f.veto for f in findings)


def test_columns_with_undated_entries_are_named_with_an_example():
    [finding] = checks.undated_entries([column("机构职能", undated=3), column("财政要闻")])
    assert finding.subject == "机构职能" and "3条" in finding.detail and finding.excerpt == "机构职能"


def letter(*, received_days_ago, due_days_ago, replied=False):
    return LetterFacts(tracking_number="L1", kind="咨询", subject="专项资金申报", replied=replied,
                       received_on=TODAY - dt.timedelta(received_days_ago), due_on=TODAY - dt.timedelta(due_days_ago))


def test_letter_past_its_deadline_is_overdue_and_after_three_months_a_veto():
    assert checks.letters([letter(received_days_ago=20, due_days_ago=0)], today=TODAY) == []
    [overdue] = checks.letters([letter(received_days_ago=20, due_days_ago=1)], today=TODAY)
    assert overdue.indicator == "letter_overdue" and not overdue.veto
    [kept] = checks.letters([letter(received_days_ago=90, due_days_ago=60)], today=TODAY)
    assert kept.indicator == "letter_overdue"
    [veto] = checks.letters([letter(received_days_ago=91, due_days_ago=60)], today=TODAY)
    assert veto.indicator == "letter_unanswered" and veto.veto and "91天" in veto.detail
    assert checks.letters([letter(received_days_ago=200, due_days_ago=180, replied=True)], today=TODAY) == []


def test_guide_missing_an_element_names_what_is_missing():
    complete = GuideFacts(page_id=1, title="会计代理记账许可", present=frozenset(GUIDE_ELEMENTS))
    partial = GuideFacts(page_id=2, title="资产评估备案", present=frozenset(GUIDE_ELEMENTS) - {"咨询电话", "收费标准"})
    [finding] = checks.guide_elements([complete, partial])
    assert finding.subject == "资产评估备案" and finding.detail == "缺少：咨询电话、收费标准"


RULES = [
    WordingRuleFacts("typo", "会计帐簿", "会计账簿"),
    WordingRuleFacts("typo", "截止目前", "截至目前"),
    WordingRuleFacts("normative", "国资委", "国务院国资委"),
    WordingRuleFacts("forbidden", "此处填写"),
]


def test_wrong_word_is_shown_in_its_sentence():
    text = "各单位应按规定设置会计账簿。截止目前，全省已有120家单位完成整改！下一步将继续推进。"
    [finding] = checks.wording([PageText(1, "通知", text)], RULES)
    assert finding.indicator == "wording_typo"
    assert finding.detail == "“截止目前”应为“截至目前”"
    assert finding.excerpt == "截止目前，全省已有120家单位完成整改！"


def test_correct_full_form_is_not_flagged_but_the_short_form_is():
    findings = checks.wording([PageText(1, "通知", "国务院国资委印发通知。国资委将组织检查。")], RULES)
    assert [f.excerpt for f in findings] == ["国资委将组织检查。"]


def test_forbidden_term_is_a_veto():
    [finding] = checks.wording([PageText(1, "通知", "联系人：此处填写")], RULES)
    assert finding.indicator == "wording_forbidden" and finding.veto and finding.detail == "不得使用“此处填写”"


def test_only_broken_links_are_findings():
    items = [LinkFacts(1, "通知", "附件", "/documents/9/a.pdf", "附件已删除"), LinkFacts(1, "通知", "链接", "/news/")]
    [finding] = checks.links(items)
    assert finding.excerpt == "/documents/9/a.pdf" and "附件已删除" in finding.detail


def test_identity_names_each_missing_mark():
    present = {"网站标识码", "主办单位", "ICP备案号", "ICP备案查询链接", "公安机关备案号", "党政机关标识"}
    details = [f.detail for f in checks.identity(home_id=1, present=present)]
    assert details == ["未显示公安机关备案查询链接", "未显示党政机关标识链接"]


def test_every_indicator_code_is_unique_and_grouped():
    codes = [indicator.code for indicator in INDICATORS]
    assert len(codes) == len(set(codes))


def test_a_wrong_word_is_reported_once_per_sentence_and_not_inside_a_longer_one():
    rules = RULES + [WordingRuleFacts("typo", "帐簿", "账簿")]
    text = "各单位必须依法设置会计帐簿。各单位必须依法设置会计帐簿。登记帐簿应及时。"
    findings = checks.wording([PageText(1, "会计法", text)], rules)
    assert [(f.detail[:8], f.excerpt) for f in findings] == [
        ("“会计帐簿”应为", "各单位必须依法设置会计帐簿。"), ("“帐簿”应为“账", "登记帐簿应及时。")]


def test_a_document_number_keeps_the_issuers_short_name():
    rules = [WordingRuleFacts("normative", "人社部", "人力资源社会保障部")]
    text = "依据《关于深化会计人员职称制度改革的指导意见》（人社部发〔2019〕8号）。人社部将组织考试。"
    [finding] = checks.wording([PageText(1, "考试", text)], rules)
    assert finding.excerpt == "人社部将组织考试。"
