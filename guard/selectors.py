"""Reads for the site guard: the facts the checks need, gathered in a constant number of queries per kind of fact,
and the runs the dashboard shows."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.db.models import Count, QuerySet
from django.http import Http404
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from guard.facts import ColumnFacts, GuideFacts, HomeRegionFacts, LetterFacts, LinkFacts, WordingRuleFacts
from guard.models import Finding, GuardRun, WordingOverride, WordingRule
from portal.models import HomePage, SectionPage

logger = logging.getLogger(__name__)


def site_home(*, site: Site | None = None) -> Page | None:
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site else None


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


@dataclass
class _Entry:
    path: str
    date: dt.date | None


def _entries_beneath(home: Page) -> list[_Entry]:
    """Every live entry (not a column) under the home page with the date it shows: its 发布日期 when its type has
    one, else the day it was first published."""
    rows = list(Page.objects.live().descendant_of(home).not_type(SectionPage)
                .values_list("pk", "path", "content_type_id", "first_published_at"))
    dated: dict[int, dt.date] = {}
    for content_type_id in {row[2] for row in rows}:
        model = Page.objects.filter(content_type_id=content_type_id).first().specific_class
        if model is not None and any(f.name == "date" for f in model._meta.get_fields()):
            dated.update(model.objects.filter(pk__in=[r[0] for r in rows if r[2] == content_type_id])
                         .values_list("pk", "date"))
    return [_Entry(path, dated.get(pk) or _local_date(first)) for pk, path, _ct, first in rows]


def column_facts(*, home: Page) -> list[ColumnFacts]:
    """Each live column with how many entries are beneath it, the newest date they show, and the undated ones."""
    entries = _entries_beneath(home)
    undated_titles = dict(Page.objects.live().descendant_of(home).not_type(SectionPage)
                          .filter(first_published_at__isnull=True).values_list("path", "title"))
    facts = []
    for column in SectionPage.objects.live().descendant_of(home).order_by("path"):
        beneath = [entry for entry in entries if entry.path.startswith(column.path)]
        dates = [entry.date for entry in beneath if entry.date]
        undated = [entry for entry in beneath if entry.date is None]
        facts.append(ColumnFacts(
            page_id=column.pk, title=column.title, listing_kind=column.listing_kind,
            update_kind=column.update_kind, entry_count=len(beneath), newest=max(dates, default=None),
            undated_count=len(undated),
            undated_examples=tuple(undated_titles.get(entry.path, "") for entry in undated[:3]),
        ))
    return facts


HOME_REGIONS = (("要闻", "headline_section"), ("政策", "policy_section"), ("采购公告", "procurement_section"))


def home_region_facts(*, home: Page, columns: list[ColumnFacts]) -> list[HomeRegionFacts]:
    home = home.specific
    if not isinstance(home, HomePage):
        return []
    by_id = {column.page_id: column for column in columns}
    regions = []
    for name, field in HOME_REGIONS:
        column = by_id.get(getattr(home, f"{field}_id"))
        regions.append(HomeRegionFacts(
            home_id=home.pk, name=name, section_id=column.page_id if column else None,
            listing_kind=column.listing_kind if column else "", update_kind=column.update_kind if column else "",
            newest=column.newest if column else None,
        ))
    return regions


def letter_facts() -> list[LetterFacts]:
    from services_hall.admin_views import NAMESPACE
    from services_hall.models import Letter

    letters = Letter.objects.filter(reply__isnull=True).only(
        "pk", "tracking_number", "kind", "subject", "received_at", "due_on")
    return [
        LetterFacts(tracking_number=letter.tracking_number, kind=letter.get_kind_display(), subject=letter.subject,
                    received_on=timezone.localdate(letter.received_at), due_on=letter.due_on, replied=False,
                    admin_url=reverse(f"{NAMESPACE}:letter_detail", args=[letter.pk]))
        for letter in letters
    ]


def guide_facts(*, home: Page) -> list[GuideFacts]:
    from services_hall.models import ServiceGuidePage

    guides = (ServiceGuidePage.objects.live().descendant_of(home)
              .annotate(material_count=Count("materials", distinct=True), step_count=Count("steps", distinct=True)))
    facts = []
    for guide in guides:
        present = {
            "设定依据": bool(_plain(guide.legal_basis)),
            "申请条件": bool(_plain(guide.acceptance_conditions)),
            "申请材料": guide.material_count > 0,
            "办理时限": bool(guide.statutory_days),
            "办理地点": bool(guide.location.strip()),
            "咨询电话": bool(guide.consultation_phone.strip()),
            "办理流程": guide.step_count > 0,
            "收费标准": bool(guide.fees.strip()),
        }
        facts.append(GuideFacts(page_id=guide.pk, title=guide.title,
                                present=frozenset(name for name, ok in present.items() if ok)))
    return facts


def _plain(html: str) -> str:
    from django.utils.html import strip_tags

    return strip_tags(html or "").strip()


def wording_rules() -> list[WordingRuleFacts]:
    return [WordingRuleFacts(kind=rule.kind, wrong=rule.wrong, right=rule.right, note=rule.note)
            for rule in WordingRule.objects.filter(active=True)]


# ---------------------------------------------------------------------------------------------------------------
# Rendering published pages in-process, and resolving the URLs they hold without HTTP


def published_pages(*, home: Page) -> QuerySet[Page]:
    return Page.objects.live().public().descendant_of(home, inclusive=True).order_by("path")


def page_renderer(*, site: Site):
    """A function rendering a published page as an anonymous visitor sees it, in-process (no HTTP, no page cache):
    (status, html). Pages are served directly, without URL routing: half the cost of a full request."""
    factory = RequestFactory()
    host = site.hostname if site.hostname not in ("", "*") else "localhost"

    def render(page: Page, url: str) -> tuple[int, str]:
        request = factory.get(url, HTTP_HOST=host)
        request.user = AnonymousUser()
        request._wagtail_site = site
        try:
            # The page routes its own root (a routable column picks its index view), as Wagtail's serve view
            # would after walking the tree from the site root, which is the part skipped here.
            target, args, kwargs = page.specific.route(request, [])
            response = target.serve(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        except Http404:
            return 404, ""
        except Exception:  # a page that fails to render is exactly what the guard must report, not crash on
            logger.exception("网站检查：页面渲染失败 %s", url)
            return 500, ""
        if response.status_code != 200:
            return response.status_code, ""
        return 200, response.content.decode(response.charset or "utf-8", "replace")

    return render


class LinkResolver:
    """Whether an internal URL leads somewhere, answered from the URL conf, the page tree and storage; each distinct
    URL is looked at once. External URLs are not checked here."""

    def __init__(self, *, site: Site):
        self.site = site
        self.root_url = site.root_page.url_path
        self.page_paths: dict[str, Page] = {}
        for page in Page.objects.live().public().descendant_of(site.root_page, inclusive=True).only(
                "pk", "url_path", "content_type_id"):
            self.page_paths[page.url_path] = page
        self.routable_ids = {
            page.pk for page in Page.objects.live().descendant_of(site.root_page, inclusive=True).specific(defer=True)
            if isinstance(page, RoutablePageMixin)
        }
        self.hosts = {site.hostname, "localhost", "127.0.0.1", *settings.ALLOWED_HOSTS}
        self.cache: dict[str, str] = {}
        self.checked = 0

    def is_internal(self, href: str) -> bool:
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel", "javascript", "data"):
            return False
        if not parts.netloc:
            return True
        # Another port on the same host is another server (a local service, a test server): external.
        return parts.hostname in self.hosts and parts.port in (None, 80, 443, self.site.port)

    def problem(self, href: str) -> str:
        """Why `href` does not work, or "" when it does (or is not ours to check)."""
        if not self.is_internal(href):
            return ""
        path = unquote(urlsplit(href).path)
        if not path:
            return ""
        if path not in self.cache:
            self.checked += 1
            self.cache[path] = self._problem(path)
        return self.cache[path]

    def _problem(self, path: str) -> str:
        if path.startswith(settings.STATIC_URL):
            name = path[len(settings.STATIC_URL):]
            return "" if finders.find(name) else "静态文件不存在"
        if path.startswith(settings.MEDIA_URL):
            name = path[len(settings.MEDIA_URL):]
            return "" if default_storage.exists(name) else "文件不存在"
        try:
            match = resolve(path)
        except Resolver404:
            return "地址不存在（404）"
        if match.url_name == "wagtail_serve":
            return self._page_problem(path)
        if match.url_name == "wagtaildocs_serve":
            document = get_document_model().objects.filter(pk=match.kwargs.get("document_id")).first()
            if document is None:
                return "附件已删除"
            return "" if document.file and document.file.storage.exists(document.file.name) else "附件文件缺失"
        return ""

    def _page_problem(self, path: str) -> str:
        url_path = self.root_url.rstrip("/") + (path if path.endswith("/") else path + "/")
        if url_path in self.page_paths:
            return ""
        # A routable page answers for paths beneath it (feeds, filters): let it route what remains.
        candidate = url_path.rstrip("/")
        while "/" in candidate[1:]:
            candidate = candidate.rsplit("/", 1)[0]
            page = self.page_paths.get(candidate + "/")
            if page is not None:
                if page.pk not in self.routable_ids:
                    return "页面不存在或未发布"
                remainder = url_path[len(candidate) + 1:]
                try:
                    page.specific.resolve_subpage("/" + remainder)
                except Exception:  # Http404 or Resolver404 from the page's own routes
                    return "页面不存在或未发布"
                return ""
        return "页面不存在或未发布"


def broken_link(*, page: Page, kind: str, target: str, reason: str) -> LinkFacts:
    return LinkFacts(page_id=page.pk, page_title=page.title, kind=kind, target=target, reason=reason)


# ---------------------------------------------------------------------------------------------------------------
# Runs, for the dashboard


def run_latest() -> GuardRun | None:
    return GuardRun.objects.filter(finished_at__isnull=False).first()


def run_trend(*, limit: int = 30) -> list[GuardRun]:
    """The last `limit` finished runs, oldest first."""
    return list(reversed(GuardRun.objects.filter(finished_at__isnull=False)[:limit]))


def run_findings_by_group(*, run: GuardRun) -> list[tuple[str, list[tuple[str, list[Finding]]]]]:
    """The run's findings grouped as the 检查指标 group them: veto groups first, then the table's order."""
    from guard.indicators import INDICATORS, Group

    findings = defaultdict(list)
    for finding in run.findings.select_related("page").order_by("pk"):
        findings[finding.indicator].append(finding)
    groups = []
    for group in Group:
        items = [(indicator.name, findings[indicator.code]) for indicator in INDICATORS
                 if indicator.group is group and findings[indicator.code]]
        if items:
            groups.append((group.value, items))
    groups.sort(key=lambda group: not any(f.veto for _name, items in group[1] for f in items))
    return groups


def page_findings(*, page) -> list[Finding]:
    """What the latest finished run found on one page, veto items first."""
    run = run_latest()
    if run is None:
        return []
    return list(run.findings.filter(page_id=page.pk).order_by("-veto", "indicator", "pk"))


def wording_overrides(*, page_id: int | None) -> set[tuple[str, str]]:
    """The (advice, sentence) pairs 终审 has let through on this page."""
    if not page_id:
        return set()
    return {(item[0], item[1]) for findings in WordingOverride.objects.filter(page_id=page_id)
            .values_list("findings", flat=True) for item in findings if len(item) == 2}


def wording_override_latest(*, page_id: int) -> WordingOverride | None:
    return WordingOverride.objects.filter(page_id=page_id).select_related("created_by").first()


# ---------------------------------------------------------------------------------------------------------------
# The monthly report


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first moment and the next month's, in the site's time zone."""
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    zone = timezone.get_current_timezone()
    return (timezone.make_aware(dt.datetime.combine(first, dt.time.min), zone),
            timezone.make_aware(dt.datetime.combine(following, dt.time.min), zone))


