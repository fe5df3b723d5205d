"""The applicant's own application: timeline, deadline, materials; 补正, withdrawal and 好差评 from the same page.
Filed materials are streamed from private storage to the applicant and to 受理员 / 审核员 only."""

import logging

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from ..forms import RatingForm, SupplementForm, WithdrawForm, upload_hint
from ..models import Application, ApplicationMaterial
from ..selectors import applicant_application, applicant_case, user_roles
from ..services import application_supplement, application_transition, rating_submit
from ..workflow import Action, TransitionNotAllowed
from .common import LOGIN_URL, applicant_required

logger = logging.getLogger(__name__)

DETAIL_TEMPLATE = "services_hall/application.html"


def _own_application(request, tracking_number: str) -> Application:
    """The application with this number if it is the logged-in applicant's; 404 for anyone else's."""
    application = applicant_application(applicant=request.applicant, tracking_number=tracking_number)
    if application is None:
        raise Http404
    return application


def _page(request, application: Application, *, status: int = 200, error: str = "", **forms):
    """The application page; `forms` replaces the blank 补正 / withdraw / rating form with a bound one."""
    context = applicant_case(application=application)
    context.update({
        "supplement_form": forms.get("supplement_form")
        or (SupplementForm(items=application.correction_items) if context["in_correction"] else None),
        "withdraw_form": forms.get("withdraw_form") or (WithdrawForm() if context["can_withdraw"] else None),
        "rating_form": forms.get("rating_form") or (RatingForm() if context["can_rate"] else None),
        "upload_hint": upload_hint(),
        "page_error": error,
    })
    return render(request, DETAIL_TEMPLATE, context, status=status)


@applicant_required
@require_GET
def application_detail(request, tracking_number: str):
    return _page(request, _own_application(request, tracking_number))


@applicant_required
@require_POST
def application_supplement_view(request, tracking_number: str):
    """补正: the applicant answers once, with every requested item."""
    application = _own_application(request, tracking_number)
    form = SupplementForm(request.POST, request.FILES, items=application.correction_items)
    if not form.is_valid():
        return _page(request, application, status=400, supplement_form=form)
    try:
        application_supplement(
            application=application, actor=request.user, materials=form.material_files(),
            comment=form.cleaned_data["comment"],
        )
    except TransitionNotAllowed as refusal:
        return _page(request, application, status=403, error=refusal.message)
    except ValidationError as error:
        form.add_service_errors(error)
        return _page(request, application, status=400, supplement_form=form)
    messages.success(request, "补正材料已提交，办件已转入审查。")
    return redirect("services_hall:application_detail", tracking_number=tracking_number)


@applicant_required
@require_POST
def application_withdraw(request, tracking_number: str):
    application = _own_application(request, tracking_number)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _page(request, application, status=400, withdraw_form=form)
    try:
        application_transition(
            application=application, action=Action.WITHDRAW, actor=request.user, comment=form.cleaned_data["comment"]
        )
    except TransitionNotAllowed as refusal:
        return _page(request, application, status=403, error=refusal.message)
    messages.success(request, "申请已撤回。")
    return redirect("services_hall:application_detail", tracking_number=tracking_number)


@applicant_required
@require_POST
def application_rate(request, tracking_number: str):
    """好差评 once the case is concluded; 不满意 / 非常不满意 need a reason."""
    application = _own_application(request, tracking_number)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _page(request, application, status=400, rating_form=form)
    try:
        rating_submit(
            application=application, actor=request.user, level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
        )
    except PermissionDenied as refusal:
        return _page(request, application, status=403, error=str(refusal))
    except ValidationError as error:
        if not hasattr(error, "error_dict") or set(error.message_dict) == {"__all__"}:
            # Not about what was typed (not concluded yet, already rated): said at the top of the page.
            return _page(request, application, status=400, error="".join(error.messages))
        form.add_service_errors(error)
        return _page(request, application, status=400, rating_form=form)
    messages.success(request, "感谢您的评价！")
    return redirect("services_hall:application_detail", tracking_number=tracking_number)


@require_GET
def material_download(request, material_id: int):
    """Stream one filed file as an attachment to its applicant or to 受理员 / 审核员; 404 for anyone else."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), LOGIN_URL)
    material = (
        ApplicationMaterial.objects.select_related("application__applicant").filter(pk=material_id).first()
    )
    # The same 404 whether the file does not exist or is someone else's.
    if material is None or not user_roles(user=request.user, application=material.application):
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        logger.error("申请材料文件缺失：material %s (%s)", material.pk, material.file.name)
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=material.original_name, content_type=material.content_type
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
