"""Admin-wide additions of the portal shell."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks

from portal.avatars import avatar_data_url


@hooks.register("insert_global_admin_js")
def admin_csp_init():
    # Runs the set-up Wagtail would put in inline scripts (see templates/wagtailadmin/): the admin under a strict CSP.
    return format_html('<script src="{}"></script>', static("js/admin-csp.js"))


@hooks.register("get_avatar_url")
def initials_avatar(user, size):
    # An uploaded picture wins; otherwise initials drawn here, never an outside avatar service.
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return avatar_data_url(user)