def report_month(*, month: dt.date):
    """The month's report: its last finished run in the indicator's structure, and the probe's availability."""
    from guard.report import MonthlyReport, ReportFinding, results_in_order

    start, end = month_bounds(month)
    runs = GuardRun.objects.filter(finished_at__isnull=False, started_at__gte=start, started_at__lt=end)
    last = runs.first()
    findings: dict[str, list[ReportFinding]] = defaultdict(list)
    vetoed: set[str] = set()
    if last is not None:
        for indicator, veto, subject, detail, excerpt in last.findings.order_by("pk").values_list(
                "indicator", "veto", "subject", "detail", "excerpt"):
            findings[indicator].append(ReportFinding(subject=subject, detail=detail, excerpt=excerpt))
            if veto:
                vetoed.add(indicator)
    return MonthlyReport(
        month=month.replace(day=1), run_count=runs.count(), last_run_at=last.started_at if last else None,
        finding_count=last.finding_count if last else 0, veto_count=last.veto_count if last else 0,
        results=results_in_order(findings, vetoed), availability=tuple(_availability_lines(start, end)),
    )


def _availability_lines(start: dt.datetime, end: dt.datetime) -> list[tuple[str, str]]:
    from guard.availability import uptime

    rounds = probe_rounds(since=start, until=end)
    if not rounds:
        return []
    failed = sum(1 for _moment, ok in rounds if not ok)
    return [("可用性（自动探测）", f"本月探测{len(rounds)}轮，可用率{uptime(rounds, since=start):.2f}%，"
                              f"{failed}轮有地址不可用")]


