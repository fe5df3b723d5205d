"""Letters (咨询 / 建议 / 投诉): the public form, the published replies, and the public statistics.

Anyone may write, without a captcha: submissions are rate limited per client address instead.
"""

import datetime as dt
import re

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from portal.pagination import paginate
from portal.ratelimit import client_ip

from ..models import Letter
from ..selectors import letter_public_detail, letter_public_list, letter_statistics
from ..services import letter_submit

TOO_MANY = "提交过于频繁，请稍后再试。如有急事，请拨打页面下方的咨询电话。"
PER_PAGE = 20
SESSION_KEY = "services_hall:letter_sent"
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


def _required(what: str) -> dict[str, str]:
    return {"required": f"请填写{what}。"}


class LetterForm(forms.Form):
    """The fields a writer fills in; every message names the field, in Chinese."""

    kind = forms.ChoiceField(
        label="类型", choices=Letter.Kind.choices, widget=forms.RadioSelect,
        error_messages={"required": "请选择留言类型。", "invalid_choice": "请选择咨询、建议或投诉。"},
    )
    subject = forms.CharField(
        label="标题", max_length=200,
        error_messages=_required("标题") | {"max_length": "标题最多 %(limit_value)d 个字（现有 %(show_value)d 个字）。"},
    )
    body = forms.CharField(
        label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 10}),
        error_messages=_required("内容") | {"max_length": "内容最多 %(limit_value)d 个字（现有 %(show_value)d 个字）。"},
    )
    name = forms.CharField(
        label="姓名", max_length=60,
        error_messages=_required("姓名") | {"max_length": "姓名最多 %(limit_value)d 个字。"},
    )
    phone = forms.CharField(
        label="联系电话", max_length=20, required=False, help_text="手机号码或带区号的固定电话；电话和邮箱至少填一项。",
        error_messages={"max_length": "联系电话最多 %(limit_value)d 位。"},
    )
    email = forms.EmailField(
        label="电子邮箱", required=False, max_length=254,
        error_messages={"invalid": "电子邮箱格式不正确，例如 name@example.com。", "max_length": "电子邮箱过长。"},
    )
    consent_publish = forms.BooleanField(
        label="同意公开", required=False,
        help_text="答复后可在网站公开本留言和答复；您的姓名、电话、邮箱等个人信息将隐去。",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_phone(self) -> str:
        phone = re.sub(r"[\s－—]", "-", self.cleaned_data["phone"].strip()).replace(" ", "")
        if phone and not PHONE.match(phone):
            raise ValidationError("联系电话格式不正确：请填写 11 位手机号码，或带区号的固定电话（如 0591-87654321）。")
        return phone

    def clean(self):
        cleaned = super().clean()
        if not self.errors.get("phone") and not self.errors.get("email"):
            if not cleaned.get("phone") and not cleaned.get("email"):
                self.add_error("phone", "请至少留下联系电话或电子邮箱，以便答复。")
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's own checks (a dict keyed by model field) shown beside the same fields."""
        messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
        for key, texts in messages.items():
            field = key if key in self.fields else None
            for text in texts:
                self.add_error(field, text)


def _reply_days() -> int:
    return int(getattr(settings, "SERVICES_HALL_LETTER_REPLY_DAYS", 5))


def _letter_rate(group, request) -> str:
    return getattr(settings, "SERVICES_HALL_LETTER_RATE", "5/h")


@require_http_methods(["GET", "POST"])
@ratelimit(key=client_ip, rate=_letter_rate, method="POST", block=False)
def letter_write(request):
    """写信: the form; on success the writer is sent to a page with the letter's number."""
    context = {"reply_days": _reply_days()}
    if request.method == "GET":
        # 互动交流 links 写咨询 / 写建议 / 写投诉 here with the kind chosen (an unknown kind is simply not chosen).
        kind = request.GET.get("kind", "")
        initial = {"kind": kind} if kind in Letter.Kind.values else {}
        return render(request, "services_hall/letters_write.html", context | {"form": LetterForm(initial=initial)})
    form = LetterForm(request.POST)
    if getattr(request, "limited", False):
        # What was typed stays in the form, so nothing is lost when the writer tries again later.
        return render(request, "services_hall/letters_write.html", context | {"form": form, "error": TOO_MANY},
                      status=429)
    if form.is_valid():
        try:
            letter = letter_submit(**form.cleaned_data, user=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            request.session[SESSION_KEY] = {"number": letter.tracking_number, "due": letter.due_on.isoformat()}
            return redirect(reverse("services_hall:letter_sent"))
    return render(request, "services_hall/letters_write.html", context | {"form": form}, status=400)


@require_GET
def letter_sent(request):
    """After a letter is received: its number and when the reply is due."""
    sent = request.session.get(SESSION_KEY)
    if not sent:
        return redirect(reverse("services_hall:letter_write"))
    context = {"number": sent["number"], "due": dt.date.fromisoformat(sent["due"]),
               "reply_days": _reply_days()}
    return render(request, "services_hall/letters_sent.html", context)


def _kind_param(request) -> str:
    kind = request.GET.get("kind", "")
    if kind and kind not in Letter.Kind.values:
        raise BadRequest("参数 kind 无效：应为 consultation（咨询）、suggestion（建议）或 complaint（投诉）。")
    return kind


@require_GET
def letter_list(request):
    """The replied letters whose writers consented, newest reply first, personal data masked."""
    kind = _kind_param(request)
    page = paginate(request, letter_public_list(kind=kind or None), per_page=PER_PAGE)
    context = {
        "page_obj": page, "letters": page.object_list, "kind": kind, "kinds": Letter.Kind.choices,
        "statistics": letter_statistics(),
    }
    return render(request, "services_hall/letters.html", context)


@require_GET
def letter_detail(request, tracking_number: str):
    letter = letter_public_detail(tracking_number=tracking_number[:24])
    if letter is None:
        raise Http404("留言不存在或未公开。")
    return render(request, "services_hall/letters_detail.html", {"letter": letter})


def _year_param(request) -> int | None:
    raw = request.GET.get("year", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise BadRequest("参数 year 无效：应为四位年份，如 2025。")
    return int(raw)


@require_GET
def letter_statistics_page(request):
    """Public figures: letters received, replied, and replied within the working-day limit (per year or overall)."""
    year = _year_param(request)
    since, until = (dt.date(year, 1, 1), dt.date(year, 12, 31)) if year else (None, None)
    figures = letter_statistics(since=since, until=until)
    this_year = timezone.localdate().year
    context = {
        "statistics": figures, "year": year, "years": range(this_year, this_year - 5, -1),
        "reply_days": _reply_days(),
        "replied_rate": _percent(figures.replied, figures.received),
        "on_time_rate": _percent(figures.replied_on_time, figures.replied),
    }
    return render(request, "services_hall/letters_statistics.html", context)


def _percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"
