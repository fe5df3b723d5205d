from django.apps import AppConfig


class ServicesHallConfig(AppConfig):
    name = "services_hall"
    verbose_name = "政务服务"

    def ready(self):
        from portal.registries import sitemap_section_register
        from services_hall.search_documents import register_search_documents
        from services_hall.sitemaps import LetterSitemap

        register_search_documents()
        sitemap_section_register(name="letters", make=LetterSitemap)
