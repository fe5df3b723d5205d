"""检查指标: every check the site guard makes, its group as 国办秘函〔2019〕19号 groups them, and its threshold.

This table is the one place a threshold lives; the checks in guard/checks.py read it and the dashboard shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Group(StrEnum):
    """The indicator groups of the 政府网站检查指标, in the order the dashboard shows them."""

    AVAILABILITY = "可用性"
    INFORMATION = "信息更新情况"
    INTERACTION = "互动回应情况"
    SERVICE = "办事服务情况"
    WORDING = "信息内容准确性"
    USABILITY = "实用性与无障碍"
    IDENTITY = "网站标识与备案"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    group: Group
    veto: bool  # 单项否决: one finding fails the whole site
    threshold: str  # the threshold as the dashboard states it


# Column update periods by 栏目更新要求 (SectionPage.update_kind), in days. "stable" columns are not checked.
FRESHNESS_DAYS: dict[str, int] = {
    "dynamic": 14,   # 动态、要闻类: 2 weeks
    "notice": 183,   # 通知公告类: 6 months
    "policy": 183,   # 政策文件类: 6 months
    "plan": 365,     # 人事、规划计划类: 1 year
}
FRESHNESS_LABELS: dict[str, str] = {
    "dynamic": "动态、要闻类", "notice": "通知公告类", "policy": "政策文件类", "plan": "人事、规划计划类",
}
# A column whose update_kind is left empty takes its kind from what it lists (SectionPage.listing_kind).
DEFAULT_UPDATE_KIND: dict[str, str] = {
    "article": "dynamic",
    "policy": "policy",
    "interpretation": "policy",
    "procurement": "notice",
    "": "notice",
}
STABLE = "stable"

EXTERNAL_RECHECK_DAYS = 7         # external links: checked again when their last check is older than this
EMPTY_COLUMNS_VETO_ABOVE = 5     # 空白栏目 more than this many: 单项否决
LETTER_VETO_DAYS = 90            # 互动留言 unanswered for more than 3 months: 单项否决

# 办事指南要素: (element, how a guide shows it). A guide missing any of these is a finding.
GUIDE_ELEMENTS: tuple[str, ...] = ("设定依据", "申请条件", "申请材料", "办理时限", "办理地点", "咨询电话", "办理流程", "收费标准")

# What the footer of the rendered home page must show, and link where a link is required (guard/markup.py finds them).
IDENTITY_MARKS: tuple[str, ...] = (
    "网站标识码", "主办单位", "ICP备案号", "ICP备案查询链接", "公安机关备案号", "公安机关备案查询链接",
    "党政机关标识", "党政机关标识链接",
)

INDICATORS: tuple[Indicator, ...] = (
    Indicator("links_broken", "链接不可用", Group.AVAILABILITY, False,
              "已发布内容中的站内链接、图片、附件须可访问（每日检查）"),
    Indicator("external_links_broken", "外部链接不可用", Group.AVAILABILITY, False,
              f"外部链接每{EXTERNAL_RECHECK_DAYS}天检查一次：无响应或返回4xx、5xx（遵守robots.txt）"),
    Indicator("column_stale", "栏目长期未更新", Group.INFORMATION, False,
              "动态、要闻类超过14天，通知公告、政策文件类超过6个月，人事、规划计划类超过1年未更新"),
    Indicator("home_region_stale", "首页栏目长期未更新", Group.INFORMATION, False,
              "首页各区块的最新信息，时限同所引栏目"),
    Indicator("columns_empty", "空白栏目", Group.INFORMATION, True,
              f"有栏目无内容；超过{EMPTY_COLUMNS_VETO_ABOVE}个为单项否决"),
    Indicator("entry_undated", "信息未标注发布日期", Group.INFORMATION, False,
              "栏目中的信息须显示发布日期"),
    Indicator("letter_overdue", "留言逾期未答复", Group.INTERACTION, False, "超过答复期限仍未答复"),
    Indicator("letter_unanswered", "留言长期未回应", Group.INTERACTION, True,
              f"超过{LETTER_VETO_DAYS}天（3个月）未答复为单项否决"),
    Indicator("guide_incomplete", "办事指南要素缺失", Group.SERVICE, False,
              "须有" + "、".join(GUIDE_ELEMENTS)),
    Indicator("wording_typo", "错别字", Group.WORDING, False, "错别字表中的写法"),
    Indicator("wording_normative", "不规范表述", Group.WORDING, False, "规范表述表中的写法（机构、法律全称等）"),
    Indicator("wording_forbidden", "禁用词", Group.WORDING, True, "不得出现的词语"),
    Indicator("markup_img_alt", "图片缺少替代文字", Group.USABILITY, False, "每张图片须有替代文字"),
    Indicator("markup_heading_order", "标题层级跳跃", Group.USABILITY, False, "标题层级不得跳级（如 h2 后直接 h4）"),
    Indicator("markup_table_header", "表格缺少表头", Group.USABILITY, False, "数据表格须有表头单元格"),
    Indicator("identity_missing", "网站标识缺失", Group.IDENTITY, False,
              "首页须显示" + "、".join(IDENTITY_MARKS)),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}


def update_period(*, update_kind: str, listing_kind: str) -> int | None:
    """The column's update period in days, or None for a column that need not be updated."""
    kind = update_kind or DEFAULT_UPDATE_KIND.get(listing_kind, "notice")
    return None if kind == STABLE else FRESHNESS_DAYS[kind]


def effective_kind(*, update_kind: str, listing_kind: str) -> str:
    return update_kind or DEFAULT_UPDATE_KIND.get(listing_kind, "notice")

# 内容检查 in the page editor: findings of these indicators stop a page being submitted for review until they are
# fixed or 终审 overrides them with a reason.
BLOCKS_SUBMISSION: frozenset[str] = frozenset({"wording_typo", "wording_forbidden"})
