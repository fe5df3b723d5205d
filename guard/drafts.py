"""内容检查 of a draft in the page editor: the wording findings of what the editor typed (not of the last run), and
which of them stop submission for review (错别字, 禁用词) until fixed or overridden by 终审 with a reason."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import get_text_for_indexing

from guard import checks
from guard.facts import FindingData, PageText, WordingRuleFacts
from guard.indicators import BLOCKS_SUBMISSION

# Fields that hold no prose: addresses, codes and technical settings.
NOT_PROSE = frozenset({"slug", "url_path", "seo_title", "draft_title", "path", "locale", "content_type",
                       "latest_revision", "live_revision", "alias_of", "owner", "locked_by"})


def draft_text(page: models.Model, field_names: Iterable[str]) -> str:
    """The prose of a page as it stands in memory (a draft, or a form's instance): titles, texts, rich text and the
    text of StreamField blocks, one paragraph per line."""
    parts: list[str] = []
    for name in field_names:
        if name in NOT_PROSE:
            continue
        try:
            field = page._meta.get_field(name)
        except Exception:  # a form-only field (comment notifications, schedule) is not page text
            continue
        value = getattr(page, field.attname, None)
        if value in (None, ""):
            continue
        if isinstance(field, StreamField):
            parts += [text for text in field.get_searchable_content(value) if isinstance(text, str)]
        elif isinstance(field, RichTextField):
            parts.append(get_text_for_indexing(value))
        elif isinstance(field, (models.CharField, models.TextField)) and not field.choices:
            parts.append(str(value))
    return "\n".join(part.strip() for part in parts if part and part.strip())


def wording_findings(*, page_id: int | None, title: str, text: str,
                     rules: list[WordingRuleFacts]) -> list[FindingData]:
    """The wording findings of one draft, as the site-wide run would report them once it is published."""
    return checks.wording([PageText(page_id=page_id or 0, title=title, text=text)], rules)


def override_key(finding: FindingData) -> tuple[str, str]:
    """What an override names: the advice and the sentence. The same words in another sentence block again."""
    return finding.detail, finding.excerpt


def blocking(findings: list[FindingData], *, overridden: set[tuple[str, str]]) -> list[FindingData]:
    """The findings that stop submission: 错别字 and 禁用词 not yet overridden by 终审."""
    return [finding for finding in findings
            if finding.indicator in BLOCKS_SUBMISSION and override_key(finding) not in overridden]
