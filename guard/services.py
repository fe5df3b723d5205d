"""The one write of the site guard: a run, which gathers the facts, applies every check and stores what it found."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page, Site

from audit.models import Action
from audit.services import audit_record

from guard import checks, markup, selectors
from guard.facts import FindingData, PageText
from guard.drafts import override_key
from guard.models import Finding, GuardRun, WordingOverride


def guard_run_perform(*, today: dt.date | None = None, site: Site | None = None, external: bool = False,
                      external_options: dict | None = None,
                      log: Callable[[str], None] = lambda line: None) -> GuardRun:
    """Check the whole site once and store the run with its findings (all or nothing)."""
    started = time.monotonic()
    started_at = timezone.now()
    today = today or timezone.localdate()
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    findings: list[FindingData] = []
    pages_checked = links_checked = 0
    if site is not None:
        home = site.root_page
        columns = selectors.column_facts(home=home)
        findings += checks.column_freshness(columns, today=today)
        findings += checks.home_regions(selectors.home_region_facts(home=home, columns=columns), today=today)
        findings += checks.empty_columns(columns)
        findings += checks.undated_entries(columns)
        findings += checks.letters(selectors.letter_facts(), today=today)
        findings += checks.guide_elements(selectors.guide_facts(home=home))
        log(f"  栏目、首页区块、留言、办事指南：{time.monotonic() - started:.1f} 秒")
        page_findings, pages_checked, links_checked, outside = _rendered_page_findings(site=site, home=home)
        findings += page_findings
        log(f"  页面渲染、链接、用语、无障碍：{pages_checked} 个页面，{links_checked} 个站内地址")
        if external:
            moment = time.monotonic()
            asked = external_links_refresh(urls=list(outside), **(external_options or {}))
            log(f"  外部链接：检查 {asked} 个（共 {len(outside)} 个，{time.monotonic() - moment:.1f} 秒）")
        findings += checks.external_links(selectors.external_link_problems(holders=outside))
    with transaction.atomic():
        run = GuardRun.objects.create(
            started_at=started_at, finished_at=timezone.now(), duration_seconds=round(time.monotonic() - started, 2),
            checked_pages=pages_checked, checked_links=links_checked,
            finding_count=len(findings), veto_count=sum(1 for finding in findings if finding.veto),
        )
        Finding.objects.bulk_create(
            [Finding(run=run, indicator=f.indicator, veto=f.veto, page_id=f.page_id, subject=f.subject[:255],
                     detail=f.detail[:500], excerpt=f.excerpt, url=f.url[:500]) for f in findings],
            batch_size=500,
        )
    return run


def _rendered_page_findings(*, site: Site, home) -> tuple[list[FindingData], int, int]:
    """Render every published page in-process once; from its HTML: links, images, attachments, wording, markup."""
    render = selectors.page_renderer(site=site)
    resolver = selectors.LinkResolver(site=site)
    rules = selectors.wording_rules()
    findings: list[FindingData] = []
    texts: list[PageText] = []
    broken = []
    outside: dict[str, list[tuple[int, str]]] = {}
    count = 0
    for page in selectors.published_pages(home=home).only("pk", "title", "url_path", "path", "depth"):
        url = page.get_url(current_site=site)
        if not url:
            continue
        count += 1
        status, html = render(page, url)
        if status != 200:
            broken.append(selectors.broken_link(page=page, kind="页面", target=url, reason=f"页面打不开（{status}）"))
            continue
        parsed = markup.parse(html)
        for href in dict.fromkeys(parsed.links):
            if not resolver.is_internal(href):
                if href.startswith(("http://", "https://")):
                    outside.setdefault(href, []).append((page.pk, page.title))
                continue
            if reason := resolver.problem(href):
                kind = "附件" if "/documents/" in href else "链接"
                broken.append(selectors.broken_link(page=page, kind=kind, target=href, reason=reason))
        for src in dict.fromkeys(parsed.all_images):
            if reason := resolver.problem(src):
                broken.append(selectors.broken_link(page=page, kind="图片", target=src, reason=reason))
        findings += markup.accessibility(page_id=page.pk, title=page.title, markup=parsed)
        texts.append(PageText(page_id=page.pk, title=page.title, text=parsed.main_text))
        if page.pk == home.pk:
            findings += checks.identity(home_id=home.pk, present=markup.identity_marks(parsed))
    findings += checks.links(broken)
    findings += checks.wording(texts, rules)
    return findings, count, resolver.checked, outside


def external_links_refresh(*, urls: list[str], max_age_days: int | None = None, concurrency: int = 4,
                           timeout: float = 10.0, per_host_delay: float = 1.0) -> int:
    """Check the external URLs whose cached answer is missing or older than `max_age_days`; store the answers.
    Returns how many were asked."""
    from guard.external import check_links
    from guard.indicators import EXTERNAL_RECHECK_DAYS
    from guard.models import ExternalLinkCheck

    max_age = dt.timedelta(days=EXTERNAL_RECHECK_DAYS if max_age_days is None else max_age_days)
    fresh = set(ExternalLinkCheck.objects.filter(url__in=urls, checked_at__gt=timezone.now() - max_age)
                .values_list("url", flat=True))
    stale = [url for url in urls if url not in fresh and len(url) <= 1000]
    answers = check_links(stale, concurrency=concurrency, timeout=timeout, per_host_delay=per_host_delay)
    now = timezone.now()
    with transaction.atomic():
        for answer in answers.values():
            ExternalLinkCheck.objects.update_or_create(url=answer.url, defaults={
                "outcome": answer.outcome, "status": answer.status, "final_url": answer.final_url[:1000],
                "detail": answer.detail[:200], "checked_at": now})
    return len(answers)


OVERRIDE_LOG_ACTION = "guard.wording_override"


def wording_override_record(*, page: Page, user, reason: str, findings: list[FindingData],
                            request=None) -> WordingOverride:
    """终审 lets `findings` (错别字, 禁用词 on `page`) through to review, for `reason`: stored, in the page's history
    and in the audit trail, all or nothing."""
    reason = reason.strip()
    if not reason:
        raise ValueError("请填写放行理由")
    items = [list(override_key(finding)) for finding in findings]
    with transaction.atomic():
        locked = Page.objects.select_for_update().get(pk=page.pk)
        override = WordingOverride.objects.create(page=locked, findings=items, reason=reason, created_by=user)
        log(instance=locked, action=OVERRIDE_LOG_ACTION, user=user, data={"reason": reason, "findings": items})
        audit_record(action=Action.GUARD_OVERRIDE, actor=user, target=locked, request=request,
                     detail={"reason": reason, "findings": items})
    return override


def guard_report_send(*, month: dt.date, recipients: list[str] | None = None) -> tuple[object, list[str]]:
    """Mail the month's report (PDF and XLSX attached) to the site managers; (report, recipients)."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    from guard.report import report_pdf, report_xlsx, summary_lines

    report = selectors.report_month(month=month)
    recipients = recipients if recipients is not None else selectors.report_recipients()
    if recipients and report.run_count:
        message = EmailMessage(
            subject=f"网站内容检查月度报告（{report.label}）",
            body="\n".join([*summary_lines(report), "", "附件为本月报告（PDF、XLSX），亦可在后台“网站检查”中下载。"]),
            from_email=settings.DEFAULT_FROM_EMAIL, to=recipients,
        )
        message.attach(f"{report.filename}.pdf", report_pdf(report), "application/pdf")
        message.attach(f"{report.filename}.xlsx", report_xlsx(report),
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        message.send()
    return report, recipients


def availability_probe_perform(*, base_url: str, paths: list[str], timeout: float = 10.0,
                               now: dt.datetime | None = None) -> list:
    """Ask the server at `base_url` for each path once (one round) and store every answer."""
    from guard.availability import probe
    from guard.models import ProbeResult

    round_at = now or timezone.now()
    answers = [probe(base_url.rstrip("/") + path, timeout=timeout) for path in dict.fromkeys(paths)]
    with transaction.atomic():
        return ProbeResult.objects.bulk_create([
            ProbeResult(round_at=round_at, url=answer.url[:500], status=answer.status, ok=answer.ok,
                        elapsed_ms=answer.elapsed_ms, size=answer.size, error=answer.error[:200])
            for answer in answers
        ])
