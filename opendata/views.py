"""Public views of the catalog: the catalog list with facets, resource downloads, and access applications."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage
from django_ratelimit.decorators import ratelimit

from opendata import downloads, selectors, services
from opendata.filters import FACETS, CatalogError, parse_catalog_query
from opendata.forms import AccessApplicationForm
from opendata.models import DatasetPage, Resource
from opendata.rules import OpenType
from portal.pagination import paginate
from portal.ratelimit import client_ip

PER_PAGE = 20
CONDITIONAL_MESSAGE = "该数据资源为有条件开放：数据须申请并获批接口密钥后使用，请在数据资源页面申请。"



def _section(request):
    """The 数据开放 front door, for the breadcrumb and the active menu item (absent in a bare site)."""
    from opendata.models import OpenDataPage
    from portal.places import front_door

    return front_door(OpenDataPage)


@require_GET
def catalog(request):
    """The catalog lives on the 数据开放 front door; this older address leads there with its filters."""
    door = _section(request)
    if door is not None:
        query_string = request.META.get("QUERY_STRING", "")
        return redirect(door.url + (f"?{query_string}" if query_string else ""), permanent=True)
    return render(request, "opendata/catalog.html", catalog_context(request))


def catalog_context(request) -> dict:
    """What the catalog shows: the datasets found, paginated, with facets, sorts and feeds (a bad filter is a 400)."""
    try:
        query = parse_catalog_query(request.GET)
    except CatalogError as error:
        raise BadRequest(str(error)) from error
    page_obj = paginate(request, selectors.dataset_search(query=query), per_page=PER_PAGE)
    datasets = list(page_obj.object_list)
    formats = selectors.resource_formats(datasets=datasets)
    facets = selectors.catalog_facets_kept(query=query)
    return {
        "query": query,
        "page_obj": page_obj,
        "datasets": [(dataset, formats.get(dataset.pk, [])) for dataset in datasets],
        "facets": [
            {"name": name, "label": selectors.FACET_LABELS[name], "selected": getattr(query, name),
             "clear_url": _url(request, name, ""),
             "values": [{"value": item.value, "label": item.label, "count": item.count,
                         "url": _url(request, name, "" if getattr(query, name) == item.value else item.value),
                         "active": getattr(query, name) == item.value} for item in facets[name]]}
            for name in FACETS
        ],
        "sorts": [{"value": value, "label": label, "url": _url(request, "sort", value), "active": query.sort == value}
                  for value, label in selectors.SORT_LABELS.items()],
        "active_filters": query.active(),
        "feeds": _feed_links(query),
    }


def _feed_links(query) -> list[dict]:
    """The RSS and Atom feeds of the catalog as filtered (components/feed_links.html)."""
    from urllib.parse import urlencode

    active = sorted(query.active().items())
    suffix = "?" + urlencode(active) if active else ""
    formats = (("rss", "RSS", "application/rss+xml"), ("atom", "Atom", "application/atom+xml"))
    return [{"format": fmt, "label": label, "type": mime,
             "href": reverse("opendata:dataset_feed", args=[fmt]) + suffix,
             "title": f"数据资源更新{'（筛选结果）' if active else ''} {label} 订阅"}
            for fmt, label, mime in formats]


def _url(request, name: str, value: str) -> str:
    """The current catalog URL with one parameter set (or removed when empty), back on page 1."""
    params = request.GET.copy()
    params.pop("page", None)
    if value:
        params[name] = value
    else:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def _refuse(request, status: int, message: str):
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "opendata/refused.html", {"message": message, "status": status}, status=status)


@require_GET
def resource_download(request, resource_id: int, fmt: str):
    if fmt not in downloads.FORMATS:
        raise Http404("不支持的下载格式。")
    resource = (Resource.objects.select_related("dataset")
                .filter(pk=resource_id, ingested_at__isnull=False,
                        dataset__in=DatasetPage.objects.public_catalog()).first())
    if resource is None:
        raise Http404("未找到该数据文件。")
    if not resource.dataset.data_is_public:
        return _refuse(request, 403, CONDITIONAL_MESSAGE)
    usage = get_usage(request, group="opendata-download", key=client_ip, rate=settings.OPENDATA_DOWNLOAD_RATE,
                      method=get_usage.ALL, increment=True)
    if usage is not None and usage["should_limit"]:
        response = _refuse(request, 429, "下载过于频繁，请稍后再试。")
        response["Retry-After"] = str(max(1, usage["time_left"]))
        return response
    response, starts = downloads.response_for(request, resource, fmt)
    if starts:  # the continuation of a download (a later byte range, a 304) is not another download
        services.dataset_record_download(resource=resource)
    return response


# --- access applications (有条件开放) ------------------------------------------------------------------------

APPLY_TOO_MANY = "提交过于频繁，请稍后再试。您填写的内容已保留。"
APPLY_SESSION_KEY = "opendata_access_application"


def _conditional_dataset(dataset_id: int) -> DatasetPage:
    """A public 有条件开放 dataset: only those take applications (404 for anything else)."""
    dataset = (DatasetPage.objects.public_catalog().filter(pk=dataset_id, open_type=OpenType.CONDITIONAL)
               .select_related("publisher").first()) if 0 < dataset_id < 2**31 else None
    if dataset is None:
        raise Http404("该数据资源不存在，或不需要申请即可使用。")
    return dataset


def _apply_rate(group, request) -> str:
    return settings.OPENDATA_APPLY_RATE


@require_http_methods(["GET", "POST"])
def access_apply(request, dataset_id: int):
    """申请使用: the form for a 有条件开放 dataset; on success the applicant sees a receipt page."""
    dataset = _conditional_dataset(dataset_id)
    section = _section(request)
    context = {"dataset": dataset, "page": section, "section": section}
    if request.method == "GET":
        return render(request, "opendata/access_apply.html", context | {"form": AccessApplicationForm()})
    form = AccessApplicationForm(request.POST)
    usage = get_usage(request, group="opendata-apply", key=client_ip, rate=_apply_rate, method="POST",
                      increment=True)
    if usage is not None and usage["should_limit"]:
        response = render(request, "opendata/access_apply.html", context | {"form": form, "error": APPLY_TOO_MANY},
                          status=429)
        response["Retry-After"] = str(max(1, usage["time_left"]))
        return response
    if form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "agree"}
        try:
            application = services.access_application_submit(dataset=dataset, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[APPLY_SESSION_KEY] = {"id": application.pk, "email": application.email}
            return redirect(reverse("opendata:access_apply_sent", args=[dataset.pk]))
    return render(request, "opendata/access_apply.html", context | {"form": form}, status=400)


@require_GET
def access_apply_sent(request, dataset_id: int):
    dataset = _conditional_dataset(dataset_id)
    sent = request.session.get(APPLY_SESSION_KEY)
    if not sent:
        return redirect(reverse("opendata:access_apply", args=[dataset.pk]))
    section = _section(request)
    return render(request, "opendata/access_apply_sent.html",
                  {"dataset": dataset, "sent": sent, "page": section, "section": section})


# --- views answered by Varnish -----------------------------------------------------------------------------


def _view_beacon_rate(group, request) -> str:
    return settings.OPENDATA_VIEW_BEACON_RATE


@csrf_exempt  # sendBeacon carries no token; the request changes nothing but a count, limited per address
@require_POST
@ratelimit(key=client_ip, rate=_view_beacon_rate, method="POST", block=False)
def dataset_viewed(request, dataset_id: int):
    """One view of a dataset page that Varnish answered, sent by static/js/view-beacon.js from the page (the app
    counts the pages it renders or answers from its own cache itself). No cookie is read or set."""
    if getattr(request, "limited", False):
        response = JsonResponse({"error": "请求过于频繁，请稍后再试。"}, status=429)
    elif not (0 < dataset_id < 2**31 and DatasetPage.objects.live().public().filter(pk=dataset_id).exists()):
        response = JsonResponse({"error": "该数据资源不存在。"}, status=404)
    else:
        services.dataset_record_view_id(dataset_id=dataset_id)
        response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response
