"""在线申报: the online form of a service guide, and the page that gives the applicant their numbers."""

import secrets

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ..forms import ApplicationForm, upload_hint
from ..models import Application, ServiceGuidePage
from ..services import application_submit
from .common import applicant_required


def _form(guide: ServiceGuidePage, materials, **kwargs) -> ApplicationForm:
    return ApplicationForm(guide_fields=list(guide.form_fields.all()), materials=materials, **kwargs)


@applicant_required
@require_http_methods(["GET", "POST"])
def apply(request, guide_id: int):
    """The guide's form with one upload per material. A refusal names each problem by field; nothing is stored."""
    guide = get_object_or_404(ServiceGuidePage.objects.live(), pk=guide_id)
    if not guide.online_filing_open:
        return render(request, "services_hall/apply_closed.html", {"guide": guide}, status=404)
    materials = list(guide.materials.all())
    context = {"guide": guide, "upload_hint": upload_hint()}

    if request.method == "POST":
        form = _form(guide, materials, data=request.POST, files=request.FILES)
        form.is_valid()  # the guide's own field rules, shown beside each field; the service checks them again
        try:
            application = application_submit(
                applicant=request.applicant, service=guide, form_data=form.guide_data(),
                materials=form.material_files(), idempotency_key=form.idempotency_key_value,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            return render(request, "services_hall/apply.html", {**context, "form": form}, status=400)
        return redirect("services_hall:application_submitted", tracking_number=application.tracking_number)

    # Drawn once per form shown: a double click or a resent POST carries the same key and files one application.
    form = _form(guide, materials, initial={"idempotency_key": secrets.token_urlsafe(24)})
    return render(request, "services_hall/apply.html", {**context, "form": form})


@applicant_required
def application_submitted(request, tracking_number: str):
    application = get_object_or_404(
        Application.objects.select_related("service"), tracking_number=tracking_number, applicant=request.applicant
    )
    return render(request, "services_hall/application_submitted.html", {"application": application})
