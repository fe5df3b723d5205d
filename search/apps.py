from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "站内搜索"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from search import documents, indexing, synonyms
        from search.models import Synonym

        documents.register_info_pages()
        indexing.connect_signals()
        post_save.connect(synonyms.clear_cache, sender=Synonym, dispatch_uid="search-synonyms-saved")
        post_delete.connect(synonyms.clear_cache, sender=Synonym, dispatch_uid="search-synonyms-deleted")
