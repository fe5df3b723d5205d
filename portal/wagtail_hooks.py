"""Admin-wide additions of the portal shell."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks


@hooks.register("insert_global_admin_js")
def admin_csp_init():
    # Runs the set-up Wagtail would put in inline scripts (see templates/wagtailadmin/): the admin under a strict CSP.
    return format_html('<script src="{}"></script>', static("js/admin-csp.js"))
