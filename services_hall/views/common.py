"""What the applicant pages share: who may see them, and how a service's refusal becomes a page."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.urls import reverse_lazy

from ..models import Applicant

LOGIN_URL = reverse_lazy("services_hall:login")


def applicant_required(view):
    """Logged in, and as an applicant (a staff account has no applications of its own). Sets request.applicant."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), LOGIN_URL)
        applicant = Applicant.objects.filter(user=request.user).first()
        if applicant is None:
            return render(request, "services_hall/not_applicant.html", status=403)
        request.applicant = applicant
        return view(request, *args, **kwargs)

    return wrapper
