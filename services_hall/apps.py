from django.apps import AppConfig


class ServicesHallConfig(AppConfig):
    name = "services_hall"
    verbose_name = "政务服务"

    def ready(self):
        from services_hall.search_documents import register_search_documents

        register_search_documents()
