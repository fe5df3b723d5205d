from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "数据开放"

    def ready(self):
        from opendata.search_documents import register_search_documents

        register_search_documents()

        from opendata.services import dataset_record_view_id
        from portal.cache_tags import hit_counter_register

        # A dataset page answered from the page cache still counts the visit.
        hit_counter_register(name="opendata.dataset-view",
                             count=lambda dataset_id: dataset_record_view_id(dataset_id=dataset_id))
