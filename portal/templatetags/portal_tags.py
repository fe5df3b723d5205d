from django import template
from wagtail.models import Site

from portal import formatting, fragment_cache, selectors
from portal import rows
from portal.rows import EntryRow

register = template.Library()


register.filter("cn_date", formatting.cn_date)
register.filter("cn_datetime", formatting.cn_datetime)
register.filter("yuan", formatting.yuan)


@register.simple_tag(takes_context=True)
def entry_url(context, entry) -> str | None:
    """A listed entry's address: a row (portal/rows.py) carries it; a page gives it as {% pageurl %} would."""
    if isinstance(entry, EntryRow):
        return entry.url
    return entry.get_url(request=context.get("request"))


@register.simple_tag
def today_cn() -> str:
    """<time> for today in the site's time zone (Asia/Shanghai), from the server's clock like every other date
    on the site (the browser's clock could be in another zone, or wrong)."""
    from django.utils import timezone
    from django.utils.html import format_html

    today = timezone.localdate()
    return format_html('<time datetime="{}">{}</time>', today.isoformat(), formatting.cn_weekday_date(today))


def _navigation(request):
    """Menu and footer links, read once per request (header and footer both need them) and kept between requests
    in the fragment cache under the tags of the settings, rows and pages they show."""
    if request is None:
        return [], {}
    if not hasattr(request, "_portal_navigation"):
        site = Site.find_for_request(request)
        request._portal_navigation = fragment_cache.fragment(
            name="navigation", key=f"{site.pk}:{site.hostname}:{site.port}:{site.root_page_id}",
            build=lambda: selectors.navigation_links(site=site, request=request),
        ) if site else ([], {})
    return request._portal_navigation


@register.simple_tag(takes_context=True)
def site_identity(context):
    """The site's SiteIdentity (name, sponsor, 标识码, 备案号 …) for the header and footer, from the fragment cache."""
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_portal_identity"):
        site = Site.find_for_request(request)
        request._portal_identity = fragment_cache.fragment(
            name="identity", key=str(site.pk), build=lambda: selectors.site_identity(site=site),
        ) if site else None
    return request._portal_identity


@register.inclusion_tag("components/main_navigation.html", takes_context=True)
def main_navigation(context):
    request = context.get("request")
    menu, _ = _navigation(request)
    # An app view (办件查询, the catalog …) has no page of its own: its front door is where it sits.
    current = context.get("page") or context.get("place")
    items = []
    for item in menu:
        active = bool(
            current is not None
            and item["target_pk"] is not None
            and (current.pk == item["target_pk"]
                 or (item["target_depth"] > 2 and current.path.startswith(item["target_path"])))
        )
        items.append({"text": item["text"], "href": item["href"], "active": active, "external": item["external"]})
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


@register.simple_tag
def form_field(field) -> str:
    """A bound form field's widget, the same HTML as `{{ field }}`: a plain <select> is written here, since Django's
    renderer draws each <option> through two templates (most of a column page's CPU went there); any other widget
    is rendered by Django."""
    from django import forms
    from django.forms.utils import flatatt
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    widget = field.field.widget
    if type(widget) is not forms.Select or field.help_text or field.errors:
        return str(field)  # Django adds aria-describedby / aria-invalid for these
    attrs = field.build_widget_attrs({})
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    options = []
    for group_name, group_choices, _ in context["optgroups"]:
        if group_name:
            return str(field)  # option groups: Django's own template
        for option in group_choices:
            options.append(format_html('<option value="{}"{}>{}</option>', str(option["value"]),
                                       flatatt(option["attrs"]), option["label"]))
    return format_html('<select name="{}"{}>{}</select>', context["name"], flatatt(context["attrs"]),
                       mark_safe("".join(options)))


@register.simple_tag
def cover_thumbnail(image) -> str:
    """A list entry's cover as a small <picture> (WebP and JPEG, 1x and 2x). Finding four renditions and writing
    the tag took ~1.5 ms an entry; the HTML is kept per image version (file, focal point, alt text). A list row
    (portal/rows.py) carries it already written."""
    from django.utils.safestring import SafeString, mark_safe

    if image is None:
        return ""
    if isinstance(image, SafeString):
        return image
    html = fragment_cache.by_content(name=rows.THUMBNAIL_FRAGMENT, parts=rows.thumbnail_parts(image),
                                     build=lambda: rows.thumbnail_html(image))
    return mark_safe(html)
