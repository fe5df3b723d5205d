"""The public side of the participation pages (served by Wagtail through the page models' routes): parse the input,
call a service, render. Every refusal is a 4xx page with the reason in Chinese; nothing is half-stored."""

from __future__ import annotations

import csv
import secrets

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from portal.formatting import cn_datetime
from portal.limits import TOO_MANY, limit_exceeded

from . import rules, selectors, services
from .forms import CommentForm, QuestionForm, add_service_errors
from .rules import Phase

VOTER_COOKIE = "jc_survey_voter"
VOTER_SALT = "participation.survey.voter"
VOTER_COOKIE_AGE = 3 * 365 * 24 * 3600


def _rate(name: str, default: str) -> str:
    return getattr(settings, name, default)


def _over_limit(request, *, group: str, setting: str, default: str) -> int:
    return limit_exceeded(request, group=group, rate=_rate(setting, default))


def _submit_moderated(request, page, *, form, render, group: str, rate_setting: str, submit, done_url: str):
    """A comment or a question sent from the public: within the address's rate, valid, accepted by its service (kept
    for moderation), then back to the page with a thank-you; otherwise the page again with the reason (429, 400, or
    the service's refusal)."""
    wait = _over_limit(request, group=group, setting=rate_setting, default="5/h")
    if wait:
        response = render(request, page, form=form, status=429, error=TOO_MANY)
        response["Retry-After"] = str(wait)
        return response
    if form.is_valid():
        try:
            submit(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.Refused as refusal:
            return render(request, page, form=None, status=refusal.status, error=refusal.message)
        else:
            return redirect(done_url)
    return render(request, page, form=form, status=400, error="")


# --- 征求意见 -------------------------------------------------------------------------------------------------


def consultation_page(request, *, page):
    if request.method == "POST":
        form = CommentForm(request.POST, max_chars=page.comment_max_chars)
        phase = page.phase()
        if phase != Phase.OPEN:
            return _consultation_render(request, page, form=None, status=403,
                                        error=_closed_message(page, phase))
        return _submit_moderated(
            request, page, form=form, render=_consultation_render, group="participation:comment",
            rate_setting="PARTICIPATION_COMMENT_RATE",
            submit=lambda data: services.comment_submit(consultation=page, **data),
            done_url=page.url + "?submitted=1#comment-form",
        )
    if request.method not in ("GET", "HEAD"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    return _consultation_render(request, page, form=CommentForm(max_chars=page.comment_max_chars), status=200,
                                error="")


def _closed_message(page, phase) -> str:
    if phase == Phase.UPCOMING:
        return f"本次征求意见将于{cn_datetime(page.opens_at)}开始，届时欢迎提出意见。"
    return f"本次征求意见已于{cn_datetime(page.closes_at)}结束，不再接收意见。感谢您的关注！"


def _consultation_render(request, page, *, form, status: int, error: str):
    now = timezone.now()
    phase = page.phase(now)
    context = {
        "breadcrumb": page.breadcrumb(),
        "phase": phase,
        "countdown": page.countdown(now) if phase == Phase.OPEN else None,
        "form": form if phase == Phase.OPEN else None,
        "closed_message": _closed_message(page, phase) if phase != Phase.OPEN else "",
        "error": error,
        "submitted": request.GET.get("submitted") == "1",
        "comments": selectors.comments_shown(consultation=page)[:50],
        "report": selectors.feedback_report_for(consultation=page),
        "attachments": page.attachments.select_related("document"),
    }
    response = page.render(request, context_overrides=context)
    response.status_code = status
    return response


def consultation_feedback(request, *, page):
    report = selectors.feedback_report_for(consultation=page)
    if report is None:
        raise Http404("意见采纳情况尚未发布。")
    context = {"breadcrumb": page.breadcrumb() + [page], "report": report, "figures": report.feedback}
    return page.render(request, template="participation/feedback_report.html", context_overrides=context)


# --- 网上调查 -------------------------------------------------------------------------------------------------


def _voter_token(request) -> str | None:
    try:
        return request.get_signed_cookie(VOTER_COOKIE, salt=VOTER_SALT, default=None)
    except signing.BadSignature:
        return None


def _voter_key(request, page) -> str | None:
    if page.identity == page.Identity.ACCOUNT:
        return f"user:{request.user.pk}" if request.user.is_authenticated else None
    token = _voter_token(request)
    return f"cookie:{token}" if token else None


def _login_url() -> str:
    try:
        return reverse("services_hall:login")
    except NoReverseMatch:
        return settings.LOGIN_URL


def survey_page(request, *, page):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    questions = page.question_list()
    error, error_key, status = "", "", 200
    posted: dict[str, list[str]] = {}
    new_token = None
    if page.identity == page.Identity.ANONYMOUS and _voter_token(request) is None:
        new_token = secrets.token_urlsafe(16)
    if request.method == "POST":
        posted = {question.key: request.POST.getlist(question.key) for question in questions}
        phase = page.phase()
        if phase != Phase.OPEN:
            error, status = _survey_closed_message(page, phase), 403
        elif page.identity == page.Identity.ACCOUNT and not request.user.is_authenticated:
            return redirect_to_login(page.url, _login_url())
        else:
            wait = 0
            if page.identity == page.Identity.ANONYMOUS:
                wait = _over_limit(request, group=f"participation:survey:{page.pk}",
                                   setting="PARTICIPATION_SURVEY_RATE", default="20/d")
            if wait:
                response = _survey_render(request, page, questions=questions, posted=posted, error=TOO_MANY,
                                          status=429)
                response["Retry-After"] = str(wait)
                return response
            key = _voter_key(request, page) or f"cookie:{new_token}"
            try:
                services.survey_answer(survey=page, voter_key=key, raw=posted,
                                       user=request.user if request.user.is_authenticated else None)
            except rules.AnswerError as answer_error:
                error, error_key, status = answer_error.message, answer_error.key, 400
            except services.Refused as refusal:
                error, status = refusal.message, refusal.status
            else:
                response = redirect(page.url + "?answered=1")
                _set_voter_cookie(response, new_token)
                return response
    response = _survey_render(request, page, questions=questions, posted=posted, error=error, error_key=error_key,
                              status=status)
    _set_voter_cookie(response, new_token)
    return response


def _set_voter_cookie(response, token: str | None) -> None:
    if token:
        response.set_signed_cookie(VOTER_COOKIE, token, salt=VOTER_SALT, max_age=VOTER_COOKIE_AGE, httponly=True,
                                   samesite="Lax", secure=getattr(settings, "SESSION_COOKIE_SECURE", False))


def _survey_closed_message(page, phase) -> str:
    if phase == Phase.UPCOMING:
        return f"本次调查将于{cn_datetime(page.opens_at)}开始。"
    return f"本次调查已于{cn_datetime(page.closes_at)}结束，不再接收答卷。感谢您的关注！"


def _survey_render(request, page, *, questions, posted, error: str, status: int, error_key: str = ""):
    from .models import SurveyResponse

    now = timezone.now()
    phase = page.phase(now)
    key = _voter_key(request, page)
    answered = bool(key) and SurveyResponse.objects.filter(survey=page, voter_key=key).exists()
    needs_login = page.identity == page.Identity.ACCOUNT and not request.user.is_authenticated
    shown = page.results_shown(now)
    total, results = selectors.survey_results(survey=page) if shown else (0, [])
    context = {
        "breadcrumb": page.breadcrumb(),
        "phase": phase,
        "countdown": page.countdown(now) if phase == Phase.OPEN else None,
        "closed_message": _survey_closed_message(page, phase) if phase != Phase.OPEN else "",
        "answered": answered,
        "needs_login": needs_login,
        "login_url": f"{_login_url()}?next={page.url}",
        "show_form": phase == Phase.OPEN and not answered and not needs_login,
        "questions": [_question_view(question, posted, error_key) for question in questions],
        "error": error,
        "results_shown": shown,
        "total": total,
        "results": results,
        "can_export": _can_export(request, page),
    }
    response = page.render(request, context_overrides=context)
    response.status_code = status
    return response


def _question_view(question, posted, error_key) -> dict:
    return {"q": question, "chosen": posted.get(question.key, []), "invalid": question.key == error_key,
            "text_value": (posted.get(question.key) or [""])[0]}


def _can_export(request, page) -> bool:
    return request.user.is_authenticated and page.permissions_for_user(request.user).can_edit()


def survey_export(request, *, page):
    """Every answer as CSV (UTF-8 with BOM, so that Excel opens it in Chinese), for staff who may edit the survey."""
    if not _can_export(request, page):
        return HttpResponseForbidden("<p>只有可以编辑本调查的工作人员才能导出答卷。</p>")
    from .models import SurveyResponse

    questions = page.question_list()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{page.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["答卷编号", "提交时间"] + [question.text for question in questions])
    for row in SurveyResponse.objects.filter(survey=page).order_by("pk").iterator():
        values = []
        for question in questions:
            value = row.answers.get(question.key, "")
            values.append("；".join(value) if isinstance(value, list) else _csv_safe(str(value)))
        writer.writerow([row.pk, cn_datetime(row.submitted_at)] + values)
    return response


def _csv_safe(text: str) -> str:
    # A free-text answer starting with = + - @ would run as a formula when staff open the file in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- 在线访谈 -------------------------------------------------------------------------------------------------


def interview_page(request, *, page):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.method == "POST":
        return _submit_moderated(
            request, page, form=QuestionForm(request.POST), render=_interview_render, group="participation:question",
            rate_setting="PARTICIPATION_QUESTION_RATE",
            submit=lambda data: services.question_submit(interview=page, **data),
            done_url=page.url + "?asked=1#ask",
        )
    return _interview_render(request, page, form=QuestionForm(), status=200, error="")


def _interview_render(request, page, *, form, status: int, error: str):
    phase = page.phase()
    turns = list(selectors.turns_after(interview=page))
    context = {
        "breadcrumb": page.breadcrumb(),
        "phase": phase,
        "guests": page.guests.select_related("photo"),
        "questions": selectors.questions_shown(interview=page),
        "turns": turns,
        "last_turn": turns[-1].pk if turns else 0,
        "form": form if phase != rules.InterviewPhase.ARCHIVED else None,
        "error": error,
        "asked": request.GET.get("asked") == "1",
    }
    response = page.render(request, context_overrides=context)
    response.status_code = status
    return response


def interview_turns(request, *, page):
    """New turns after `after` (a turn id) as JSON, for the live page's poller (static/participation/interview.js)."""
    raw = request.GET.get("after", "0")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        return JsonResponse({"detail": "参数 after 无效：应为非负整数。"}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    turns = selectors.turns_after(interview=page, after=int(raw))[:200]
    data = {
        "phase": page.phase(),
        "turns": [
            {"id": turn.pk, "speaker": turn.speaker, "speaker_label": turn.speaker_label, "text": turn.text,
             "time": timezone.localtime(turn.said_at).strftime("%H:%M"),
             "photo": _photo_url(turn)}
            for turn in turns
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False}, headers={"Cache-Control": "no-store"})


def _photo_url(turn) -> str:
    photo = turn.guest.photo if turn.guest_id and turn.guest and turn.guest.photo_id else None
    if photo is None and turn.speaker == rules.Speaker.HOST:
        photo = turn.interview.host_photo
    if photo is None:
        return ""
    return photo.get_rendition("fill-96x96").url