def report_months(*, limit: int = 12) -> list[dt.date]:
    """The months (first days, newest first) that have at least one finished run."""
    months = GuardRun.objects.filter(finished_at__isnull=False).datetimes("started_at", "month", order="DESC")
    return [timezone.localtime(moment).date() for moment in months[:limit]]


def report_recipients() -> list[str]:
    """Who gets the monthly report: settings.GUARD_REPORT_EMAILS, else the site managers (the Moderators group,
    or the group named by GUARD_REPORT_GROUP) with an address."""
    from django.contrib.auth import get_user_model

    configured = [address for address in getattr(settings, "GUARD_REPORT_EMAILS", []) if address]
    if configured:
        return configured
    group = getattr(settings, "GUARD_REPORT_GROUP", "Moderators")
    return sorted(set(get_user_model().objects.filter(is_active=True, groups__name=group).exclude(email="")
                      .values_list("email", flat=True)))


# ---------------------------------------------------------------------------------------------------------------
# Availability (manage.py site_guard probe)


def probe_paths(*, site: Site | None = None) -> list[str]:
    """What the probe asks for: the home page, each first-level column in the menu, then GUARD_PROBE_PATHS."""
    home = site_home(site=site)
    paths = ["/"]
    if home is not None:
        site = site or Site.objects.filter(is_default_site=True).first()
        for page in home.get_children().live().public().in_menu().order_by("path"):
            path = urlsplit(page.get_url(current_site=site) or "").path
            if path.startswith("/"):
                paths.append(path)
    return list(dict.fromkeys([*paths, *getattr(settings, "GUARD_PROBE_PATHS", [])]))


