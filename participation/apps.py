from django.apps import AppConfig


class ParticipationConfig(AppConfig):
    name = "participation"
    verbose_name = "公众参与"

    def ready(self):
        from participation.regions import interaction_region, policy_region
        from participation.search_documents import register_search_documents
        from portal.registries import PageRegion, page_region_register

        register_search_documents()
        page_region_register(region=PageRegion(place="interaction", name="participation", render=interaction_region))
        page_region_register(region=PageRegion(place="policy", name="consultation", render=policy_region))
