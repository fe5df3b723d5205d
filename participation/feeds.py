"""RSS 2.0 / Atom of each participation list (征求意见, 网上调查, 在线访谈): newest first, with the period or time."""

from __future__ import annotations

import re

from django.http import Http404, HttpResponse

from portal.formatting import cn_datetime

FEED_SIZE = 20
FORMATS = {"rss": "application/rss+xml; charset=utf-8", "atom": "application/atom+xml; charset=utf-8"}
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return XML_INVALID.sub("", value or "")


def _entries(index):
    from . import selectors
    from .models import ConsultationIndexPage, SurveyIndexPage

    if isinstance(index, ConsultationIndexPage):
        for page in selectors.consultation_list(within=index)[:FEED_SIZE]:
            period = f"{cn_datetime(page.opens_at)}至{cn_datetime(page.closes_at)}"
            yield page, page.opens_at, f"征求意见时间：{period}。{page.summary}"
    elif isinstance(index, SurveyIndexPage):
        for page in selectors.survey_list(within=index)[:FEED_SIZE]:
            yield page, page.opens_at, f"调查时间：{cn_datetime(page.opens_at)}至{cn_datetime(page.closes_at)}。"
    else:
        for page in selectors.interview_list(within=index)[:FEED_SIZE]:
            guests = "、".join(f"{g.title}{g.name}" for g in page.guests.all())
            yield page, page.starts_at, f"访谈时间：{cn_datetime(page.starts_at)}。嘉宾：{guests}。主题：{page.topic}"


def index_feed(request, *, index, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("订阅格式只有 rss 和 atom。")
    home = request.build_absolute_uri(index.url)
    from feedgen.feed import FeedGenerator  # imported by the first feed request, not by every worker

    generator = FeedGenerator()
    generator.id(home)
    generator.title(_text(index.title))
    generator.link(href=home, rel="alternate")
    generator.link(href=request.build_absolute_uri(f"{index.url}feed/{fmt}/"), rel="self")
    generator.description(_text(f"{index.title}：最新{FEED_SIZE}条"))
    generator.language("zh-CN")
    for page, when, summary in reversed(list(_entries(index))):
        entry = generator.add_entry()
        url = request.build_absolute_uri(page.url)
        entry.id(url)
        entry.title(_text(page.title))
        entry.link(href=url)
        entry.published(when)
        entry.updated(page.last_published_at or when)
        entry.description(_text(summary))
    body = generator.rss_str(pretty=True) if fmt == "rss" else generator.atom_str(pretty=True)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Cache-Control"] = "public, max-age=300"
    return response
