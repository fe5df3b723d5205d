from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "数据开放"

    def ready(self):
        from opendata.search_documents import register_search_documents

        register_search_documents()
