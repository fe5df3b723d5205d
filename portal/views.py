"""Site-wide views: robots.txt, the sitemap index and the Chinese error pages."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from portal.errors import PublicBadRequest

GENERIC_BAD_REQUEST = "请求参数有误，请检查后重试。"


@require_GET
@cache_control(max_age=3600, public=True)
def robots_txt(request):
    return render(request, "robots.txt", {"sitemap_url": request.build_absolute_uri("/sitemap.xml")},
                  content_type="text/plain; charset=utf-8")


def bad_request(request, exception=None, template_name="400.html"):
    # Only our own BadRequest messages are written for citizens; anything else gets the generic line.
    ours = type(exception) is BadRequest or isinstance(exception, PublicBadRequest)
    message = str(exception) if ours and str(exception) else GENERIC_BAD_REQUEST
    if getattr(request, "plain_text_errors", False):
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return render(request, template_name, {"message": message}, status=400)


def permission_denied(request, exception=None, template_name="403.html"):
    return render(request, template_name, status=403)


def page_not_found(request, exception=None, template_name="404.html"):
    return render(request, template_name, status=404)


def media(request, path: str):
    """A public upload from MEDIA_ROOT (images and their renditions), where no web server is in front: `make run`
    (SERVE_MEDIA) and DEBUG. Private uploads live outside MEDIA_ROOT; Django's serve refuses paths out of it."""
    from django.http import Http404
    from django.views.static import serve

    if not (settings.DEBUG or getattr(settings, "SERVE_MEDIA", False)):
        raise Http404("media are served by the web server")
    return serve(request, path, document_root=settings.MEDIA_ROOT)
