"""办件查询 (public progress inquiry): tracking number + query code → the public timeline."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from portal.ratelimit import client_ip

from ..registries import case_kinds
from ..selectors import application_deadline, application_timeline

NEUTRAL_MISS = "申报号或查询码不正确，请核对后重新输入。"
TOO_MANY = "查询过于频繁，请稍后再试。"


def _inquiry_rate(group, request) -> str:
    return getattr(settings, "SERVICES_HALL_INQUIRY_RATE", "10/m")


@require_http_methods(["GET", "POST"])
@ratelimit(key=client_ip, rate=_inquiry_rate, method="POST", block=False)
def inquiry(request):
    """办件查询: tracking number + query code → the public timeline. One neutral message for any wrong pair."""
    context = {"tracking_number": "", "error": "", "result": None}
    if request.method == "POST":
        tracking_number = request.POST.get("tracking_number", "").strip()[:40]
        query_code = request.POST.get("query_code", "").strip()[:20]
        context["tracking_number"] = tracking_number
        if getattr(request, "limited", False):
            context["error"] = TOO_MANY
            return render(request, "services_hall/inquiry.html", context, status=429)
        found = application_timeline(tracking_number=tracking_number, query_code=query_code)
        if found is None:
            # Cases of the apps built on the hall (依申请公开 …) answer the same inquiry.
            for kind in case_kinds():
                other = kind.inquire(tracking_number=tracking_number, query_code=query_code)
                if other is not None:
                    context["result"] = other
                    return render(request, "services_hall/inquiry.html", context)
            context["error"] = NEUTRAL_MISS
            return render(request, "services_hall/inquiry.html", context, status=200)
        application, timeline = found
        context["result"] = {
            "tracking_number": application.tracking_number,
            "service": application.service.title,
            "status": application.status_label,
            "timeline": timeline,
            "deadline": application_deadline(application=application),
        }
    return render(request, "services_hall/inquiry.html", context)