def probe_rounds(*, since: dt.datetime, until: dt.datetime | None = None) -> list[tuple[dt.datetime, bool]]:
    """(round time, every URL answered) for each probe round in the window, oldest first."""
    from django.db.models import Q

    from guard.models import ProbeResult

    rows = ProbeResult.objects.filter(round_at__gte=since)
    if until is not None:
        rows = rows.filter(round_at__lt=until)
    # Count, not Min: PostgreSQL has no MIN(boolean).
    return [(row["round_at"], row["failed"] == 0)
            for row in rows.values("round_at").annotate(failed=Count("pk", filter=Q(ok=False))).order_by("round_at")]


def availability_summary(*, now: dt.datetime | None = None, failures: int = 10) -> dict:
    """Uptime over the last 7 and 30 days, the latest round, and the latest failed answers, for the dashboard."""
    from guard.availability import uptime
    from guard.models import ProbeResult

    now = now or timezone.now()
    rounds = probe_rounds(since=now - dt.timedelta(days=30))
    latest = ProbeResult.objects.first()
    return {
        "uptime_7": uptime(rounds, since=now - dt.timedelta(days=7)),
        "uptime_30": uptime(rounds, since=now - dt.timedelta(days=30)),
        "rounds_30": len(rounds),
        "latest_round": list(ProbeResult.objects.filter(round_at=latest.round_at).order_by("pk")) if latest else [],
        "failures": list(ProbeResult.objects.filter(ok=False)[:failures]),
    }


def external_link_problems(*, holders: dict[str, list[tuple[int, str]]]) -> list[tuple[int, str, str, str]]:
    """(page id, page title, url, reason) for each page holding an external link whose last check failed."""
    from guard.external import LinkAnswer, Outcome, describe
    from guard.models import ExternalLinkCheck
    from portal.formatting import cn_date

    problems = []
    failing = ExternalLinkCheck.objects.filter(url__in=list(holders), outcome__in=Outcome.FAILING)
    for check in failing.order_by("url"):
        reason = describe(LinkAnswer(check.url, check.outcome, status=check.status, detail=check.detail))
        for page_id, title in holders[check.url]:
            problems.append((page_id, title, check.url, f"{reason}（{cn_date(check.checked_at)}检查）"))
    return problems
