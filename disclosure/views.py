"""Public pages of 依申请公开: the online application, the receipt, and the applicant's own request."""

import secrets

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from services_hall.models import Applicant
from services_hall.storage import private_storage
from services_hall.views.common import applicant_required

from .forms import RequestForm
from .models import DisclosureRequest
from .rules import ORGANISATION_KINDS, RECEIPT_RULES, ApplicantKind, Channel, Status
from .selectors import applicant_request, request_clock
from .services import request_submit, request_supplement


def _form(account: Applicant, **kwargs) -> RequestForm:
    form = RequestForm(**kwargs)
    # Name and code come from the verified account; only an organisation chooses its kind.
    for name in ("applicant_name", "id_document"):
        form.fields[name].required = False
        form.fields[name].disabled = True
        form.fields[name].initial = account.name if name == "applicant_name" else (account.uscc or account.id_number)
    if account.kind == Applicant.Kind.INDIVIDUAL:
        form.fields["applicant_kind"].choices = [(ApplicantKind.NATURAL_PERSON, ApplicantKind.NATURAL_PERSON.label)]
    else:
        form.fields["applicant_kind"].choices = [(kind.value, kind.label) for kind in ORGANISATION_KINDS]
        form.fields["applicant_kind"].label = "组织类型"
        form.fields["applicant_kind"].error_messages |= {"required": "请选择组织类型。",
                                                         "invalid_choice": "请从列表中选择组织类型。"}
    return form


@applicant_required
@require_http_methods(["GET", "POST"])
def apply(request):
    """The application form (条例第二十九条). A refusal names each problem by its field; nothing is stored."""
    account = request.applicant
    if request.method == "POST":
        form = _form(account, data=request.POST)
        form.is_valid()
        try:
            case = request_submit(account=account, data=form.request_data(),
                                  idempotency_key=form.idempotency_key_value)
        except ValidationError as error:
            form.add_service_errors(error)
            return render(request, "disclosure/apply.html", {"form": form}, status=400)
        return redirect("disclosure:submitted", tracking_number=case.tracking_number)
    # Drawn once per form shown: a double click or a resent POST carries the same key and makes one request.
    initial = {"idempotency_key": secrets.token_urlsafe(24), "phone": account.phone, "email": account.email,
               "contact_name": account.contact_name}
    return render(request, "disclosure/apply.html", {"form": _form(account, initial=initial)})


def _own(request, tracking_number: str) -> DisclosureRequest:
    case = applicant_request(account=request.applicant, tracking_number=tracking_number)
    if case is None:
        raise Http404
    return case


@applicant_required
def submitted(request, tracking_number: str):
    case = _own(request, tracking_number)
    return render(request, "disclosure/submitted.html", {
        "case": case, "clock": request_clock(request=case), "receipt_rule": RECEIPT_RULES[Channel.ONLINE],
    })


@applicant_required
@require_http_methods(["GET", "POST"])
def request_detail(request, tracking_number: str):
    """The applicant's request: its clock, every step so far, and the 补正 form while one is asked for."""
    case = _own(request, tracking_number)
    error, status = "", 200
    if request.method == "POST":
        try:
            request_supplement(request=case, text=request.POST.get("text", ""), actor=request.user)
        except ValidationError as problem:
            error, status = "；".join(problem.messages), 400
        else:
            return redirect("disclosure:request_detail", tracking_number=case.tracking_number)
    return render(request, "disclosure/request_detail.html", {
        "case": case, "clock": request_clock(request=case), "events": case.events.all(),
        "in_correction": case.status == Status.CORRECTION, "error": error,
    }, status=status)


def _stream(name: str, filename: str, content_type: str) -> FileResponse:
    if not name or not private_storage.exists(name):
        raise Http404
    return FileResponse(private_storage.open(name), as_attachment=True, filename=filename, content_type=content_type)


@applicant_required
@require_GET
def notice_download(request, tracking_number: str):
    """The 告知书 of the applicant's own answered request."""
    case = _own(request, tracking_number)
    return _stream(case.notice_file, f"告知书-{case.tracking_number}.pdf", "application/pdf")


@applicant_required
@require_GET
def attachment_download(request, tracking_number: str, attachment_id: int):
    attachment = _own(request, tracking_number).attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return _stream(attachment.file, attachment.original_name, attachment.content_type)
