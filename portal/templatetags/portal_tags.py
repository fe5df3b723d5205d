from django import template
from wagtail.models import Site

from portal import formatting, selectors

register = template.Library()


register.filter("cn_date", formatting.cn_date)
register.filter("cn_datetime", formatting.cn_datetime)
register.filter("yuan", formatting.yuan)


@register.simple_tag
def today_cn() -> str:
    """<time> for today in the site's time zone (Asia/Shanghai), from the server's clock like every other date
    on the site (the browser's clock could be in another zone, or wrong)."""
    from django.utils import timezone
    from django.utils.html import format_html

    today = timezone.localdate()
    return format_html('<time datetime="{}">{}</time>', today.isoformat(), formatting.cn_weekday_date(today))


def _navigation(request):
    """Menu and footer links, read once per request (header and footer both need them)."""
    if request is None:
        return [], {}
    if not hasattr(request, "_portal_navigation"):
        site = Site.find_for_request(request)
        request._portal_navigation = selectors.navigation_for(site=site) if site else ([], {})
    return request._portal_navigation


@register.inclusion_tag("components/main_navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    menu, _ = _navigation(request)
    # An app view (办件查询, the catalog …) has no page of its own: its front door is where it sits.
    current = context.get("page") or context.get("place")
    items = []
    for item in menu:
        target = item.link_page
        active = bool(
            current is not None
            and target is not None
            and (current.pk == target.pk or (target.depth > 2 and current.path.startswith(target.path)))
        )
        items.append({"text": item.text, "href": item.href(request), "active": active, "external": item.is_external})
    return {"items": items}


@register.inclusion_tag("components/footer_links.html", takes_context=True)
def footer_links(context):
    request = context.get("request")
    _, groups = _navigation(request)
    return {"groups": groups, "request": request}


@register.simple_tag
def page_query(request, number) -> str:
    """The current query string with `page` replaced, so filters survive pagination."""
    params = request.GET.copy()
    params["page"] = number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def page_regions(context, place: str, page=None) -> str:
    """What the installed apps show in this place of the page (portal/registries.py PageRegion); "" for none."""
    from django.utils.safestring import mark_safe

    from portal.registries import page_regions as regions_for

    request = context.get("request")
    parts = [region.render(request, page=page) for region in regions_for(place=place)]
    return mark_safe("".join(part for part in parts if part))  # each part is a rendered (escaped) template
