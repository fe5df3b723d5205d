"""Published letters (留言选登) in the sitemap, beside the pages."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from portal.sitemaps import on_public_address

from .models import Letter


class LetterSitemap(Sitemap):
    """Every letter published with its reply, at its public address (personal data masked on that page)."""

    limit = 5000

    def items(self):
        return (Letter.objects.filter(published=True, state=Letter.State.REPLIED)
                .select_related("reply").only("tracking_number", "reply__replied_at").order_by("pk"))

    def location(self, letter: Letter) -> str:
        return reverse("services_hall:letter_detail", args=[letter.tracking_number])

    def lastmod(self, letter: Letter):
        return letter.reply.replied_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["location"] = on_public_address(url["location"], settings.PUBLIC_BASE_URL)
        return urls
